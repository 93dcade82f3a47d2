package dev.mlops.benchmarks.serving;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.OverloadedException;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.BatchingOptions;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.ServingTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast a full batching queue says no: the worker is kept busy by a model that takes seconds per
 * call, the queue (capacity 1) is full, and each measured call must fail at once with
 * {@link OverloadedException}. Reports the rejection latency (p50/p99, ns).
 *
 * <p>Before each iteration the previous slow call is awaited and the queue refilled; queued fillers
 * carry a 1 ns deadline so they expire instead of running.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class OverloadRejectionBenchmark {
  static final int SIZE = 1024;
  private Path dir;
  private Predictor predictor;
  private Row row;
  private CompletableFuture<Prediction> busy = CompletableFuture.completedFuture(null);
  private long accepted;

  /** Publishes the slow model and builds a predictor with a one-slot queue. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("mlops-bench-overload");
    Path file = Files.write(Files.createDirectories(dir.resolve("src")).resolve("slow.onnx"), BenchmarkModels.slow(SIZE, 120));
    Schema in = Schema.of(Field.of("x", DataType.floatTensor(SIZE, SIZE), false, Role.FEATURE));
    ModelManifestBuilder b = ModelManifest.builder().format(ModelFormats.ONNX).modelSignature(
        ModelSignature.of(in, Schema.of(Field.of("y", DataType.floatTensor(SIZE, SIZE), false, Role.PREDICTION))));
    ServingTags.raw().forEach(b::tag);
    ModelRepository repo = ModelRepository.open(dir.resolve("repo"));
    repo.publish("slow", "1", file, b);
    predictor = Predictor.builder(repo.load(ModelRef.parse("slow/1")))
        .backendOptions(OnnxOptions.builder().intraOpThreads(1).interOpThreads(1).warmUp(false).build())
        .batching(BatchingOptions.of(1, Duration.ZERO, 1)).build();
    row = Row.of(in, new float[SIZE * SIZE]);
  }

  /** Waits for the previous slow call, starts a new one and fills the queue. */
  @Setup(Level.Iteration)
  public void fill() {
    busy.handle((p, e) -> null).join();
    busy = predictor.predictAsync(row, Duration.ofMinutes(5));
    for (;;) {
      try {
        predictor.predictAsync(row, Duration.ofNanos(1));
      } catch (OverloadedException e) {
        return;
      }
    }
  }

  /** Closes the predictor after the last slow call. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    busy.handle((p, e) -> null).join();
    predictor.close();
    if (accepted > 0) {
      System.out.println("warning: " + accepted + " calls were queued instead of rejected; raise the slow chain");
    }
    BenchmarkModels.deleteTree(dir);
  }

  /**
   * One call against the full queue.
   *
   * @return the rejection (or, if the queue drained, the never-run future)
   */
  @Benchmark
  public Object rejectWhenFull() {
    try {
      CompletableFuture<Prediction> f = predictor.predictAsync(row, Duration.ofNanos(1));
      accepted++;
      return f;
    } catch (OverloadedException e) {
      return e;
    }
  }
}
