package dev.mlops.validation.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every distinct key a uniqueness check has seen, with the global index of the row where it was seen
 * first: exact, so a duplicate is never missed however the rows were batched, and mergeable, so
 * sessions over separate parts of a dataset combine into the answer one pass over all of it gives.
 *
 * <p>Keys of int64 columns ({@link Long}) and float64 columns ({@link Double}, compared as
 * {@link Double#equals} does: by bits, so NaN repeats NaN and -0.0 differs from 0.0) live in an
 * open-addressing table of two {@code long} arrays: 16 bytes per slot at a load factor between 3/8
 * and 3/4, so 21 to 43 bytes per distinct key. Other keys (strings, timestamps, booleans) live in a
 * {@link HashMap}, about 80 bytes per key plus the key itself. Not thread-safe.
 */
final class UniqueKeys {
  private static final int MIN_CAPACITY = 16;
  private static final long EMPTY = -1;

  /** Bytes this table may hold, estimated; beyond it offers fail (see {@link #checkLimit}). */
  private final long limitBytes;
  /** The rule, for the message of a limit exceeded. */
  private final String rule;
  /** Estimated bytes of the keys held in {@link #others}. */
  private long otherBytes;
  private long[] keys = new long[MIN_CAPACITY];
  /** The first row of each slot's key, {@link #EMPTY} for a free slot. */
  private long[] rows = filled(MIN_CAPACITY);
  private int size;
  /** Whether the table's keys are the bits of doubles (set by the first key). */
  private boolean doubles;
  private @Nullable HashMap<Object, Long> others;

  /**
   * An empty table.
   *
   * @param limitBytes the most bytes it may hold, estimated: 16 per slot of the long table, and
   *     for other keys 64 per entry plus the key (40 plus 2 per char for a string, 16 per element
   *     of a composite key plus its values)
   * @param rule the rule's id, for messages
   */
  UniqueKeys(long limitBytes, String rule) {
    this.limitBytes = limitBytes;
    this.rule = rule;
  }

  /** Receives each key of a table with its first row. */
  interface KeyVisitor {
    void visit(Object key, long firstRow);
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, EMPTY);
    return a;
  }

  /**
   * Records that {@code key} occurs at {@code row}.
   *
   * @param key the non-null key
   * @param row the occurrence's global row index, at least 0
   * @return -1 when this is the key's first occurrence so far; otherwise the row of the occurrence
   *     that repeats an earlier one (the later of {@code row} and the stored first row, which becomes
   *     the earlier)
   */
  long offer(Object key, long row) {
    if (key instanceof Long l) {
      return offerBits(l, row, false);
    }
    if (key instanceof Double d) {
      return offerBits(Double.doubleToLongBits(d), row, true);
    }
    HashMap<Object, Long> o = others;
    if (o == null) {
      o = new HashMap<>();
      others = o;
    }
    Long first = o.putIfAbsent(key, row);
    if (first == null) {
      otherBytes += 64 + estimate(key);
      checkLimit();
      return -1;
    }
    if (row < first) {
      o.put(key, row);
      return first;
    }
    return row;
  }

  /** {@link #offer} of an int64 key, unboxed. */
  long offerLong(long key, long row) {
    return offerBits(key, row, false);
  }

  /** {@link #offer} of a float64 key, unboxed (compared by {@link Double#doubleToLongBits}). */
  long offerDouble(double key, long row) {
    return offerBits(Double.doubleToLongBits(key), row, true);
  }

  private long offerBits(long key, long row, boolean isDouble) {
    if (size == 0) {
      doubles = isDouble;
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (rows[i] != EMPTY) {
      if (keys[i] == key) {
        long first = rows[i];
        if (row < first) {
          rows[i] = row;
          return first;
        }
        return row;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    rows[i] = row;
    if (++size > keys.length / 4 * 3) {
      grow();
    }
    return -1;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldRows = rows;
    int capacity = oldKeys.length * 2;
    if (16L * capacity + otherBytes > limitBytes) {
      throw limitExceeded(16L * capacity + otherBytes);
    }
    if (capacity <= 0) {
      throw new IllegalStateException("a uniqueness check holds more than 2^29 distinct keys in its table");
    }
    keys = new long[capacity];
    rows = filled(capacity);
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldRows[j] != EMPTY) {
        int i = mix(oldKeys[j]) & mask;
        while (rows[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        rows[i] = oldRows[j];
      }
    }
  }

  /** The bytes held, estimated as the constructor says. */
  long bytes() {
    return 16L * keys.length + otherBytes;
  }

  private void checkLimit() {
    if (bytes() > limitBytes) {
      throw limitExceeded(bytes());
    }
  }

  private dev.mlops.validation.ValidationLimitException limitExceeded(long needed) {
    return new dev.mlops.validation.ValidationLimitException(String.format(java.util.Locale.ROOT,
        "%s keeps every distinct key exactly and holds %,d, which need about %,d bytes, over its limit of %,d"
            + " bytes; raise the limit (Validator.withKeyMemoryLimit), or validate the data in parts whose keys"
            + " cannot repeat across parts", rule, size(), needed, limitBytes));
  }

  private static long estimate(Object key) {
    if (key instanceof String str) {
      return 40 + 2L * str.length();
    }
    if (key instanceof List<?> parts) {
      long b = 16;
      for (Object p : parts) {
        b += 16 + (p == null ? 0 : estimate(p));
      }
      return b;
    }
    return 24;
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer: sequential ids spread over the table. */
  private static int mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return (int) (z ^ (z >>> 31));
  }

  /**
   * Visits every key with its first row.
   *
   * @param visitor the visitor
   */
  void forEach(KeyVisitor visitor) {
    for (int j = 0; j < keys.length; j++) {
      if (rows[j] != EMPTY) {
        visitor.visit(doubles ? (Object) Double.longBitsToDouble(keys[j]) : (Object) keys[j], rows[j]);
      }
    }
    Map<Object, Long> o = others;
    if (o != null) {
      o.forEach(visitor::visit);
    }
  }

  /**
   * Distinct keys held.
   *
   * @return the count
   */
  long size() {
    return size + (others == null ? 0 : others.size());
  }
}
