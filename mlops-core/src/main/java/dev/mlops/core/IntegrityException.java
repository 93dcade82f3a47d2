package dev.mlops.core;

/**
 * A digest, size or signature check failed: a file was changed, swapped, removed or added after its
 * manifest was written, or the manifest itself was edited after signing. Never retry blindly: find
 * out who changed the files.
 */
public class IntegrityException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, where, and what to do
   */
  public IntegrityException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its underlying cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
