package dev.mlops.core;

/**
 * A request was rejected at once because a bounded queue was full. Callers should shed load or retry
 * later with backoff; nothing was executed.
 */
public class OverloadedException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, where, and what to do
   */
  public OverloadedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its underlying cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public OverloadedException(String message, Throwable cause) {
    super(message, cause);
  }
}
