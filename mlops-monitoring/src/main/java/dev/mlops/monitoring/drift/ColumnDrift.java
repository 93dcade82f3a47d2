package dev.mlops.monitoring.drift;

/**
 * The drift verdict of one column, with the raw score even when nothing fires.
 *
 * @param column the column name
 * @param test the test that was run
 * @param statistic the test statistic (KS D, chi-squared, z, or the distance); NaN when the test
 *     could not run (see {@code note})
 * @param statisticError how far the raw data's statistic can be from this one given the sketches'
 *     error (99% confidence); 0 when exact, infinite when no bound is known. A distance drifts only
 *     when {@code statistic - statisticError} reaches the threshold
 * @param pValue the p-value for p-value tests (KS from profiles included: approximate when computed
 *     from KLL sketches, see the note), NaN for distances and for KS with a single value on a side
 * @param pValueLow the smallest p-value the data behind the profiles can have, given the sketches'
 *     error; equal to {@code pValue} when it is exact
 * @param pValueHigh the largest such p-value; equal to {@code pValue} when it is exact. A p-value
 *     test drifts only when this is below the threshold
 * @param threshold alpha for p-value tests (after any multiple-testing correction), the distance
 *     threshold otherwise
 * @param drifted the verdict: drift shown even allowing for the sketches' error (see
 *     {@link #inconclusive()})
 * @param referenceCount valid values in the reference
 * @param currentCount valid values in the current data
 * @param note why the test could not run, or how the result was computed; empty when nothing to say
 */
public record ColumnDrift(String column, DriftTest test, double statistic, double statisticError, double pValue,
    double pValueLow, double pValueHigh, double threshold, boolean drifted, long referenceCount, long currentCount,
    String note) {

  /**
   * A result whose p-value is exact (or absent): its bounds are the p-value itself.
   *
   * @param column the column name
   * @param test the test
   * @param statistic the statistic
   * @param pValue the p-value, or NaN
   * @param threshold the threshold
   * @param drifted the verdict
   * @param referenceCount valid reference values
   * @param currentCount valid current values
   * @param note the note
   * @return the result
   */
  public static ColumnDrift exact(String column, DriftTest test, double statistic, double pValue, double threshold,
      boolean drifted, long referenceCount, long currentCount, String note) {
    return new ColumnDrift(column, test, statistic, 0.0, pValue, pValue, pValue, threshold, drifted, referenceCount,
        currentCount, note);
  }

  /**
   * Whether the sketches' error leaves the verdict open: no drift could be shown, but the data behind
   * the profiles could have given a p-value below the threshold. Counted neither as drift nor as
   * no drift ({@link DatasetDrift#inconclusiveColumns()}); compare the raw data, or profiles with a
   * larger {@code kllK}, to decide.
   *
   * @return true when inconclusive
   */
  public boolean inconclusive() {
    if (!computed() || drifted) {
      return false;
    }
    if (test.hasPValue()) {
      return hasPValue() && pValueLow < threshold;
    }
    return statistic + statisticError >= threshold;
  }

  /**
   * Whether a p-value is present.
   *
   * @return true when {@code pValue} is a number
   */
  public boolean hasPValue() {
    return !Double.isNaN(pValue);
  }

  /**
   * Whether the test ran.
   *
   * @return false when the statistic is NaN (no data, unsupported column)
   */
  public boolean computed() {
    return !Double.isNaN(statistic);
  }

  /**
   * How far the result is from its threshold, comparable across tests: {@code log(p) / log(alpha)}
   * for p-values, {@code statistic / threshold} for distances. Values at or above 1 are drift, and
   * a result is drift exactly when its score is at least 1.
   *
   * @return the score; 0 when not computed, or when a p-value test gave no p-value
   */
  public double score() {
    if (!computed()) {
      return 0;
    }
    if (test.hasPValue() && !hasPValue()) {
      // A p-value test that could not give a p-value (KS with one value on a side) has no verdict:
      // its statistic over alpha would rank a non-result above every real drift.
      return 0;
    }
    if (hasPValue()) {
      // The largest p-value the sketches allow: the score reaches 1 only where drift is shown.
      double p = Math.max(pValueHigh, Double.MIN_NORMAL);
      return threshold <= 0 || threshold >= 1 ? 0 : Math.log(p) / Math.log(threshold);
    }
    // The smallest statistic the sketches allow: the score reaches 1 only where drift is shown.
    double shown = Math.max(0, statistic - statisticError);
    return threshold > 0 ? shown / threshold : (shown > 0 ? Double.MAX_VALUE : 0);
  }

  ColumnDrift withThreshold(double newThreshold, boolean newDrifted) {
    return new ColumnDrift(column, test, statistic, statisticError, pValue, pValueLow, pValueHigh, newThreshold,
        newDrifted, referenceCount, currentCount, note);
  }
}
