package dev.mlops.validation.assertions;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.validation.ValidationReport;

/**
 * Entry point of the data contract assertions, in the style of AssertJ's {@code Assertions}:
 *
 * <pre>{@code
 * import static dev.mlops.validation.assertions.DataContractAssertions.assertThat;
 *
 * try (Batch batch = CsvReader.readAll(path, options, allocator)) {
 *   assertThat(batch).satisfies(contract);
 * }
 * }</pre>
 *
 * A failure lists, per failed constraint, the column(s), the rule, how many values failed out of how
 * many, and the first failing rows with their values.
 */
public final class DataContractAssertions {
  private DataContractAssertions() {}

  /**
   * Assertions on a batch.
   *
   * @param actual the batch
   * @return the assertion
   */
  public static BatchAssert assertThat(Batch actual) {
    return new BatchAssert(actual);
  }

  /**
   * Assertions on a row.
   *
   * @param actual the row
   * @return the assertion
   */
  public static RowAssert assertThat(Row actual) {
    return new RowAssert(actual);
  }

  /**
   * Assertions on a report produced elsewhere.
   *
   * @param actual the report
   * @return the assertion
   */
  public static ValidationReportAssert assertThat(ValidationReport actual) {
    return new ValidationReportAssert(actual);
  }
}
