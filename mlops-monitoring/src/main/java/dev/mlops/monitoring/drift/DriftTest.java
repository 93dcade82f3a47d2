package dev.mlops.monitoring.drift;

/**
 * The per-column drift tests. P-value tests report drift when {@code p < threshold}; distance tests
 * when {@code statistic >= threshold}. Default thresholds follow Evidently's presets.
 */
public enum DriftTest {
  /** Two-sample Kolmogorov-Smirnov on numeric values; p-value test, default alpha 0.05. */
  KOLMOGOROV_SMIRNOV("ks", true, 0.05, true, false),
  /** Chi-squared test of homogeneity on the 2 x k table of category counts; default alpha 0.05. */
  CHI_SQUARED("chi_squared", true, 0.05, false, true),
  /** Two-proportion Z-test for binary columns (pooled variance, two-sided); default alpha 0.05. */
  Z_TEST("z_test", true, 0.05, false, true),
  /** Population stability index on binned proportions; distance, default threshold 0.1. */
  PSI("psi", false, 0.1, true, true),
  /** Jensen-Shannon distance (natural log, range 0..sqrt(ln 2)); distance, default threshold 0.1. */
  JENSEN_SHANNON("jensen_shannon", false, 0.1, true, true),
  /** Wasserstein-1 distance divided by the reference standard deviation; distance, default 0.1. */
  WASSERSTEIN_NORMED("wasserstein_normed", false, 0.1, true, false),
  /** Hellinger distance of binned proportions (range 0..1); distance, default threshold 0.1. */
  HELLINGER("hellinger", false, 0.1, true, true),
  /** L-infinity distance (largest absolute difference of proportions); distance, default 0.1. */
  L_INFINITY("l_infinity", false, 0.1, true, true);

  private final String id;
  private final boolean pValue;
  private final double defaultThreshold;
  private final boolean numeric;
  private final boolean categorical;

  DriftTest(String id, boolean pValue, double defaultThreshold, boolean numeric, boolean categorical) {
    this.id = id;
    this.pValue = pValue;
    this.defaultThreshold = defaultThreshold;
    this.numeric = numeric;
    this.categorical = categorical;
  }

  /**
   * The short name used in JSON and reports, e.g. {@code ks}.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Whether the test yields a p-value (drift when {@code p < threshold}); otherwise it is a distance
   * (drift when {@code statistic >= threshold}).
   *
   * @return true for KS, chi-squared and Z-test
   */
  public boolean hasPValue() {
    return pValue;
  }

  /**
   * The default threshold: alpha for p-value tests, the distance otherwise.
   *
   * @return the threshold
   */
  public double defaultThreshold() {
    return defaultThreshold;
  }

  /**
   * Whether the test applies to numeric values (binned where it needs proportions).
   *
   * @return true when it does
   */
  public boolean appliesToNumeric() {
    return numeric;
  }

  /**
   * Whether the test applies to category counts.
   *
   * @return true when it does
   */
  public boolean appliesToCategorical() {
    return categorical;
  }
}
