package dev.mlops.monitoring;

import dev.mlops.core.Field;
import java.time.Instant;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.jspecify.annotations.Nullable;

/**
 * The mutable state behind a {@link ColumnProfile}: counters, moments, and the sketches. Finite
 * numeric values are buffered and folded in blocks (two-pass mean and squared deviations per block,
 * then Chan et al.'s parallel combination), which is both faster and more accurate than per-value
 * Welford updates. Not thread-safe.
 */
final class ColumnAccumulator {
  private static final int BUFFER = 1024;

  final Field field;
  final ColumnKind kind;
  final ProfileOptions options;

  long count;
  long nulls;
  long nans;
  long posInf;
  long negInf;
  /** Finite numeric values, or non-null values for the other kinds. */
  long n;
  double mean;
  double m2;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;

  private final double[] buf;
  private int bn;
  final @Nullable KllDoublesSketch kll;
  private HllSketch hll;
  final @Nullable ItemsSketch<String> items;
  final @Nullable ValueCounts values;

  ColumnAccumulator(Field field, ProfileOptions options) {
    this.field = field;
    this.kind = ColumnKind.of(field.type());
    this.options = options;
    this.hll = new HllSketch(options.hllLgK(), TgtHllType.HLL_8);
    boolean numeric = kind == ColumnKind.NUMERIC;
    this.buf = numeric ? new double[BUFFER] : new double[0];
    this.kll = numeric ? KllDoublesSketch.newHeapInstance(options.kllK()) : null;
    this.values = numeric ? new ValueCounts(options.maxTrackedValues()) : null;
    this.items = kind == ColumnKind.CATEGORICAL ? new ItemsSketch<>(options.frequentItemsMaxMapSize()) : null;
  }

  void addNull() {
    count++;
    nulls++;
  }

  void addDouble(double v) {
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

  void addString(String s) {
    count++;
    n++;
    hll.update(s);
    items.update(s);
  }

  /** Adds {@code times} occurrences of a value: one sketch update each, weighted. */
  void addString(String s, long times) {
    count += times;
    n += times;
    hll.update(s);
    items.update(s, times);
  }

  void addOther() {
    count++;
    n++;
  }

  /** Adds a value in its {@link dev.mlops.core.Row} Java type, or null. */
  void add(@Nullable Object v) {
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

  static double epochSeconds(Instant i) {
    return i.getEpochSecond() + i.getNano() / 1e9;
  }

  void flush() {
    int k = bn;
    if (k == 0) {
      return;
    }
    bn = 0;
    double[] b = buf;
    double sum = 0;
    double lo = min;
    double hi = max;
    for (int i = 0; i < k; i++) {
      double v = b[i];
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double bm = sum / k;
    double bm2 = 0;
    for (int i = 0; i < k; i++) {
      double d = b[i] - bm;
      bm2 += d * d;
    }
    min = lo;
    max = hi;
    combine(k, bm, bm2);
    kll.update(b, 0, k);
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

  /** Chan, Golub and LeVeque's pairwise combination of (n, mean, M2). */
  private void combine(long nb, double meanB, double m2b) {
    if (nb == 0) {
      return;
    }
    if (n == 0) {
      n = nb;
      mean = meanB;
      m2 = m2b;
      return;
    }
    long total = n + nb;
    double delta = meanB - mean;
    double wb = (double) nb / total;
    mean = mean + delta * wb;
    m2 = m2 + m2b + delta * delta * ((double) n * wb);
    n = total;
  }

  void merge(ColumnProfile p) {
    flush();
    count += p.count();
    nulls += p.nullCount();
    nans += p.nanCount();
    posInf += p.positiveInfinityCount();
    negInf += p.negativeInfinityCount();
    if (kind == ColumnKind.NUMERIC) {
      if (p.validCount() > 0) {
        min = Math.min(min, p.min());
        max = Math.max(max, p.max());
        combine(p.validCount(), p.mean(), p.m2());
      }
      KllDoublesSketch other = p.kllOrNull();
      if (other != null && !other.isEmpty()) {
        kll.merge(other);
      }
      ValueCounts vc = p.valueCountsOrNull();
      if (vc != null) {
        values.addAll(vc);
      }
    } else {
      n += p.validCount();
    }
    HllSketch h = p.hllOrNull();
    if (!h.isEmpty()) {
      Union u = new Union(options.hllLgK());
      u.update(hll);
      u.update(h);
      hll = u.getResult(TgtHllType.HLL_8);
    }
    ItemsSketch<String> it = p.itemsOrNull();
    if (it != null) {
      items.merge(it);
    }
  }

  ColumnProfile snapshot() {
    flush();
    KllDoublesSketch kllCopy = kll == null ? null : KllDoublesSketch.heapify(
        org.apache.datasketches.memory.Memory.wrap(kll.toByteArray()));
    ItemsSketch<String> itemsCopy = null;
    if (items != null) {
      itemsCopy = new ItemsSketch<>(options.frequentItemsMaxMapSize());
      itemsCopy.merge(items);
    }
    ValueCounts vcCopy = null;
    if (values != null) {
      vcCopy = new ValueCounts(values.limit());
      vcCopy.addAll(values);
    }
    HllSketch hllCopy = hll.copyAs(TgtHllType.HLL_4);
    return new ColumnProfile(field, options, count, nulls, nans, posInf, negInf, n, mean, m2,
        n == 0 || kind != ColumnKind.NUMERIC ? Double.NaN : min,
        n == 0 || kind != ColumnKind.NUMERIC ? Double.NaN : max,
        kllCopy, hllCopy, itemsCopy, vcCopy);
  }
}
