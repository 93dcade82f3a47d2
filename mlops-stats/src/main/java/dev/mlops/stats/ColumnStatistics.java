package dev.mlops.stats;

import dev.mlops.core.Field;
import dev.mlops.stats.internal.ExactMoments;
import dev.mlops.stats.internal.SeededKll;
import dev.mlops.stats.internal.ValueCounts;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.jspecify.annotations.Nullable;

/**
 * The mergeable statistics of one column: counts of rows, nulls, NaN and infinities; minimum and
 * maximum; exact moments; a KLL quantile sketch, exact value counts while a numeric column has few
 * distinct values, an HLL distinct-count sketch and, for strings and booleans, a frequent-items
 * sketch. Validation's dataset rules and monitoring's profiles both read these states, so a
 * statistic is computed by one piece of code however it is used, and states of disjoint parts of a
 * dataset {@link #merge merge} into the state of the whole (files, batches, Spark partitions).
 *
 * <p>What is exact and what is not:
 *
 * <ul>
 *   <li>counts, minimum and maximum: exact;
 *   <li>mean and M2 (hence standard deviation): exact sums of the values and their squares, rounded
 *       once when read, so they do not depend on the order or the split of the rows. A state made
 *       from a summary ({@link #ofSummary}, as a profile file holds it) carries its moments as
 *       rounded doubles; merged with it, the moments follow Chan et al.'s combination instead and
 *       {@link #momentsExact()} is false;
 *   <li>quantiles: exact while the KLL sketch holds every value (up to about {@code kllK} values) or
 *       while exact value counts are kept; beyond that KLL's estimate, with the rank error
 *       {@link QuantileEstimate#rankError()} that {@link #quantile} states and uses for its bounds;
 *   <li>distinct counts: HLL's estimate (relative standard error about {@code 1.04 / sqrt(2^lgK)}).
 * </ul>
 *
 * <p>Memory per numeric column: about 1.6 KiB of exact moments, the KLL sketch (about {@code 2.5
 * kllK} doubles at most once compacting), the HLL registers ({@code 2^lgK} bytes) and at most
 * {@code maxTrackedValues} value counts. Not thread-safe.
 */
public final class ColumnStatistics {
  private static final int BUFFER = 1024;
  private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

  private final Field field;
  private final ColumnKind kind;
  private final ProfileOptions options;
  /** The seed of the quantile sketch's random choices ({@link SeededKll#seedOf}, from the column name). */
  private final long seed;

  private long count;
  private long nulls;
  private long nans;
  private long posInf;
  private long negInf;
  /** Finite numeric values, or non-null values for the other kinds. */
  private long n;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** Exact moments of the finite values fed or merged as states (numeric columns only). */
  private @Nullable ExactMoments exact;
  /** Moments merged in from summaries: count, mean and M2 as doubles. */
  private long carriedN;
  private double carriedMean;
  private double carriedM2;

  private final double[] buf;
  private int bn;
  private @Nullable KllDoublesSketch kll;
  private HllSketch hll;
  private @Nullable ItemsSketch<String> items;
  private @Nullable ValueCounts values;

  private ColumnStatistics(Field field, ProfileOptions options) {
    this.field = Objects.requireNonNull(field, "field");
    this.kind = ColumnKind.of(field.type());
    this.options = Objects.requireNonNull(options, "options");
    this.seed = SeededKll.seedOf(field.name());
    this.hll = new HllSketch(options.hllLgK(), TgtHllType.HLL_8);
    boolean numeric = kind == ColumnKind.NUMERIC;
    this.buf = numeric ? new double[BUFFER] : new double[0];
    this.exact = numeric ? new ExactMoments() : null;
    this.kll = numeric ? KllDoublesSketch.newHeapInstance(options.kllK()) : null;
    this.values = numeric ? new ValueCounts(options.maxTrackedValues()) : null;
    this.items = kind == ColumnKind.CATEGORICAL ? new ItemsSketch<>(options.frequentItemsMaxMapSize()) : null;
  }

