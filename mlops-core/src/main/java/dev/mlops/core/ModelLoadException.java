package dev.mlops.core;

/**
 * A model could not be loaded: the artifact is missing, its format is unsupported, the runtime rejected
 * it or its signature does not match the manifest. The message names the model and version.
 */
public class ModelLoadException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, where, and what to do
   */
  public ModelLoadException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its underlying cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
