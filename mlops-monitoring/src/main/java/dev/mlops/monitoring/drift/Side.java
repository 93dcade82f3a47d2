package dev.mlops.monitoring.drift;

import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.stats.ColumnKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.jspecify.annotations.Nullable;

/** One side of a column comparison: a profile (sketched) or a sample (exact). */
abstract class Side {
  abstract boolean numeric();

  abstract long validCount();

  abstract long distinctCount();

  /** Exact counts per value, or heavy hitters; null when unavailable (numeric, many values). */
  abstract @Nullable Map<String, Long> categories();

  abstract boolean exactCategories();

  abstract double stddev();

  abstract double min();

  abstract double max();

  abstract double quantile(double rank);

  abstract double[] histogram(double[] edges);

  /** Ascending jump points of the CDF. */
  abstract double[] cdfPoints();

  /** Cumulative fractions at {@link #cdfPoints()}. */
  abstract double[] cdfValues();

  /**
   * A column profile. Numeric columns with exact value counts (few distinct values) answer CDF,
   * quantile and histogram questions exactly from the counts; others from the KLL sketch.
   */
  static final class OfProfile extends Side {
    final ColumnProfile p;
    private double @Nullable [] xs;
    private double @Nullable [] cdf;
    private long @Nullable [] weights;
    private final @Nullable Counted exact;
    private @Nullable Map<String, Long> categories;
    private boolean categoriesLoaded;

    OfProfile(ColumnProfile p) {
      this.p = p;
      Map<Double, Long> counts = p.kind() == ColumnKind.NUMERIC ? p.numericValueCounts() : Map.of();
      this.exact = counts.isEmpty() ? null : new Counted(counts);
    }

    /** Whether CDF, quantiles and histograms are exact (from value counts). */
    boolean exactNumbers() {
      return exact != null;
    }

    @Override
    boolean numeric() {
      return p.kind() == ColumnKind.NUMERIC;
    }

    @Override
    long validCount() {
      return p.validCount();
    }

    @Override
    long distinctCount() {
      return p.distinctCount();
    }

    @Override
    @Nullable Map<String, Long> categories() {
      if (!categoriesLoaded) {
        Map<String, Long> m = p.categoryCounts();
        categories = m.isEmpty() && p.validCount() > 0 ? null : m;
        categoriesLoaded = true;
      }
      return categories;
    }

    @Override
    boolean exactCategories() {
      return p.hasExactCategoryCounts();
    }

    @Override
    double stddev() {
      return p.stddev();
    }

    @Override
    double min() {
      return p.min();
    }

    @Override
    double max() {
      return p.max();
    }

    @Override
    double quantile(double rank) {
      return exact != null ? exact.quantile(rank) : p.quantile(rank);
    }

    @Override
    double[] histogram(double[] edges) {
      return exact != null ? exact.histogram(edges) : p.histogram(edges).counts();
    }

    private void view() {
      if (exact != null) {
        xs = exact.cdfPoints();
        cdf = exact.cdfValues();
        return;
      }
      if (xs == null) {
        KllDoublesSketch s = p.quantileSketch();
        if (s.isEmpty()) {
          xs = new double[0];
          cdf = new double[0];
          weights = new long[0];
          return;
        }
        DoublesSortedView v = s.getSortedView();
        double[] q = v.getQuantiles();
        long[] w = v.getCumulativeWeights();
        double n = v.getN();
        double[] c = new double[w.length];
        for (int i = 0; i < c.length; i++) {
          c[i] = w[i] / n;
        }
        xs = q;
        cdf = c;
        weights = w;
      }
    }

    /** Ascending values of the sample this side stands for: exact values, or the sketch's retained items. */
    double[] sampleValues() {
      if (exact != null) {
        return exact.values;
      }
      view();
      return xs;
    }

    /** Cumulative counts at {@link #sampleValues()}: exact counts, or the sketch's cumulative weights. */
    long[] sampleCumulative() {
      if (exact != null) {
        return exact.cumulative;
      }
      view();
      return weights;
    }

    /**
     * How far this side's CDF may be from the data's at any point: 0 for exact counts or a sketch
     * still holding every value, else the KLL normalized rank error (single rank, 99% confidence).
     */
    double rankError() {
      if (exact != null) {
        return 0;
      }
      KllDoublesSketch s = p.quantileSketch();
      return s.isEstimationMode() ? s.getNormalizedRankError(false) : 0;
    }

    @Override
    double[] cdfPoints() {
      view();
      return xs;
    }

    @Override
    double[] cdfValues() {
      view();
      return cdf;
    }
  }

  /** Exact counts of a few distinct values, as a weighted step CDF. */
  static final class Counted {
    private final double[] values;
    private final long[] cumulative;
    private final long n;

