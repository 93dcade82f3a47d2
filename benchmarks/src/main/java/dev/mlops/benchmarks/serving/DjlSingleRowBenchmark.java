package dev.mlops.benchmarks.serving;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * (b) The same single-row latency through DJL's ONNX Runtime engine (same model file, same ONNX
 * Runtime version, pinned in the parent POM), to compare with {@link SingleRowLatencyBenchmark}.
 *
 * <p>DJL reports usage to a cloud metadata address unless told not to, and its engine fails to start
 * when plain ONNX Runtime's environment was created first in the same JVM: this benchmark runs in its
 * own fork with {@code -Dai.djl.offline=true} and {@code -DOPT_OUT_TRACKING=true} (DJL reads the
 * variable from the environment or a system property); run the JMH jar with
 * {@code OPT_OUT_TRACKING=true} in the environment as well.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class DjlSingleRowBenchmark {
  private Path dir;
  private ZooModel<NDList, NDList> model;
  private Predictor<NDList, NDList> predictor;
  private NDManager manager;
  private float[] vector;
  private FloatBuffer direct;
  private final Shape shape = new Shape(1, SingleRowLatencyBenchmark.INPUTS);

  /** Writes the same MLP and loads it with DJL's OnnxRuntime engine. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, ModelNotFoundException, MalformedModelException {
    System.setProperty("ai.djl.offline", "true");
    dir = Files.createTempDirectory("mlops-bench-djl");
    Path file = Files.write(dir.resolve("mlp.onnx"),
        BenchmarkModels.mlp(SingleRowLatencyBenchmark.INPUTS, 64, 2, 2, 42));
    model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(file).optEngine("OnnxRuntime")
        .optTranslator(new NoopTranslator()).build().loadModel();
    predictor = model.newPredictor();
    manager = model.getNDManager().newSubManager();
    vector = BenchmarkModels.vector(BenchmarkModels.row(BenchmarkModels.featureSchema(SingleRowLatencyBenchmark.INPUTS),
        7));
    direct = ByteBuffer.allocateDirect(vector.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Closes DJL's objects. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    manager.close();
    predictor.close();
    model.close();
    Files.deleteIfExists(dir.resolve("mlp.onnx"));
    Files.deleteIfExists(dir);
  }

  /**
   * DJL with the input in a reused direct buffer.
   *
   * @return the scores
   * @throws TranslateException never in practice
   */
  @Benchmark
  public float[] djlReusedDirectBuffer() throws TranslateException {
    direct.clear();
    direct.put(vector);
    direct.flip();
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(direct, shape);
      NDList out = predictor.predict(new NDList(x));
      return out.get(0).toFloatArray();
    }
  }

  /**
   * DJL with a fresh float array.
   *
   * @return the scores
   * @throws TranslateException never in practice
   */
  @Benchmark
  public float[] djlFreshArray() throws TranslateException {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(vector.clone(), shape);
      NDList out = predictor.predict(new NDList(x));
      return out.get(0).toFloatArray();
    }
  }
}
