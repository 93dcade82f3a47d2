package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.drift.DriftTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MonitorTest {
  static final Schema IN = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("c", DataType.STRING));
  static final Schema OUT = Schema.of(Field.of("score", DataType.FLOAT64));

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static DatasetProfile reference(long seed) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(Row.of(IN, r.nextGaussian(), "k" + r.nextInt(3)));
    }
    return DatasetProfile.of(IN, rows);
  }

  static DatasetProfile outputReference() {
    Random r = new Random(9);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(Row.of(OUT, r.nextDouble()));
    }
    return DatasetProfile.of(OUT, rows);
  }

  @Test
  void countWindowsFromEightThreadsHoldExactlyNRecordsEach() throws Exception {
    List<WindowResult> results = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Monitor m = Monitor.builder(reference(1)).name("m8").outputReference(outputReference()).tumblingCount(1000)
        .meterRegistry(registry).listener(results::add).build();
    int threads = 8;
    int perThread = 2500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t;
      fs.add(pool.submit(() -> {
        Random r = new Random(seed);
        go.await();
        for (int i = 0; i < perThread; i++) {
          m.record(Row.of(IN, r.nextGaussian() + 3, "k" + r.nextInt(3)), Row.of(OUT, r.nextDouble()));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    // Meters are updated by the thread that closes a window, listeners later on the delivery thread.
    assertThat(registry.get("mlops.monitor.records").tags("monitor", "m8", "side", "input").counter().count())
        .isEqualTo(20000);
    assertThat(registry.get("mlops.monitor.windows").counter().count()).isEqualTo(20);
    assertThat(registry.get("mlops.drift.score").tags("column", "x", "side", "input",
        "test", DriftTest.WASSERSTEIN_NORMED.id()).gauge().value()).isGreaterThan(1);
    assertThat(registry.get("mlops.drift.column.detections").tags("column", "x").counter().count()).isEqualTo(20);
    assertThat(registry.get("mlops.drift.share").tags("side", "input").gauge().value()).isEqualTo(0.5);
    assertThat(m.flush().inputs().rowCount()).isZero();
    m.close(); // delivers every queued result before it returns
    assertThat(results).hasSize(21);
    results.remove(20);
    for (WindowResult w : results) {
      assertThat(w.inputs().rowCount()).isEqualTo(1000);
      assertThat(w.outputs().rowCount()).isEqualTo(1000);
      assertThat(w.inputDrift().column("x").orElseThrow().drifted()).isTrue();
      assertThat(w.inputDrift().column("c").orElseThrow().drifted()).isFalse();
      assertThat(w.outputDrift().drifted()).isFalse();
    }
    assertThat(results.stream().map(WindowResult::index).toList())
        .as("delivered in window order").isEqualTo(java.util.stream.LongStream.range(0, 20).boxed().toList());
  }

  @Test
  void timeWindowsCloseOnTheInjectedClock() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    BlockingQueue<WindowResult> results = new LinkedBlockingQueue<>();
    Monitor m = Monitor.builder(reference(2)).tumblingTime(Duration.ofMinutes(1)).clock(clock)
        .listener(results::add).build();
    Random r = new Random(4);
    for (int i = 0; i < 300; i++) {
      m.record(Row.of(IN, r.nextGaussian(), "k" + r.nextInt(3)));
    }
    assertThat(m.tick()).isEmpty();
    clock.advance(Duration.ofSeconds(59));
    m.record(Row.of(IN, 0.0, "k0"));
    assertThat(results).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    WindowResult first = m.tick().orElseThrow();
    assertThat(first.inputs().rowCount()).isEqualTo(301);
    assertThat(first.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(first.end()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
    assertThat(first.inputDrift().testedColumns()).isEqualTo(2);
    assertThat(results.poll(60, TimeUnit.SECONDS)).isSameAs(first);
    // Idle for 3.5 windows: the next record closes the (empty) second window; the third starts aligned.
    clock.advance(Duration.ofSeconds(210));
    m.record(Row.of(IN, 50.0, "zzz"));
    WindowResult empty = results.poll(60, TimeUnit.SECONDS);
    assertThat(empty.inputs().rowCount()).isZero();
    assertThat(empty.inputDrift().testedColumns()).isZero();
    assertThat(empty.inputDrift().drifted()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    WindowResult third = m.tick().orElseThrow();
    assertThat(third.start()).isEqualTo(Instant.parse("2026-01-01T00:04:00Z"));
    assertThat(third.inputs().rowCount()).isEqualTo(1);
    m.close();
    assertThat(results).containsExactly(third);
  }

  @Test
  void timeWindowsLoseNoRecordWhileTheClockMovesUnderConcurrentRecording() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<WindowResult> results = new CopyOnWriteArrayList<>();
    Monitor m = Monitor.builder(reference(6)).tumblingTime(Duration.ofSeconds(10)).clock(clock)
        .listener(results::add).build();
    int threads = 4;
    int perThread = 5000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch go = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Future<?> ticker = pool.submit(() -> {
      go.await();
      while (!done.get()) {
        clock.advance(Duration.ofSeconds(3));
        m.tick();
        Thread.yield();
      }
      return null;
    });
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      fs.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          m.record(Row.of(IN, (double) i, "k0"));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    done.set(true);
    ticker.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    m.flush();
    m.close();
    long total = results.stream().mapToLong(w -> w.inputs().rowCount()).sum();
    assertThat(total).isEqualTo((long) threads * perThread);
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i).index()).as("listeners see windows in order").isEqualTo(i);
    }
  }

  @Test
  void failingListenerDoesNotStopRecordingOrOtherListeners() {
    List<WindowResult> seen = new CopyOnWriteArrayList<>();
    Monitor m = Monitor.builder(reference(3)).tumblingCount(10).listener(w -> {
      throw new IllegalStateException("listener bug");
    }).listener(seen::add).build();
    for (int i = 0; i < 25; i++) {
      m.record(Row.of(IN, (double) i, "k1"));
    }
    m.close();
    assertThat(seen).hasSize(2);
    m.record(Row.of(IN, 1.0, "k1"));
    assertThat(m.recordsIgnoredAfterClose()).as("a closed monitor ignores records").isEqualTo(1);
  }

  @Test
  void outputsNeedAnOutputReference() {
    Monitor m = Monitor.builder(reference(5)).tumblingCount(10).build();
    assertThatThrownBy(() -> m.recordOutput(Row.of(OUT, 0.5))).hasMessageContaining("no output reference");
    assertThatThrownBy(() -> Monitor.builder(reference(5)).build()).hasMessageContaining("Choose a window");
    assertThatThrownBy(() -> m.record(Row.of(OUT, 0.5))).isInstanceOf(dev.mlops.core.SchemaMismatchException.class)
        .hasMessageContaining("input row schema");
    for (int i = 0; i < 10; i++) {
      m.record(Row.of(IN, 1.0, "k0"));
    }
    assertThat(m.flush().inputs().rowCount()).as("a rejected row takes no slot of the window").isZero();
  }
}
