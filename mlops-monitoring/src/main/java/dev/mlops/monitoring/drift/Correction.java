package dev.mlops.monitoring.drift;

/** Multiple-testing correction applied to the p-value tests of a dataset comparison. */
public enum Correction {
  /** Each column is tested at its own alpha. */
  NONE,
  /** Each p-value test uses {@code alpha / m}, m = number of p-value tests (family-wise error). */
  BONFERRONI,
  /**
   * Benjamini-Hochberg step-up at level alpha (false discovery rate): the p-values are sorted, the
   * largest k with {@code p(k) <= k * alpha / m} is found, and every p-value up to {@code p(k)} is a
   * drift. The reported threshold is that cutoff {@code k * alpha / m} ({@code alpha / m} when none).
   */
  BENJAMINI_HOCHBERG
}
