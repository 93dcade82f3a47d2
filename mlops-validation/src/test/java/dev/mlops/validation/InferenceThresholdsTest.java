package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Contract inference at the edges its documentation states: the category limit and the half-the-rows
 * rule for allowed values, the row count from which an all-distinct column is an id, the completeness
 * at which a not-null rule is still written, and the widening, clamping and rounding of ranges.
 */
class InferenceThresholdsTest extends AllocatorSupport {

  private DataContract infer(ContractInference inference, Schema schema, List<Row> rows) {
    try (Batch b = Batch.fromRows(allocator, schema, rows)) {
      DataContract c = inference.infer("ref", b);
      assertThat(Validator.compile(c).validate(b).verdict()).as("inferred contract on its own data")
          .isEqualTo(Verdict.PASS);
      return c;
    }
  }

  private DataContract inferColumn(ContractInference inference, DataType type, Object... values) {
    Schema s = Schema.of(Field.of("c", type));
    List<Row> rows = new ArrayList<>();
    for (Object v : values) {
      rows.add(Row.of(s, v));
    }
    return infer(inference, s, rows);
  }

  @Test
  void allowedValuesUpToTheCategoryLimitAndHalfTheRows() {
    ContractInference two = ContractInference.defaults().withMaxCategories(2);
    // 2 values, at the limit, over 4 rows: exactly half.
    assertThat(inferColumn(two, DataType.STRING, "a", "b", "b", "a").constraintsOn("c"))
        .contains(Constraint.allowedValues("c", "a", "b"));
    // 3 values: one over the limit.
    assertThat(inferColumn(two, DataType.STRING, "a", "b", "c", "a", "b", "c").constraintsOn("c"))
        .noneMatch(k -> k instanceof Constraint.AllowedValues);
    // 2 values over 3 rows: more than half of them.
    assertThat(inferColumn(two, DataType.STRING, "a", "b", "a").constraintsOn("c"))
        .noneMatch(k -> k instanceof Constraint.AllowedValues)
        .contains(new Constraint.Length("c", null, 2, 1.0, Severity.ERROR));
    assertThat(inferColumn(ContractInference.defaults().withMaxCategories(1), DataType.BOOLEAN, true, true)
        .constraintsOn("c")).contains(Constraint.allowedValues("c", "true"));
  }

  @Test
  void anAllDistinctColumnIsAnIdFromMinIdRows() {
    ContractInference five = ContractInference.defaults().withMinIdRows(5);
    assertThat(inferColumn(five, DataType.INT64, 1L, 2L, 3L, 4L, 5L).constraintsOn("c"))
        .contains(Constraint.unique("c"));
    assertThat(inferColumn(five, DataType.INT64, 1L, 2L, 3L, 4L).constraintsOn("c"))
        .noneMatch(k -> k instanceof Constraint.Unique);
    assertThat(inferColumn(five, DataType.STRING, "a", "b", "c", "d", "e").constraintsOn("c"))
        .contains(Constraint.unique("c"));
    assertThat(inferColumn(ContractInference.defaults().withMinIdRows(2), DataType.STRING, "a", "b")
        .constraintsOn("c")).contains(Constraint.unique("c"));
  }

  @Test
  void notNullRuleDownToOnePercentCompleteness() {
    Object[] onePercent = new Object[100];
    onePercent[0] = 1.5;
    DataContract c = inferColumn(ContractInference.defaults(), DataType.FLOAT64, onePercent);
    assertThat(c.schema().field("c").nullable()).isTrue();
    assertThat(c.constraintsOn("c")).contains(new Constraint.NotNull("c", 0.01, Severity.ERROR));

    Object[] belowOnePercent = new Object[101];
    belowOnePercent[0] = 1.5;
    assertThat(inferColumn(ContractInference.defaults(), DataType.FLOAT64, belowOnePercent).constraintsOn("c"))
        .noneMatch(k -> k instanceof Constraint.NotNull);

    DataContract complete = inferColumn(ContractInference.defaults(), DataType.FLOAT64, 1.0, 2.0);
    assertThat(complete.schema().field("c").nullable()).as("nullability is the not_null rule's").isTrue();
    assertThat(complete.constraintsOn("c")).contains(Constraint.notNull("c"));
  }

  @Test
  void rangesAreWidenedClampedAndRoundedOutward() {
    ContractInference d = ContractInference.defaults();
    // span 10, widened by 1 each side, clamped at 0 because no value is negative
    assertThat(inferColumn(d, DataType.FLOAT64, 0.0, 10.0).constraintsOn("c")).contains(range(0.0, 11.0));
    // negative values: no clamp
    assertThat(inferColumn(d, DataType.FLOAT64, -10.0, 10.0).constraintsOn("c")).contains(range(-12.0, 12.0));
    // all equal: widened by margin x |value|; all zero: by 1
    assertThat(inferColumn(d, DataType.FLOAT64, 5.0, 5.0).constraintsOn("c")).contains(range(4.5, 5.5));
    assertThat(inferColumn(d, DataType.FLOAT64, -5.0, -5.0).constraintsOn("c")).contains(range(-5.5, -4.5));
    assertThat(inferColumn(d, DataType.FLOAT64, 0.0, 0.0).constraintsOn("c")).contains(range(0.0, 1.0));
    // 3 significant digits of the span: [0.5, 1.5] widened by 0.1 is [0.4, 1.6]
    assertThat(inferColumn(d, DataType.FLOAT64, 0.5, 1.5).constraintsOn("c")).contains(range(0.4, 1.6));
    // int64: whole numbers; [1, 100] widened by 9.9 is [-8.9, 109.9], clamped and rounded to [0, 110]
    Object[] hundred = new Object[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = (long) (i % 50 + 1) * 2;
    }
    hundred[0] = 1L;
    assertThat(inferColumn(d, DataType.INT64, hundred).constraintsOn("c")).contains(range(0.0, 110.0));
    // no margin: the observed bounds themselves
    assertThat(inferColumn(d.withMargin(0), DataType.FLOAT64, 0.5, 1.5).constraintsOn("c")).contains(range(0.5, 1.5));
  }

  @Test
  void lengthAllowsTheLongestValueWidenedByTheMargin() {
    ContractInference one = ContractInference.defaults().withMaxCategories(1);
    assertThat(inferColumn(one, DataType.STRING, "abcde", "ab").constraintsOn("c"))
        .contains(new Constraint.Length("c", null, 6, 1.0, Severity.ERROR));
    assertThat(inferColumn(one.withMargin(0), DataType.STRING, "abcde", "ab").constraintsOn("c"))
        .contains(new Constraint.Length("c", null, 5, 1.0, Severity.ERROR));
  }

  @Test
  void limitsBelowTheirMinimumAreRefused() {
    assertThatThrownBy(() -> ContractInference.defaults().withMaxCategories(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCategories 0 must be at least 1");
    assertThatThrownBy(() -> ContractInference.defaults().withMinIdRows(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minIdRows 1 must be at least 2");
  }

  private static Constraint range(double min, double max) {
    return Constraint.range("c", min, max);
  }
}
