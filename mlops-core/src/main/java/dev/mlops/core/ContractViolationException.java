package dev.mlops.core;

import java.util.List;

/**
 * A record or dataset broke a data contract and the configured policy is to reject it. Lists every
 * rule that failed, not just the first, so the caller can fix them all at once.
 */
public class ContractViolationException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** One message per failed rule. */
  private final List<String> violations;

  /**
   * Creates the exception.
   *
   * @param subject what was checked, e.g. {@code "row 17"} or {@code "batch of 1000 rows"}
   * @param violations one human-readable line per failed rule (column, rule, value)
   */
  public ContractViolationException(String subject, List<String> violations) {
    super(subject + " violates the data contract (" + violations.size() + " rule"
        + (violations.size() == 1 ? "" : "s") + " failed):\n  - " + String.join("\n  - ", violations));
    this.violations = List.copyOf(violations);
  }

  /**
   * Every failed rule, one line each.
   *
   * @return the violations, never empty
   */
  public List<String> violations() {
    return violations;
  }
}
