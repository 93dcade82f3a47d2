package dev.mlops.monitoring.drift;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * The statistics behind the drift tests, on samples or on count and proportion vectors. P-values come
 * from Apache Commons Statistics; each function matches the SciPy function named in its
 * documentation to 1e-9 relative error on the golden inputs kept in the test resources.
 *
 * <p>Every function returns a defined value for degenerate input (empty, constant, all-zero): it
 * never divides by zero and never throws from inside.
 */
public final class DriftStatistics {
  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
  /** Proportion substituted for an empty bin by {@link #psi}, as Evidently does. */
  public static final double PSI_EPSILON = 1e-4;
  /**
   * Largest sample per side that {@link #kolmogorovSmirnovWeighted} expands; larger sides are replaced
   * by a quantile sample of this size (8 MB of doubles).
   */
  public static final int KS_SAMPLE_MAX = 1_000_000;

  private DriftStatistics() {}

  /**
   * A statistic and its p-value.
   *
   * @param statistic the statistic
   * @param pValue the p-value; NaN when the test has none
   */
  public record Result(double statistic, double pValue) {}

  /**
   * Two-sample two-sided Kolmogorov-Smirnov test (SciPy {@code ks_2samp}). The p-value is exact for
   * small samples and asymptotic for large ones, as Commons Statistics' {@code PValueMethod.AUTO}
   * chooses (exact while both samples have fewer than 10,000 values). NaN and infinite values are ignored.
   *
   * @param reference reference sample
   * @param current current sample
   * @return D and the p-value; (0, 1) when either sample is empty or both are the same constant; the
   *     p-value is NaN when either sample has a single value (Commons Statistics needs two)
   */
  public static Result kolmogorovSmirnov(double[] reference, double[] current) {
    return ks(finite(reference), finite(current));
  }

  /**
   * Two-sample Kolmogorov-Smirnov test on two weighted samples given as ascending values with
   * cumulative counts, such as exact value counts ({@code value -> count}) or the sorted view of a KLL
   * sketch (each retained item with its weight). Each side is expanded to the sample it describes
   * (every value repeated by its count) and tested with Commons Statistics exactly as
   * {@link #kolmogorovSmirnov} tests raw samples, so exact counts give exactly the raw samples' D and
   * p-value, ties included.
   *
   * <p>A side of more than {@link #KS_SAMPLE_MAX} values is replaced by its deterministic quantile
   * sample of {@code KS_SAMPLE_MAX} values: value {@code j} (from 0) is the one at 0-based position
   * {@code floor((j + 0.5) * total / KS_SAMPLE_MAX)} of the expanded sample. Its empirical CDF differs
   * from the side's by at most {@code 0.5 / KS_SAMPLE_MAX} everywhere, so D moves by at most
   * {@code 1e-6}; the p-value is then that of the smaller sample sizes, hence larger (more
   * conservative) than for the true sizes. Memory stays below {@code 8 * KS_SAMPLE_MAX} bytes per side
   * plus Commons Statistics' sorted copies.
   *
   * @param referenceValues ascending (non-decreasing) finite values of the reference
   * @param referenceCumulative cumulative counts at those values, non-decreasing, same length
   * @param currentValues ascending finite values of the current data
   * @param currentCumulative cumulative counts of the current data, same length as its values
   * @return D and the p-value, with the conventions of {@link #kolmogorovSmirnov}
   * @throws IllegalArgumentException when lengths differ, counts decrease, or values are not finite and
   *     ascending
   */
  public static Result kolmogorovSmirnovWeighted(double[] referenceValues, long[] referenceCumulative,
      double[] currentValues, long[] currentCumulative) {
    return ks(weightedSample(referenceValues, referenceCumulative, KS_SAMPLE_MAX, "reference"),
        weightedSample(currentValues, currentCumulative, KS_SAMPLE_MAX, "current"));
  }

