package dev.mlops.benchmarks.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlops.core.Row;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * (a) Single-row latency of {@link Predictor#predict(Row)} versus plain {@link OrtSession#run} on the
 * same model and input: plain with a reused direct buffer (the fastest plain path) and with a fresh
 * {@code float[][]} per call (the common one). Every path reads the class scores out. Target: the
 * predictor's p50 at most 10% above the faster plain path. Sample time gives p50/p99.
 *
 * <p>Model: MLP 32 -> 64 -> 64 -> 2 (softmax), one intra-op thread, one row per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SingleRowLatencyBenchmark {
  static final int INPUTS = 32;

  private Path dir;
  private OrtEnvironment env;
  private OrtSession session;
  private FloatBuffer direct;
  private float[] vector;
  private Predictor predictor;
  private Row row;
  private final long[] shape = {1, INPUTS};

  /** Publishes the model, loads the predictor and a plain session with the same options. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, OrtException {
    dir = Files.createTempDirectory("mlops-bench-latency");
    BenchmarkModels.Published published = BenchmarkModels.publishMlp(dir, INPUTS, 64, 2, 2);
    OnnxOptions options = OnnxOptions.builder().intraOpThreads(1).interOpThreads(1).build();
    predictor = Predictor.builder(published.model()).backendOptions(options).build();
    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      so.setInterOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(Files.readAllBytes(published.file()), so);
    }
    row = BenchmarkModels.row(published.schema(), 7);
    vector = BenchmarkModels.vector(row);
    direct = ByteBuffer.allocateDirect(INPUTS * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws OrtException, IOException {
    predictor.close();
    session.close();
    BenchmarkModels.deleteTree(dir);
  }

  /**
   * The predictor: encodes the row with the manifest's encoding, runs, decodes label and scores.
   *
   * @return the prediction
   */
  @Benchmark
  public Prediction predictor() {
    return predictor.predict(row);
  }

  /**
   * Plain ONNX Runtime, input copied into a reused direct buffer that the tensor wraps without copy.
   *
   * @return the scores
   * @throws OrtException never in practice
   */
  @Benchmark
  public float[] plainReusedDirectBuffer() throws OrtException {
    direct.clear();
    direct.put(vector);
    direct.flip();
    try (OnnxTensor t = OnnxTensor.createTensor(env, direct, shape);
        OrtSession.Result r = session.run(Map.of("features", t))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] scores = new float[out.remaining()];
      out.get(scores);
      return scores;
    }
  }

  /**
   * Plain ONNX Runtime with a fresh {@code float[1][32]} per call.
   *
   * @return the scores
   * @throws OrtException never in practice
   */
  @Benchmark
  public float[] plainFreshArray() throws OrtException {
    float[][] x = new float[1][];
    x[0] = vector.clone();
    try (OnnxTensor t = OnnxTensor.createTensor(env, x);
        OrtSession.Result r = session.run(Map.of("features", t))) {
      return ((float[][]) r.get(0).getValue())[0];
    }
  }
}
