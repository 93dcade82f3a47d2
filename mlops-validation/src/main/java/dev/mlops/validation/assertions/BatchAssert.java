package dev.mlops.validation.assertions;

import dev.mlops.core.Batch;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.Validator;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link Batch}. */
@SuppressWarnings("exports") // AssertJ is optional: module-info requires it static, not transitive
public final class BatchAssert extends AbstractAssert<BatchAssert, Batch> {

  BatchAssert(Batch actual) {
    super(actual, BatchAssert.class);
  }

  /**
   * Asserts that the batch meets the contract: no ERROR constraint failed and no ERROR schema drift
   * (WARN failures are allowed; use {@link #satisfiesStrictly} to forbid them too).
   *
   * @param contract the contract (without custom constraints; compile those and use
   *     {@link #satisfies(Validator)})
   * @return this assertion
   */
  public BatchAssert satisfies(DataContract contract) {
    return satisfies(Validator.compile(contract));
  }

  /**
   * Asserts that the batch meets a compiled contract: no ERROR constraint failed and no ERROR drift.
   *
   * @param validator the compiled contract
   * @return this assertion
   */
  public BatchAssert satisfies(Validator validator) {
    isNotNull();
    ValidationReport report = validator.validate(actual);
    if (!report.passed()) {
      failWithMessage("%s", ValidationReportAssert.message(report, false));
    }
    return this;
  }

  /**
   * Asserts that the batch meets the contract with verdict PASS: WARN failures fail too.
   *
   * @param contract the contract
   * @return this assertion
   */
  public BatchAssert satisfiesStrictly(DataContract contract) {
    isNotNull();
    ValidationReport report = Validator.compile(contract).validate(actual);
    if (report.verdict() != dev.mlops.validation.Verdict.PASS) {
      failWithMessage("%s", ValidationReportAssert.message(report, true));
    }
    return this;
  }

  /**
   * Asserts that the batch breaks the contract (for tests of corrupted data).
   *
   * @param contract the contract
   * @return an assertion on the report, to check which constraints failed
   */
  public ValidationReportAssert violates(DataContract contract) {
    isNotNull();
    ValidationReport report = Validator.compile(contract).validate(actual);
    if (report.passed()) {
      failWithMessage("Expected batch of %s rows to violate data contract '%s', but it passed all %s constraints",
          actual.rowCount(), contract.name(), report.results().size());
    }
    return new ValidationReportAssert(report);
  }
}