  /**
   * The survival function of the Kolmogorov distribution, {@code P(K > lambda)} (SciPy
   * {@code kstwobign.sf}): the asymptotic two-sample KS p-value at {@code lambda = D sqrt(n m / (n + m))}.
   * Computed from the theta-function series for small lambda and the alternating series otherwise,
   * each summed until its terms stop mattering.
   *
   * @param lambda the scaled statistic
   * @return the probability, in [0, 1]
   */
  public static double kolmogorovSurvival(double lambda) {
    if (!(lambda > 0)) {
      return 1.0;
    }
    if (lambda < 1.18) {
      // 1 - sqrt(2 pi) / lambda * sum_k exp(-(2k - 1)^2 pi^2 / (8 lambda^2))
      double c = -Math.PI * Math.PI / (8 * lambda * lambda);
      double sum = 0;
      for (int k = 1; k <= 100; k++) {
        double t = Math.exp(c * (2 * k - 1) * (2 * k - 1));
        sum += t;
        if (t < 1e-17 * sum) {
          break;
        }
      }
      return Math.max(0.0, Math.min(1.0, 1 - Math.sqrt(2 * Math.PI) / lambda * sum));
    }
    // 2 sum_k (-1)^(k-1) exp(-2 k^2 lambda^2)
    double sum = 0;
    for (int k = 1; k <= 100; k++) {
      double t = Math.exp(-2.0 * k * k * lambda * lambda);
      sum += (k % 2 == 1) ? t : -t;
      if (t < 1e-17 * Math.abs(sum) || t == 0) {
        break;
      }
    }
    return Math.max(0.0, Math.min(1.0, 2 * sum));
  }

  /**
   * The size of the sample a weighted side stands for in {@link #kolmogorovSmirnovWeighted}.
   *
   * @param total the side's total count
   * @return {@code min(total, KS_SAMPLE_MAX)}
   */
  public static long ksEffectiveSize(long total) {
    return Math.min(total, KS_SAMPLE_MAX);
  }

  /**
   * The sample described by ascending values and cumulative counts, or its quantile sample of
   * {@code max} values when it is larger (see {@link #kolmogorovSmirnovWeighted}).
   */
  static double[] weightedSample(double[] values, long[] cumulative, int max, String side) {
    if (values.length != cumulative.length) {
      throw new IllegalArgumentException("The " + side + " side has " + values.length + " values but "
          + cumulative.length + " cumulative counts; give one cumulative count per value");
    }
    checkAscendingFinite(values, side + " values");
    long prev = 0;
    for (int i = 0; i < cumulative.length; i++) {
      if (cumulative[i] < prev) {
        throw new IllegalArgumentException("Cumulative counts of the " + side + " side must not decrease, but "
            + "index " + i + " has " + cumulative[i] + " after " + prev + "; pass running totals, not counts");
      }
      prev = cumulative[i];
    }
    long total = prev;
    if (total <= max) {
      double[] out = new double[(int) total];
      int j = 0;
      for (int i = 0; i < values.length; i++) {
        while (j < cumulative[i]) {
          out[j++] = values[i];
        }
      }
      return out;
    }
    // Position of value j is floor((2j + 1) * total / (2 max)), advanced exactly in integers.
    long twoMax = 2L * max;
    long pos = total / twoMax;
    long rem = total % twoMax;
    long stepQ = total / max;
    long stepR = 2 * (total % max);
    double[] out = new double[max];
    int i = 0;
    for (int j = 0; j < max; j++) {
      while (cumulative[i] <= pos) {
        i++;
      }
      out[j] = values[i];
      pos += stepQ;
      rem += stepR;
      if (rem >= twoMax) {
        rem -= twoMax;
        pos++;
      }
    }
    return out;
  }

  /** KS of two samples of finite values (not modified). */
  private static Result ks(double[] x, double[] y) {
    if (x.length == 0 || y.length == 0) {
      return new Result(0, 1);
    }
    if (constant(x) && constant(y) && x[0] == y[0]) {
      return new Result(0, 1);
    }
    if (x.length < 2 || y.length < 2) {
      double[] sx = x.clone();
      double[] sy = y.clone();
      Arrays.sort(sx);
      Arrays.sort(sy);
      return new Result(ksDistanceSorted(sx, ecdf(sx), sy, ecdf(sy)), Double.NaN);
    }
    KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults().test(x, y);
    return new Result(r.getStatistic(), r.getPValue());
  }

