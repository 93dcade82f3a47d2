package dev.mlops.serving;

import dev.mlops.core.MlopsException;

/**
 * A model gave scores or values that are not all finite (NaN or an infinity), so no label or value
 * can be served from them. Thrown under {@link NonFinitePolicy#FAIL}, the default; the message names
 * the model, version, output and, for a batch, the row.
 */
public class NonFiniteOutputException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** The model's name. */
  private final String model;
  /** The model's version. */
  private final String version;
  /** The output tensor that held a non-finite value. */
  private final String output;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, where, and what to do
   * @param model the model name
   * @param version the model version
   * @param output the output the scores or values came from
   */
  public NonFiniteOutputException(String message, String model, String version, String output) {
    super(message);
    this.model = model;
    this.version = version;
    this.output = output;
  }

  /**
   * The model name.
   *
   * @return the name
   */
  public String model() {
    return model;
  }

  /**
   * The model version.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * The output whose scores or values were not finite.
   *
   * @return the output name
   */
  public String output() {
    return output;
  }
}
