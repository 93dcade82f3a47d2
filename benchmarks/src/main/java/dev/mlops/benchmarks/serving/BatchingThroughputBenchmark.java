package dev.mlops.benchmarks.serving;

import dev.mlops.core.Row;
import dev.mlops.serving.BatchingOptions;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (c) Throughput and latency percentiles of single-row {@link Predictor#predict(Row)} with 1, 8, 32
 * and 64 concurrent callers, dynamic batching on versus off, on a model where batching helps: an MLP
 * 512 -> 2048 -> 2048 -> 10 whose weights (about 21 MB, more than a core's cache) stream from memory
 * once per call, so one call of 32 rows costs little more than one of 1. Target: at least 3x throughput at 32 callers with batching.
 *
 * <p>Batching: up to 64 rows, no added delay (each batch takes what queued while the previous one
 * ran), queue of 4096, 30 s deadline, one worker per core. ONNX Runtime runs with one intra-op thread
 * either way, and both sides can run one model call per core at once (unbatched: the callers' own
 * concurrent calls), so the comparison is per-call efficiency, not thread count. Throughput
 * mode gives requests/s (all threads); sample-time mode gives p50/p99 per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class BatchingThroughputBenchmark {
  static final int INPUTS = 512;
  /** One batching worker per core, as many model calls at once as the unbatched callers can run. */
  static final int WORKERS = Runtime.getRuntime().availableProcessors();

  /** Whether dynamic batching is on. */
  @Param({"false", "true"})
  public boolean batching;

  private Path dir;
  private Predictor predictor;
  private Row[] rows;

  /** Publishes the MLP and builds the predictor. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("mlops-bench-batching");
    BenchmarkModels.Published published = BenchmarkModels.publishMlp(dir, INPUTS, 2048, 2, 10);
    BatchingOptions options = batching
        ? BatchingOptions.of(64, Duration.ZERO, 4096).withWorkers(WORKERS) : BatchingOptions.disabled();
    predictor = Predictor.builder(published.model())
        .backendOptions(OnnxOptions.builder().intraOpThreads(1).interOpThreads(1).build())
        .batching(options).build();
    rows = new Row[64];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = BenchmarkModels.row(published.schema(), i);
    }
  }

  /** Closes the predictor. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    predictor.close();
    BenchmarkModels.deleteTree(dir);
  }

  private Prediction call() {
    return predictor.predict(rows[(int) (Thread.currentThread().getId() & 63)]);
  }

  /**
   * One caller.
   *
   * @return the prediction
   */
  @Benchmark
  @Threads(1)
  public Prediction callers01() {
    return call();
  }

  /**
   * Eight concurrent callers.
   *
   * @return the prediction
   */
  @Benchmark
  @Threads(8)
  public Prediction callers08() {
    return call();
  }

  /**
   * 32 concurrent callers.
   *
   * @return the prediction
   */
  @Benchmark
  @Threads(32)
  public Prediction callers32() {
    return call();
  }

  /**
   * 64 concurrent callers.
   *
   * @return the prediction
   */
  @Benchmark
  @Threads(64)
  public Prediction callers64() {
    return call();
  }
}
