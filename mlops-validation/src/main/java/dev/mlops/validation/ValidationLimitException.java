package dev.mlops.validation;

import dev.mlops.core.MlopsException;

/**
 * Validation stopped because a rule needs more memory than it is allowed: an exact {@code unique},
 * {@code compound_unique} or {@code distinct_count} keeps every distinct key it has seen, and a
 * stream with more distinct keys than its limit allows fails here, naming the rule, the keys held
 * and the limit, rather than exhausting the heap or answering approximately without being asked.
 */
public final class ValidationLimitException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was exceeded and what to do
   */
  public ValidationLimitException(String message) {
    super(message);
  }
}
