package dev.mlops.monitoring.drift;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How columns are compared. Immutable; build with {@link #builder()} or take {@link #defaults()}.
 *
 * <p><b>Default test rule</b> (after Evidently's): with {@code n} the reference's valid values and
 * {@code u} its distinct values,
 *
 * <ul>
 *   <li>numeric column with {@code u > 5}: {@code n <= 1000} Kolmogorov-Smirnov (p &lt; 0.05), else
 *       Wasserstein normed by the reference standard deviation (&ge; 0.1);
 *   <li>categorical column, or numeric with {@code u <= 5} (exact value counts on both sides):
 *       {@code n <= 1000} Z-test when the two sides together have at most two values, else
 *       chi-squared (p &lt; 0.05); above 1000, Jensen-Shannon distance (&ge; 0.1).
 * </ul>
 *
 * <p>Large samples get distances because a p-value test at large {@code n} flags differences too
 * small to matter. The dataset drifts when at least {@link #driftShare()} of the tested columns drift.
 */
public final class DriftOptions {
  private final int smallSampleMax;
  private final int categoricalUniqueMax;
  private final int bins;
  private final double driftShare;
  private final Correction correction;
  private final Map<DriftTest, Double> thresholds;
  private final Map<String, DriftTest> columnTests;
  private final Map<String, Double> columnThresholds;
  private final java.util.@org.jspecify.annotations.Nullable Set<String> included;
  private final java.util.Set<String> excluded;

  private DriftOptions(Builder b) {
    this.smallSampleMax = b.smallSampleMax;
    this.categoricalUniqueMax = b.categoricalUniqueMax;
    this.bins = b.bins;
    this.driftShare = b.driftShare;
    this.correction = b.correction;
    this.thresholds = Map.copyOf(b.thresholds);
    this.columnTests = Map.copyOf(b.columnTests);
    this.columnThresholds = Map.copyOf(b.columnThresholds);
    this.included = b.included == null ? null : java.util.Set.copyOf(b.included);
    this.excluded = java.util.Set.copyOf(b.excluded);
  }

  /**
   * Whether a column is compared: named by {@link Builder#include} (when any column is) and not by
   * {@link Builder#exclude}.
   *
   * @param column the column name
   * @return true when compared
   */
  public boolean compares(String column) {
    return (included == null || included.contains(column)) && !excluded.contains(column);
  }

  /**
   * The default rule, thresholds, 20 bins, drift share 0.5, no correction.
   *
   * @return the defaults
   */
  public static DriftOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reference sizes up to this use p-value tests.
   *
   * @return 1000 by default
   */
  public int smallSampleMax() {
    return smallSampleMax;
  }

  /**
   * Numeric columns with at most this many distinct reference values are compared as categories.
   *
   * @return 5 by default
   */
  public int categoricalUniqueMax() {
    return categoricalUniqueMax;
  }

  /**
   * Bins (reference quantiles) used when a proportion test runs on a numeric column.
   *
   * @return 20 by default
   */
  public int bins() {
    return bins;
  }

  /**
   * Share of drifted columns at which the dataset drifts.
   *
   * @return 0.5 by default
   */
  public double driftShare() {
    return driftShare;
  }

  /**
   * Multiple-testing correction of the p-value tests.
   *
   * @return {@link Correction#NONE} by default
   */
  public Correction correction() {
    return correction;
  }

  /**
   * The test configured for a column, if any.
   *
   * @param column the column name
   * @return the test, or empty for the default rule
   */
  public Optional<DriftTest> testFor(String column) {
    return Optional.ofNullable(columnTests.get(column));
  }

  /**
   * The threshold of a test on a column: the column's own, else the test's configured one, else the
   * test's default.
   *
   * @param column the column name
   * @param test the test
   * @return the threshold
   */
  public double thresholdFor(String column, DriftTest test) {
    Double c = columnThresholds.get(column);
    if (c != null) {
      return c;
    }
    return thresholds.getOrDefault(test, test.defaultThreshold());
  }

  /** Builds {@link DriftOptions}; each setter validates its argument at once. */
  public static final class Builder {
    private int smallSampleMax = 1000;
    private int categoricalUniqueMax = 5;
    private int bins = 20;
    private double driftShare = 0.5;
    private Correction correction = Correction.NONE;
    private final Map<DriftTest, Double> thresholds = new EnumMap<>(DriftTest.class);
    private final Map<String, DriftTest> columnTests = new HashMap<>();
    private final Map<String, Double> columnThresholds = new HashMap<>();
    private java.util.@org.jspecify.annotations.Nullable Set<String> included;
    private final java.util.Set<String> excluded = new java.util.HashSet<>();

    private Builder() {}

    /**
     * Reference sizes up to this use p-value tests, above it distances.
     *
     * @param n at least 0
     * @return this builder
     */
    public Builder smallSampleMax(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("smallSampleMax must be >= 0, got " + n);
      }
      smallSampleMax = n;
      return this;
    }

    /**
     * Numeric columns with at most this many distinct values are compared as categories.
     *
     * @param n at least 0
     * @return this builder
     */
    public Builder categoricalUniqueMax(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("categoricalUniqueMax must be >= 0, got " + n);
      }
      categoricalUniqueMax = n;
      return this;
    }

    /**
     * Number of quantile bins for proportion tests on numeric columns.
     *
     * @param n 2..1000
     * @return this builder
     */
    public Builder bins(int n) {
      if (n < 2 || n > 1000) {
        throw new IllegalArgumentException("bins must be in 2..1000, got " + n);
      }
      bins = n;
      return this;
    }

    /**
     * Share of drifted columns at which the dataset drifts.
     *
     * @param share in (0, 1]
     * @return this builder
     */
    public Builder driftShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("driftShare must be in (0, 1], got " + share);
      }
      driftShare = share;
      return this;
    }

    /**
     * Multiple-testing correction.
     *
     * @param c the correction
     * @return this builder
     */
    public Builder correction(Correction c) {
      correction = Objects.requireNonNull(c, "correction");
      return this;
    }

    /**
     * Threshold of a test on every column (unless a column has its own).
     *
     * @param test the test
     * @param threshold alpha in (0, 1) for p-value tests, a positive distance otherwise
     * @return this builder
     */
    public Builder threshold(DriftTest test, double threshold) {
      checkThreshold(test.hasPValue(), threshold, test.id());
      thresholds.put(test, threshold);
      return this;
    }

    /**
     * Runs a given test on a column instead of the default rule's choice.
     *
     * @param column the column name
     * @param test the test
     * @return this builder
     */
    public Builder test(String column, DriftTest test) {
      columnTests.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(test, "test"));
      return this;
    }

    /**
     * Runs a given test with a given threshold on a column.
     *
     * @param column the column name
     * @param test the test
     * @param threshold its threshold
     * @return this builder
     */
    public Builder test(String column, DriftTest test, double threshold) {
      checkThreshold(test.hasPValue(), threshold, "column '" + column + "'");
      test(column, test);
      columnThresholds.put(column, threshold);
      return this;
    }

    /**
     * Compares only these columns (and others given to earlier or later calls): the rest are left
     * out of the comparison and of the dataset's drift share, as when data is split into groups by
     * a column that would otherwise count as drifted.
     *
     * @param columns the columns to compare
     * @return this builder
     */
    public Builder include(String... columns) {
      java.util.Set<String> in = included == null ? new java.util.HashSet<>() : included;
      for (String c : columns) {
        in.add(Objects.requireNonNull(c, "column"));
      }
      included = in;
      return this;
    }

    /**
     * Leaves these columns out of the comparison and of the dataset's drift share.
     *
     * @param columns the columns not to compare
     * @return this builder
     */
    public Builder exclude(String... columns) {
      for (String c : columns) {
        excluded.add(Objects.requireNonNull(c, "column"));
      }
      return this;
    }

    private static void checkThreshold(boolean pValue, double t, String what) {
      if (pValue ? !(t > 0 && t < 1) : !(t > 0 && Double.isFinite(t))) {
        throw new IllegalArgumentException("Threshold of " + what + " must be "
            + (pValue ? "an alpha in (0, 1)" : "a positive finite distance") + ", got " + t);
      }
    }

    /**
     * The options.
     *
     * @return the immutable options
     */
    public DriftOptions build() {
      return new DriftOptions(this);
    }
  }
}
