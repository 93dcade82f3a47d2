package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.Field;
import dev.mlops.core.OverloadedException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.mlops.serving.spi.ModelRunner;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DynamicBatchingTest {
  private static final Schema SCHEMA = Schema.of(List.of(Field.of("x", DataType.FLOAT64)));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong ticker = new AtomicLong();

  private DefaultPredictor predictor(HeldRunner runner, BatchingOptions options) {
    return new DefaultPredictor(runner, "held", "1", false, options, registry, ForkJoinPool.commonPool(), ticker::get);
  }

  private static Row row(double x) {
    return Row.of(SCHEMA, x);
  }

  @Test
  void fullQueueRejectsAtOnceWhileTheWorkerIsHeld() throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    try (DefaultPredictor p = predictor(runner, BatchingOptions.of(1, Duration.ZERO, 2))) {
      CompletableFuture<Prediction> first = p.predictAsync(row(1));
      runner.entered.await();
      CompletableFuture<Prediction> second = p.predictAsync(row(2));
      CompletableFuture<Prediction> third = p.predictAsync(row(3));
      assertThatThrownBy(() -> p.predictAsync(row(4)))
          .isInstanceOf(OverloadedException.class)
          .hasMessage("The batching queue of model held/1 is full (2 requests waiting); nothing ran. Shed load, retry"
              + " later with backoff, or raise queueCapacity");
      assertThatThrownBy(() -> p.predict(row(5))).isInstanceOf(OverloadedException.class);
      assertThat(runner.callSizes).isEmpty();
      assertThat(registry.get("mlops.serving.rejections").counter().count()).isEqualTo(2.0);
      runner.releaseAll();
      assertThat(first.get().asRegression().value()).isEqualTo(1.0);
      assertThat(second.get().asRegression().value()).isEqualTo(2.0);
      assertThat(third.get().asRegression().value()).isEqualTo(3.0);
    }
  }

  @Test
  void expiredRequestFailsWithoutRunning() throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    try (DefaultPredictor p = predictor(runner, BatchingOptions.of(4, Duration.ZERO, 8))) {
      CompletableFuture<Prediction> first = p.predictAsync(row(1));
      runner.entered.await();
      CompletableFuture<Prediction> late = p.predictAsync(row(2), Duration.ofMillis(10));
      CompletableFuture<Prediction> patient = p.predictAsync(row(3), Duration.ofHours(1));
      ticker.addAndGet(TimeUnit.SECONDS.toNanos(1));
      runner.releaseAll();
      assertThat(first.get().asRegression().value()).isEqualTo(1.0);
      assertThat(patient.get().asRegression().value()).isEqualTo(3.0);
      assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(DeadlineExceededException.class)
          .hasMessage("Request to model held/1 waited 1000 ms, past its deadline of 10 ms; it was not run. Raise the"
              + " deadline or shed load");
      assertThat(runner.callSizes).containsExactly(1, 1);
      assertThat(registry.get("mlops.serving.deadline.exceeded").counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  void requestsQueuedBehindAHeldBatchRunTogether() throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    try (DefaultPredictor p = predictor(runner, BatchingOptions.of(8, Duration.ofMillis(20), 64))) {
      CompletableFuture<Prediction> first = p.predictAsync(row(0));
      runner.entered.await();
      List<CompletableFuture<Prediction>> rest = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        rest.add(p.predictAsync(row(i)));
      }
      runner.releaseAll();
      first.get();
      for (int i = 0; i < rest.size(); i++) {
        assertThat(rest.get(i).get().asRegression().value()).isEqualTo(i + 1.0);
      }
      assertThat(runner.callSizes).containsExactly(1, 8);
      assertThat(registry.get("mlops.serving.batch.size").summary().max()).isEqualTo(8.0);
    }
  }

  @Test
  void closeRunsQueuedRequestsThenRefusesNewOnes() throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    DefaultPredictor p = predictor(runner, BatchingOptions.of(1, Duration.ZERO, 8));
    CompletableFuture<Prediction> first = p.predictAsync(row(1));
    runner.entered.await();
    CompletableFuture<Prediction> queued = p.predictAsync(row(2));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(p::close);
    runner.releaseAll();
    closing.get();
    assertThat(first.get().asRegression().value()).isEqualTo(1.0);
    assertThat(queued.get().asRegression().value()).isEqualTo(2.0);
    assertThat(runner.closes.get()).isEqualTo(1);
    p.close();
    assertThat(runner.closes.get()).isEqualTo(1);
    assertThatThrownBy(() -> p.predict(row(3))).isInstanceOf(IllegalStateException.class)
        .hasMessage("Predictor held/1 is closed; use the deployment's current predictor");
  }

  @Test
  void unbatchedAsyncHonoursTheDeadlineToo() {
    HeldRunner runner = new HeldRunner(SCHEMA);
    runner.releaseAll();
    try (DefaultPredictor p = new DefaultPredictor(runner, "held", "1", false, BatchingOptions.disabled(), registry,
        command -> {
          ticker.addAndGet(TimeUnit.SECONDS.toNanos(5));
          command.run();
        }, ticker::get)) {
      assertThatThrownBy(() -> p.predictAsync(row(1), Duration.ofSeconds(1)).join())
          .cause().isInstanceOf(DeadlineExceededException.class);
      assertThat(runner.callSizes).isEmpty();
      assertThat(p.predictAsync(row(2), Duration.ofSeconds(10)).join().asRegression().value()).isEqualTo(2.0);
    }
  }

  @Test
  void aWorkerSurvivesAnErrorAndFailsOnlyThatBatch() throws Exception {
    ModelRunner failing = new ModelRunner() {
      @Override
      public Schema inputSchema() {
        return SCHEMA;
      }

      @Override
      public Device device() {
        return Device.cpu();
      }

      @Override
      public List<Prediction> run(List<Row> rows) {
        if (rows.get(0).getDouble(0) < 0) {
          throw new OutOfMemoryError("Direct buffer memory");
        }
        return rows.stream().map(r -> Prediction.regression("1", r.getDouble(0))).toList();
      }

      @Override
      public List<Prediction> run(Batch batch) {
        return run(batch.toRows());
      }

      @Override
      public void close() {}
    };
    try (DefaultPredictor p = new DefaultPredictor(failing, "oom", "1", false, BatchingOptions.of(1, Duration.ZERO, 8),
        registry, ForkJoinPool.commonPool(), ticker::get)) {
      assertThatThrownBy(() -> p.predict(row(-1))).isInstanceOf(OutOfMemoryError.class);
      // The single worker is still alive: the next request is served, not left waiting.
      assertThat(p.predict(row(3)).asRegression().value()).isEqualTo(3.0);
    }
  }

  @Test
  void anInterruptedCloserDoesNotCloseTheSessionUnderARunningBatch() throws Exception {
    HeldRunner runner = new HeldRunner(SCHEMA);
    DefaultPredictor p = predictor(runner, BatchingOptions.of(1, Duration.ZERO, 8));
    CompletableFuture<Prediction> running = p.predictAsync(row(1));
    runner.entered.await();
    java.util.concurrent.atomic.AtomicBoolean interruptKept = new java.util.concurrent.atomic.AtomicBoolean();
    Thread closer = new Thread(() -> {
      Thread.currentThread().interrupt();
      p.close();
      interruptKept.set(Thread.currentThread().isInterrupted());
    });
    closer.start();
    closer.join(300);
    assertThat(runner.closes.get()).as("session closed while the worker is inside it").isZero();
    runner.releaseAll();
    closer.join();
    assertThat(running.get().asRegression().value()).isEqualTo(1.0);
    assertThat(runner.closes.get()).isEqualTo(1);
    assertThat(interruptKept.get()).as("the closer's interrupt is restored").isTrue();
  }
}
