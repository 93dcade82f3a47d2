package dev.mlops.serving.soak;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A thread-safe log-linear histogram of nanosecond latencies in bounded memory (1,920 counters,
 * about 3% resolution), so a soak of any length keeps every sample.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 5;
  private static final int SUB = 1 << SUB_BITS;
  private final AtomicLongArray counts = new AtomicLongArray((64 - SUB_BITS + 1) * SUB);

  void record(long nanos) {
    counts.incrementAndGet(index(Math.max(0, nanos)));
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
    return (exp - SUB_BITS + 1) * SUB + sub;
  }

  static long lowerBound(int index) {
    if (index < SUB) {
      return index;
    }
    int exp = index / SUB + SUB_BITS - 1;
    return (long) (SUB + index % SUB) << (exp - SUB_BITS);
  }

  long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /**
   * The q-quantile in milliseconds (midpoint of its bucket), or NaN without samples.
   *
   * @param q in (0, 1]
   * @return the quantile
   */
  double quantileMillis(double q) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        long lo = lowerBound(i);
        long hi = i + 1 < counts.length() ? lowerBound(i + 1) : lo;
        return (lo + hi) / 2.0 / 1e6;
      }
    }
    return Double.NaN;
  }
}
