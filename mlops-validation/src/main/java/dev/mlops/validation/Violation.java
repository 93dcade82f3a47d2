package dev.mlops.validation;

import dev.mlops.core.internal.Printable;

/**
 * One rule one row broke.
 *
 * @param constraint the rule
 * @param value the offending value as text (see {@link FailingExample#value()}): control characters
 *     escaped, cut to 120 characters
 */
public record Violation(Constraint constraint, String value) {

  /**
   * One line for people, with control characters escaped (no value can start a new log line).
   *
   * @return e.g. {@code credit_amount.range [ERROR]: credit_amount in [0.0, 20000.0], got -5.0}
   */
  public String message() {
    return Printable.of(constraint.id() + " [" + constraint.severity() + "]: " + constraint.describe() + ", got "
        + value);
  }
}
