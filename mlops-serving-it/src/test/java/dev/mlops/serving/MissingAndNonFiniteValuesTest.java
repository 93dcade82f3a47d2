package dev.mlops.serving;

import static dev.mlops.test.onnx.OnnxProtos.floatValue;
import static dev.mlops.test.onnx.OnnxProtos.model;
import static dev.mlops.test.onnx.OnnxProtos.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.manifest.FeatureEncoding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.onnx.internal.OnnxRunner;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.serving.spi.RowEncoder;
import dev.mlops.serving.tribuo.internal.TribuoRunner;
import dev.mlops.test.onnx.OnnxModels;

/**
 * C2: a missing, NaN, infinite or float32-overflowing feature is refused before the model runs, and
 * a prediction whose scores are not finite is never served as a label, on every path (row, batch,
 * async, dynamic batching) and on both backends.
 */
class MissingAndNonFiniteValuesTest {
  static final Schema SCHEMA = Schema.of(Field.of("f0", DataType.FLOAT64), Field.of("f1", DataType.FLOAT64),
      Field.of("f2", DataType.FLOAT64));
  static final List<FeatureEncoding> ENCODING = List.of(FeatureEncoding.numeric("f0"), FeatureEncoding.numeric("f1"),
      FeatureEncoding.numeric("f2"));
  static final List<String> LABELS = List.of("bad", "good");

  private static CreditG.Data credit;
  private static LinearSGDModel creditModel;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void train() {
    credit = CreditG.load();
    creditModel = CreditG.train(credit);
  }

  @AfterAll
  static void release() {
    credit = null;
    creditModel = null;
  }

  /** The predictor's paths, each taking one row and answering with a prediction or throwing. */
  enum Path {
    ROW, BATCH, ASYNC, BATCHED_ROW, BATCHED_ASYNC;

    BatchingOptions batching() {
      return this == BATCHED_ROW || this == BATCHED_ASYNC ? BatchingOptions.of(8, Duration.ZERO, 64)
          : BatchingOptions.disabled();
    }