    Counted(Map<Double, Long> counts) {
      values = new double[counts.size()];
      cumulative = new long[counts.size()];
      long c = 0;
      int i = 0;
      for (Map.Entry<Double, Long> e : counts.entrySet()) {
        c += e.getValue();
        values[i] = e.getKey();
        cumulative[i++] = c;
      }
      n = c;
    }

    double quantile(double rank) {
      long target = (long) Math.max(1, Math.ceil(rank * n));
      for (int i = 0; i < values.length; i++) {
        if (cumulative[i] >= target) {
          return values[i];
        }
      }
      return values[values.length - 1];
    }

    /** Edges must be strictly ascending. */
    double[] histogram(double[] edges) {
      double[] counts = new double[edges.length - 1];
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        if (v < edges[0] || v > edges[edges.length - 1]) {
          continue;
        }
        int b = Arrays.binarySearch(edges, v);
        int bin = b >= 0 ? b : -b - 2;
        counts[Math.min(Math.max(bin, 0), counts.length - 1)] += cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
      }
      return counts;
    }

    double[] cdfPoints() {
      return values.clone();
    }

    double[] cdfValues() {
      double[] c = new double[values.length];
      for (int i = 0; i < c.length; i++) {
        c[i] = (double) cumulative[i] / n;
      }
      return c;
    }
  }

  /** A numeric sample; NaN and infinities are dropped. */
  static final class OfNumbers extends Side {
    final double[] sorted;
    private final long distinct;

    OfNumbers(double[] values) {
      this.sorted = DriftStatistics.finite(values);
      Arrays.sort(sorted);
      long d = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          d++;
        }
      }
      this.distinct = d;
    }

    @Override
    boolean numeric() {
      return true;
    }

    @Override
    long validCount() {
      return sorted.length;
    }

    @Override
    long distinctCount() {
      return distinct;
    }

    @Override
    Map<String, Long> categories() {
      Map<String, Long> m = new LinkedHashMap<>();
      for (double v : sorted) {
        m.merge(CanonicalJson.formatDouble(v == 0.0 ? 0.0 : v), 1L, Long::sum);
      }
      return m;
    }

    @Override
    boolean exactCategories() {
      return true;
    }

    @Override
    double stddev() {
      int n = sorted.length;
      if (n == 0) {
        return Double.NaN;
      }
      double mean = 0;
      for (double v : sorted) {
        mean += v;
      }
      mean /= n;
      double m2 = 0;
      for (double v : sorted) {
        m2 += (v - mean) * (v - mean);
      }
      return Math.sqrt(m2 / n);
    }

    @Override
    double min() {
      return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    @Override
    double max() {
      return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    @Override
    double quantile(double rank) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(rank * sorted.length) - 1));
      return sorted[i];
    }

    /** Edges must be strictly ascending. */
    @Override
    double[] histogram(double[] edges) {
      double[] counts = new double[edges.length - 1];
      for (double v : sorted) {
        if (v < edges[0] || v > edges[edges.length - 1]) {
          continue;
        }
        int b = Arrays.binarySearch(edges, v);
        int bin = b >= 0 ? b : -b - 2;
        counts[Math.min(Math.max(bin, 0), counts.length - 1)]++;
      }
      return counts;
    }

    @Override
    double[] cdfPoints() {
      return sorted;
    }

    @Override
    double[] cdfValues() {
      double[] c = new double[sorted.length];
      for (int i = 0; i < c.length; i++) {
        c[i] = (double) (i + 1) / sorted.length;
      }
      return c;
    }
  }

  /** A categorical sample; nulls are dropped. */
  static final class OfCategories extends Side {
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final long n;

    OfCategories(@Nullable String[] values) {
      long c = 0;
      for (String v : values) {
        if (v != null) {
          counts.merge(v, 1L, Long::sum);
          c++;
        }
      }
      n = c;
    }

    @Override
    boolean numeric() {
      return false;
    }

    @Override
    long validCount() {
      return n;
    }

    @Override
    long distinctCount() {
      return counts.size();
    }

    @Override
    Map<String, Long> categories() {
      return counts;
    }

    @Override
    boolean exactCategories() {
      return true;
    }

    @Override
    double stddev() {
      return Double.NaN;
    }

    @Override
    double min() {
      return Double.NaN;
    }

    @Override
    double max() {
      return Double.NaN;
    }

    @Override
    double quantile(double rank) {
      return Double.NaN;
    }

    @Override
    double[] histogram(double[] edges) {
      return new double[edges.length - 1];
    }

    @Override
    double[] cdfPoints() {
      return new double[0];
    }

    @Override
    double[] cdfValues() {
      return new double[0];
    }
  }
}
