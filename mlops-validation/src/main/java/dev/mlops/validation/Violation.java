package dev.mlops.validation;

/**
 * One rule one row broke.
 *
 * @param constraint the rule
 * @param value the offending value as text (see {@link FailingExample#value()})
 */
public record Violation(Constraint constraint, String value) {

  /**
   * One line for people.
   *
   * @return e.g. {@code credit_amount.range [ERROR]: credit_amount in [0.0, 20000.0], got -5.0}
   */
  public String message() {
    return constraint.id() + " [" + constraint.severity() + "]: " + constraint.describe() + ", got " + value;
  }
}