  /**
   * Empty statistics of a column.
   *
   * @param field the column
   * @param options the sketch sizes
   * @return the statistics
   */
  public static ColumnStatistics of(Field field, ProfileOptions options) {
    return new ColumnStatistics(field, options);
  }

  /**
   * The statistics a stored summary describes, as a profile file holds them: the caller has checked
   * that the parts are consistent (the profile codec does). The sketches are copied (merged into
   * fresh ones), so the caller keeps its own. Moments are carried as the rounded {@code mean} and
   * {@code m2}, so statistics merged with these are no longer {@link #momentsExact() exact}.
   *
   * @param field the column
   * @param options the sketch sizes the sketches were built with
   * @param count rows
   * @param nulls null values
   * @param nans NaN values
   * @param positiveInfinities +Inf values
   * @param negativeInfinities -Inf values
   * @param valid finite numeric values, or non-null values for the other kinds
   * @param mean mean of the finite values (numeric columns with {@code valid > 0})
   * @param m2 sum of squared deviations from the mean
   * @param min minimum finite value
   * @param max maximum finite value
   * @param kll the quantile sketch of a numeric column, else null
   * @param hll the distinct-count sketch
   * @param items the frequent-items sketch of a categorical column, else null
   * @param valueCounts a numeric column's exact value counts, or null when it had more distinct
   *     values than {@link ProfileOptions#maxTrackedValues()} (or is not numeric)
   * @return the statistics
   */
  public static ColumnStatistics ofSummary(Field field, ProfileOptions options, long count, long nulls, long nans,
      long positiveInfinities, long negativeInfinities, long valid, double mean, double m2, double min, double max,
      @Nullable KllDoublesSketch kll, HllSketch hll, @Nullable ItemsSketch<String> items,
      @Nullable Map<Double, Long> valueCounts) {
    ColumnStatistics s = new ColumnStatistics(field, options);
    s.mergeSummary(count, nulls, nans, positiveInfinities, negativeInfinities, valid, mean, m2, min, max, kll, hll,
        items, valueCounts);
    return s;
  }

  /**
   * Folds in a stored summary of a disjoint set of rows of this column (see {@link #ofSummary}),
   * reading its sketches without copying them first or keeping them: the cheap way to merge many
   * stored profiles. Its moments merge by Chan's rule, so these statistics are no longer
   * {@link #momentsExact() exact}.
   *
   * @param count rows
   * @param nulls null values
   * @param nans NaN values
   * @param positiveInfinities +Inf values
   * @param negativeInfinities -Inf values
   * @param valid finite numeric values, or non-null values for the other kinds
   * @param mean mean of the finite values
   * @param m2 sum of squared deviations from the mean
   * @param min minimum finite value
   * @param max maximum finite value
   * @param kll the quantile sketch of a numeric column, else null
   * @param hll the distinct-count sketch
   * @param items the frequent-items sketch of a categorical column, else null
   * @param valueCounts a numeric column's exact value counts, or null when it had more distinct
   *     values than {@link ProfileOptions#maxTrackedValues()} (or is not numeric)
   */
  public void mergeSummary(long count, long nulls, long nans, long positiveInfinities, long negativeInfinities,
      long valid, double mean, double m2, double min, double max, @Nullable KllDoublesSketch kll, HllSketch hll,
      @Nullable ItemsSketch<String> items, @Nullable Map<Double, Long> valueCounts) {
    flush();
    this.count += count;
    this.nulls += nulls;
    this.nans += nans;
    this.posInf += positiveInfinities;
    this.negInf += negativeInfinities;
    if (kind == ColumnKind.NUMERIC) {
      if (valid > 0) {
        this.min = Math.min(this.min, min);
        this.max = Math.max(this.max, max);
        carry(valid, mean, m2);
      }
      if (kll != null && !kll.isEmpty()) {
        SeededKll.merge(this.kll, seed, kll);
      }
      if (valueCounts == null) {
        values.markOverflowed();
      } else {
        valueCounts.forEach(values::add);
      }
    } else {
      this.n += valid;
      if (items != null) {
        this.items.merge(items);
      }
    }
    if (!hll.isEmpty()) {
      Union u = new Union(options.hllLgK());
      u.update(this.hll);
      u.update(hll);
      this.hll = u.getResult(TgtHllType.HLL_8);
    }
  }

