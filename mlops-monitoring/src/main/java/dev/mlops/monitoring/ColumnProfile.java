package dev.mlops.monitoring;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.stats.ColumnKind;
import dev.mlops.stats.ColumnStatistics;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.stats.internal.ValueCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.jspecify.annotations.Nullable;

/**
 * Mergeable statistics of one column. Immutable and thread-safe.
 *
 * <p>Exact parts: {@link #count()}, {@link #nullCount()}, NaN and infinity counts, {@link #min()},
 * {@link #max()}, and {@link #mean()} and {@link #variance()}: a profile built in one process holds
 * them from exact sums ({@link dev.mlops.stats.ColumnStatistics}), rounded once, whatever the order
 * and split of its rows; profiles merged after they were made (or read) carry rounded moments, combined
 * with the parallel algorithm of Chan, Golub and LeVeque (1979), so they agree with a single pass to
 * about {@code 1e-12} relative error (measured by the property tests).
 *
 * <p>Sketched parts: quantiles and ranks come from a KLL sketch whose normalized rank error is
 * {@link #quantileRankError()} (about 1.33% for the default {@code k = 200}, 99% confidence; 1.65% for
 * differences of two ranks, as in histogram bins); the
 * distinct count from an HLL sketch (about 1.6% relative standard error at {@code lgK = 12}); frequent
 * items of categorical columns from a frequent-items sketch, exact while the column has at most 768
 * distinct values with the default options. Numeric values that are NaN or infinite are counted but
 * kept out of moments and sketches.
 *
 * <p>{@link #merge} is associative and commutative: exact for counts, min and max, within the
 * tolerance above for moments, within the sketches' error for quantiles and distinct counts.
 */
public final class ColumnProfile {
  private final Field field;
  private final ColumnKind kind;
  private final ProfileOptions options;
  private final long count;
  private final long nulls;
  private final long nans;
  private final long posInf;
  private final long negInf;
  private final long valid;
  private final double mean;
  private final double m2;
  private final double min;
  private final double max;
  private final @Nullable KllDoublesSketch kll;
  private final HllSketch hll;
  private final @Nullable ItemsSketch<String> items;
  private final @Nullable ValueCounts values;

  ColumnProfile(Field field, ProfileOptions options, long count, long nulls, long nans, long posInf,
      long negInf, long valid, double mean, double m2, double min, double max,
      @Nullable KllDoublesSketch kll, HllSketch hll, @Nullable ItemsSketch<String> items,
      @Nullable ValueCounts values) {
    this.field = field;
    this.kind = ColumnKind.of(field.type());
    this.options = options;
    this.count = count;
    this.nulls = nulls;
    this.nans = nans;
    this.posInf = posInf;
    this.negInf = negInf;
    this.valid = valid;
    boolean numericValues = kind == ColumnKind.NUMERIC && valid > 0;
    this.mean = numericValues ? mean : Double.NaN;
    this.m2 = numericValues ? m2 : Double.NaN;
    this.min = numericValues ? min : Double.NaN;
    this.max = numericValues ? max : Double.NaN;
    this.kll = kll;
    this.hll = hll;
    this.items = items;
    this.values = values;
  }

  /**
   * A profile of a column with no values.
   *
   * @param field the column
   * @param options sketch sizes
   * @return the empty profile
   */
  public static ColumnProfile empty(Field field, ProfileOptions options) {
    return of(ColumnStatistics.of(field, options));
  }

  /**
   * The profiled column.
   *
   * @return the field
   */
  public Field field() {
    return field;
  }

  /**
   * The column name.
   *
   * @return the name
   */
  public String name() {
    return field.name();
  }

  /**
   * The column type.
   *
   * @return the type
   */
  public DataType type() {
    return field.type();
  }

  /**
   * How the column is profiled.
   *
   * @return the kind
   */
  public ColumnKind kind() {
    return kind;
  }

  /**
   * The sketch sizes.
   *
   * @return the options
   */
  public ProfileOptions options() {
    return options;
  }

