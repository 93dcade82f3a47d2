package dev.mlops.core.manifest;

import org.jspecify.annotations.Nullable;

/**
 * One slot of a tabular model's input vector: which source column feeds it and how. A model's
 * {@link ModelSignature#encoding() encoding} is the ordered list of its slots, so serving rebuilds
 * exactly the vector the model was trained on (no training/serving skew).
 *
 * <p>{@link #encode(Object)} is the reference definition of each slot; encoders that work on columns
 * must give the same values.
 */
public sealed interface FeatureEncoding {

  /**
   * The source column (in the model's input schema) that feeds this slot.
   *
   * @return the column name
   */
  String column();

  /**
   * The slot kind as written in JSON: {@code numeric}, {@code standardized}, {@code one_hot} or
   * {@code missing_indicator}.
   *
   * @return the kind name
   */
  String kind();

  /**
   * The slot's value for one source value.
   *
   * @param value the column's value: a {@link Number}, {@link Boolean}, {@link String} or null
   * @return the encoded value
   */
  double encode(@Nullable Object value);

  /**
   * The value passes through as a double (booleans as 1 and 0; null as NaN).
   *
   * @param column the source column
   * @return the slot
   */
  static FeatureEncoding numeric(String column) {
    return new Numeric(column);
  }

  /**
   * The value is standardized: {@code (x - mean) / scale}.
   *
   * @param column the source column
   * @param mean the value subtracted, finite
   * @param scale the divisor, finite and positive (usually the training standard deviation)
   * @return the slot
   */
  static FeatureEncoding standardized(String column, double mean, double scale) {
    return new Standardized(column, mean, scale);
  }

  /**
   * 1 when the value equals a category (compared by its text form), else 0.
   *
   * @param column the source column
   * @param category the category this slot stands for
   * @return the slot
   */
  static FeatureEncoding oneHot(String column, String category) {
    return new OneHot(column, category);
  }

  /**
   * 1 when the value is missing (null or NaN), else 0.
   *
   * @param column the source column
   * @return the slot
   */
  static FeatureEncoding missingIndicator(String column) {
    return new MissingIndicator(column);
  }

  private static double number(@Nullable Object value, String column) {
    if (value == null) {
      return Double.NaN;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    throw new IllegalArgumentException("column '" + column + "' feeds a numeric slot but holds "
        + value.getClass().getSimpleName() + " '" + value + "'; give it a number or a boolean");
  }

  /**
   * Numeric passthrough.
   *
   * @param column the source column
   */
  record Numeric(String column) implements FeatureEncoding {
    /**
     * Validates the column name.
     *
     * @param column the source column
     */
    public Numeric {
      ManifestPreconditions.nonEmpty(column, "encoding column");
    }

    @Override
    public String kind() {
      return "numeric";
    }

    @Override
    public double encode(@Nullable Object value) {
      return number(value, column);
    }
  }

  /**
   * Standardized numeric value, {@code (x - mean) / scale}.
   *
   * @param column the source column
   * @param mean the value subtracted
   * @param scale the positive divisor
   */
  record Standardized(String column, double mean, double scale) implements FeatureEncoding {
    /**
     * Validates the components.
     *
     * @param column the source column
     * @param mean the value subtracted
     * @param scale the positive divisor
     */
    public Standardized {
      ManifestPreconditions.nonEmpty(column, "encoding column");
      mean = ManifestPreconditions.finite(mean, "mean of standardized slot '" + column + "'");
      scale = ManifestPreconditions.finite(scale, "scale of standardized slot '" + column + "'");
      if (scale <= 0) {
        throw new IllegalArgumentException("scale of standardized slot '" + column + "' must be > 0, got "
            + scale + "; use a numeric slot for constant columns");
      }
    }

    @Override
    public String kind() {
      return "standardized";
    }

    @Override
    public double encode(@Nullable Object value) {
      return (number(value, column) - mean) / scale;
    }
  }

  /**
   * One-hot indicator of one category value.
   *
   * @param column the source column
   * @param category the category value, compared with the source value's text form
   */
  record OneHot(String column, String category) implements FeatureEncoding {
    /**
     * Validates the components.
     *
     * @param column the source column
     * @param category the category
     */
    public OneHot {
      ManifestPreconditions.nonEmpty(column, "encoding column");
      if (category == null) {
        throw new IllegalArgumentException("category of one-hot slot '" + column + "' must not be null;"
            + " use a missing_indicator slot for nulls");
      }
    }

    @Override
    public String kind() {
      return "one_hot";
    }

    @Override
    public double encode(@Nullable Object value) {
      return value != null && category.equals(value.toString()) ? 1.0 : 0.0;
    }
  }

  /**
   * Indicator of a missing value.
   *
   * @param column the source column
   */
  record MissingIndicator(String column) implements FeatureEncoding {
    /**
     * Validates the column name.
     *
     * @param column the source column
     */
    public MissingIndicator {
      ManifestPreconditions.nonEmpty(column, "encoding column");
    }

    @Override
    public String kind() {
      return "missing_indicator";
    }

    @Override
    public double encode(@Nullable Object value) {
      return value == null || (value instanceof Double d && d.isNaN()) || (value instanceof Float f && f.isNaN())
          ? 1.0 : 0.0;
    }
  }
}
