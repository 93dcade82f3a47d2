package dev.mlops.stats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VarCharVector;

/**
 * Counts the distinct values of a range of an Arrow string vector by their UTF-8 bytes, without
 * decoding or allocating per value; each distinct value is decoded once and handed to the column
 * accumulator with its count. The frequent-items and HLL sketches then see one update per distinct
 * value instead of one per row (HLL is insensitive to repeats; the frequent-items sketch's weighted
 * update is its documented equivalent of repeated updates). Not thread-safe; reusable.
 */
final class StringCounter {
  private int[] slots = new int[1024];
  private int[] starts = new int[512];
  private int[] lengths = new int[512];
  private int[] hashes = new int[512];
  private long[] counts = new long[512];
  private int size;
  private byte[] bytes = new byte[0];

  void count(ColumnStatistics acc, VarCharVector v, int from, int to) {
    ArrowBuf offsets = v.getOffsetBuffer();
    clear();
    if (to == from) {
      return;
    }
    // One copy of the range's bytes to the heap, then plain array access (no per-byte bounds checks).
    int base = offsets.getInt((long) from * 4);
    int end = offsets.getInt((long) to * 4);
    if (bytes.length < end - base) {
      bytes = new byte[Math.max(end - base, bytes.length * 2)];
    }
    v.getDataBuffer().getBytes(base, bytes, 0, end - base);
    boolean nulls = v.getNullCount() > 0;
    for (int i = from; i < to; i++) {
      if (nulls && v.isNull(i)) {
        acc.addNull();
        continue;
      }
      int start = offsets.getInt((long) i * 4);
      int len = offsets.getInt((long) (i + 1) * 4) - start;
      add(start - base, len);
    }
    for (int e = 0; e < size; e++) {
      acc.addString(new String(bytes, starts[e], lengths[e], StandardCharsets.UTF_8), counts[e]);
    }
  }

  private void clear() {
    Arrays.fill(slots, 0);
    size = 0;
  }

  private void add(int start, int len) {
    byte[] b = bytes;
    int h = 0x9747b28c;
    for (int k = 0; k < len; k++) {
      h = (h ^ b[start + k]) * 0x01000193;
    }
    h ^= h >>> 16;
    int mask = slots.length - 1;
    int i = h & mask;
    while (true) {
      int s = slots[i];
      if (s == 0) {
        break;
      }
      int e = s - 1;
      if (hashes[e] == h && lengths[e] == len
          && Arrays.equals(b, starts[e], starts[e] + len, b, start, start + len)) {
        counts[e]++;
        return;
      }
      i = (i + 1) & mask;
    }
    if (size == starts.length) {
      grow();
      add(start, len);
      return;
    }
    starts[size] = start;
    lengths[size] = len;
    hashes[size] = h;
    counts[size] = 1;
    slots[i] = ++size;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    }
  }

  private void grow() {
    int n = starts.length * 2;
    starts = Arrays.copyOf(starts, n);
    lengths = Arrays.copyOf(lengths, n);
    hashes = Arrays.copyOf(hashes, n);
    counts = Arrays.copyOf(counts, n);
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    int mask = capacity - 1;
    for (int e = 0; e < size; e++) {
      int i = hashes[e] & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = e + 1;
    }
  }
}