  /**
   * Adds a null.
   */
  public void addNull() {
    count++;
    nulls++;
  }

  /**
   * Adds a numeric value; NaN and infinities are counted apart from the finite values.
   *
   * @param v the value
   */
  public void addDouble(double v) {
    count++;
    if (v - v == 0.0) { // finite
      buf[bn++] = v;
      if (bn == BUFFER) {
        flush();
      }
    } else if (v != v) {
      nans++;
    } else if (v > 0) {
      posInf++;
    } else {
      negInf++;
    }
  }

  /**
   * Adds a string or boolean value (as text).
   *
   * @param s the value
   */
  public void addString(String s) {
    addString(s, 1);
  }

  /**
   * Adds {@code times} occurrences of a string value: one sketch update each, weighted.
   *
   * @param s the value
   * @param times how many rows hold it, at least 1
   */
  public void addString(String s, long times) {
    count += times;
    n += times;
    hll.update(s);
    items.update(s, times);
  }

  /**
   * Adds a non-null value of a column of kind {@link ColumnKind#OTHER} (only counted).
   */
  public void addOther() {
    count++;
    n++;
  }

  /**
   * Adds a value in its {@link dev.mlops.core.Row} Java type, or null.
   *
   * @param v the value
   */
  public void add(@Nullable Object v) {
    if (v == null) {
      addNull();
      return;
    }
    switch (kind) {
      case NUMERIC -> addDouble(v instanceof Instant i ? epochSeconds(i) : ((Number) v).doubleValue());
      case CATEGORICAL -> addString(v.toString());
      case OTHER -> addOther();
    }
  }

  /**
   * A timestamp as the numeric value profiles use: seconds since the epoch.
   *
   * @param i the instant
   * @return the epoch seconds, fractional
   */
  public static double epochSeconds(Instant i) {
    return i.getEpochSecond() + i.getNano() / 1e9;
  }

