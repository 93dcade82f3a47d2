package dev.mlops.core;

/**
 * A request's deadline passed before it could run or finish. An expired request is never executed.
 */
public class DeadlineExceededException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, where, and what to do
   */
  public DeadlineExceededException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its underlying cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
