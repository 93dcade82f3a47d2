package dev.mlops.validation.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.VarCharVector;
import org.jspecify.annotations.Nullable;

/**
 * A set of strings looked up by their UTF-8 bytes straight from an Arrow {@link VarCharVector}, so
 * the batch path decodes no string. Categorical domains (at most 8 values of any one byte length)
 * are looked up by length and compared in place with Arrow's {@code ByteFunctionHelpers} (no copy);
 * larger ones by hash: open addressing with linear probing over a power-of-two table.
 * Equal strings have equal UTF-8 bytes (Arrow utf8 vectors hold valid UTF-8), so the verdicts equal
 * {@code Set<String>.contains} on the decoded value.
 */
final class Utf8Set {
  private final byte[][] table;
  private final int[] hashes;
  private final int mask;
  /** Candidates by UTF-8 length, when no length has more than {@link #MAX_BUCKET}; else null. */
  private final byte[] @Nullable [][] byLength;
  private static final int MAX_BUCKET = 8;
  /** Per-thread copy of the value being looked up: one bulk read instead of a bounds check per byte. */
  private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[64]);

  Utf8Set(List<String> values) {
    this.byLength = buckets(values);
    int cap = Integer.highestOneBit(Math.max(4, values.size() * 2 + 1)) << 1;
    table = new byte[cap][];
    hashes = new int[cap];
    mask = cap - 1;
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      int h = hash(b);
      int slot = h & mask;
      while (table[slot] != null) {
        if (Arrays.equals(table[slot], b)) {
          break;
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = b;
      hashes[slot] = h;
    }
  }

  private static byte[] @Nullable [][] buckets(List<String> values) {
    int maxLen = 0;
    List<byte[]> encoded = new java.util.ArrayList<>();
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      encoded.add(b);
      maxLen = Math.max(maxLen, b.length);
    }
    int[] counts = new int[maxLen + 1];
    for (byte[] b : encoded) {
      if (++counts[b.length] > MAX_BUCKET) {
        return null;
      }
    }
    byte[][][] out = new byte[maxLen + 1][][];
    for (byte[] b : encoded) {
      byte[][] bucket = out[b.length];
      bucket = bucket == null ? new byte[1][] : Arrays.copyOf(bucket, bucket.length + 1);
      bucket[bucket.length - 1] = b;
      out[b.length] = bucket;
    }
    return out;
  }

  private static int hash(byte[] b) {
    int h = 1;
    for (byte x : b) {
      h = 31 * h + x;
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }

  /**
   * Whether the non-null value at an index of a vector is in the set.
   *
   * @param v the vector
   * @param index the absolute index in the vector
   * @return true when present
   */
  boolean contains(VarCharVector v, int index) {
    long start = v.getStartOffset(index);
    int len = (int) (v.getEndOffset(index) - start);
    byte[][][] lengths = byLength;
    if (lengths != null) {
      if (len >= lengths.length || lengths[len] == null) {
        return false;
      }
      ArrowBuf data = v.getDataBuffer();
      for (byte[] cand : lengths[len]) {
        if (ByteFunctionHelpers.compare(data, (int) start, (int) start + len, cand, 0, len) == 0) {
          return true;
        }
      }
      return false;
    }
    byte[] buf = scratch.get();
    if (buf.length < len) {
      buf = new byte[Math.max(len, buf.length * 2)];
      scratch.set(buf);
    }
    v.getDataBuffer().getBytes(start, buf, 0, len);
    int h = 1;
    for (int k = 0; k < len; k++) {
      h = 31 * h + buf[k];
    }
    h = mix(h);
    int slot = h & mask;
    byte[] cand;
    while ((cand = table[slot]) != null) {
      if (hashes[slot] == h && Arrays.equals(cand, 0, cand.length, buf, 0, len)) {
        return true;
      }
      slot = (slot + 1) & mask;
    }
    return false;
  }
}
