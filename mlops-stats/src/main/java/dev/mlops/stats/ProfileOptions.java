package dev.mlops.stats;

import org.apache.datasketches.kll.KllSketch;

/**
 * Sketch sizes of a profile. The defaults give, per column, a normalized rank error for
 * quantiles (KLL, {@code k = 200}: about 1.33% for a single rank and 1.65% for
 * differences of ranks such as histogram bins, both at 99% confidence), about 1.6% relative standard
 * error for the distinct count (HLL, {@code lgK = 12}), and exact frequent-item counts while a
 * categorical column has at most {@code 0.75 * 1024 = 768} distinct values (above that, the
 * frequent-items sketch keeps the heavy hitters with its documented error bound).
 *
 * @param kllK KLL accuracy parameter, 8..65535; single-rank error is about {@code 1.33% * 200 / k}
 * @param hllLgK log2 of the HLL register count, 4..21
 * @param frequentItemsMaxMapSize maximum map size of the frequent-items sketch, a power of two >= 8
 * @param maxTrackedValues numeric columns keep exact counts of up to this many distinct values (used
 *     to treat low-cardinality numeric columns as categorical in drift tests), 0..1024
 */
public record ProfileOptions(int kllK, int hllLgK, int frequentItemsMaxMapSize, int maxTrackedValues) {
  /** KLL k used by {@link #defaults()}. */
  public static final int DEFAULT_KLL_K = 200;

  /**
   * Validates the components.
   *
   * @param kllK KLL k
   * @param hllLgK HLL lgK
   * @param frequentItemsMaxMapSize frequent-items map size
   * @param maxTrackedValues exact value counts kept for numeric columns
   */
  public ProfileOptions {
    if (kllK < 8 || kllK > 65535) {
      throw new IllegalArgumentException("kllK must be in 8..65535, got " + kllK + "; 200 is the usual choice");
    }
    if (hllLgK < 4 || hllLgK > 21) {
      throw new IllegalArgumentException("hllLgK must be in 4..21, got " + hllLgK + "; 12 is the usual choice");
    }
    if (frequentItemsMaxMapSize < 8 || Integer.bitCount(frequentItemsMaxMapSize) != 1) {
      throw new IllegalArgumentException("frequentItemsMaxMapSize must be a power of two >= 8, got "
          + frequentItemsMaxMapSize);
    }
    if (maxTrackedValues < 0 || maxTrackedValues > 1024) {
      throw new IllegalArgumentException("maxTrackedValues must be in 0..1024, got " + maxTrackedValues);
    }
  }

  /**
   * k = 200, lgK = 12, frequent-items map of 1024, exact counts of up to 32 numeric values.
   *
   * @return the default options
   */
  public static ProfileOptions defaults() {
    return new ProfileOptions(DEFAULT_KLL_K, 12, 1024, 32);
  }

  /**
   * The KLL normalized rank error of these options (single-sided rank, 99% confidence).
   *
   * @return e.g. about 0.0133 for k = 200
   */
  public double rankError() {
    return KllSketch.getNormalizedRankError(kllK, false);
  }
}
