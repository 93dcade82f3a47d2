package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContractInferenceTest extends AllocatorSupport {
  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.INT64),
      Field.of("amount", DataType.FLOAT64),
      Field.of("score", DataType.FLOAT64),
      Field.of("purpose", DataType.STRING),
      Field.of("name", DataType.STRING),
      Field.of("count", DataType.INT64),
      Field.of("flag", DataType.BOOLEAN));

  /** 40 rows: ids 0..39, amount 10..20, score -1..1 with a null every 10th row, 3 purposes, 40 names. */
  static List<Row> reference() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(Row.of(SCHEMA, (long) i, 10.0 + (i % 11), i % 10 == 0 ? null : -1.0 + (i % 21) / 10.0,
          new String[] {"car", "tv", "education"}[i % 3], "name-" + i, (long) (i % 4), i % 2 == 0));
    }
    return rows;
  }

  DataContract infer(ContractInference inference, List<Row> rows) {
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      DataContract c = inference.infer("ref", b);
      assertThat(Validator.compile(c).validate(b).verdict()).as("inferred contract on its own data")
          .isEqualTo(Verdict.PASS);
      return c;
    }
  }

  @Test
  void suggestsTypesNullabilityRangesDomainsAndIds() {
    DataContract c = infer(ContractInference.defaults(), reference());
    // Nullability is the not_null rule's alone: the schema stays nullable, the rule says how complete.
    assertThat(c.schema().fields()).allSatisfy(f -> assertThat(f.nullable()).as(f.name()).isTrue());
    assertThat(c.constraintsOn("amount")).contains(Constraint.notNull("amount"));
    assertThat(c.constraintsOn("score")).noneMatch(k -> k.equals(Constraint.notNull("score")));
    assertThat(c.schema().field("amount").type()).isEqualTo(DataType.FLOAT64);
    assertThat(c.constraintsOn("id")).containsExactly(Constraint.notNull("id"), Constraint.unique("id"));
    // [10, 20] widened by 10% of the span on each side.
    assertThat(c.constraintsOn("amount")).contains(Constraint.range("amount", 9.0, 21.0));
    // 36 of 40 present: completeness 0.9; observed [-1.0, 0.9] widened by 0.19 (negative values: no clamp).
    assertThat(c.constraintsOn("score")).containsExactly(new Constraint.NotNull("score", 0.9, Severity.ERROR),
        Constraint.range("score", -1.19, 1.09));
    assertThat(c.constraintsOn("purpose")).contains(Constraint.allowedValues("purpose", "car", "education", "tv"));
    assertThat(c.constraintsOn("name")).contains(Constraint.unique("name"),
        new Constraint.Length("name", null, 8, 1.0, Severity.ERROR));
    // [0, 3] widened by 0.3, rounded outward to whole numbers, clamped at 0.
    assertThat(c.constraintsOn("count")).contains(Constraint.range("count", 0.0, 4.0));
    assertThat(c.constraintsOn("flag")).contains(Constraint.allowedValues("flag", "false", "true"));
    assertThat(c.constraints()).contains(new Constraint.RowCount(1L, null, Severity.ERROR));
  }

  @Test
  void marginAndLimitsAreConfigurable() {
    DataContract c = infer(ContractInference.defaults().withMargin(0).withMaxCategories(2).withMinIdRows(100),
        reference());
    assertThat(c.constraintsOn("amount")).contains(Constraint.range("amount", 10.0, 20.0));
    assertThat(c.constraintsOn("purpose")).noneMatch(k -> k instanceof Constraint.AllowedValues);
    assertThat(c.constraintsOn("id")).noneMatch(k -> k instanceof Constraint.Unique);
    assertThatThrownBy(() -> ContractInference.defaults().withMargin(-1)).hasMessageContaining("must be a finite");
  }

  @Test
  void idRoleMakesAColumnUniqueAndNaNLowersRangeMostly() {
    Schema s = Schema.of(Field.of("key", DataType.STRING, true, Role.ID), Field.of("x", DataType.FLOAT64));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(Row.of(s, "k" + i, i == 3 ? Double.NaN : (double) i));
    }
    try (Batch b = Batch.fromRows(allocator, s, rows)) {
      DataContract c = ContractInference.defaults().infer("ids", b);
      assertThat(c.constraintsOn("key")).contains(Constraint.unique("key"));
      assertThat(c.constraintsOn("x")).contains(new Constraint.Range("x", 0.0, 9.9, false, false, 0.9, Severity.ERROR));
      assertThat(Validator.compile(c).validate(b).verdict()).isEqualTo(Verdict.PASS);
    }
  }

  @Test
  void allNullAndConstantColumnsGetSensibleSuggestions() {
    Schema s = Schema.of(Field.of("gone", DataType.FLOAT64), Field.of("zero", DataType.FLOAT64),
        Field.of("five", DataType.INT64));
    List<Row> rows = List.of(Row.of(s, null, 0.0, 5L), Row.of(s, null, 0.0, 5L));
    try (Batch b = Batch.fromRows(allocator, s, rows)) {
      DataContract c = ContractInference.defaults().infer("edge", b);
      assertThat(c.constraintsOn("gone")).isEmpty();
      assertThat(c.constraintsOn("zero")).contains(Constraint.range("zero", 0.0, 1.0));
      assertThat(c.constraintsOn("five")).contains(Constraint.range("five", 4.0, 6.0));
      assertThat(Validator.compile(c).validate(b).verdict()).isEqualTo(Verdict.PASS);
    }
  }

  @Test
  void theSuggestionIsReadableYamlThatReadsBack() {
    DataContract c = infer(ContractInference.defaults(), reference());
    String yaml = c.toYaml();
    assertThat(yaml).contains("  - name: \"purpose\"\n    type: \"string\"\n    nullable: true\n"
        + "    role: \"feature\"\n    not_null: {}\n    allowed_values:\n      values:\n        - \"car\"\n"
        + "        - \"education\"\n        - \"tv\"\n");
    assertThat(DataContract.fromYaml(yaml, "suggested.yaml")).isEqualTo(c);
  }

  /** Issue 8, C3: strings a YAML reader would take for numbers or special floats must come back as strings. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1e3|0x1F|+1|1_000|0b101", ".nan|.inf|-.inf", "yes|no|on|off|null|~|true"})
  void inferredStringsThatLookLikeOtherYamlValuesSurviveTheRoundTrip(String joined) {
    Schema s = Schema.of(Field.of("code", DataType.STRING));
    List<String> values = List.of(joined.split("\\|"));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(Row.of(s, values.get(i % values.size())));
    }
    try (Batch b = Batch.fromRows(allocator, s, rows)) {
      DataContract c = ContractInference.defaults().infer("codes", b);
      assertThat(c.constraintsOn("code")).contains(new Constraint.AllowedValues("code",
          values.stream().sorted().toList(), 1.0, Severity.ERROR));
      DataContract back = DataContract.fromYaml(c.toYaml(), "codes.yaml");
      assertThat(back).isEqualTo(c);
      assertThat(Validator.compile(back).validate(b).verdict()).isEqualTo(Verdict.PASS);
    }
  }
}
