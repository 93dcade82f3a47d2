package dev.mlops.validation.internal;

/**
 * A constraint argument is invalid. Names the offending property (e.g. {@code min}) so a contract
 * file reader can point at {@code columns[3].range.min} and its line.
 */
public final class ConstraintArgumentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The offending property of the constraint, as written in contract files. */
  private final String property;

  /**
   * Creates the exception.
   *
   * @param property the offending property of the constraint, e.g. {@code "min"}
   * @param message what was wrong and what to do
   */
  public ConstraintArgumentException(String property, String message) {
    super(message);
    this.property = property;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param property the offending property of the constraint
   * @param message what was wrong and what to do
   * @param cause the underlying failure
   */
  public ConstraintArgumentException(String property, String message, Throwable cause) {
    super(message, cause);
    this.property = property;
  }

  /**
   * The offending property.
   *
   * @return the property name as written in contract files
   */
  public String property() {
    return property;
  }
}