  private void flush() {
    int k = bn;
    if (k == 0) {
      return;
    }
    bn = 0;
    double[] b = buf;
    double lo = min;
    double hi = max;
    ExactMoments m = exact;
    for (int i = 0; i < k; i++) {
      double v = b[i];
      m.add(v);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    min = lo;
    max = hi;
    n += k;
    SeededKll.update(kll, seed, b, 0, k);
    HllSketch h = hll;
    ValueCounts vc = values;
    boolean track = !vc.overflowed();
    for (int i = 0; i < k; i++) {
      double v = b[i];
      h.update(v);
      if (track) {
        vc.add(v, 1);
        track = !vc.overflowed();
      }
    }
  }

  /**
   * Folds in the statistics of a disjoint set of rows of the same column; {@code other} is not
   * changed.
   *
   * @param other statistics of the same column type built with the same options
   * @throws IllegalArgumentException when the kinds or the options differ
   */
  public void merge(ColumnStatistics other) {
    if (other.kind != kind || !other.options.equals(options)) {
      throw new IllegalArgumentException("cannot merge statistics of " + other.field + " built with " + other.options
          + " into those of " + field + " built with " + options
          + "; merge statistics of the same column type built with the same ProfileOptions");
    }
    flush();
    other.flush();
    count += other.count;
    nulls += other.nulls;
    nans += other.nans;
    posInf += other.posInf;
    negInf += other.negInf;
    n += other.n;
    if (kind == ColumnKind.NUMERIC) {
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
      exact.merge(other.exact);
      if (other.carriedN > 0) {
        carry(other.carriedN, other.carriedMean, other.carriedM2);
      }
      if (!other.kll.isEmpty()) {
        SeededKll.merge(kll, seed, other.kll);
      }
      values.addAll(other.values);
    }
    if (!other.hll.isEmpty()) {
      Union u = new Union(options.hllLgK());
      u.update(hll);
      u.update(other.hll);
      hll = u.getResult(TgtHllType.HLL_8);
    }
    if (kind == ColumnKind.CATEGORICAL) {
      items.merge(other.items);
    }
  }

  /** Chan, Golub and LeVeque's pairwise combination of (n, mean, M2) into the carried moments. */
  private void carry(long nb, double meanB, double m2b) {
    if (carriedN == 0) {
      carriedN = nb;
      carriedMean = meanB;
      carriedM2 = m2b;
      return;
    }
    long total = carriedN + nb;
    double delta = meanB - carriedMean;
    double wb = (double) nb / total;
    carriedMean = carriedMean + delta * wb;
    carriedM2 = carriedM2 + m2b + delta * delta * ((double) carriedN * wb);
    carriedN = total;
  }

  /**
   * Writes the whole state, exact moments digit by digit and every sketch as DataSketches serializes
   * it: the form these statistics take between the tasks of one job (a Spark partition's statistics
   * on their way to the driver), read back by {@link #readState} into statistics that merge, report
   * and compare exactly as these do. It is not a file format: a profile file stores the rounded
   * summary ({@code DatasetProfile.toBytes()} in mlops-monitoring).
   *
   * @param out the stream
   * @throws IOException when the stream fails
   */
  public void writeState(DataOutputStream out) throws IOException {
    flush();
    out.writeLong(count);
    out.writeLong(nulls);
    out.writeLong(nans);
    out.writeLong(posInf);
    out.writeLong(negInf);
    out.writeLong(n);
    out.writeDouble(min);
    out.writeDouble(max);
    out.writeLong(carriedN);
    out.writeDouble(carriedMean);
    out.writeDouble(carriedM2);
    if (kind == ColumnKind.NUMERIC) {
      exact.writeTo(out);
      blob(out, kll.toByteArray());
      if (values.overflowed()) {
        out.writeInt(-1);
      } else {
        Map<Double, Long> m = values.toMap();
        out.writeInt(m.size());
        for (Map.Entry<Double, Long> e : m.entrySet()) {
          out.writeDouble(e.getKey());
          out.writeLong(e.getValue());
        }
      }
    }
    blob(out, hll.toCompactByteArray());
    if (kind == ColumnKind.CATEGORICAL) {
      blob(out, items.toByteArray(STRINGS));
    }
  }

  private static void blob(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] blob(DataInputStream in, String what) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > in.available()) {
      throw new IllegalArgumentException("the " + what + " is said to take " + len + " bytes, but "
          + in.available() + " remain");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  /**
   * Reads statistics {@link #writeState} wrote for the same column and options. Every declared length
   * is checked against the bytes there before anything is allocated, and the counters against each
   * other; the sketches are read by DataSketches, which refuses a layout it did not write.
   *
   * @param field the column
   * @param options the sketch sizes the writer used
   * @param in the stream
   * @return the statistics
   * @throws IOException when the stream fails or ends early
   * @throws IllegalArgumentException when the state is impossible or a sketch is corrupt
   */
  public static ColumnStatistics readState(Field field, ProfileOptions options, DataInputStream in)
      throws IOException {
    ColumnStatistics s = new ColumnStatistics(field, options);
    s.count = in.readLong();
    s.nulls = in.readLong();
    s.nans = in.readLong();
    s.posInf = in.readLong();
    s.negInf = in.readLong();
    s.n = in.readLong();
    s.min = in.readDouble();
    s.max = in.readDouble();
    s.carriedN = in.readLong();
    s.carriedMean = in.readDouble();
    s.carriedM2 = in.readDouble();
    String where = "the state of column '" + field.name() + "'";
    long sum = s.nulls + s.nans + s.posInf + s.negInf + s.n;
    if ((s.count | s.nulls | s.nans | s.posInf | s.negInf | s.n | s.carriedN) < 0 || sum != s.count
        || s.kind != ColumnKind.NUMERIC && (s.nans | s.posInf | s.negInf | s.carriedN) != 0) {
      throw new IllegalArgumentException(where + " has impossible counts (count " + s.count + ", nulls " + s.nulls
          + ", NaN " + s.nans + ", +Inf " + s.posInf + ", -Inf " + s.negInf + ", values " + s.n + ")");
    }
    try {
      if (s.kind == ColumnKind.NUMERIC) {
        ExactMoments m = ExactMoments.readFrom(in);
        if (m.finiteCount() + s.carriedN != s.n || s.n > 0 && !(s.min <= s.max)) {
          throw new IllegalArgumentException(where + " holds " + s.n + " values but moments of "
              + (m.finiteCount() + s.carriedN) + ", or a minimum " + s.min + " above its maximum " + s.max);
        }
        s.exact = m;
        KllDoublesSketch k = KllDoublesSketch.heapify(Memory.wrap(blob(in, "KLL sketch")));
        if (k.getK() != options.kllK() || k.getN() != s.n) {
          throw new IllegalArgumentException(where + " has a KLL sketch of k " + k.getK() + " over " + k.getN()
              + " values; expected k " + options.kllK() + " over " + s.n);
        }
        s.kll = k;
        int tracked = in.readInt();
        ValueCounts vc = new ValueCounts(options.maxTrackedValues());
        if (tracked == -1) {
          vc.markOverflowed();
        } else {
          if (tracked < 0 || tracked > options.maxTrackedValues() || 16L * tracked > in.available()) {
            throw new IllegalArgumentException(where + " tracks " + tracked + " values; at most "
                + options.maxTrackedValues() + " fit, in the " + in.available() + " bytes left");
          }
          for (int i = 0; i < tracked; i++) {
            double v = in.readDouble();
            long c = in.readLong();
            if (c < 1) {
              throw new IllegalArgumentException(where + " counts value " + v + " " + c + " times");
            }
            vc.add(v, c);
          }
        }
        s.values = vc;
      }
      s.hll = HllSketch.heapify(blob(in, "HLL sketch"));
      if (s.kind == ColumnKind.CATEGORICAL) {
        s.items = ItemsSketch.getInstance(Memory.wrap(blob(in, "frequent-items sketch")), STRINGS);
      }
    } catch (org.apache.datasketches.common.SketchesException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(where + " has a corrupt sketch: " + e.getMessage(), e);
    }
    return s;
  }

  /**
   * A deep copy.
   *
   * @return statistics equal to these that change independently
   */
  public ColumnStatistics copy() {
    ColumnStatistics c = new ColumnStatistics(field, options);
    c.merge(this);
    return c;
  }

  /**
   * The column.
   *
   * @return the field
   */
  public Field field() {
    return field;
  }

  /**
   * How the column is summarised.
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
   * Rows seen.
   *
   * @return the count
   */
  public long count() {
    return count;
  }

  /**
   * Null values.
   *
   * @return the count
   */
  public long nullCount() {
    return nulls;
  }

  /**
   * NaN values (numeric columns).
   *
   * @return the count
   */
  public long nanCount() {
    return nans;
  }

  /**
   * +Inf values (numeric columns).
   *
   * @return the count
   */
  public long positiveInfinityCount() {
    return posInf;
  }

  /**
   * -Inf values (numeric columns).
   *
   * @return the count
   */
  public long negativeInfinityCount() {
    return negInf;
  }

  /**
   * Finite values of a numeric column, non-null values of the other kinds.
   *
   * @return the count
   */
  public long validCount() {
    flush();
    return n + carriedN;
  }

  /**
   * The smallest finite value.
   *
   * @return the minimum; NaN without finite values or for a non-numeric column
   */
  public double min() {
    flush();
    return validCount() == 0 || kind != ColumnKind.NUMERIC ? Double.NaN : min;
  }

  /**
   * The largest finite value.
   *
   * @return the maximum; NaN without finite values or for a non-numeric column
   */
  public double max() {
    flush();
    return validCount() == 0 || kind != ColumnKind.NUMERIC ? Double.NaN : max;
  }

  /**
   * Whether the moments are exact sums (no summary with rounded moments was merged in).
   *
   * @return true when {@link #mean()}, {@link #m2()} and {@link #stddev} depend only on the values
   */
  public boolean momentsExact() {
    return carriedN == 0;
  }

  /**
   * The mean of the finite values.
   *
   * @return the mean; NaN without finite values or for a non-numeric column
   */
  public double mean() {
    if (kind != ColumnKind.NUMERIC) {
      return Double.NaN;
    }
    flush();
    long ne = exact.finiteCount();
    if (carriedN == 0) {
      return ne == 0 ? Double.NaN : exact.mean();
    }
    if (ne == 0) {
      return carriedMean;
    }
    double meanA = exact.mean();
    double delta = carriedMean - meanA;
    return meanA + delta * ((double) carriedN / (ne + carriedN));
  }

  /**
   * The sum of squared deviations of the finite values from their mean.
   *
   * @return M2; 0 without finite values or for a non-numeric column
   */
  public double m2() {
    if (kind != ColumnKind.NUMERIC) {
      return 0.0;
    }
    flush();
    long ne = exact.finiteCount();
    if (carriedN == 0) {
      return exact.m2();
    }
    if (ne == 0) {
      return carriedM2;
    }
    double meanA = exact.mean();
    double delta = carriedMean - meanA;
    long total = ne + carriedN;
    return exact.m2() + carriedM2 + delta * delta * ((double) ne * carriedN / total);
  }

  /**
   * The standard deviation of the finite values, as {@code numpy.std(values, ddof=ddof)}.
   *
   * @param ddof 1 for the sample standard deviation, 0 for the population one
   * @return the standard deviation; NaN with at most {@code ddof} finite values
   */
  public double stddev(int ddof) {
    if (kind != ColumnKind.NUMERIC) {
      return Double.NaN;
    }
    flush();
    long total = validCount();
    if (total <= ddof) {
      return Double.NaN;
    }
    if (carriedN == 0) {
      return exact.stddev(ddof);
    }
    return Math.sqrt(Math.max(0.0, m2()) / (total - ddof));
  }

  /**
   * Whether quantiles are exact: the KLL sketch still holds every finite value, or exact value counts
   * are kept.
   *
   * @return true when {@link #quantile} is exact
   */
  public boolean quantilesExact() {
    if (kind != ColumnKind.NUMERIC) {
      return false;
    }
    flush();
    return !kll.isEstimationMode() || !values.overflowed();
  }

  /**
   * The q-quantile of the non-null values of a numeric column, infinities included in their place
   * (NumPy's default linear interpolation between closest ranks, Hyndman and Fan type 7, when
   * exact). Without exact values it is the KLL estimate, with the bounds of its normalized rank error
   * at 99% confidence: the true q-quantile lies in {@code [lower, upper]}, the estimates at ranks
   * {@code q - rankError} and {@code q + rankError}.
   *
   * @param q the probability in [0, 1]
   * @return the estimate; NaN (value and bounds) when a value is NaN or there is none
   * @throws IllegalArgumentException when q is outside [0, 1] or the column is not numeric
   */
  public QuantileEstimate quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile probability must be in [0, 1], got " + q);
    }
    if (kind != ColumnKind.NUMERIC) {
      throw new IllegalArgumentException("column '" + field.name() + "' is " + field.type()
          + ": quantiles exist only for numeric columns");
    }
    flush();
    long finite = validCount();
    long total = negInf + finite + posInf;
    if (nans > 0 || total == 0) {
      return new QuantileEstimate(Double.NaN, Double.NaN, Double.NaN, 0.0, true);
    }
    if (quantilesExact()) {
      Ranked ranked = ranked();
      double h = (total - 1) * q;
      long lo = (long) Math.floor(h);
      double v;
      if (lo >= total - 1) {
        v = ranked.at(total - 1);
      } else {
        double frac = h - lo;
        double a = ranked.at(lo);
        double b = ranked.at(lo + 1);
        v = frac == 0 ? a : a + frac * (b - a);
      }
      return new QuantileEstimate(v, v, v, 0.0, true);
    }
    double eps = kll.getNormalizedRankError(false);
    return new QuantileEstimate(estimate(q, total), estimate(Math.max(0, q - eps), total),
        estimate(Math.min(1, q + eps), total), eps, false);
  }

  /** KLL's quantile at rank q over all non-null values, infinities at the ends. */
  private double estimate(double q, long total) {
    double rank = q * total;
    if (negInf > 0 && rank <= negInf) {
      return Double.NEGATIVE_INFINITY;
    }
    long finite = validCount();
    if (posInf > 0 && rank > negInf + finite) {
      return Double.POSITIVE_INFINITY;
    }
    double r = Math.min(1.0, Math.max(0.0, (rank - negInf) / finite));
    return kll.getQuantile(r, QuantileSearchCriteria.INCLUSIVE);
  }

  /** The sorted non-null values by rank, from exact value counts or an exact-mode KLL sketch. */
  private Ranked ranked() {
    double[] vals;
    long[] cum;
    if (!values.overflowed()) {
      Map<Double, Long> m = values.toMap();
      vals = new double[m.size()];
      cum = new long[m.size()];
      int i = 0;
      long c = 0;
      for (Map.Entry<Double, Long> e : m.entrySet()) {
        vals[i] = e.getKey();
        c += e.getValue();
        cum[i++] = c;
      }
    } else {
      DoublesSortedView view = kll.getSortedView();
      vals = view.getQuantiles();
      cum = view.getCumulativeWeights();
    }
    return new Ranked(vals, cum, negInf, validCount());
  }

  /** Values with inclusive cumulative counts, after {@code negInf} -Inf and before the +Inf values. */
  private record Ranked(double[] values, long[] cumulative, long negInf, long finite) {
    double at(long rank) {
      if (rank < negInf) {
        return Double.NEGATIVE_INFINITY;
      }
      long r = rank - negInf;
      if (r >= finite) {
        return Double.POSITIVE_INFINITY;
      }
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > r) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return values[lo];
    }
  }

  /**
   * The KLL sketch of the finite values, a copy.
   *
   * @return the sketch, or null for a non-numeric column
   */
  public @Nullable KllDoublesSketch quantileSketch() {
    if (kll == null) {
      return null;
    }
    flush();
    return KllDoublesSketch.heapify(Memory.wrap(kll.toByteArray()));
  }

  /**
   * The HLL sketch of the distinct non-null values, a copy.
   *
   * @return the sketch
   */
  public HllSketch distinctSketch() {
    flush();
    return hll.copy();
  }

  /**
   * The frequent-items sketch of a string or boolean column, a copy.
   *
   * @return the sketch, or null for the other kinds
   */
  public @Nullable ItemsSketch<String> frequentItemsSketch() {
    if (items == null) {
      return null;
    }
    ItemsSketch<String> copy = new ItemsSketch<>(options.frequentItemsMaxMapSize());
    copy.merge(items);
    return copy;
  }

  /**
   * Exact counts of a numeric column's finite values while it has at most
   * {@link ProfileOptions#maxTrackedValues()} distinct ones.
   *
   * @return the counts in ascending value order, or null when there were more distinct values or the
   *     column is not numeric
   */
  public @Nullable Map<Double, Long> exactValueCounts() {
    if (values == null) {
      return null;
    }
    flush();
    return values.overflowed() ? null : values.toMap();
  }

  @Override
  public String toString() {
    return "ColumnStatistics[" + field.name() + ", kind=" + kind + ", count=" + count + ", nulls=" + nulls
        + (kind == ColumnKind.NUMERIC ? ", mean=" + mean() + ", min=" + min() + ", max=" + max() : "") + "]";
  }
}
