package dev.mlops.monitoring;

import java.nio.charset.StandardCharsets;
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

  void count(ColumnAccumulator acc, VarCharVector v, int from, int to) {
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    clear();
    for (int i = from; i < to; i++) {
      if (v.isNull(i)) {
        acc.addNull();
        continue;
      }
      int start = offsets.getInt((long) i * 4);
      int len = offsets.getInt((long) (i + 1) * 4) - start;
      add(data, start, len);
    }
    for (int e = 0; e < size; e++) {
      byte[] b = new byte[lengths[e]];
      data.getBytes(starts[e], b);
      acc.addString(new String(b, StandardCharsets.UTF_8), counts[e]);
    }
  }

  private void clear() {
    java.util.Arrays.fill(slots, 0);
    size = 0;
  }

  private void add(ArrowBuf data, int start, int len) {
    int h = 0x9747b28c;
    for (int k = 0; k < len; k++) {
      h = (h ^ data.getByte(start + k)) * 0x01000193;
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
      if (hashes[e] == h && lengths[e] == len && sameBytes(data, starts[e], start, len)) {
        counts[e]++;
        return;
      }
      i = (i + 1) & mask;
    }
    if (size == starts.length) {
      grow();
      add(data, start, len);
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

  private static boolean sameBytes(ArrowBuf data, int a, int b, int len) {
    for (int k = 0; k < len; k++) {
      if (data.getByte(a + k) != data.getByte(b + k)) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    int n = starts.length * 2;
    starts = java.util.Arrays.copyOf(starts, n);
    lengths = java.util.Arrays.copyOf(lengths, n);
    hashes = java.util.Arrays.copyOf(hashes, n);
    counts = java.util.Arrays.copyOf(counts, n);
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
