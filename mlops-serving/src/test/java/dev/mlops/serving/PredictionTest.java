package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Severity;
import dev.mlops.validation.Validator;
import dev.mlops.validation.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class PredictionTest {
  private static final OutputSpec GOOD_BAD = OutputSpec.classification("scores", List.of("bad", "good"));

  @Test
  void classificationBecomesARowOfLabelAndScores() {
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("bad", 0.2);
    scores.put("good", 0.8);
    Prediction p = Prediction.classification("3", "good", scores);
    Schema out = Schema.of(Field.of("label", DataType.STRING, false, Role.PREDICTION),
        Field.of("good", DataType.FLOAT64), Field.of("other", DataType.FLOAT64));
    Row r = p.toRow(out);
    assertThat(r.getString("label")).isEqualTo("good");
    assertThat(r.getDouble("good")).isEqualTo(0.8);
    assertThat(r.isNull("other")).isTrue();
    assertThat(p.agreesWith(Prediction.classification("4", "good", Map.of("good", 0.6)), 0)).isTrue();
    assertThatThrownBy(p::asRegression).isInstanceOf(IllegalStateException.class)
        .hasMessage("This is a CLASSIFICATION prediction, not a regression; check kind() first");
  }

  @Test
  void regressionAndRawBecomeRows() {
    Row r = Prediction.regression("1", 2.5, 7).toRow(Schema.of(Field.of("value", DataType.FLOAT32)));
    assertThat(r.getFloat(0)).isEqualTo(2.5f);
    Prediction raw = Prediction.raw("1", List.of(RawTensor.of("y", "float", new long[] {1, 2}, new double[] {1, 2})));
    assertThat(raw.toRow(Schema.of(Field.of("y", DataType.floatTensor(2)))).getTensor(0)).containsExactly(1f, 2f);
    assertThatThrownBy(() -> raw.toRow(Schema.of(Field.of("y", DataType.floatTensor(3)))))
        .isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> raw.asClassification()).isInstanceOf(IllegalStateException.class)
        .hasMessage("This is a RAW prediction, not a classification; check kind() first");
  }

  @Test
  void rawTensorChecksItsShape() {
    assertThatThrownBy(() -> RawTensor.of("t", "float", new long[] {2, 2}, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor 't' of shape [2, 2] needs 4 values but got 3");
  }

  @Test
  void eachKindIsItsOwnRecordAndNarrowsOnlyToItself() {
    Prediction c = Prediction.classification("1", "good", Map.of("good", 1.0));
    Prediction r = Prediction.regression("1", 1.0);
    Prediction raw = Prediction.raw("1", List.of());
    assertThat(List.of(c, r, raw)).extracting(Prediction::kind)
        .containsExactly(Prediction.Kind.CLASSIFICATION, Prediction.Kind.REGRESSION, Prediction.Kind.RAW);
    assertThat(c.asClassification()).isSameAs(c);
    assertThat(r.asRegression()).isSameAs(r);
    assertThat(raw.asRaw()).isSameAs(raw);
    assertThatThrownBy(r::asClassification)
        .hasMessage("This is a REGRESSION prediction, not a classification; check kind() first");
    assertThatThrownBy(c::asRaw).hasMessage("This is a CLASSIFICATION prediction, not a raw one; check kind() first");
    assertThat(List.of(c, r, raw)).extracting(Prediction::contractResult).containsOnly(RowResult.PASS);
  }

  @Test
  void classificationsAreEqualByValueAndCopyTheirScores() {
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("bad", 0.25);
    scores.put("good", 0.75);
    Prediction.Classification built = Prediction.classification("2", "good", scores).asClassification();
    scores.put("bad", 0.5);
    assertThat(built.scores()).containsExactly(Map.entry("bad", 0.25), Map.entry("good", 0.75));
    assertThatThrownBy(() -> built.scores().put("ugly", 0.0)).isInstanceOf(UnsupportedOperationException.class);
    Prediction.Classification decoded = GOOD_BAD.classify("2", new double[] {0.25, 0.75}).asClassification();
    assertThat(decoded).isEqualTo(built).hasSameHashCodeAs(built);
    assertThat(decoded.label()).contains("good");
    assertThat(decoded).isNotEqualTo(GOOD_BAD.classify("3", new double[] {0.25, 0.75}))
        .isNotEqualTo(GOOD_BAD.classify("2", new double[] {0.75, 0.25}));
    assertThat(decoded).hasToString("Classification[good {bad=0.25, good=0.75} v2]");
    assertThat(new Prediction.Classification("2", decoded.label(), decoded.scores(), RowResult.PASS).scores())
        .as("a decoded score map is immutable and never copied").isSameAs(decoded.scores());
    assertThat(new Prediction.Classification("2", built.label(), scores, RowResult.PASS).scores())
        .as("any other map is copied").isNotSameAs(scores).containsEntry("bad", 0.5);
  }

  @Test
  void aClassificationWhoseScoresAreNotFiniteHasNoLabelHoweverItIsBuilt() {
    Map<String, Double> nan = new LinkedHashMap<>();
    nan.put("bad", Double.NaN);
    nan.put("good", 0.0);
    List<Prediction> all = List.of(Prediction.classification("1", "good", nan),
        new Prediction.Classification("1", Optional.of("good"), nan, RowResult.PASS),
        GOOD_BAD.classify("1", "good", new double[] {Double.NaN, 0.0}),
        GOOD_BAD.classify("1", new double[] {Double.NaN, 0.0}));
    for (Prediction.Classification c : all.stream().map(Prediction::asClassification).toList()) {
      assertThat(c.finite()).isFalse();
      assertThat(c.label()).isEmpty();
      assertThatThrownBy(c::requireLabel).isInstanceOf(IllegalStateException.class)
          .hasMessage("This classification has no label: its scores {bad=NaN, good=0.0} are not all finite (served"
              + " under NonFinitePolicy.FLAG); check finite() first");
      assertThat(c.agreesWith(c, 1.0)).as("a model that could not answer agrees with nothing").isFalse();
      assertThat(c).hasToString("Classification[(no label) {bad=NaN, good=0.0} v1]");
    }
    assertThat(GOOD_BAD.classify("1", new double[] {Double.POSITIVE_INFINITY, 0.0}).asClassification().label())
        .isEmpty();
    Prediction.Classification none = GOOD_BAD.classify("1", null, new double[] {0.5, 0.5}).asClassification();
    assertThat(none.finite()).isTrue();
    assertThatThrownBy(none::requireLabel)
        .hasMessage("This classification has no label: the model gave none; check finite() first");
  }

  @Test
  void aNonFiniteClassificationIsServedUnderFlagWithoutALabel() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OutputCheck check = new OutputCheck(NonFinitePolicy.FLAG, "m", "1", "scores", registry.counter("nonfinite"));
    Prediction nan = GOOD_BAD.classify("1", "bad", new double[] {Double.NaN, 1.0});
    assertThat(check.row(nan)).isEqualTo(nan);
    assertThat(check.batch(List.of(GOOD_BAD.classify("1", new double[] {0.0, 1.0}), nan)))
        .extracting(p -> p.asClassification().label()).containsExactly(Optional.of("good"), Optional.empty());
    assertThat(registry.counter("nonfinite").count()).isEqualTo(2.0);
    OutputCheck fail = new OutputCheck(NonFinitePolicy.FAIL, "m", "1", "y", registry.counter("nonfinite"));
    assertThatThrownBy(() -> fail.row(Prediction.regression("1", 1.0, Double.NaN)))
        .isInstanceOf(NonFiniteOutputException.class)
        .hasMessageStartingWith("Model m/1 gave non-finite values on output 'y' ([1.0, NaN]); nothing was served");
  }

  @Test
  void regressionCopiesItsValuesInAndOutAndComparesThemByValue() {
    double[] in = {1.5, -2.0};
    Prediction.Regression r = Prediction.regression("4", in).asRegression();
    in[0] = 99;
    assertThat(r.values()).containsExactly(1.5, -2.0);
    r.values()[1] = 99;
    assertThat(r.values()).containsExactly(1.5, -2.0);
    assertThat(r.value()).isEqualTo(1.5);
    Prediction.Regression same = new Prediction.Regression("4", new double[] {1.5, -2.0}, RowResult.PASS);
    assertThat(r).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(r).isNotEqualTo(Prediction.regression("4", 1.5, -2.5)).isNotEqualTo(Prediction.regression("5", 1.5,
        -2.0));
    assertThat(r).hasToString("Regression[[1.5, -2.0] v4]");
    assertThat(r.finite()).isTrue();
    assertThat(Prediction.regression("4", Double.NaN).finite()).isFalse();
    assertThatThrownBy(() -> Prediction.regression("4")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A regression prediction needs at least one value");
  }

  @Test
  void rawPredictionsKeyTensorsByTheirNamesAndCompareThemByValue() {
    RawTensor y = RawTensor.of("y", "float", new long[] {2}, new double[] {1, 2});
    Prediction.Raw raw = Prediction.raw("1", List.of(y, RawTensor.of("z", "int64", new long[] {1}, new double[] {3})))
        .asRaw();
    assertThat(raw.tensors().keySet()).containsExactly("y", "z");
    assertThat(raw).isEqualTo(Prediction.raw("1", List.of(RawTensor.of("y", "float", new long[] {2},
        new double[] {1, 2}), RawTensor.of("z", "int64", new long[] {1}, new double[] {3}))));
    assertThat(raw.finite()).isTrue();
    assertThat(raw.agreesWith(Prediction.raw("2", List.of(RawTensor.of("y", "float", new long[] {2},
        new double[] {1, 2.05}), RawTensor.of("z", "int64", new long[] {1}, new double[] {3}))), 0.1)).isTrue();
    assertThat(raw.agreesWith(Prediction.raw("1", List.of(y)), 0.1)).isFalse();
    assertThatThrownBy(() -> Prediction.raw("1", List.of(y, y))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Two output tensors are named 'y'; give each its own name");
    assertThatThrownBy(() -> new Prediction.Raw("1", Map.of("x", y), RowResult.PASS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor 'y' is under the name 'x'; key each tensor by its own name");
    assertThatThrownBy(() -> raw.tensors().remove("y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void eachKindFillsOnlyItsOwnFieldsOfARow() {
    Schema out = Schema.of(Field.of("label", DataType.STRING, true, Role.PREDICTION),
        Field.of("value", DataType.FLOAT64), Field.of("good", DataType.FLOAT64), Field.of("y", DataType.floatTensor(1)));
    Row c = GOOD_BAD.classify("1", new double[] {0.4, 0.6}).toRow(out);
    assertThat(c.getString("label")).isEqualTo("good");
    assertThat(c.getDouble("good")).isEqualTo(0.6);
    assertThat(c.isNull("value")).isTrue();
    assertThat(c.isNull("y")).isTrue();
    Row unlabelled = GOOD_BAD.classify("1", new double[] {Double.NaN, 0.6}).toRow(out);
    assertThat(unlabelled.isNull("label")).isTrue();
    assertThat(unlabelled.getDouble("good")).isEqualTo(0.6);
    Row r = Prediction.regression("1", 3.5, 4).toRow(out);
    assertThat(r.getDouble("value")).isEqualTo(3.5);
    assertThat(List.of("label", "good", "y")).allSatisfy(n -> assertThat(r.isNull(n)).isTrue());
    Row raw = Prediction.raw("1", List.of(RawTensor.of("y", "float", new long[] {1}, new double[] {7}))).toRow(out);
    assertThat(raw.getTensor(3)).containsExactly(7f);
    assertThat(List.of("label", "value", "good")).allSatisfy(n -> assertThat(raw.isNull(n)).isTrue());
  }

  @Test
  void kindsNeverAgreeWithEachOther() {
    Prediction c = Prediction.classification("1", "good", Map.of("good", 1.0));
    Prediction r = Prediction.regression("1", 1.0);
    Prediction raw = Prediction.raw("1", List.of(RawTensor.of("good", "float", new long[] {1}, new double[] {1})));
    for (Prediction a : List.of(c, r, raw)) {
      for (Prediction b : List.of(c, r, raw)) {
        assertThat(a.agreesWith(b, 1.0)).as("%s vs %s", a, b).isEqualTo(a == b);
      }
    }
    assertThat(r.agreesWith(Prediction.regression("2", 1.4), 0.5)).isTrue();
    assertThat(r.agreesWith(Prediction.regression("2", 1.6), 0.5)).isFalse();
    assertThat(Prediction.regression("1", Double.NaN).agreesWith(Prediction.regression("1", Double.NaN), 1)).isFalse();
  }

  @Test
  void underTheFlagPolicyAPredictionCarriesItsRowsTypedContractResult() {
    Schema schema = Schema.of(List.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT64)));
    Constraint hard = Constraint.range("x", 0.0, 10.0);
    Constraint soft = Constraint.range("y", 0.0, 5.0).withSeverity(Severity.WARN);
    Validator contract = Validator.compile(DataContract.of("held-inputs", schema, hard, soft));
    HeldRunner runner = new HeldRunner(schema);
    runner.releaseAll();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DefaultPredictor p = new DefaultPredictor(runner, "held", "1", false, BatchingOptions.disabled(), registry,
        ForkJoinPool.commonPool(), System::nanoTime, new Guard(contract, OnlinePolicy.FLAG, null, null))) {
      Prediction ok = p.predict(Row.of(schema, 1.0, 1.0));
      assertThat(ok.contractResult()).isEqualTo(RowResult.PASS);
      Prediction flagged = p.predict(Row.of(schema, 12.0, 6.0));
      assertThat(flagged.asRegression().value()).as("served despite the failed rules").isEqualTo(12.0);
      RowResult result = flagged.contractResult();
      assertThat(result.hasErrors()).isTrue();
      assertThat(result.schemaIssues()).isEmpty();
      assertThat(result.violations()).extracting(Violation::constraint).containsExactly(hard, soft);
      assertThat(result.violations()).extracting(v -> v.constraint().columns(), v -> v.constraint().severity(),
          Violation::value).containsExactly(tuple(List.of("x"), Severity.ERROR, "12.0"),
          tuple(List.of("y"), Severity.WARN, "6.0"));
      assertThat(result.messages()).containsExactly(hard.id() + " [ERROR]: " + hard.describe() + ", got 12.0",
          soft.id() + " [WARN]: " + soft.describe() + ", got 6.0");
      assertThat(p.predictAsync(Row.of(schema, 7.0, 6.0)).join().contractResult().violations())
          .extracting(Violation::constraint).containsExactly(soft);
      assertThat(flagged).isEqualTo(new Prediction.Regression("1", new double[] {12.0}, result))
          .isNotEqualTo(Prediction.regression("1", 12.0));
      assertThat(flagged.toString()).startsWith("Regression[[12.0] v1 flagged [" + hard.id() + " [ERROR]");
      assertThat(registry.get("mlops.serving.contract.flagged").counter().count()).isEqualTo(2.0);
    }
  }
}
