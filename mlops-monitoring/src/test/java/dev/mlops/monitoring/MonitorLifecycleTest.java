package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlops.core.Row;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a monitor detaches it; listeners run off the request thread, bounded. */
class MonitorLifecycleTest {
  /** Safety net only: every wait below is on a latch or a queue, never on elapsed time. */
  private static final Duration NET = Duration.ofSeconds(60);

  private static final DatasetProfile REFERENCE = MonitorTest.reference(11);

  private static Row row(double x) {
    return Row.of(MonitorTest.IN, x, "k1");
  }

  @Test
  void closedMonitorIgnoresRecordsInsteadOfFailingThePrediction() {
    Monitor m = Monitor.builder(REFERENCE).outputReference(MonitorTest.outputReference()).tumblingCount(5).build();
    m.record(row(1));
    m.close();

    m.record(row(2));
    m.record(row(3), Row.of(MonitorTest.OUT, 0.5));
    m.recordOutput(Row.of(MonitorTest.OUT, 0.5));
    m.record(Row.of(MonitorTest.OUT, 0.5)); // even a wrong schema: a closed monitor checks nothing

    assertThat(m.isClosed()).isTrue();
    assertThat(m.recordsIgnoredAfterClose()).isEqualTo(4);
    assertThat(m.tick()).isEmpty();
    assertThatThrownBy(m::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    m.close();
    assertThat(m.isClosed()).isTrue();
  }

  @Test
  void slowListenerDoesNotDelayTheRequestThatClosesTheWindow() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    BlockingQueue<WindowResult> received = new LinkedBlockingQueue<>();
    Monitor m = Monitor.builder(REFERENCE).tumblingCount(3).listener(w -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      received.add(w);
    }).build();

    assertTimeoutPreemptively(NET, () -> {
      for (int i = 0; i < 3; i++) {
        m.record(row(i)); // the third closes the window
      }
      entered.await();
    });
    // The request thread is back while the listener still holds the window's result.
    assertThat(release.getCount()).isEqualTo(1);
    assertThat(received).isEmpty();

    release.countDown();
    WindowResult w = received.poll(NET.toSeconds(), TimeUnit.SECONDS);
    assertThat(w).isNotNull();
    assertThat(w.index()).isZero();
    assertThat(w.inputs().rowCount()).isEqualTo(3);
    m.close();
  }

  @Test
  void fullListenerQueueDropsTheOldestResultAndCountsIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    BlockingQueue<Long> received = new LinkedBlockingQueue<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Monitor m = Monitor.builder(REFERENCE).name("slow").tumblingCount(1).listenerQueueCapacity(2)
        .meterRegistry(registry).listener(w -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          received.add(w.index());
        }).build();

    assertTimeoutPreemptively(NET, () -> {
      m.record(row(0)); // window 0, taken by the blocked listener
      entered.await();
      for (int i = 1; i <= 4; i++) {
        m.record(row(i)); // windows 1..4 into a queue of 2: 1 and 2 are dropped
      }
    });
    assertThat(m.droppedResults()).isEqualTo(2);
    assertThat(registry.get("mlops.monitor.listener.dropped").tag("monitor", "slow").counter().count())
        .isEqualTo(2);

    release.countDown();
    m.close(); // delivers what is queued before it returns
    assertThat(List.copyOf(received)).containsExactly(0L, 3L, 4L);
  }

  @Test
  void closeDeliversQueuedResultsAndEndsTheDeliveryThread() {
    BlockingQueue<WindowResult> received = new LinkedBlockingQueue<>();
    Monitor m = Monitor.builder(REFERENCE).name("drained").tumblingCount(2).listener(received::add).build();
    for (int i = 0; i < 6; i++) {
      m.record(row(i));
    }
    assertThat(deliveryThreads("drained")).as("started by the first result").hasSize(1);

    m.close();

    assertThat(received).hasSize(3);
    assertThat(deliveryThreads("drained")).as("no thread outlives close()").isEmpty();
  }

  @Test
  void closeGivesUpOnAListenerThatNeverReturnsAndCountsWhatItDropped() {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Monitor m = Monitor.builder(REFERENCE).name("stuck").tumblingCount(1).listenerDrainTimeout(Duration.ofMillis(50))
        .listener(w -> {
          entered.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() interrupts: return
          }
        }).build();
    assertTimeoutPreemptively(NET, () -> {
      m.record(row(0));
      entered.await();
      m.record(row(1));
      m.record(row(2));
      m.close();
    });
    assertThat(m.droppedResults()).isEqualTo(2);
    assertTimeoutPreemptively(NET, () -> {
      for (Thread t : deliveryThreads("stuck")) {
        t.join();
      }
    });
  }

  @Test
  void listenerMayFlushTheMonitorThatCalledIt() throws Exception {
    BlockingQueue<Long> received = new LinkedBlockingQueue<>();
    Monitor[] self = new Monitor[1];
    Monitor m = Monitor.builder(REFERENCE).tumblingCount(2).listener(w -> {
      received.add(w.index());
      if (w.index() == 0) {
        self[0].flush();
      }
    }).build();
    self[0] = m;
    m.record(row(0));
    m.record(row(1));
    assertThat(received.poll(NET.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(received.poll(NET.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1L);
    m.close();
  }

  @Test
  void closeRemovesEveryMeterTheMonitorRegistered() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Monitor other = Monitor.builder(REFERENCE).name("other").tumblingCount(2).meterRegistry(registry).build();
    Monitor m = Monitor.builder(REFERENCE).name("closing").outputReference(MonitorTest.outputReference())
        .tumblingCount(2).meterRegistry(registry).build();
    for (int i = 0; i < 4; i++) {
      m.record(row(i + 50), Row.of(MonitorTest.OUT, 0.5));
      other.record(row(i));
    }
    assertThat(meters(registry, "closing")).extracting(x -> x.getId().getName())
        .contains("mlops.monitor.records", "mlops.monitor.windows", "mlops.drift.share", "mlops.drift.score",
            "mlops.drift.columns.drifted", "mlops.drift.detected", "mlops.drift.column.detections",
            "mlops.monitor.listener.dropped");

    m.close();

    assertThat(meters(registry, "closing")).isEmpty();
    assertThat(meters(registry, "other")).isNotEmpty();
    other.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  private static List<Meter> meters(SimpleMeterRegistry registry, String monitor) {
    return registry.getMeters().stream().filter(x -> monitor.equals(x.getId().getTag("monitor"))).toList();
  }

  private static List<Thread> deliveryThreads(String monitor) {
    String name = "mlops-monitor-" + monitor + "-listeners";
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
        .toList();
  }
}
