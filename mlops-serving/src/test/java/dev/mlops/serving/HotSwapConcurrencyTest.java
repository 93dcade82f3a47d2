package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 32 threads predict on a real ONNX Runtime session while the version is hot-swapped 100 times. */
class HotSwapConcurrencyTest {
  private static final int THREADS = 32;
  private static final int SWAPS = 100;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void hundredSwapsUnder32CallersLoseNoRequestAndCloseEverySessionOnce() throws Exception {
    List<CountingRunner> sessions = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    byte[] model = OnnxModels.softmaxClassifier(5, 3, 7);
    OnnxOptions options = OnnxOptions.builder().intraOpThreads(1).interOpThreads(1).build();
    Deployment.VersionLoader loader = version -> {
      CountingRunner r = new CountingRunner(new OnnxRunner(model, "toy/" + version, version, OnnxRunnerTest.SCHEMA,
          OnnxRunnerTest.ENCODING, OutputSpec.classification("probabilities", OnnxRunnerTest.LABELS), options));
      sessions.add(r);
      return new DefaultPredictor(r, "toy", version, false, BatchingOptions.disabled(), registry,
          ForkJoinPool.commonPool(), System::nanoTime);
    };
    List<Row> rows = OnnxRunnerTest.rows(64, 11);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ok = new AtomicLong();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    Deployment d = Deployment.start("toy", loader, "0");
    CountDownLatch started = new CountDownLatch(THREADS);
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int seed = t;
      callers.add(pool.submit(() -> {
        started.countDown();
        int i = seed;
        while (!stop.get()) {
          try {
            Prediction p = d.predict(rows.get(i++ % rows.size()));
            assertThat(p.scores()).hasSize(3);
            ok.incrementAndGet();
          } catch (Throwable e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
        }
      }));
    }
    started.await();
    for (int v = 1; v <= SWAPS; v++) {
      d.swapTo(Integer.toString(v));
    }
    stop.set(true);
    for (Future<?> f : callers) {
      f.get();
    }
    pool.shutdown();
    assertThat(d.activeVersion()).isEqualTo(Integer.toString(SWAPS));
    d.close();
    assertThat(firstFailure.get()).as("first failed request").isNull();
    assertThat(failures.get()).isZero();
    assertThat(ok.get()).isPositive();
    assertThat(sessions).hasSize(SWAPS + 1)
        .allSatisfy(r -> {
          assertThat(r.closes.get()).isEqualTo(1);
          assertThat(r.runsAfterClose.get()).isZero();
        });
    assertThat(registry.find("mlops.serving.predictions").counters()).isEmpty();
  }
}