  /**
   * All values seen, nulls, NaN and infinities included.
   *
   * @return the count
   */
  public long count() {
    return count;
  }

  /**
   * Missing values.
   *
   * @return the count
   */
  public long nullCount() {
    return nulls;
  }

  /**
   * NaN values of a numeric column.
   *
   * @return the count
   */
  public long nanCount() {
    return nans;
  }

  /**
   * Positive infinities of a numeric column.
   *
   * @return the count
   */
  public long positiveInfinityCount() {
    return posInf;
  }

  /**
   * Negative infinities of a numeric column.
   *
   * @return the count
   */
  public long negativeInfinityCount() {
    return negInf;
  }

  /**
   * Values that enter the statistics: finite numbers of a numeric column, non-null values otherwise.
   *
   * @return the count
   */
  public long validCount() {
    return valid;
  }

  /**
   * Smallest finite value.
   *
   * @return the minimum, NaN when there is none or the column is not numeric
   */
  public double min() {
    return min;
  }

  /**
   * Largest finite value.
   *
   * @return the maximum, NaN when there is none or the column is not numeric
   */
  public double max() {
    return max;
  }

  /**
   * Mean of the finite values.
   *
   * @return the mean, NaN when there is none
   */
  public double mean() {
    return mean;
  }

  /**
   * Sum of squared deviations from the mean (Welford's / Chan's M2).
   *
   * @return M2, NaN when there are no finite values
   */
  public double m2() {
    return m2;
  }

  /**
   * Population variance ({@code M2 / n}, numpy's {@code ddof=0}).
   *
   * @return the variance, NaN when there are no finite values
   */
  public double variance() {
    return valid == 0 ? Double.NaN : Math.max(0.0, m2) / valid;
  }

  /**
   * Sample variance ({@code M2 / (n - 1)}).
   *
   * @return the variance, NaN with fewer than two finite values
   */
  public double sampleVariance() {
    return valid < 2 ? Double.NaN : Math.max(0.0, m2) / (valid - 1);
  }

  /**
   * Population standard deviation.
   *
   * @return {@code sqrt(variance())}
   */
  public double stddev() {
    return Math.sqrt(variance());
  }

  /**
   * Normalized rank error of the quantile sketch (99% confidence, single-sided rank).
   *
   * @return e.g. about 0.0133 for k = 200
   */
  public double quantileRankError() {
    return options.rankError();
  }

  /**
   * Estimated quantile of the finite values.
   *
   * @param rank normalized rank in [0, 1]
   * @return the quantile, NaN when there are no finite values or the column is not numeric
   */
  public double quantile(double rank) {
    if (kll == null || valid == 0) {
      return Double.NaN;
    }
    synchronized (kll) {
      return kll.getQuantile(rank);
    }
  }

  /**
   * Estimated fraction of finite values {@code <= x}.
   *
   * @param x the value
   * @return the normalized rank, NaN when there are no finite values or the column is not numeric
   */
  public double rank(double x) {
    if (kll == null || valid == 0) {
      return Double.NaN;
    }
    synchronized (kll) {
      return kll.getRank(x, QuantileSearchCriteria.INCLUSIVE);
    }
  }

  /**
   * A read-only copy of the quantile sketch, for callers that need DataSketches' own algorithms
   * (for example {@code KolmogorovSmirnov.computeKSDelta}).
   *
   * @return the sketch; empty for non-numeric columns
   */
  public KllDoublesSketch quantileSketch() {
    if (kll == null) {
      return KllDoublesSketch.newHeapInstance(options.kllK());
    }
    synchronized (kll) {
      return KllDoublesSketch.wrap(Memory.wrap(kll.toByteArray()));
    }
  }

