package dev.mlops.core;

/**
 * Data does not match the schema it is used with: a missing or extra column, a wrong type, a null in a
 * non-nullable field. The message names the field.
 */
public class SchemaMismatchException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, where, and what to do
   */
  public SchemaMismatchException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its underlying cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public SchemaMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
