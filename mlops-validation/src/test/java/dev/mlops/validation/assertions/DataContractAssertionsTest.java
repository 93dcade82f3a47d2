package dev.mlops.validation.assertions;

import static dev.mlops.validation.assertions.DataContractAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Severity;
import dev.mlops.validation.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataContractAssertionsTest extends AllocatorSupport {
  static final Schema SCHEMA = Schema.of(Field.of("amount", DataType.FLOAT64), Field.of("purpose", DataType.STRING));
  static final DataContract CONTRACT = DataContract.of("loans", SCHEMA,
      Constraint.range("amount", 0.0, null),
      Constraint.allowedValues("purpose", "car", "tv"),
      new Constraint.NotNull("purpose", 1.0, Severity.WARN));

  Batch batch(Object[]... rows) {
    return Batch.fromRows(allocator, SCHEMA, java.util.Arrays.stream(rows).map(r -> Row.of(SCHEMA, r)).toList());
  }

  @Test
  void passesOnGoodDataAndToleratesWarnings() {
    try (Batch b = batch(new Object[] {1.0, "car"}, new Object[] {2.0, null})) {
      assertThat(b).satisfies(CONTRACT);
      assertThatThrownBy(() -> assertThat(b).satisfiesStrictly(CONTRACT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("column purpose, rule not_null [WARN]");
    }
  }

  @Test
  void failureMessageNamesColumnRuleCountAndExamples() {
    try (Batch b = batch(new Object[] {1.0, "car"}, new Object[] {-2.0, "boat"}, new Object[] {-3.0, "tv"})) {
      assertThatThrownBy(() -> assertThat(b).satisfies(CONTRACT))
          .isInstanceOf(AssertionError.class)
          .hasMessage("Expected data to satisfy contract 'loans' but its verdict is FAIL (2 of 3 rows failed row"
              + " rules, 2 of 3 constraints failed, 0 schema issues):\n"
              + "  - column amount, rule range [ERROR]: amount.range (amount in [0.0, +inf)): 2 of 3 values fail"
              + " (66.67%); e.g. row 1 = -2.0, row 2 = -3.0\n"
              + "  - column purpose, rule allowed_values [ERROR]: purpose.allowed_values (purpose in [car, tv]):"
              + " 1 of 3 values fail (33.33%); e.g. row 1 = boat");
    }
  }

  @Test
  void violatesGivesAReportAssertion() {
    try (Batch b = batch(new Object[] {-1.0, "car"})) {
      assertThat(b).violates(CONTRACT).hasVerdict(Verdict.FAIL).hasFailure("amount.range", 1);
      assertThatThrownBy(() -> assertThat(b).violates(CONTRACT).hasFailure("amount.range", 2))
          .hasMessageContaining("Expected amount.range to fail with 2 failing values but it failed with 1");
      assertThatThrownBy(() -> assertThat(b).violates(CONTRACT).hasFailure("amount.mean", 1))
          .hasMessageContaining("The report has no constraint 'amount.mean'");
    }
    try (Batch good = batch(new Object[] {1.0, "car"})) {
      assertThatThrownBy(() -> assertThat(good).violates(CONTRACT))
          .hasMessage("Expected batch of 1 rows to violate data contract 'loans', but it passed all 3 constraints");
    }
  }

  @Test
  void rowAssertionsUseTheRowChecks() {
    assertThat(Row.of(SCHEMA, 1.0, null)).satisfies(CONTRACT);
    assertThatThrownBy(() -> assertThat(Row.of(SCHEMA, -1.0, "car")).satisfies(CONTRACT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to satisfy contract 'loans' but:")
        .hasMessageContaining("  - amount.range [ERROR]: amount in [0.0, +inf), got -1.0");
  }

  @Test
  void schemaDriftIsPartOfTheMessage() {
    Schema other = Schema.of(Field.of("amount", DataType.FLOAT64));
    try (Batch b = Batch.fromRows(allocator, other, List.of(Row.of(other, 1.0)))) {
      assertThatThrownBy(() -> assertThat(b).satisfies(CONTRACT))
          .hasMessageContaining("  - schema [ERROR]: column 'purpose' is missing (contract expects string)");
    }
  }
}
