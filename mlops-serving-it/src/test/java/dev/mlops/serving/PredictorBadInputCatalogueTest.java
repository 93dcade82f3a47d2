package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.Field;
import dev.mlops.core.OverloadedException;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.RowContractViolationException;
import dev.mlops.validation.Validator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.onnx.internal.OnnxRunner;
import dev.mlops.serving.tribuo.internal.TribuoRunner;
import dev.mlops.test.onnx.OnnxModels;

/**
 * Every bad request a predictor can get, on every path it can come by (row, batch, async, and the
 * row and async paths through dynamic batching), on the ONNX backend and, for the value rules, the
 * Tribuo backend: nulls, NaN, infinities, float32 overflow, wrong types, missing and unknown fields,
 * another schema, a closed predictor, bad deadlines, a full queue, a contract violation, non-finite
 * outputs. Each row asserts the exception type and a message fragment, that the model answered
 * nothing, and that no Arrow memory is left allocated.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PredictorBadInputCatalogueTest {
  static final Schema SCHEMA = Schema.of(Field.of("f0", DataType.FLOAT64), Field.of("f1", DataType.FLOAT32),
      Field.of("n", DataType.INT64), Field.of("color", DataType.STRING), Field.of("opt", DataType.STRING),
      Field.of("x", DataType.FLOAT64), Field.of("req", DataType.FLOAT64, false, Role.FEATURE));
  static final List<FeatureEncoding> ENCODING = List.of(FeatureEncoding.numeric("f0"), FeatureEncoding.numeric("f1"),
      FeatureEncoding.numeric("n"), FeatureEncoding.oneHot("color", "red"), FeatureEncoding.oneHot("color", "blue"),
      FeatureEncoding.oneHot("opt", "a"), FeatureEncoding.missingIndicator("opt"),
      FeatureEncoding.standardized("x", 10.0, 0.5), FeatureEncoding.missingIndicator("x"),
      FeatureEncoding.numeric("req"));
  private static final Schema TENSORS = Schema.of(Field.of("a", DataType.floatTensor(3)),
      Field.of("b", DataType.floatTensor(3)));

  /** The predictor's paths. */
  enum Path {
    ROW, BATCH, ASYNC, BATCHED_ROW, BATCHED_ASYNC;

    boolean batched() {
      return this == BATCHED_ROW || this == BATCHED_ASYNC;
    }
  }

  /** What a case runs against. */
  enum Model { ONNX, ONNX_WITH_CONTRACT, TENSORS, LOG, TRIBUO, HELD }

  /**
   * One bad request.
   *
   * @param name what is wrong
   * @param model the model it is sent to
   * @param paths the paths it is sent by
   * @param request the request: a row, or a call on the predictor
   * @param type the exception it must fail with
   * @param fragment a fragment of the message
   */
  record Case(String name, Model model, List<Path> paths, Request request, Class<? extends Throwable> type,
      String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A request: builds what is sent (rows are built here, so building them may be what fails). */
  @FunctionalInterface
  interface Request {
    Object send(DefaultPredictor p, Path path, RootAllocator allocator) throws Exception;
  }

  static Map<String, Object> good() {
    Map<String, Object> m = new HashMap<>();
    m.put("f0", 0.5);
    m.put("f1", 0.25f);
    m.put("n", 3L);
    m.put("color", "red");
    m.put("opt", "a");
    m.put("x", 10.5);
    m.put("req", 1.0);
    return m;
  }

  static Row with(String column, Object value) {
    Map<String, Object> m = good();
    m.put(column, value);
    return Row.fromMap(SCHEMA, m);
  }

  /** Sends a row by a path and returns the prediction. */
  static Prediction send(DefaultPredictor p, Path path, Row row, RootAllocator allocator) {
    switch (path) {
      case ROW, BATCHED_ROW:
        return p.predict(row);
      case ASYNC, BATCHED_ASYNC:
        try {
          return p.predictAsync(row).join();
        } catch (CompletionException e) {
          throw (RuntimeException) e.getCause();
        }
      default:
        try (Batch b = Batch.fromRows(allocator, row.schema(), List.of(row))) {
          return p.predict(b).get(0);
        }
    }
  }

  private static Request row(java.util.function.Supplier<Row> row) {
    return (p, path, allocator) -> send(p, path, row.get(), allocator);
  }

  private static final List<Path> ALL = List.of(Path.values());
  private static final List<Path> ROWS = List.of(Path.ROW, Path.ASYNC, Path.BATCHED_ROW, Path.BATCHED_ASYNC);

  static Stream<Arguments> cases() {
    List<Case> c = new ArrayList<>();
    // Building the request: the row itself refuses what its schema cannot hold.
    c.add(new Case("unknown field", Model.ONNX, ALL, row(() -> {
      Map<String, Object> m = good();
      m.put("f9", 1.0);
      return Row.fromMap(SCHEMA, m);
    }), SchemaMismatchException.class, "Unknown column 'f9'"));
    c.add(new Case("wrong type", Model.ONNX, ALL, row(() -> with("f0", "0.5")), SchemaMismatchException.class,
        "Field 'f0' of type float64 cannot hold a String"));
    c.add(new Case("too few values", Model.ONNX, ALL, row(() -> Row.of(SCHEMA, 0.5)), SchemaMismatchException.class,
        "Row has 1 values but the schema has 7 fields"));
    c.add(new Case("null in a non-nullable field", Model.ONNX, ALL, row(() -> with("req", null)),
        SchemaMismatchException.class, "Field 'req' is not nullable but got null"));
    // Values the model cannot score, refused before it runs.
    Object[][] values = {
        {"f0", null, "is missing (null), and the model's feature encoding has no rule for missing values"},
        {"f0", Double.NaN, "is NaN, which the model cannot score"},
        {"f0", Double.POSITIVE_INFINITY, "is Infinity, which the model cannot score"},
        {"f0", Double.NEGATIVE_INFINITY, "is -Infinity, which the model cannot score"},
        {"f0", Double.MAX_VALUE, "is 1.7976931348623157E308, beyond float32's range"},
        {"f0", -Double.MAX_VALUE, "is -1.7976931348623157E308, beyond float32's range"},
        {"f0", 3.5e38, "is 3.5E38, beyond float32's range"},
        {"f1", Float.NaN, "is NaN, which the model cannot score"},
        {"n", null, "is missing (null)"},
        {"color", null, "is missing (null), and the model's feature encoding has no rule for missing values (no"
            + " missing_indicator slot for 'color')"},
        {"x", null, "is missing (null), which its standardized slot cannot encode (it would feed NaN to the model)"},
        {"x", 1e300, "is 1.0E300, which its standardized slot encodes as " + (1e300 - 10.0) / 0.5 + ", beyond"
            + " float32's range"}};
    for (Object[] v : values) {
      c.add(new Case(v[0] + " = " + v[1], Model.ONNX, ALL, row(() -> with((String) v[0], v[1])),
          SchemaMismatchException.class, "eature '" + v[0] + "' of model toy/1 " + v[2]));
    }
    // A float32 column never holds a value it would overflow: the row itself refuses it.
    c.add(new Case("f1 = " + Double.MAX_VALUE, Model.ONNX, ALL, row(() -> with("f1", Double.MAX_VALUE)),
        SchemaMismatchException.class, "Field 'f1' of type float32 cannot hold 1.7976931348623157E308: it is"
            + " beyond float32's range"));
    c.add(new Case("NaN on the Tribuo backend", Model.TRIBUO, ALL, row(() -> creditRow("age", Double.NaN)),
        SchemaMismatchException.class, "eature 'age' of model credit-g/1 is NaN, which the model cannot score"));
    c.add(new Case("null on the Tribuo backend", Model.TRIBUO, ALL, row(() -> creditRow("purpose", null)),
        SchemaMismatchException.class, "eature 'purpose' of model credit-g/1 is missing (null)"));
    c.add(new Case("overflow on the Tribuo backend", Model.TRIBUO, ALL, row(() -> creditRow("age", 1e300)),
        SchemaMismatchException.class, "eature 'age' of model credit-g/1 is 1.0E300, which its standardized slot"
            + " encodes as "));
    c.add(new Case("missing tensor", Model.TENSORS, ALL, row(() -> Row.of(TENSORS, new float[3], null)),
        SchemaMismatchException.class, "nput 'b' of model addmul/1 is missing (null)"));
    c.add(new Case("NaN in a tensor", Model.TENSORS, ALL, row(() -> Row.of(TENSORS, new float[] {0, Float.NaN, 0},
        new float[3])), SchemaMismatchException.class, "nput 'a' of model addmul/1 holds NaN at element 1"));
    c.add(new Case("infinity in a tensor", Model.TENSORS, ALL, row(() -> Row.of(TENSORS, new float[3],
        new float[] {Float.NEGATIVE_INFINITY, 0, 0})), SchemaMismatchException.class,
        "nput 'b' of model addmul/1 holds -Infinity at element 0"));
    // Requests the predictor refuses whatever the values.
    c.add(new Case("another schema", Model.ONNX, ALL, row(() -> Row.of(Schema.of(Field.of("f0", DataType.FLOAT64)),
        0.5)), SchemaMismatchException.class, "differs from model toy/1's input schema"));
    c.add(new Case("null row", Model.ONNX, ROWS, (p, path, a) -> send(p, path, null, a), NullPointerException.class,
        "row"));
    c.add(new Case("null batch", Model.ONNX, List.of(Path.BATCH), (p, path, a) -> p.predict((Batch) null),
        NullPointerException.class, "batch"));
    c.add(new Case("null deadline", Model.ONNX, List.of(Path.ASYNC, Path.BATCHED_ASYNC),
        (p, path, a) -> p.predictAsync(Row.fromMap(SCHEMA, good()), null), NullPointerException.class, "deadline"));
    for (Duration d : List.of(Duration.ZERO, Duration.ofNanos(-1), ChronoUnit.FOREVER.getDuration().negated())) {
      c.add(new Case("deadline " + d, Model.ONNX, List.of(Path.ASYNC, Path.BATCHED_ASYNC),
          (p, path, a) -> p.predictAsync(Row.fromMap(SCHEMA, good()), d), DeadlineExceededException.class,
          "has a deadline of " + d + ", which has already passed; it was not run"));
    }
    c.add(new Case("closed predictor", Model.ONNX, ALL, (p, path, a) -> {
      p.close();
      return send(p, path, Row.fromMap(SCHEMA, good()), a);
    }, IllegalStateException.class, "Predictor toy/1 is closed; use the deployment's current predictor"));
    c.add(new Case("closed predictor, bad row", Model.ONNX, ALL, (p, path, a) -> {
      p.close();
      return send(p, path, with("f0", Double.NaN), a);
    }, IllegalStateException.class, "Predictor toy/1 is closed"));
    c.add(new Case("full batching queue", Model.HELD, List.of(Path.BATCHED_ASYNC), (p, path, a) -> {
      List<Object> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(p.predictAsync(Row.fromMap(SCHEMA, good())));
      }
      return held;
    }, OverloadedException.class, "The batching queue of model held/1 is full (1 requests waiting); nothing ran"));
    c.add(new Case("contract violation", Model.ONNX_WITH_CONTRACT, ROWS, (p, path, a) -> send(p, path, with("x", 99.0), a),
        RowContractViolationException.class, "x"));
    // What the model gave back.
    c.add(new Case("NaN scores", Model.LOG, ALL, row(() -> Row.of(LOG_SCHEMA, -1.0, 1.0)),
        NonFiniteOutputException.class, "Model logs/1 gave non-finite scores on output 'scores' ({bad=NaN,"
            + " good=0.0})"));
    c.add(new Case("-Infinity scores", Model.LOG, ALL, row(() -> Row.of(LOG_SCHEMA, 1.0, 0.0)),
        NonFiniteOutputException.class, "{bad=0.0, good=-Infinity}"));
    List<Arguments> out = new ArrayList<>();
    for (Case k : c) {
      for (Path p : k.paths()) {
        out.add(Arguments.of(k, p));
      }
    }
    return out.stream();
  }

  static final Schema LOG_SCHEMA = Schema.of(Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64));

  private static CreditG.Data credit;
  private static org.tribuo.Model<?> creditModel;

  static synchronized Row creditRow(String column, Object value) {
    Map<String, Object> m = new HashMap<>(credit().rows().get(0).toMap());
    m.put(column, value);
    return Row.fromMap(credit().schema(), m);
  }

  private static synchronized CreditG.Data credit() {
    if (credit == null) {
      credit = CreditG.load();
      creditModel = CreditG.train(credit);
    }
    return credit;
  }

  private static final Validator CONTRACT = Validator.compile(DataContract.of("catalogue", SCHEMA,
      Constraint.range("x", 0.0, 20.0)));

  private CountingRunner runner(Model model) {
    return new CountingRunner(switch (model) {
      case ONNX, ONNX_WITH_CONTRACT -> new OnnxRunner(OnnxModels.softmaxClassifier(ENCODING.size(), 2, 3), "toy/1", "1", SCHEMA, ENCODING,
          OutputSpec.classification("probabilities", List.of("bad", "good")), OnnxOptions.defaults());
      case TENSORS -> new OnnxRunner(OnnxModels.addMul(), "addmul/1", "1", TENSORS, null, OutputSpec.raw(),
          OnnxOptions.defaults());
      case LOG -> new OnnxRunner(MissingAndNonFiniteValuesTest.logClassifier(), "logs/1", "1", LOG_SCHEMA,
          List.of(FeatureEncoding.numeric("a"), FeatureEncoding.numeric("b")),
          OutputSpec.classification("scores", List.of("bad", "good")), OnnxOptions.defaults());
      case TRIBUO -> {
        CreditG.Data d = credit();
        yield new TribuoRunner(creditModel, "credit-g/1", "1", d.schema(), CreditG.encoding(creditModel, d));
      }
      case HELD -> new HeldRunner(SCHEMA);
    });
  }

  private static String name(Model model) {
    return switch (model) {
      case ONNX, ONNX_WITH_CONTRACT -> "toy";
      case TENSORS -> "addmul";
      case LOG -> "logs";
      case TRIBUO -> "credit-g";
      case HELD -> "held";
    };
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("cases")
  void refusesWithATypedErrorBeforeTheModelAnswersAndLeaksNothing(Case c, Path path) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CountingRunner runner = runner(c.model());
    BatchingOptions batching = c.model() == Model.HELD ? BatchingOptions.of(1, Duration.ZERO, 1)
        : path.batched() ? BatchingOptions.of(8, Duration.ZERO, 64) : BatchingOptions.disabled();
    Guard guard = c.model() == Model.ONNX_WITH_CONTRACT ? new Guard(CONTRACT, OnlinePolicy.REJECT, null, null)
        : null;
    try (RootAllocator allocator = new RootAllocator();
        DefaultPredictor p = new DefaultPredictor(runner, name(c.model()), "1", false, batching, registry,
            ForkJoinPool.commonPool(), System::nanoTime, guard, NonFinitePolicy.FAIL)) {
      if (c.model() == Model.HELD) {
        p.predictAsync(Row.fromMap(SCHEMA, good()));
        ((HeldRunner) runner.delegate).entered.await();
      }
      Throwable t = catchThrowable(() -> c.request().send(p, path, allocator));
      assertThat(t).as("%s by %s", c.name(), path).isInstanceOf(c.type()).hasMessageContaining(c.fragment());
      if (c.model() == Model.HELD) {
        ((HeldRunner) runner.delegate).releaseAll();
      } else if (c.type() != NonFiniteOutputException.class) {
        assertThat(runner.rowsAnswered.get()).as("rows the model answered").isZero();
      }
      assertThat(allocator.getAllocatedMemory()).as("Arrow bytes left allocated").isZero();
    }
  }

  @Test
  void aNullWhereTheEncodingHasAMissingIndicatorIsScoredOnEveryPath() throws Exception {
    for (Path path : Path.values()) {
      CountingRunner runner = runner(Model.ONNX);
      try (RootAllocator allocator = new RootAllocator();
          DefaultPredictor p = new DefaultPredictor(runner, "toy", "1", false, path.batched()
              ? BatchingOptions.of(8, Duration.ZERO, 64) : BatchingOptions.disabled(), new SimpleMeterRegistry(),
              ForkJoinPool.commonPool(), System::nanoTime)) {
        Prediction withNull = send(p, path, with("opt", null), allocator);
        Prediction other = send(p, path, with("opt", "b"), allocator);
        assertThat(withNull.finite()).isTrue();
        assertThat(withNull.asClassification().scores()).as("the missing indicator changes the input")
            .isNotEqualTo(other.asClassification().scores());
        assertThat(allocator.getAllocatedMemory()).isZero();
      }
    }
  }
}