  /**
   * A histogram of the finite values with the given bin edges, estimated from the quantile sketch.
   * Values outside the edges are not counted.
   *
   * @param edges ascending, at least two
   * @return the histogram; all zero for empty or non-numeric columns
   */
  public Histogram histogram(double[] edges) {
    if (edges.length < 2) {
      throw new IllegalArgumentException("A histogram needs at least two edges, got " + edges.length);
    }
    double[] counts = new double[edges.length - 1];
    if (kll != null && valid > 0) {
      double[] r;
      synchronized (kll) {
        r = kll.getRanks(edges, QuantileSearchCriteria.EXCLUSIVE);
        r[r.length - 1] = kll.getRank(edges[edges.length - 1], QuantileSearchCriteria.INCLUSIVE);
      }
      for (int b = 0; b < counts.length; b++) {
        counts[b] = Math.max(0.0, r[b + 1] - r[b]) * valid;
      }
    }
    return Histogram.of(edges, counts);
  }

  /**
   * Equal-width histogram between {@link #min()} and {@link #max()}.
   *
   * @param bins number of bins, at least 1
   * @return the histogram; a single zero-width bin for a constant column
   */
  public Histogram histogram(int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, got " + bins);
    }
    if (valid == 0 || kind != ColumnKind.NUMERIC) {
      return Histogram.of(new double[] {0, 0}, new double[] {0});
    }
    return histogram(equalWidthEdges(min, max, bins));
  }

  /**
   * Equal-width bin edges from lo to hi; one zero-width bin when lo equals hi.
   *
   * @param lo lower edge
   * @param hi upper edge, at least lo
   * @param bins number of bins
   * @return the edges
   */
  public static double[] equalWidthEdges(double lo, double hi, int bins) {
    if (!(hi > lo)) {
      return new double[] {lo, lo};
    }
    double[] e = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      e[i] = lo + (hi - lo) * i / bins;
    }
    e[bins] = hi;
    return e;
  }

  /**
   * Estimated number of distinct valid values: exact while value counts are tracked (numeric columns
   * with few values, categorical columns within the frequent-items sketch's exact range), an HLL
   * estimate otherwise.
   *
   * @return the count, rounded
   */
  public long distinctCount() {
    if (values != null && !values.overflowed()) {
      return values.size();
    }
    if (items != null && items.getMaximumError() == 0) {
      return items.getNumActiveItems();
    }
    return Math.round(hll.getEstimate());
  }

  /**
   * Whether {@link #categoryCounts()} are exact counts of every value.
   *
   * @return true for categorical columns within the sketch's exact range and for numeric columns
   *     with at most {@link ProfileOptions#maxTrackedValues()} distinct values
   */
  public boolean hasExactCategoryCounts() {
    if (values != null) {
      return !values.overflowed();
    }
    return items != null && items.getMaximumError() == 0;
  }

  /**
   * Counts per value, in descending count order (numeric columns: ascending value order, values
   * written in canonical JSON number form). For categorical columns beyond the exact range these are
   * the sketch's estimates of its heavy hitters only.
   *
   * @return value to count; empty for numeric columns with many distinct values
   */
  public Map<String, Long> categoryCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (values != null) {
      if (!values.overflowed()) {
        values.toMap().forEach((k, v) -> out.put(CanonicalJson.formatDouble(k), v));
      }
      return out;
    }
    if (items != null) {
      for (FrequentItem f : frequentItems(Integer.MAX_VALUE)) {
        out.put(f.value(), f.estimate());
      }
    }
    return out;
  }

  /**
   * Exact counts of a numeric column's finite values, while it has at most
   * {@link ProfileOptions#maxTrackedValues()} distinct values.
   *
   * @return value to count in ascending value order; empty for other columns or more values
   */
  public Map<Double, Long> numericValueCounts() {
    return values == null || values.overflowed() ? Map.of() : values.toMap();
  }

  /**
   * The most frequent values of a categorical column, most frequent first (ties by value).
   *
   * @param limit at most this many
   * @return the items; empty for other kinds
   */
  public List<FrequentItem> frequentItems(int limit) {
    List<FrequentItem> out = new ArrayList<>();
    if (items == null || items.isEmpty()) {
      return out;
    }
    ItemsSketch.Row<String>[] rows;
    synchronized (items) {
      rows = items.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES);
    }
    Arrays.sort(rows, (a, b) -> a.getEstimate() != b.getEstimate()
        ? Long.compare(b.getEstimate(), a.getEstimate()) : a.getItem().compareTo(b.getItem()));
    for (int i = 0; i < rows.length && out.size() < limit; i++) {
      out.add(new FrequentItem(rows[i].getItem(), rows[i].getEstimate(), rows[i].getLowerBound(),
          rows[i].getUpperBound()));
    }
    return out;
  }

  /**
   * Merges two profiles of the same column; neither changes.
   *
   * @param other a profile of a column with the same name and type, built with the same options
   * @return the combined profile
   * @throws SchemaMismatchException when name or type differ
   * @throws IllegalArgumentException when the options differ
   */
  public ColumnProfile merge(ColumnProfile other) {
    checkMergeable(other);
    ColumnStatistics acc = ColumnStatistics.of(field, options);
    mergeInto(acc);
    other.mergeInto(acc);
    return of(acc);
  }

  /** A frozen copy of statistics: the sketches are copied, the moments rounded once. */
  static ColumnProfile of(ColumnStatistics s) {
    ValueCounts vc = null;
    if (s.kind() == ColumnKind.NUMERIC) {
      vc = new ValueCounts(s.options().maxTrackedValues());
      Map<Double, Long> m = s.exactValueCounts();
      if (m == null) {
        vc.markOverflowed();
      } else {
        for (Map.Entry<Double, Long> e : m.entrySet()) {
          vc.add(e.getKey(), e.getValue());
        }
      }
    }
    return new ColumnProfile(s.field(), s.options(), s.count(), s.nullCount(), s.nanCount(),
        s.positiveInfinityCount(), s.negativeInfinityCount(), s.validCount(), s.mean(), s.m2(), s.min(), s.max(),
        s.quantileSketch(), s.distinctSketch().copyAs(TgtHllType.HLL_4), s.frequentItemsSketch(), vc);
  }

  /**
   * This profile's states as mergeable statistics (the sketches copied), to merge with statistics
   * of more rows. Moments come back rounded, as the profile holds them.
   *
   * @return fresh statistics equal to this profile
   */
  public ColumnStatistics statistics() {
    ColumnStatistics s = ColumnStatistics.of(field, options);
    mergeInto(s);
    return s;
  }

  /** Folds this profile into statistics of the same column, reading its sketches without a copy. */
  void mergeInto(ColumnStatistics target) {
    target.mergeSummary(count, nulls, nans, posInf, negInf, valid, mean, m2, min, max, kll, hll, items,
        values == null || values.overflowed() ? null : values.toMap());
  }

  void checkMergeable(ColumnProfile other) {
    if (!field.name().equals(other.field.name()) || !field.type().equals(other.field.type())) {
      throw new SchemaMismatchException("Cannot merge profile of column '" + other.name() + "' ("
          + other.type() + ") into profile of column '" + name() + "' (" + type()
          + "); merge profiles of the same column only");
    }
    if (!options.equals(other.options)) {
      throw new IllegalArgumentException("Column '" + name() + "': cannot merge profiles built with "
          + options + " and " + other.options + "; build both with the same ProfileOptions");
    }
  }

  @Nullable KllDoublesSketch kllOrNull() {
    return kll;
  }

  HllSketch hllOrNull() {
    return hll;
  }

  @Nullable ItemsSketch<String> itemsOrNull() {
    return items;
  }

  @Nullable ValueCounts valueCountsOrNull() {
    return values;
  }

  @Override
  public String toString() {
    return "ColumnProfile[" + name() + ":" + type() + ", count=" + count + ", nulls=" + nulls
        + (kind == ColumnKind.NUMERIC ? ", mean=" + mean + ", min=" + min + ", max=" + max : "")
        + ", distinct~" + distinctCount() + "]";
  }
}