    Prediction predict(Predictor p, Row row) {
      return switch (this) {
        case ROW, BATCHED_ROW -> p.predict(row);
        case ASYNC, BATCHED_ASYNC -> {
          try {
            yield p.predictAsync(row).join();
          } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
          }
        }
        case BATCH -> {
          try (RootAllocator allocator = new RootAllocator();
              Batch b = Batch.fromRows(allocator, row.schema(), List.of(row))) {
            yield p.predict(b).get(0);
          }
        }
      };
    }
  }

  static Stream<Arguments> badValues() {
    List<Arguments> out = new ArrayList<>();
    Object[][] values = {
        {null, "is missing (null)"},
        {Double.NaN, "is NaN"},
        {Double.POSITIVE_INFINITY, "is Infinity"},
        {Double.NEGATIVE_INFINITY, "is -Infinity"},
        {Double.MAX_VALUE, "is 1.7976931348623157E308, beyond float32's range (+-3.4028235E38)"},
        {-Double.MAX_VALUE, "is -1.7976931348623157E308, beyond float32's range"}};
    for (Path path : Path.values()) {
      for (Object[] v : values) {
        out.add(Arguments.of(path, v[0], v[1]));
      }
    }
    return out.stream();
  }

  private DefaultPredictor onnx(Path path, ModelRunner runner, NonFinitePolicy policy) {
    return new DefaultPredictor(runner, "toy", "1", false, path.batching(), registry, ForkJoinPool.commonPool(),
        System::nanoTime, null, policy);
  }

  private static OnnxRunner classifier() {
    return new OnnxRunner(OnnxModels.softmaxClassifier(3, 2, 11), "toy/1", "1", SCHEMA, ENCODING,
        OutputSpec.classification("probabilities", LABELS), OnnxOptions.defaults());
  }

  private static Row row(Double f0, Double f1, Double f2) {
    Map<String, Object> m = new HashMap<>();
    m.put("f0", f0);
    m.put("f1", f1);
    m.put("f2", f2);
    return Row.fromMap(SCHEMA, m);
  }

  @ParameterizedTest(name = "{0}: f2 {2}")
  @MethodSource("badValues")
  void onnxRefusesAMissingOrNonFiniteFeatureBeforeTheModelRuns(Path path, Double value, String what) {
    CountingRunner runner = new CountingRunner(classifier());
    try (DefaultPredictor p = onnx(path, runner, NonFinitePolicy.FAIL)) {
      assertThatThrownBy(() -> path.predict(p, row(0.5, 0.5, value)))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageStartingWith(feature(path, "f2", "toy/1") + what);
      assertThat(runner.rowsAnswered.get()).as("rows the model answered").isZero();
      assertThat(path.predict(p, row(0.5, 0.5, 0.5)).asClassification().requireLabel()).isIn(LABELS);
    }
  }

  private static String feature(Path path, String column, String model) {
    return (path == Path.BATCH ? "Row 0 of the batch: feature '" : "Feature '") + column + "' of model " + model + " ";
  }

  @Test
  void aMissingFeatureNamesTheFieldAndSaysWhatToDo() {
    try (DefaultPredictor p = onnx(Path.ROW, classifier(), NonFinitePolicy.FAIL)) {
      assertThatThrownBy(() -> p.predict(Row.fromMap(SCHEMA, Map.of("f0", 0.5, "f1", 0.5))))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessage("Feature 'f2' of model toy/1 is missing (null), and the model's feature encoding has no rule for"
              + " missing values (no missing_indicator slot for 'f2'); send a value, or impute it before predicting");
    }
  }

  @Test
  void aBatchNamesTheRowThatHoldsTheBadValue() {
    List<Row> rows = List.of(row(0.1, 0.2, 0.3), row(0.1, Double.NaN, 0.3), row(0.1, 0.2, 0.3));
    CountingRunner runner = new CountingRunner(classifier());
    try (DefaultPredictor p = onnx(Path.BATCH, runner, NonFinitePolicy.FAIL);
        RootAllocator allocator = new RootAllocator();
        Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      assertThatThrownBy(() -> p.predict(b))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageStartingWith("Row 1 of the batch: feature 'f1' of model toy/1 is NaN");
      assertThat(runner.rowsAnswered.get()).isZero();
    }
  }

  @Test
  void oneBadRowInADynamicBatchFailsOnlyItsCaller() throws Exception {
    HeldRunner held = new HeldRunner(SCHEMA);
    try (DefaultPredictor p = new DefaultPredictor(new EncodingCheckedRunner(held), "held", "1", false,
        BatchingOptions.of(8, Duration.ofMillis(50), 64), registry, ForkJoinPool.commonPool(), System::nanoTime)) {
      var first = p.predictAsync(row(1.0, 0.0, 0.0));
      held.entered.await();
      var good = p.predictAsync(row(2.0, 0.0, 0.0));
      assertThatThrownBy(() -> p.predictAsync(row(3.0, null, 0.0))).isInstanceOf(SchemaMismatchException.class)
          .hasMessageStartingWith("Feature 'f1' of model held/1 is missing (null)");
      held.releaseAll();
      assertThat(first.get().asRegression().value()).isEqualTo(1.0);
      assertThat(good.get().asRegression().value()).isEqualTo(2.0);
      assertThat(held.callSizes).containsExactly(1, 1);
    }
  }

  /** {@code scores = log(features)}: finite inputs that give NaN (log of a negative) and -Infinity (log 0). */
  static byte[] logClassifier() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("log");
    g.addInput(floatValue("features", -1, 2));
    g.addOutput(floatValue("scores", -1, 2));
    g.addNode(node("Log", "scores", "features"));
    return model(g, "mlops-serving-tests");
  }

  private static final Schema TWO = Schema.of(Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64));

  private DefaultPredictor logs(Path path, NonFinitePolicy policy) {
    OnnxRunner r = new OnnxRunner(logClassifier(), "logs/1", "1", TWO, List.of(FeatureEncoding.numeric("a"),
        FeatureEncoding.numeric("b")), OutputSpec.classification("scores", LABELS), OnnxOptions.defaults());
    return new DefaultPredictor(r, "logs", "1", false, path.batching(), registry, ForkJoinPool.commonPool(),
        System::nanoTime, null, policy);
  }

  private double nonFinite() {
    return registry.get("mlops.serving.nonfinite").tag("model", "logs").counter().count();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void nonFiniteScoresFailWithTheModelVersionAndOutputNamed(Path path) {
    try (DefaultPredictor p = logs(path, NonFinitePolicy.FAIL)) {
      assertThatThrownBy(() -> path.predict(p, Row.of(TWO, -1.0, 1.0)))
          .isInstanceOfSatisfying(NonFiniteOutputException.class, e -> {
            assertThat(e.model()).isEqualTo("logs");
            assertThat(e.version()).isEqualTo("1");
            assertThat(e.output()).isEqualTo("scores");
          })
          .hasMessageStartingWith("Model logs/1 gave non-finite scores on output 'scores' ({bad=NaN, good=0.0})");
      assertThatThrownBy(() -> path.predict(p, Row.of(TWO, 1.0, 0.0))).isInstanceOf(NonFiniteOutputException.class)
          .hasMessageContaining("{bad=0.0, good=-Infinity}");
      assertThat(nonFinite()).isEqualTo(2.0);
      assertThat(path.predict(p, Row.of(TWO, 1.0, 2.0)).asClassification().label()).contains("good");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void underTheFlagPolicyNonFiniteScoresAreServedFlaggedWithNoLabel(Path path) {
    try (DefaultPredictor p = logs(path, NonFinitePolicy.FLAG)) {
      Prediction.Classification flagged = path.predict(p, Row.of(TWO, -1.0, 1.0)).asClassification();
      assertThat(flagged.finite()).isFalse();
      assertThat(flagged.scores().get("bad")).isNaN();
      assertThat(flagged.label()).isEmpty();
      assertThatThrownBy(flagged::requireLabel).isInstanceOf(IllegalStateException.class)
          .hasMessage("This classification has no label: its scores {bad=NaN, good=0.0} are not all finite (served"
              + " under NonFinitePolicy.FLAG); check finite() first");
      Schema out = Schema.of(Field.of("label", DataType.STRING, true, Role.PREDICTION),
          Field.of("bad", DataType.FLOAT64));
      assertThat(flagged.toRow(out).get("label")).isNull();
      assertThat(nonFinite()).isEqualTo(1.0);
      Prediction fine = path.predict(p, Row.of(TWO, 1.0, 2.0));
      assertThat(fine.finite()).isTrue();
      assertThat(fine.asClassification().label()).contains("good");
    }
  }

  static Stream<Path> paths() {
    return Stream.of(Path.values());
  }

  @Test
  void aBatchWithANonFiniteRowFailsNamingTheRowAndCountingTheOthers() {
    try (DefaultPredictor p = logs(Path.BATCH, NonFinitePolicy.FAIL);
        RootAllocator allocator = new RootAllocator();
        Batch b = Batch.fromRows(allocator, TWO, List.of(Row.of(TWO, 1.0, 2.0), Row.of(TWO, -1.0, 1.0),
            Row.of(TWO, 2.0, 1.0), Row.of(TWO, 0.0, 1.0)))) {
      assertThatThrownBy(() -> p.predict(b)).isInstanceOf(NonFiniteOutputException.class)
          .hasMessageStartingWith("Model logs/1 gave non-finite scores on output 'scores' ({bad=NaN, good=0.0}) for row 1"
              + " of the batch (2 of 4 rows non-finite)");
      assertThat(nonFinite()).isEqualTo(2.0);
    }
    try (DefaultPredictor p = logs(Path.BATCH, NonFinitePolicy.FLAG);
        RootAllocator allocator = new RootAllocator();
        Batch b = Batch.fromRows(allocator, TWO, List.of(Row.of(TWO, 1.0, 2.0), Row.of(TWO, -1.0, 1.0)))) {
      List<Prediction> out = p.predict(b);
      assertThat(out).extracting(Prediction::finite).containsExactly(true, false);
      assertThat(out.get(0).asClassification().label()).contains("good");
    }
  }

  @Test
  void theBuilderFailsByDefaultAndFlagsWhenAsked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    java.nio.file.Path file = java.nio.file.Files.write(tmp.resolve("model.onnx"), logClassifier());
    dev.mlops.core.manifest.ModelManifestBuilder m = dev.mlops.core.manifest.ModelManifest.builder()
        .format(ModelFormats.ONNX).modelSignature(dev.mlops.core.manifest.ModelSignature.of(TWO,
            Schema.of(Field.of("scores", DataType.floatTensor(2), false, Role.PREDICTION)),
            List.of(FeatureEncoding.numeric("a"), FeatureEncoding.numeric("b"))));
    ServingTags.classification("scores", LABELS).forEach(m::tag);
    repo.publish("logs", "1", file, m);
    VerifiedModel vm = repo.load(ModelRef.parse("logs/1"));
    try (Predictor p = Predictor.builder(vm).backendOptions(OnnxOptions.builder().warmUp(false).build())
        .meterRegistry(registry).build()) {
      assertThatThrownBy(() -> p.predict(Row.of(TWO, -1.0, 1.0))).isInstanceOf(NonFiniteOutputException.class);
      assertThat(nonFinite()).isEqualTo(1.0);
    }
    try (Predictor p = Predictor.builder(vm).backendOptions(OnnxOptions.builder().warmUp(false).build())
        .nonFiniteOutputs(NonFinitePolicy.FLAG).build()) {
      assertThat(p.predict(Row.of(TWO, -1.0, 1.0)).finite()).isFalse();
    }
  }

  private Row creditRow(String column, Object value) {
    Map<String, Object> m = new HashMap<>(credit.rows().get(0).toMap());
    m.put(column, value);
    return Row.fromMap(credit.schema(), m);
  }

  private DefaultPredictor tribuo(Path path, CountingRunner runner) {
    return new DefaultPredictor(runner, "credit-g", "1", false, path.batching(), registry, ForkJoinPool.commonPool(),
        System::nanoTime);
  }

  static Stream<Arguments> tribuoBadValues() {
    List<Arguments> out = new ArrayList<>();
    for (Path path : Path.values()) {
      out.add(Arguments.of(path, "age", null, "is missing (null)"));
      out.add(Arguments.of(path, "age", Double.NaN, "is NaN"));
      out.add(Arguments.of(path, "credit_amount", Double.POSITIVE_INFINITY, "is Infinity"));
      out.add(Arguments.of(path, "credit_amount", -Double.MAX_VALUE, "is -1.7976931348623157E308, which its"
          + " standardized slot encodes as -6.3"));
      out.add(Arguments.of(path, "purpose", null, "is missing (null)"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} {3}")
  @MethodSource("tribuoBadValues")
  void tribuoRefusesTheSameValuesWithTheSameTypedError(Path path, String column, Object value, String what) {
    CountingRunner runner = new CountingRunner(new TribuoRunner(creditModel, "credit-g/1", "1", credit.schema(),
        CreditG.encoding(creditModel, credit)));
    try (DefaultPredictor p = tribuo(path, runner)) {
      assertThatThrownBy(() -> path.predict(p, creditRow(column, value)))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageStartingWith(feature(path, column, "credit-g/1") + what);
      assertThat(runner.rowsAnswered.get()).isZero();
      assertThat(path.predict(p, credit.rows().get(0)).finite()).isTrue();
    }
  }

  /** Runs a held runner behind the encoder's checks, as the real backends do. */
  private static final class EncodingCheckedRunner implements ModelRunner {
    private final HeldRunner delegate;
    private final RowEncoder encoder;

    EncodingCheckedRunner(HeldRunner delegate) {
      this.delegate = delegate;
      this.encoder = new RowEncoder(delegate.schema, ENCODING, "held/1");
    }

    @Override
    public Schema inputSchema() {
      return delegate.inputSchema();
    }

    @Override
    public Device device() {
      return delegate.device();
    }

    @Override
    public void check(Row row) {
      encoder.check(row);
    }

    @Override
    public List<Prediction> run(List<Row> rows) {
      return delegate.run(rows);
    }

    @Override
    public List<Prediction> run(Batch batch) {
      return delegate.run(batch);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
