package dev.mlops.benchmarks.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.serving.Device;
import dev.mlops.serving.onnx.FallbackPolicy;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch scoring of 4,096 rows through an MLP 256 -> 1024 -> 1024 -> 10 on the CPU or a CUDA GPU
 * ({@code -p device=cpu,cuda}; CUDA needs the {@code -Pgpu} build and fails rather than falling back,
 * so a CPU figure is never reported as a GPU one). Default: CPU only. {@code scripts/gpu-check.sh}
 * runs both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GpuBatchBenchmark {
  /** {@code cpu} or {@code cuda}. */
  @Param({"cpu"})
  public String device;

  private Path dir;
  private BufferAllocator allocator;
  private Predictor predictor;
  private Batch batch;

  /** Publishes the model, builds the predictor on the device and the batch. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("mlops-bench-gpu");
    BenchmarkModels.Published published = BenchmarkModels.publishMlp(dir, 256, 1024, 2, 10);
    Device d = device.equals("cuda") ? Device.cuda(0) : Device.cpu();
    predictor = Predictor.builder(published.model())
        .backendOptions(OnnxOptions.builder().device(d, FallbackPolicy.FAIL).build()).build();
    allocator = new RootAllocator();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      rows.add(BenchmarkModels.row(published.schema(), i));
    }
    batch = Batch.fromRows(allocator, published.schema(), rows);
  }

  /** Frees everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    batch.close();
    allocator.close();
    predictor.close();
    BenchmarkModels.deleteTree(dir);
  }

  /**
   * Scores the whole batch in one call.
   *
   * @return the predictions
   */
  @Benchmark
  public List<Prediction> scoreBatch() {
    return predictor.predict(batch);
  }
}
