package dev.mlops.validation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one constraint over a batch or session.
 *
 * <p>For row checks and uniqueness, {@code evaluatedCount} is the number of values looked at (every
 * row for not_null and custom; non-null values otherwise; rows with both sides non-null for compare)
 * and {@code failingCount} those that broke the rule; the constraint passes when
 * {@code (evaluated - failing) / evaluated >= mostly}. For dataset statistics (mean, stddev, quantile,
 * row count) {@code observed} holds the statistic, {@code failingCount} is 0 and the verdict
 * compares the statistic with the bounds.
 *
 * @param constraint the rule
 * @param status passed, failed or not evaluated (schema drift)
 * @param evaluatedCount values looked at
 * @param failingCount values that broke the rule
 * @param failingRatio {@code failingCount / evaluatedCount}, 0 when nothing was evaluated
 * @param observed the statistic of a dataset check, null when there is none (or for row checks)
 * @param examples the first failing values, at most {@link ValidationReport#MAX_EXAMPLES}
 * @param message what happened, for people
 */
public record ConstraintResult(Constraint constraint, Status status, long evaluatedCount, long failingCount,
    double failingRatio, @Nullable Double observed, List<FailingExample> examples, String message) {

  /** Outcome of one constraint. */
  public enum Status {
    /** The rule held. */
    PASSED,
    /** The rule broke. */
    FAILED,
    /** A column the rule reads is missing or mistyped; see the report's schema issues. */
    NOT_EVALUATED
  }

  /**
   * Copies the examples.
   *
   * @param constraint the rule
   * @param status the outcome
   * @param evaluatedCount values looked at
   * @param failingCount values that broke the rule
   * @param failingRatio failing / evaluated
   * @param observed the statistic, or null
   * @param examples the first failing values
   * @param message what happened
   */
  public ConstraintResult {
    examples = List.copyOf(examples);
  }

  /**
   * The constraint's identifier.
   *
   * @return e.g. {@code credit_amount.range}
   */
  public String id() {
    return constraint.id();
  }

  /**
   * Whether the rule held.
   *
   * @return true for {@link Status#PASSED}
   */
  public boolean passed() {
    return status == Status.PASSED;
  }
}
