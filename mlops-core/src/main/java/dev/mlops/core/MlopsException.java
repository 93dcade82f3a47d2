package dev.mlops.core;

/**
 * Root of the library's unchecked exceptions. Every exception thrown by the public API is an
 * {@code MlopsException} or one of its subclasses; checked exceptions from Arrow, Jackson, ONNX Runtime
 * or the JDK are wrapped, never leaked raw.
 *
 * <p>Messages follow one rule: say what was wrong, where (file, line, column, field, model, version)
 * and what to do about it.
 */
public class MlopsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names the problem, its location and the fix.
   *
   * @param message what was wrong, where, and what to do
   */
  public MlopsException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps a lower-level cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public MlopsException(String message, Throwable cause) {
    super(message, cause);
  }
}
