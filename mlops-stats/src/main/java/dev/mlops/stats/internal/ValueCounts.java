package dev.mlops.stats.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact counts of the distinct values of a numeric column while there are at most {@code limit} of
 * them; beyond that it gives up ({@link #overflowed()}) and stays empty. Open addressing over the
 * canonical bits of the value ({@code -0.0} counts as {@code 0.0}), at most half full: the table starts
 * small and doubles as values arrive, so memory follows the values held, not the limit (a decoded
 * profile of many columns with few values each stays small). Not thread-safe.
 */
public final class ValueCounts {
  private static final int INITIAL_CAPACITY = 8;

  private final int limit;
  private long[] keys;
  private long[] counts;
  private boolean[] used;
  private int size;
  private boolean overflowed;

  public ValueCounts(int limit) {
    this.limit = limit;
    keys = new long[INITIAL_CAPACITY];
    counts = new long[INITIAL_CAPACITY];
    used = new boolean[INITIAL_CAPACITY];
    overflowed = limit == 0;
  }

  public int limit() {
    return limit;
  }

  public boolean overflowed() {
    return overflowed;
  }

  public int size() {
    return size;
  }

  public void add(double value, long n) {
    if (overflowed) {
      return;
    }
    long bits = Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
    int mask = keys.length - 1;
    int i = (int) (mix(bits) & mask);
    while (used[i]) {
      if (keys[i] == bits) {
        counts[i] += n;
        return;
      }
      i = (i + 1) & mask;
    }
    if (size == limit) {
      markOverflowed();
      return;
    }
    if (2 * (size + 1) > keys.length) {
      grow();
      mask = keys.length - 1;
      i = (int) (mix(bits) & mask);
      while (used[i]) {
        i = (i + 1) & mask;
      }
    }
    used[i] = true;
    keys[i] = bits;
    counts[i] = n;
    size++;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    boolean[] oldUsed = used;
    int cap = oldKeys.length * 2;
    keys = new long[cap];
    counts = new long[cap];
    used = new boolean[cap];
    int mask = cap - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldUsed[j]) {
        int i = (int) (mix(oldKeys[j]) & mask);
        while (used[i]) {
          i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = oldKeys[j];
        counts[i] = oldCounts[j];
      }
    }
  }

  /** Forgets all counts: the column has more distinct values than the limit. */
  public void markOverflowed() {
    overflowed = true;
    keys = new long[0];
    counts = new long[0];
    used = new boolean[0];
    size = 0;
  }

  public void addAll(ValueCounts other) {
    if (other.overflowed) {
      markOverflowed();
      return;
    }
    for (int i = 0; i < other.used.length && !overflowed; i++) {
      if (other.used[i]) {
        add(Double.longBitsToDouble(other.keys[i]), other.counts[i]);
      }
    }
  }

  /** Values in ascending order with their counts. */
  public Map<Double, Long> toMap() {
    double[] vals = new double[size];
    long[] cnt = new long[size];
    int j = 0;
    for (int i = 0; i < used.length; i++) {
      if (used[i]) {
        vals[j] = Double.longBitsToDouble(keys[i]);
        cnt[j++] = counts[i];
      }
    }
    Integer[] order = new Integer[size];
    Arrays.setAll(order, k -> k);
    Arrays.sort(order, (a, b) -> Double.compare(vals[a], vals[b]));
    Map<Double, Long> out = new LinkedHashMap<>();
    for (int k : order) {
      out.put(vals[k], cnt[k]);
    }
    return out;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
