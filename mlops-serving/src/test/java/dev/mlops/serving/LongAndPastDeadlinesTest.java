package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * H6: a deadline too long for a nanosecond clock means "no deadline", never a failure of every call;
 * a zero or negative deadline has already passed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LongAndPastDeadlinesTest {
  private static final Schema SCHEMA = Schema.of(List.of(Field.of("x", DataType.FLOAT64)));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static Stream<Duration> longDeadlines() {
    return Stream.of(Duration.ofDays(100_000), ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(Long.MAX_VALUE),
        BatchingOptions.LONGEST_DEADLINE, BatchingOptions.LONGEST_DEADLINE.plusNanos(1));
  }

  private DefaultPredictor predictor(HeldRunner runner, BatchingOptions options) {
    return new DefaultPredictor(runner, "held", "1", false, options, registry, ForkJoinPool.commonPool(),
        System::nanoTime);
  }

  /** Runs a synchronous call on its own thread and releases the model only once the caller waits. */
  private static Prediction predictWhileTheModelIsHeld(DefaultPredictor p, HeldRunner runner) throws Exception {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        outcome.set(p.predict(Row.of(SCHEMA, 7.0)));
      } catch (RuntimeException e) {
        outcome.set(e);
      }
    });
    caller.start();
    runner.entered.await();
    // The request is inside the model: the caller must be waiting for it, not failed already.
    while (caller.getState() != Thread.State.WAITING && caller.getState() != Thread.State.TIMED_WAITING
        && caller.isAlive()) {
      Thread.sleep(1);
    }
    runner.releaseAll();
    caller.join();
    if (outcome.get() instanceof RuntimeException e) {
      throw e;
    }
    return (Prediction) outcome.get();
  }

  @ParameterizedTest
  @MethodSource("longDeadlines")
  void aDefaultDeadlineLongerThanTheClockHoldsMeansNone(Duration deadline) throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    try (DefaultPredictor p = predictor(runner, BatchingOptions.of(4, Duration.ZERO, 16)
        .withDefaultDeadline(deadline))) {
      assertThat(predictWhileTheModelIsHeld(p, runner).asRegression().value()).isEqualTo(7.0);
      assertThat(p.predictAsync(Row.of(SCHEMA, 8.0)).get().asRegression().value()).isEqualTo(8.0);
      assertThat(registry.get("mlops.serving.deadline.exceeded").counter().count()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("longDeadlines")
  void aPerRequestDeadlineLongerThanTheClockHoldsMeansNone(Duration deadline) throws Exception {
    for (BatchingOptions mode : List.of(BatchingOptions.disabled(), BatchingOptions.of(4, Duration.ZERO, 16))) {
      HeldRunner runner = new HeldRunner(SCHEMA);
      runner.releaseAll();
      try (DefaultPredictor p = predictor(runner, mode)) {
        assertThat(p.predictAsync(Row.of(SCHEMA, 3.0), deadline).get().asRegression().value()).as("%s", mode)
            .isEqualTo(3.0);
      }
    }
  }

  @Test
  void aMaxDelayLongerThanTheClockHoldsDoesNotKillTheWorker() throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    runner.releaseAll();
    try (DefaultPredictor p = predictor(runner, new BatchingOptions(true, 1, ChronoUnit.FOREVER.getDuration(), 16,
        Duration.ofSeconds(30), 1))) {
      assertThat(p.predictAsync(Row.of(SCHEMA, 5.0)).get(30, TimeUnit.SECONDS).asRegression().value()).isEqualTo(5.0);
    }
  }

  @Test
  void aZeroOrNegativeRequestDeadlineHasPassedAndNothingRuns() {
    for (BatchingOptions mode : List.of(BatchingOptions.disabled(), BatchingOptions.of(4, Duration.ZERO, 16))) {
      HeldRunner runner = new HeldRunner(SCHEMA);
      runner.releaseAll();
      try (DefaultPredictor p = predictor(runner, mode)) {
        for (Duration past : List.of(Duration.ZERO, Duration.ofMillis(-5), ChronoUnit.FOREVER.getDuration().negated())) {
          assertThatThrownBy(() -> p.predictAsync(Row.of(SCHEMA, 1.0), past))
              .isInstanceOf(DeadlineExceededException.class)
              .hasMessage("Request to model held/1 has a deadline of " + past + ", which has already passed; it was"
                  + " not run. Give a positive deadline");
        }
        assertThat(runner.callSizes).isEmpty();
        assertThat(registry.get("mlops.serving.deadline.exceeded").counter().count()).isEqualTo(3.0);
      }
    }
  }

  @Test
  void aZeroOrNegativeDefaultDeadlineIsRefusedWhenConfigured() {
    for (Duration bad : List.of(Duration.ZERO, Duration.ofNanos(-1))) {
      assertThatThrownBy(() -> BatchingOptions.of(4, Duration.ZERO, 16).withDefaultDeadline(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("defaultDeadline must be > 0, got " + bad + "; a request with no time to wait could never run."
              + " For no deadline, pass a very long one (anything over LONGEST_DEADLINE, e.g."
              + " ChronoUnit.FOREVER.getDuration())");
    }
    assertThatThrownBy(() -> BatchingOptions.of(4, Duration.ofMillis(-1), 16))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDelay must be >= 0, got PT-0.001S");
  }
}
