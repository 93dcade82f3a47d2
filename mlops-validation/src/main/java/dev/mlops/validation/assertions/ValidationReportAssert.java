package dev.mlops.validation.assertions;

import dev.mlops.validation.ConstraintResult;
import dev.mlops.validation.SchemaIssue;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.Verdict;
import dev.mlops.core.internal.Printable;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link ValidationReport}. */
@SuppressWarnings("exports") // AssertJ is optional: module-info requires it static, not transitive
public final class ValidationReportAssert extends AbstractAssert<ValidationReportAssert, ValidationReport> {

  ValidationReportAssert(ValidationReport actual) {
    super(actual, ValidationReportAssert.class);
  }

  /**
   * Asserts that the verdict is not FAIL.
   *
   * @return this assertion
   */
  public ValidationReportAssert passes() {
    isNotNull();
    if (!actual.passed()) {
      failWithMessage("%s", message(actual, false));
    }
    return this;
  }

  /**
   * Asserts the verdict.
   *
   * @param expected the verdict
   * @return this assertion
   */
  public ValidationReportAssert hasVerdict(Verdict expected) {
    isNotNull();
    if (actual.verdict() != expected) {
      failWithMessage("Expected verdict %s but was %s:%n%s", expected, actual.verdict(), actual.toText());
    }
    return this;
  }

  /**
   * Asserts that a constraint failed with exactly this many failing values.
   *
   * @param id the constraint's id, e.g. {@code credit_amount.range}
   * @param failingCount the expected failing count
   * @return this assertion
   */
  public ValidationReportAssert hasFailure(String id, long failingCount) {
    isNotNull();
    Optional<ConstraintResult> r = actual.result(id);
    if (r.isEmpty()) {
      failWithMessage("The report has no constraint '%s'; it has %s", id,
          actual.results().stream().map(ConstraintResult::id).toList());
    } else if (r.get().passed() || r.get().failingCount() != failingCount) {
      failWithMessage("Expected %s to fail with %s failing values but it %s with %s:%n%s", id, failingCount,
          r.get().passed() ? "passed" : "failed", r.get().failingCount(), actual.toText());
    }
    return this;
  }

  /**
   * The failure message of a report: which columns, which rules, how many values, which rows.
   *
   * @param report the report
   * @param strict whether WARN failures count
   * @return the message
   */
  static String message(ValidationReport report, boolean strict) {
    StringBuilder sb = new StringBuilder();
    sb.append("Expected data to satisfy contract '").append(Printable.of(report.contract())).append("' but ")
        .append("its verdict is ").append(report.verdict()).append(" (").append(report.summary()).append("):");
    for (SchemaIssue i : report.schemaIssues()) {
      if (strict || i.severity() == Severity.ERROR) {
        sb.append("\n  - schema [").append(i.severity()).append("]: ").append(i.message());
      }
    }
    for (ConstraintResult r : report.failures()) {
      if (strict || r.constraint().severity() == Severity.ERROR) {
        sb.append("\n  - column ").append(Printable.of(String.join(", ", r.constraint().columns().isEmpty()
            ? java.util.List.of("(table)") : r.constraint().columns())))
            .append(", rule ").append(r.constraint().kind()).append(" [").append(r.constraint().severity())
            .append("]: ").append(ValidationReport.line(r));
      }
    }
    return sb.toString();
  }
}