  /**
   * Chi-squared test of homogeneity of two count vectors over the same categories (SciPy
   * {@code chi2_contingency(..., correction=False)} on the 2 x k table). Categories empty in both
   * are dropped first.
   *
   * @param reference counts per category in the reference
   * @param current counts per category in the current data, same order and length
   * @return chi-squared and the p-value; (0, 1) when fewer than two categories or either side is empty
   */
  public static Result chiSquared(long[] reference, long[] current) {
    checkSameLength(reference.length, current.length);
    int k = 0;
    long refTotal = 0;
    long curTotal = 0;
    for (int i = 0; i < reference.length; i++) {
      if (reference[i] + current[i] > 0) {
        k++;
      }
      refTotal += reference[i];
      curTotal += current[i];
    }
    if (k < 2 || refTotal == 0 || curTotal == 0) {
      return new Result(0, 1);
    }
    long[][] table = new long[2][k];
    int j = 0;
    for (int i = 0; i < reference.length; i++) {
      if (reference[i] + current[i] > 0) {
        table[0][j] = reference[i];
        table[1][j++] = current[i];
      }
    }
    SignificanceResult r = ChiSquareTest.withDefaults().test(table);
    return new Result(r.getStatistic(), r.getPValue());
  }

  /**
   * Two-proportion Z-test with pooled variance, two-sided (as statsmodels' {@code proportions_ztest}).
   *
   * @param referenceHits reference values equal to the tested category
   * @param referenceTotal reference values
   * @param currentHits current values equal to the tested category
   * @param currentTotal current values
   * @return z and the p-value; (0, 1) when either total is 0 or the pooled proportion is 0 or 1
   */
  public static Result zTest(long referenceHits, long referenceTotal, long currentHits, long currentTotal) {
    if (referenceTotal <= 0 || currentTotal <= 0) {
      return new Result(0, 1);
    }
    double p1 = (double) referenceHits / referenceTotal;
    double p2 = (double) currentHits / currentTotal;
    double pooled = (double) (referenceHits + currentHits) / (referenceTotal + currentTotal);
    double var = pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal);
    if (!(var > 0)) {
      return new Result(0, 1);
    }
    double z = (p1 - p2) / Math.sqrt(var);
    double p = 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z));
    return new Result(z, Math.min(1.0, p));
  }

  /**
   * Population stability index {@code sum((c - r) * ln(c / r))} over proportions, each vector
   * normalized to sum 1 and empty bins replaced by {@link #PSI_EPSILON}.
   *
   * @param reference reference counts or proportions per bin
   * @param current current counts or proportions per bin, same length
   * @return the PSI, 0 when either vector sums to 0
   * @throws IllegalArgumentException when an entry is negative, NaN or infinite
   */
  public static double psi(double[] reference, double[] current) {
    double[][] pq = normalizedPair(reference, current);
    if (pq == null) {
      return 0;
    }
    double[] p = pq[0];
    double[] q = pq[1];
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double r = p[i] == 0 ? PSI_EPSILON : p[i];
      double c = q[i] == 0 ? PSI_EPSILON : q[i];
      s += (c - r) * Math.log(c / r);
    }
    return s;
  }

  /**
   * Jensen-Shannon distance with the natural logarithm (SciPy {@code jensenshannon(p, q)}): the square
   * root of the mean Kullback-Leibler divergence of each vector from their average. Each vector is
   * normalized to sum 1.
   *
   * @param reference reference counts or proportions
   * @param current current counts or proportions, same length
   * @return the distance in [0, sqrt(ln 2)]; 0 when either vector sums to 0
   * @throws IllegalArgumentException when an entry is negative, NaN or infinite
   */
  public static double jensenShannon(double[] reference, double[] current) {
    double[][] pq = normalizedPair(reference, current);
    if (pq == null) {
      return 0;
    }
    double[] p = pq[0];
    double[] q = pq[1];
    double left = 0;
    double right = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        left += p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        right += q[i] * Math.log(q[i] / m);
      }
    }
    return Math.sqrt(Math.max(0.0, (left + right) / 2));
  }

  /**
   * Hellinger distance {@code sqrt(1 - sum(sqrt(p * q)))} of the normalized vectors.
   *
   * @param reference reference counts or proportions
   * @param current current counts or proportions, same length
   * @return the distance in [0, 1]; 0 when either vector sums to 0
   * @throws IllegalArgumentException when an entry is negative, NaN or infinite
   */
  public static double hellinger(double[] reference, double[] current) {
    double[][] pq = normalizedPair(reference, current);
    if (pq == null) {
      return 0;
    }
    double[] p = pq[0];
    double[] q = pq[1];
    double bc = 0;
    for (int i = 0; i < p.length; i++) {
      bc += Math.sqrt(p[i] * q[i]);
    }
    return Math.sqrt(Math.max(0.0, 1 - bc));
  }

  /**
   * L-infinity distance: the largest absolute difference between the normalized vectors (TFDV's
   * categorical drift measure).
   *
   * @param reference reference counts or proportions
   * @param current current counts or proportions, same length
   * @return the distance in [0, 1]; 0 when either vector sums to 0
   * @throws IllegalArgumentException when an entry is negative, NaN or infinite
   */
  public static double lInfinity(double[] reference, double[] current) {
    double[][] pq = normalizedPair(reference, current);
    if (pq == null) {
      return 0;
    }
    double[] p = pq[0];
    double[] q = pq[1];
    double d = 0;
    for (int i = 0; i < p.length; i++) {
      d = Math.max(d, Math.abs(p[i] - q[i]));
    }
    return d;
  }

  /**
   * Wasserstein-1 distance between two samples (SciPy {@code wasserstein_distance(u, v)}): the area
   * between the empirical CDFs. NaN and infinite values are ignored.
   *
   * @param reference reference sample
   * @param current current sample
   * @return the distance; 0 when either sample is empty
   */
  public static double wasserstein(double[] reference, double[] current) {
    double[] x = finite(reference);
    double[] y = finite(current);
    Arrays.sort(x);
    Arrays.sort(y);
    return wassersteinSorted(x, ecdf(x), y, ecdf(y));
  }

  /**
   * Wasserstein-1 distance between two step CDFs given by their jump points: {@code cdfA[i]} is the
   * fraction of values {@code <= xsA[i]}. This is how the distance is computed from the sorted views
   * of two KLL sketches.
   *
   * @param xsA ascending jump points of A
   * @param cdfA cumulative fractions of A at those points, last one 1
   * @param xsB ascending jump points of B
   * @param cdfB cumulative fractions of B
   * @return the area between the CDFs; 0 when either is empty
   * @throws IllegalArgumentException when a point is not finite, points descend, or a fraction is outside
   *     [0, 1]
   */
  public static double wassersteinSorted(double[] xsA, double[] cdfA, double[] xsB, double[] cdfB) {
    return stepCdfDistances(xsA, cdfA, xsB, cdfB)[0];
  }

  /**
   * Largest absolute difference between two step CDFs (the Kolmogorov-Smirnov D), arguments as for
   * {@link #wassersteinSorted}.
   *
   * @param xsA ascending jump points of A
   * @param cdfA cumulative fractions of A
   * @param xsB ascending jump points of B
   * @param cdfB cumulative fractions of B
   * @return D in [0, 1]; 0 when either is empty
   * @throws IllegalArgumentException as {@link #wassersteinSorted} does
   */
  public static double ksDistanceSorted(double[] xsA, double[] cdfA, double[] xsB, double[] cdfB) {
    return stepCdfDistances(xsA, cdfA, xsB, cdfB)[1];
  }

  /**
   * One walk over the union of jump points: {area between the CDFs, largest gap}. The points are
   * checked finite first: then the head that gives {@code x} satisfies {@code <= x}, every step consumes
   * at least one point, and the walk ends after at most {@code xsA.length + xsB.length} steps (a NaN
   * point, for which every comparison is false, once made it spin forever).
   */
  private static double[] stepCdfDistances(double[] xsA, double[] cdfA, double[] xsB, double[] cdfB) {
    checkStepCdf(xsA, cdfA, "first");
    checkStepCdf(xsB, cdfB, "second");
    if (xsA.length == 0 || xsB.length == 0) {
      return new double[] {0, 0};
    }
    int i = 0;
    int j = 0;
    double fa = 0;
    double fb = 0;
    double prev = Math.min(xsA[0], xsB[0]);
    double w = 0;
    double d = 0;
    while (i < xsA.length || j < xsB.length) {
      double x = i == xsA.length ? xsB[j] : j == xsB.length ? xsA[i] : Math.min(xsA[i], xsB[j]);
      if (fa != fb) {
        // Only where the CDFs differ: 0 * (an overflowing span) would poison the sum with NaN.
        w += Math.abs(fa - fb) * (x - prev);
      }
      while (i < xsA.length && xsA[i] <= x) {
        fa = cdfA[i++];
      }
      while (j < xsB.length && xsB[j] <= x) {
        fb = cdfB[j++];
      }
      d = Math.max(d, Math.abs(fa - fb));
      prev = x;
    }
    return new double[] {w, d};
  }

  /** A step CDF as the public functions take it: finite ascending points, one finite fraction each. */
  private static void checkStepCdf(double[] xs, double[] cdf, String which) {
    if (xs.length != cdf.length) {
      throw new IllegalArgumentException("The " + which + " CDF has " + xs.length + " jump points but "
          + cdf.length + " cumulative fractions; give one fraction per point");
    }
    checkAscendingFinite(xs, which + " CDF's jump points");
    for (int i = 0; i < cdf.length; i++) {
      if (!(cdf[i] >= 0 && cdf[i] <= 1)) {
        throw new IllegalArgumentException("The " + which + " CDF's fraction at index " + i + " is " + cdf[i]
            + "; cumulative fractions lie in [0, 1]");
      }
    }
  }

  /**
   * Sorted-sample walks advance by comparisons, which NaN defeats (every comparison with it is false),
   * so their input is checked first.
   */
  private static void checkAscendingFinite(double[] xs, String what) {
    for (int i = 0; i < xs.length; i++) {
      if (!Double.isFinite(xs[i])) {
        throw new IllegalArgumentException("The " + what + " must be finite, but index " + i + " is " + xs[i]
            + "; drop NaN and infinities first");
      }
      if (i > 0 && xs[i] < xs[i - 1]) {
        throw new IllegalArgumentException("The " + what + " must be ascending, but index " + i + " (" + xs[i]
            + ") is below index " + (i - 1) + " (" + xs[i - 1] + ")");
      }
    }
  }

  private static double[] ecdf(double[] sorted) {
    double[] c = new double[sorted.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = (double) (i + 1) / sorted.length;
    }
    return c;
  }

  static double[] finite(double[] a) {
    int n = 0;
    for (double v : a) {
      if (Double.isFinite(v)) {
        n++;
      }
    }
    if (n == a.length) {
      return a.clone();
    }
    double[] out = new double[n];
    int j = 0;
    for (double v : a) {
      if (Double.isFinite(v)) {
        out[j++] = v;
      }
    }
    return out;
  }

  private static boolean constant(double[] a) {
    for (double v : a) {
      if (v != a[0]) {
        return false;
      }
    }
    return true;
  }

  /** Both vectors normalized to sum 1, or null when either sums to 0. */
  private static double @org.jspecify.annotations.Nullable [] @org.jspecify.annotations.Nullable [] normalizedPair(
      double[] reference, double[] current) {
    checkSameLength(reference.length, current.length);
    double[] p = normalize(reference);
    double[] q = normalize(current);
    return p == null || q == null ? null : new double[][] {p, q};
  }

  private static double @org.jspecify.annotations.Nullable [] normalize(double[] a) {
    double top = 0;
    for (double v : a) {
      if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("Counts and proportions must be finite non-negative numbers, got " + v);
      }
      top = Math.max(top, v);
    }
    if (top == 0) {
      return null;
    }
    // Scaled by the largest entry first, so a sum of large finite counts cannot overflow to infinity.
    double s = 0;
    for (double v : a) {
      s += v / top;
    }
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] / top / s;
    }
    return out;
  }

  private static void checkSameLength(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException("Reference and current vectors must have the same length (one entry "
          + "per category or bin); got " + a + " and " + b);
    }
  }
}
