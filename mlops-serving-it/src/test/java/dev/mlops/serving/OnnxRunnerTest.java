package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import dev.mlops.serving.onnx.FallbackPolicy;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.onnx.internal.OnnxRunner;
import dev.mlops.test.onnx.OnnxModels;

class OnnxRunnerTest {
  static final Schema SCHEMA = Schema.of(List.of(Field.of("x1", DataType.FLOAT64), Field.of("x2", DataType.INT64),
      Field.of("color", DataType.STRING), Field.of("flag", DataType.BOOLEAN)));
  static final List<FeatureEncoding> ENCODING = List.of(FeatureEncoding.numeric("x1"),
      FeatureEncoding.numeric("x2"), FeatureEncoding.oneHot("color", "red"),
      FeatureEncoding.oneHot("color", "blue"), FeatureEncoding.numeric("flag"));
  static final List<String> LABELS = List.of("a", "b", "c");

  static OnnxRunner classifier(OnnxOptions options) {
    return new OnnxRunner(OnnxModels.softmaxClassifier(5, 3, 7), "toy/1", "1", SCHEMA, ENCODING,
        OutputSpec.classification("probabilities", LABELS), options);
  }

  static List<Row> rows(int n, long seed) {
    Random rnd = new Random(seed);
    String[] colors = {"red", "blue", "green"};
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Row.of(SCHEMA, rnd.nextGaussian(), (long) rnd.nextInt(5), colors[rnd.nextInt(3)], rnd.nextBoolean()));
    }
    return out;
  }

  @Test
  void classifierScoresEqualPlainOnnxRuntimeOnTheSameEncodedInput() throws Exception {
    List<Row> rows = rows(20, 1);
    try (OnnxRunner runner = classifier(OnnxOptions.defaults());
        OrtSession plain = OrtEnvironment.getEnvironment().createSession(OnnxModels.softmaxClassifier(5, 3, 7))) {
      List<Prediction> got = runner.run(rows);
      float[][] x = new float[rows.size()][];
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        String c = r.getString("color");
        x[i] = new float[] {(float) r.getDouble("x1"), r.getLong("x2"), "red".equals(c) ? 1 : 0,
            "blue".equals(c) ? 1 : 0, r.getBoolean("flag") ? 1 : 0};
      }
      try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), x);
          OrtSession.Result res = plain.run(Map.of("features", t))) {
        float[][] probs = (float[][]) res.get(0).getValue();
        for (int i = 0; i < rows.size(); i++) {
          Prediction p = got.get(i);
          assertThat(p.kind()).isEqualTo(Prediction.Kind.CLASSIFICATION);
          assertThat(p.modelVersion()).isEqualTo("1");
          int best = 0;
          for (int k = 0; k < 3; k++) {
            assertThat(p.asClassification().scores().get(LABELS.get(k))).isEqualTo(probs[i][k], within(1e-7));
            best = probs[i][k] > probs[i][best] ? k : best;
          }
          assertThat(p.asClassification().requireLabel()).isEqualTo(LABELS.get(best));
        }
      }
    }
  }

  @Test
  void batchPathGivesTheRowPathsPredictions() {
    List<Row> rows = rows(50, 2);
    try (RootAllocator allocator = new RootAllocator();
        OnnxRunner runner = classifier(OnnxOptions.defaults())) {
      try (Batch batch = Batch.fromRows(allocator, SCHEMA, rows)) {
        List<Prediction> fromBatch = runner.run(batch);
        List<Prediction> fromRows = runner.run(rows);
        for (int i = 0; i < rows.size(); i++) {
          Map<String, Double> expected = fromRows.get(i).asClassification().scores();
          assertThat(fromBatch.get(i).asClassification().scores()).isEqualTo(expected);
          assertThat(runner.run(List.of(rows.get(i))).get(0).asClassification().scores()).isEqualTo(expected);
        }
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void rejectsEncodingWiderThanTheModelInputAtLoad() {
    List<FeatureEncoding> wider = List.of(FeatureEncoding.numeric("x1"), FeatureEncoding.numeric("x2"),
        FeatureEncoding.oneHot("color", "red"), FeatureEncoding.oneHot("color", "blue"),
        FeatureEncoding.oneHot("color", "green"), FeatureEncoding.numeric("flag"));
    assertThatThrownBy(() -> new OnnxRunner(OnnxModels.softmaxClassifier(5, 3, 7), "toy/1", "1", SCHEMA, wider,
        OutputSpec.classification("probabilities", LABELS), OnnxOptions.defaults()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("Model toy/1 input 'features' is float[-1, 5] but the manifest's feature encoding makes"
            + " float[batch, 6]; retrain or re-export so the encoding and the model agree");
  }

  @Test
  void rejectsUnknownOutputAndWrongLabelCountAtLoad() {
    assertThatThrownBy(() -> new OnnxRunner(OnnxModels.softmaxClassifier(5, 3, 7), "toy/1", "1", SCHEMA, ENCODING,
        OutputSpec.classification("scores", LABELS), OnnxOptions.defaults()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no output 'scores' (outputs: [probabilities])");
    assertThatThrownBy(() -> new OnnxRunner(OnnxModels.softmaxClassifier(5, 3, 7), "toy/1", "1", SCHEMA, ENCODING,
        OutputSpec.classification("probabilities", List.of("a", "b")), OnnxOptions.defaults()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("the manifest lists 2 labels [a, b], which needs float[batch, 2]");
  }

  @Test
  void rejectsBytesThatAreNotAnOnnxModel() {
    assertThatThrownBy(() -> new OnnxRunner(new byte[] {1, 2, 3}, "toy/1", "1", SCHEMA, ENCODING,
        OutputSpec.classification("probabilities", LABELS), OnnxOptions.defaults()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("ONNX Runtime rejected model toy/1: ");
  }

  @Test
  void regressionDecodesTheValue() {
    Schema s = Schema.of(List.of(Field.of("u", DataType.FLOAT32), Field.of("v", DataType.FLOAT32)));
    List<FeatureEncoding> enc = List.of(FeatureEncoding.numeric("u"), FeatureEncoding.numeric("v"));
    try (OnnxRunner runner = new OnnxRunner(OnnxModels.linearRegression(2, 3), "reg/1", "1", s, enc,
        OutputSpec.regression("y"), OnnxOptions.defaults())) {
      Prediction zero = runner.run(List.of(Row.of(s, 0f, 0f))).get(0);
      Prediction one = runner.run(List.of(Row.of(s, 1f, 0f))).get(0);
      Prediction two = runner.run(List.of(Row.of(s, 2f, 0f))).get(0);
      assertThat(zero.kind()).isEqualTo(Prediction.Kind.REGRESSION);
      assertThat(two.asRegression().value() - one.asRegression().value()).isCloseTo(
          one.asRegression().value() - zero.asRegression().value(), within(1e-5));
    }
  }

  @Test
  void tensorInputsRunAsRawTensorsFromRowsAndFromTheRawPath() {
    Schema s = Schema.of(List.of(Field.of("a", DataType.floatTensor(3)), Field.of("b", DataType.floatTensor(3))));
    try (OnnxRunner runner = new OnnxRunner(OnnxModels.addMul(), "addmul/1", "1", s, null, OutputSpec.raw(),
        OnnxOptions.defaults())) {
      List<Prediction> out = runner.run(List.of(Row.of(s, new float[] {1, 2, 3}, new float[] {4, 5, 6}),
          Row.of(s, new float[] {0, 1, 0}, new float[] {2, 2, 2})));
      assertThat(out.get(0).asRaw().tensors().get("sum").values()).containsExactly(5, 7, 9);
      assertThat(out.get(0).asRaw().tensors().get("product").values()).containsExactly(4, 10, 18);
      assertThat(out.get(1).asRaw().tensors().get("sum").values()).containsExactly(2, 3, 2);
      assertThat(out.get(1).asRaw().tensors().get("sum").shape()).containsExactly(1, 3);
      List<RawTensor> raw = runner.runRaw(List.of(RawTensor.of("a", "float", new long[] {1, 3}, new double[] {1, 1, 1}),
          RawTensor.of("b", "float", new long[] {1, 3}, new double[] {2, 3, 4})));
      assertThat(raw).extracting(RawTensor::name).containsExactly("sum", "product");
      assertThat(raw.get(1).values()).containsExactly(2, 3, 4);
    }
  }

  static boolean cudaProvider() {
    return ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
  }

  static boolean gpuPresent() {
    return java.nio.file.Files.exists(java.nio.file.Path.of("/dev/nvidia0"))
        || java.nio.file.Files.exists(java.nio.file.Path.of("/proc/driver/nvidia"));
  }

  @Test
  void cudaWithFailPolicyNamesTheMissingProvider() {
    org.junit.jupiter.api.Assumptions.assumeFalse(cudaProvider() && gpuPresent(),
        "this machine can run CUDA; CudaTest covers it");
    OnnxOptions options = OnnxOptions.builder().device(Device.cuda(0), FallbackPolicy.FAIL).build();
    if (cudaProvider()) {
      assertThatThrownBy(() -> classifier(options))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageStartingWith("Cannot load model toy/1 on cuda:0: the CUDA execution provider failed to start on"
              + " GPU 0: ")
          .hasMessageEndingWith("; check the GPU index, the driver and the CUDA/cuDNN libraries, or choose"
              + " FallbackPolicy.FALLBACK_TO_CPU");
      return;
    }
    assertThatThrownBy(() -> classifier(options))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("Cannot load model toy/1 on cuda:0: the CUDA execution provider is not in this ONNX Runtime build"
            + " (available providers: [CPU]); put com.microsoft.onnxruntime:onnxruntime_gpu on the class path instead"
            + " of onnxruntime (the -Pgpu profile) on a machine with an NVIDIA GPU and CUDA, or choose"
            + " FallbackPolicy.FALLBACK_TO_CPU");
  }

  @Test
  void cudaWithFallbackServesOnCpuAndSaysSo() {
    org.junit.jupiter.api.Assumptions.assumeFalse(cudaProvider() && gpuPresent(),
        "this machine can run CUDA; CudaTest covers it");
    OnnxOptions options = OnnxOptions.builder().device(Device.cuda(0), FallbackPolicy.FALLBACK_TO_CPU).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OnnxRunner runner = classifier(options);
    assertThat(runner.fellBack()).isTrue();
    try (DefaultPredictor p = new DefaultPredictor(runner, "toy", "1", runner.fellBack(), BatchingOptions.disabled(),
        registry, ForkJoinPool.commonPool(), System::nanoTime)) {
      assertThat(p.device()).isEqualTo(Device.cpu());
      assertThat(p.predict(rows(1, 3).get(0)).asClassification().scores()).hasSize(3);
      assertThat(registry.get("mlops.serving.fallbacks").tag("model", "toy").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("mlops.serving.device").tag("device", "cpu").gauge().value()).isEqualTo(1.0);
    }
    assertThat(registry.find("mlops.serving.device").gauge()).isNull();
  }
}
