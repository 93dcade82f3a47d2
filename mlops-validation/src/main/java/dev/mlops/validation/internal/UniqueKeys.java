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

  /** Renumbers the first rows of every key, by a map that keeps their order. */
  void renumber(java.util.function.LongUnaryOperator index) {
    for (int j = 0; j < rows.length; j++) {
      if (rows[j] != EMPTY) {
        rows[j] = index.applyAsLong(rows[j]);
      }
    }
    HashMap<Object, Long> o = others;
    if (o != null) {
      o.replaceAll((k, r) -> index.applyAsLong(r));
    }
  }

  /** Writes every key with its first row: the int64/float64 table, then the other keys, typed. */
  void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
    out.writeBoolean(doubles);
    out.writeInt(size);
    for (int j = 0; j < keys.length; j++) {
      if (rows[j] != EMPTY) {
        out.writeLong(keys[j]);
        out.writeLong(rows[j]);
      }
    }
    HashMap<Object, Long> o = others;
    out.writeInt(o == null ? 0 : o.size());
    if (o != null) {
      for (Map.Entry<Object, Long> e : o.entrySet()) {
        writeKey(out, e.getKey());
        out.writeLong(e.getValue());
      }
    }
  }

  private static void writeKey(java.io.DataOutputStream out, @Nullable Object key) throws java.io.IOException {
    if (key == null) {
      out.writeByte(0);
    } else if (key instanceof Long l) {
      out.writeByte(1);
      out.writeLong(l);
    } else if (key instanceof Double d) {
      out.writeByte(2);
      out.writeLong(Double.doubleToRawLongBits(d));
    } else if (key instanceof Float f) {
      out.writeByte(3);
      out.writeInt(Float.floatToRawIntBits(f));
    } else if (key instanceof String str) {
      out.writeByte(4);
      byte[] b = str.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    } else if (key instanceof Boolean b) {
      out.writeByte(5);
      out.writeBoolean(b);
    } else if (key instanceof java.time.Instant t) {
      out.writeByte(6);
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano());
    } else if (key instanceof List<?> parts) {
      out.writeByte(7);
      out.writeInt(parts.size());
      for (Object p : parts) {
        writeKey(out, p);
      }
    } else {
      throw new IllegalStateException("a key of type " + key.getClass().getName() + " has no binary form");
    }
  }

  private static Object readKey(java.io.DataInputStream in, int depth) throws java.io.IOException {
    int tag = in.readByte();
    return switch (tag) {
      case 1 -> in.readLong();
      case 2 -> Double.longBitsToDouble(in.readLong());
      case 3 -> Float.intBitsToFloat(in.readInt());
      case 4 -> {
        int len = in.readInt();
        if (len < 0 || len > in.available()) {
          throw new IllegalArgumentException("a key of " + len + " bytes, with " + in.available() + " left");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        yield new String(b, java.nio.charset.StandardCharsets.UTF_8);
      }
      case 5 -> in.readBoolean();
      case 6 -> java.time.Instant.ofEpochSecond(in.readLong(), in.readInt());
      case 7 -> {
        int n = in.readInt();
        if (depth > 0 || n < 1 || n > in.available()) {
          throw new IllegalArgumentException("a composite key of " + n + " parts, with " + in.available()
              + " bytes left");
        }
        Object[] parts = new Object[n];
        for (int i = 0; i < n; i++) {
          parts[i] = readKey(in, depth + 1);
        }
        yield java.util.Arrays.asList(parts);
      }
      default -> throw new IllegalArgumentException("unknown key tag " + tag);
    };
  }

  /** Offers every key {@link #writeTo} wrote (into an empty table: each is new). */
  void readFrom(java.io.DataInputStream in) throws java.io.IOException {
    boolean isDouble = in.readBoolean();
    int n = in.readInt();
    if (n < 0 || 16L * n > in.available()) {
      throw new IllegalArgumentException(rule + ": " + n + " keys need " + 16L * n + " bytes, but "
          + in.available() + " remain");
    }
    for (int i = 0; i < n; i++) {
      long key = in.readLong();
      long row = in.readLong();
      if (row < 0 || offerBits(key, row, isDouble) >= 0) {
        throw new IllegalArgumentException(rule + ": key " + key + " at row " + row + " is repeated or misplaced");
      }
    }
    int m = in.readInt();
    if (m < 0 || 9L * m > in.available()) {
      throw new IllegalArgumentException(rule + ": " + m + " keys cannot fit in the " + in.available()
          + " bytes left");
    }
    for (int i = 0; i < m; i++) {
      Object key = readKey(in, 0);
      long row = in.readLong();
      if (row < 0 || offer(key, row) >= 0) {
        throw new IllegalArgumentException(rule + ": key " + key + " at row " + row + " is repeated or misplaced");
      }
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
