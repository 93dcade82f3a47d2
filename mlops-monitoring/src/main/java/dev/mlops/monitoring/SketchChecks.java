package dev.mlops.monitoring;

import dev.mlops.core.DataFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Validates the serialized DataSketches sketches inside a profile before DataSketches sees them, and
 * the heapified sketch after. DataSketches trusts its input: it sizes arrays from declared counts
 * before checking them against the bytes present, and accepts NaN items, unsorted levels and counts
 * that disagree with each other, which later make quantile walks spin or index out of bounds. Each
 * check here reads the documented layout of the sketch (little-endian, as DataSketches writes it) and
 * throws {@link DataFormatException} naming the column and the field.
 */
final class SketchChecks {
  private static final int KLL_FAMILY = 15;
  private static final int KLL_M = 8;
  /** A KLL sketch of n items has about log2(n / k) + 1 levels; 61 covers every long n. */
  private static final int KLL_MAX_LEVELS = 61;
  /** Heap bytes a decoded KLL sketch may take beyond 64 per serialized byte (k = 200 needs about 5 KB). */
  private static final long KLL_HEAP_ALLOWANCE = 8 << 10;
  private static final int HLL_FAMILY = 7;
  private static final int HLL_OUT_OF_ORDER = 16;
  /** A 4-bit HLL_4 register holding this says "my value is in the exception (aux) table". */
  private static final int HLL_AUX_TOKEN = 15;
  private static final int HLL_KEY_MASK_26 = (1 << 26) - 1;
  private static final double HLL_HIP_TOLERANCE = 8;
  private static final int FREQUENCY_FAMILY = 10;
  private static final int FREQUENCY_MIN_LG_MAP = 3;
  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

  /** Where a failed check is reported. */
  record Where(String source, String column) {
    DataFormatException corrupt(String what) {
      return new DataFormatException(what + "; the profile is corrupt or was not written by "
          + "DatasetProfile.toBytes()", source, -1, column);
    }
  }

  private SketchChecks() {}

  /**
   * The KLL sketch of a numeric column's finite values.
   *
   * @param b its compact serialization
   * @param k the profile's kllK
   * @param valid the column's finite-value count, which must be the sketch's n
   * @param min the column's exact minimum (NaN when there are no values), which must be the sketch's
   * @param max the column's exact maximum
   */
  static KllDoublesSketch kll(byte[] b, int k, long valid, double min, double max, Where w) {
    if (b.length < 8) {
      throw w.corrupt("the KLL sketch has " + b.length + " bytes, fewer than its 8-byte preamble");
    }
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int preInts = b[0] & 0xff;
    int serVer = b[1] & 0xff;
    int family = b[2] & 0xff;
    int flags = b[3] & 0xff;
    int sketchK = le.getShort(4) & 0xffff;
    int m = b[6] & 0xff;
    if (family != KLL_FAMILY) {
      throw w.corrupt("the KLL sketch has family id " + family + ", expected " + KLL_FAMILY);
    }
    if (sketchK != k || m != KLL_M) {
      throw w.corrupt("the KLL sketch has k = " + sketchK + " and m = " + m + ", but the profile's options say k = "
          + k + " and m = " + KLL_M);
    }
    if (b[7] != 0) {
      throw w.corrupt("the KLL sketch's reserved byte 7 is " + b[7] + ", expected 0");
    }
    int shape = flags & ~2; // bit 1, "level 0 sorted", may be set in any shape
    long n;
    if (preInts == 2 && serVer == 1) {
      if (shape != 1 || b.length != 8) {
        throw w.corrupt("the empty KLL sketch has flags " + flags + " and " + b.length + " bytes, expected the "
            + "empty flag and 8 bytes");
      }
      n = 0;
    } else if (preInts == 2 && serVer == 2) {
      if (shape != 4 || b.length != 16) {
        throw w.corrupt("the single-item KLL sketch has flags " + flags + " and " + b.length + " bytes, expected "
            + "the single-item flag and 16 bytes");
      }
      double item = le.getDouble(8);
      finiteItem(item, 0, 1, w);
      if (item != min || item != max) {
        throw w.corrupt("the KLL sketch's only item " + item + " is not the column's min " + min + " and max " + max);
      }
      n = 1;
    } else if (preInts == 5 && serVer == 1) {
      n = fullKll(b, le, flags, shape, k, min, max, w);
    } else {
      throw w.corrupt("the KLL sketch has preamble ints " + preInts + " and serial version " + serVer
          + ", which is no KLL layout (2/1 empty, 2/2 single item, 5/1 compact)");
    }
    if (n != valid) {
      throw w.corrupt("the KLL sketch holds n = " + n + " values but the column counts " + valid + " finite values");
    }
    // Wrapped first: a heap sketch allocates its full capacity (k items and more, 0.5 to 1.5 MB at
    // k = 65535) whatever the bytes hold, so a forged profile of many tiny columns could demand
    // gigabytes; the wrapped sketch reads its items from these bytes.
    KllDoublesSketch sketch;
    try {
      sketch = KllDoublesSketch.wrap(Memory.wrap(b));
    } catch (RuntimeException e) {
      throw w.corrupt("the KLL sketch is malformed (" + e.getMessage() + ")");
    }
    // DataSketches derives the item count from k, m and the level count; it must be the one the
    // bytes hold, or queries would read past them.
    int retained = n == 0 ? 0 : n == 1 ? 1 : (b.length - 20 - 4 * (b[18] & 0xff) - 16) / 8;
    if (sketch.getN() != n || sketch.getK() != k || sketch.getNumRetained() != retained
        || sketch.getSerializedSizeBytes() != b.length) {
      throw w.corrupt("the KLL sketch's levels do not match its size (" + b.length + " bytes, " + retained
          + " items for n = " + n + ", but DataSketches reads " + sketch.getNumRetained() + " items)");
    }
    // A heap copy (what profiles built in memory hold) when its size is in proportion to the bytes, as
    // for the default k at any n; otherwise the read-only view, which answers every query the same.
    long heapBytes = KllSketch.getMaxSerializedSizeBytes(k, Math.max(n, 1), KllSketch.SketchType.DOUBLES_SKETCH,
        true);
    if (heapBytes > KLL_HEAP_ALLOWANCE + 64L * b.length) {
      return sketch;
    }
    try {
      return KllDoublesSketch.heapify(Memory.wrap(b));
    } catch (RuntimeException e) {
      throw w.corrupt("the KLL sketch is malformed (" + e.getMessage() + ")");
    }
  }

  /** The compact layout of more than one item: preamble, levels, min, max, retained items. */
  private static long fullKll(byte[] b, ByteBuffer le, int flags, int shape, int k, double min, double max,
      Where w) {
    if (shape != 0 || b.length < 20) {
      throw w.corrupt("the KLL sketch has flags " + flags + " and " + b.length + " bytes, expected no empty or "
          + "single-item flag and at least 20 bytes");
    }
    long n = le.getLong(8);
    int minK = le.getShort(16) & 0xffff;
    int numLevels = b[18] & 0xff;
    if (minK != k) {
      throw w.corrupt("the KLL sketch's min k is " + minK + ", expected " + k);
    }
    if (b[19] != 0) {
      throw w.corrupt("the KLL sketch's reserved byte 19 is " + b[19] + ", expected 0");
    }
    if (numLevels < 1 || numLevels > KLL_MAX_LEVELS) {
      throw w.corrupt("the KLL sketch has " + numLevels + " levels, expected 1.." + KLL_MAX_LEVELS);
    }
    int itemsAt = 20 + 4 * numLevels + 16;
    if (b.length < itemsAt || (b.length - itemsAt) % 8 != 0) {
      throw w.corrupt("the KLL sketch has " + b.length + " bytes, which is not a whole number of items after its "
          + numLevels + " levels");
    }
    int retained = (b.length - itemsAt) / 8;
    long[] levels = new long[numLevels + 1];
    for (int i = 0; i < numLevels; i++) {
      levels[i] = le.getInt(20 + 4 * i);
    }
    levels[numLevels] = levels[0] + retained;
    if (levels[0] < 0 || retained == 0) {
      throw w.corrupt("the KLL sketch's levels start at " + levels[0] + " with " + retained + " items retained");
    }
    long weight = 0;
    for (int i = 0; i < numLevels; i++) {
      long size = levels[i + 1] - levels[i];
      if (size < 0) {
        throw w.corrupt("the KLL sketch's level " + i + " ends before it starts (levels array "
            + Arrays.toString(levels) + ")");
      }
      if (size > 0 && (i >= 62 || size > (Long.MAX_VALUE - weight) >> i)) {
        throw w.corrupt("the KLL sketch's levels weigh more than a long holds");
      }
      weight += size << i;
    }
    if (weight != n) {
      throw w.corrupt("the KLL sketch's levels weigh " + weight + " but its n is " + n);
    }
    double lo = le.getDouble(itemsAt - 16);
    double hi = le.getDouble(itemsAt - 8);
    if (!(lo == min) || !(hi == max)) {
      throw w.corrupt("the KLL sketch's min and max items are " + lo + " and " + hi + ", but the column's min and "
          + "max are " + min + " and " + max);
    }
    boolean level0Sorted = (flags & 2) != 0;
    for (int level = 0; level < numLevels; level++) {
      double prev = Double.NEGATIVE_INFINITY;
      boolean sorted = level > 0 || level0Sorted;
      for (long i = levels[level]; i < levels[level + 1]; i++) {
        int index = (int) (i - levels[0]);
        double item = le.getDouble(itemsAt + 8 * index);
        finiteItem(item, index, retained, w);
        if (item < lo || item > hi) {
          throw w.corrupt("KLL sketch item " + index + " is " + item + ", outside the sketch's min " + lo
              + " and max " + hi);
        }
        if (sorted && item < prev) {
          throw w.corrupt("KLL sketch level " + level + " is not sorted (item " + index + " is " + item + " after "
              + prev + "); a KLL sketch keeps every level above 0 sorted");
        }
        prev = item;
      }
    }
    return n;
  }

  private static void finiteItem(double item, int index, int of, Where w) {
    if (!Double.isFinite(item)) {
      throw w.corrupt("KLL sketch item " + index + " of " + of + " is " + item + "; a profile's quantile sketch holds "
          + "finite values only (NaN and infinities are counted apart)");
    }
  }

  /**
   * The HLL sketch of a column's distinct values, in the compact HLL_4 form profiles write.
   *
   * @param b its serialization
   * @param lgK the profile's hllLgK
   * @param empty whether the column has no value the sketch would have seen
   */
  static HllSketch hll(byte[] b, int lgK, boolean empty, Where w) {
    if (b.length < 8) {
      throw w.corrupt("the HLL sketch has " + b.length + " bytes, fewer than its 8-byte preamble");
    }
    int preInts = b[0] & 0xff;
    int serVer = b[1] & 0xff;
    int family = b[2] & 0xff;
    int sketchLgK = b[3] & 0xff;
    int lgArr = b[4] & 0xff;
    int flags = b[5] & 0xff;
    int mode = b[7] & 0xff;
    if (family != HLL_FAMILY || serVer != 1) {
      throw w.corrupt("the HLL sketch has family id " + family + " and serial version " + serVer + ", expected "
          + HLL_FAMILY + " and 1");
    }
    if (sketchLgK != lgK) {
      throw w.corrupt("the HLL sketch has lgK = " + sketchLgK + ", but the profile's options say " + lgK);
    }
    // DataSketches sizes its arrays from lgArr when the compact flag is clear.
    if ((flags & 8) == 0 || lgArr > lgK) {
      throw w.corrupt("the HLL sketch is not in compact form (flags " + flags + ", lgArr " + lgArr + ")");
    }
    int curMode = mode & 3;
    int expectedPreInts = curMode == 0 ? 2 : curMode == 1 ? 3 : curMode == 2 ? 10 : -1;
    if (mode >> 2 != 0 || preInts != expectedPreInts) {
      throw w.corrupt("the HLL sketch has mode byte " + mode + " and " + preInts + " preamble ints; profiles hold "
          + "HLL_4 sketches in list (2), set (3) or HLL (10) mode");
    }
    // In HLL mode DataSketches allocates the 2^(lgK - 1) register bytes before reading them.
    int registers = 1 << (lgK - 1);
    if (curMode == 2 && b.length < 40 + registers) {
      throw w.corrupt("the HLL sketch has " + b.length + " bytes, fewer than the 40-byte preamble and " + registers
          + " register bytes of lgK = " + lgK);
    }
    if (curMode == 2) {
      hllArray(b, lgK, (flags & HLL_OUT_OF_ORDER) != 0, w);
    }
    HllSketch sketch;
    try {
      sketch = HllSketch.heapify(b);
    } catch (RuntimeException e) {
      throw w.corrupt("the HLL sketch is malformed (" + e.getMessage() + ")");
    }
    double estimate = sketch.getEstimate();
    if (sketch.getTgtHllType() != TgtHllType.HLL_4 || sketch.getCompactSerializationBytes() != b.length
        || !(estimate >= 0) || Double.isInfinite(estimate) || !Double.isFinite(sketch.getUpperBound(1))) {
      throw w.corrupt("the HLL sketch is inconsistent (" + b.length + " bytes, estimate " + estimate + ")");
    }
    hipAgreesWithRegisters(sketch, b, lgK, w);
    if (sketch.isEmpty() != empty) {
      throw w.corrupt("the HLL sketch is " + (sketch.isEmpty() ? "empty" : "not empty") + " but the column has "
          + (empty ? "no" : "some") + " values");
    }
    return sketch;
  }

  /**
   * Checks an HLL_4 sketch in HLL mode against the invariants DataSketches keeps while it builds one,
   * because DataSketches reads each field as given: a register of 15 is followed into the exception
   * (aux) table without checking that the table holds it, an aux slot number is masked to lgK bits, a
   * duplicate slot trips an {@code assert}, an exception table of more than 3K/8 entries grows past
   * what its own hash table allows, and the estimate is computed from the stored curMin, numAtCurMin
   * and kxq sums, not from the registers, so a sketch whose header disagrees with its registers gives
   * a wrong distinct count without any error.
   *
   * <p>Layout (DataSketches {@code PreambleUtil}, little-endian): curMin at byte 6, the HIP
   * accumulator at 8, kxq0 at 16, kxq1 at 24, numAtCurMin at 32, the aux count at 36, the 2^(lgK-1)
   * register bytes (two 4-bit registers each, low nibble first) at 40, then the aux pairs
   * ({@code value << 26 | slot}).
   */
  private static void hllArray(byte[] b, int lgK, boolean outOfOrder, Where w) {
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int k = 1 << lgK;
    int registers = k / 2;
    int curMin = b[6] & 0xff;
    int numAtCurMin = le.getInt(32);
    int auxCount = le.getInt(36);
    if (auxCount < 0 || auxCount > 3 * k / 8) {
      throw w.corrupt("the HLL sketch declares " + auxCount + " exception-table entries; a sketch of lgK = " + lgK
          + " holds between 0 and " + 3 * k / 8);
    }
    long auxStart = 40L + registers;
    if (b.length != auxStart + 4L * auxCount) {
      throw w.corrupt("the HLL sketch has " + b.length + " bytes, but its " + registers + " register bytes and "
          + auxCount + " exception-table entries take " + (auxStart + 4L * auxCount));
    }
    int[] values = new int[k];
    int pointers = 0;
    int atCurMin = 0;
    for (int slot = 0; slot < k; slot++) {
      int nibble = (b[40 + (slot >> 1)] >> ((slot & 1) << 2)) & 0x0f;
      if (nibble == HLL_AUX_TOKEN) {
        pointers++;
        values[slot] = -1;
      } else {
        atCurMin += nibble == 0 ? 1 : 0;
        values[slot] = curMin + nibble;
      }
    }
    if (auxCount != pointers) {
      throw w.corrupt("the HLL sketch has " + pointers + " registers that point into its exception table but the"
          + " table declares " + auxCount + " entries");
    }
    for (int i = 0; i < auxCount; i++) {
      int pair = le.getInt((int) auxStart + 4 * i);
      int slot = pair & HLL_KEY_MASK_26;
      int value = pair >>> 26;
      if (slot >= k || values[slot] != -1) {
        throw w.corrupt("exception-table entry " + i + " of the HLL sketch names register " + slot + ", which "
            + (slot >= k ? "is beyond the sketch's " + k + " registers" : values[slot] == -2
                ? "an earlier entry already names" : "does not point into the table"));
      }
      if (value < curMin + HLL_AUX_TOKEN) {
        throw w.corrupt("exception-table entry " + i + " of the HLL sketch holds value " + value + " for register "
            + slot + "; the table holds only values of at least curMin + 15 = " + (curMin + HLL_AUX_TOKEN));
      }
      values[slot] = -2;
    }
    if (numAtCurMin != atCurMin || atCurMin == 0) {
      throw w.corrupt("the HLL sketch says " + numAtCurMin + " registers hold its minimum " + curMin + ", but "
          + atCurMin + " do" + (atCurMin == 0 ? " (a sketch always has one register at its minimum)" : ""));
    }
    double kxq0 = 0;
    double kxq1 = 0;
    for (int slot = 0; slot < k; slot++) {
      if (values[slot] >= 0) {
        int v = values[slot];
        kxq0 += v < 32 ? Math.scalb(1.0, -v) : 0;
        kxq1 += v < 32 ? 0 : Math.scalb(1.0, -v);
      }
    }
    for (int i = 0; i < auxCount; i++) {
      int v = le.getInt((int) auxStart + 4 * i) >>> 26;
      kxq0 += v < 32 ? Math.scalb(1.0, -v) : 0;
      kxq1 += v < 32 ? 0 : Math.scalb(1.0, -v);
    }
    double storedKxq0 = le.getDouble(16);
    double storedKxq1 = le.getDouble(24);
    if (!nearlyEqual(storedKxq0, kxq0) || !nearlyEqual(storedKxq1, kxq1)) {
      throw w.corrupt("the HLL sketch's stored register sums (kxq0 " + storedKxq0 + ", kxq1 " + storedKxq1
          + ") are not those of its registers (" + kxq0 + ", " + kxq1 + ")");
    }
    if (!outOfOrder) {
      double hip = le.getDouble(8);
      if (!(hip >= 0) || Double.isInfinite(hip)) {
        throw w.corrupt("the HLL sketch's HIP estimate is " + hip);
      }
    }
  }

  /**
   * A sketch updated in order reports its HIP accumulator as the estimate, a number stored beside
   * the registers that nothing else constrains; it must agree with the estimate the (checked)
   * registers give. The two estimators differ by about one relative standard error (1.04 / sqrt(K));
   * over 9,000 sketches of lgK 4, 8 and 12 and 1 to 50K distinct values the largest difference was
   * 1.9 such errors (plus one), so 8 refuses only a HIP value no update sequence produces.
   */
  private static void hipAgreesWithRegisters(HllSketch sketch, byte[] b, int lgK, Where w) {
    boolean hllMode = (b[7] & 3) == 2;
    if (!hllMode || (b[5] & HLL_OUT_OF_ORDER) != 0) {
      return;
    }
    double hip = sketch.getEstimate();
    double registers = sketch.getCompositeEstimate();
    double unit = 1.04 / Math.sqrt(1 << lgK) * Math.max(hip, registers) + 1;
    if (Math.abs(hip - registers) > HLL_HIP_TOLERANCE * unit) {
      throw w.corrupt("the HLL sketch's HIP estimate " + hip + " is " + Math.abs(hip - registers) / unit
          + " standard errors from the " + registers + " its registers give (at most " + HLL_HIP_TOLERANCE
          + " in a sketch DataSketches wrote)");
    }
  }

  /** Equal up to the rounding of summing up to 2^21 terms in another order. */
  private static boolean nearlyEqual(double stored, double recomputed) {
    return Math.abs(stored - recomputed) <= 1e-9 * Math.max(1.0, Math.abs(recomputed));
  }

  /**
   * The frequent-items sketch of a categorical column.
   *
   * @param b its serialization
   * @param maxMapSize the profile's frequentItemsMaxMapSize
   * @param valid the column's non-null count, which must be the sketch's stream length
   * @param booleans whether the column is boolean, so its only items are "true" and "false"
   */
  static ItemsSketch<String> frequentItems(byte[] b, int maxMapSize, long valid, boolean booleans, Where w) {
    if (b.length < 8) {
      throw w.corrupt("the frequent-items sketch has " + b.length + " bytes, fewer than its 8-byte preamble");
    }
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int preLongs = b[0] & 0xff;
    int serVer = b[1] & 0xff;
    int family = b[2] & 0xff;
    int lgMax = b[3] & 0xff;
    int lgCur = b[4] & 0xff;
    int flags = b[5] & 0xff;
    int lgMaxExpected = Integer.numberOfTrailingZeros(maxMapSize);
    if (family != FREQUENCY_FAMILY || serVer != 1) {
      throw w.corrupt("the frequent-items sketch has family id " + family + " and serial version " + serVer
          + ", expected " + FREQUENCY_FAMILY + " and 1");
    }
    if (lgMax != lgMaxExpected || lgCur < FREQUENCY_MIN_LG_MAP || lgCur > lgMax) {
      throw w.corrupt("the frequent-items sketch has map sizes 2^" + lgCur + " of 2^" + lgMax + ", but the "
          + "profile's options allow 2^" + FREQUENCY_MIN_LG_MAP + " to 2^" + lgMaxExpected);
    }
    if (b[6] != 0 || b[7] != 0) {
      throw w.corrupt("the frequent-items sketch's reserved bytes 6 and 7 are not 0");
    }
    boolean empty = (flags & 5) != 0;
    if (empty) {
      if (flags != 5 || preLongs != 1 || b.length != 8 || valid != 0) {
        throw w.corrupt("the empty frequent-items sketch has flags " + flags + ", " + preLongs + " preamble longs and "
            + b.length + " bytes for a column of " + valid + " values");
      }
      return sketch(b, w);
    }
    if (flags != 0 || preLongs != 4 || b.length < 32) {
      throw w.corrupt("the frequent-items sketch has flags " + flags + ", " + preLongs + " preamble longs and "
          + b.length + " bytes, expected 0, 4 and at least 32");
    }
    long activeLong = le.getLong(8);
    long streamLength = le.getLong(16);
    long offset = le.getLong(24);
    // The map holds at most 3/4 of its length; each item needs 8 bytes of count and 4 of length.
    long capacity = (3L << lgCur) / 4;
    if (activeLong < 1 || activeLong > capacity || activeLong * 12 > b.length - 32) {
      throw w.corrupt("the frequent-items sketch declares " + activeLong + " items, but its map holds at most "
          + capacity + " and " + (b.length - 32) + " bytes follow its preamble");
    }
    int active = (int) activeLong;
    if (streamLength != valid || offset < 0 || offset > streamLength) {
      throw w.corrupt("the frequent-items sketch has stream length " + streamLength + " and error offset " + offset
          + ", but the column counts " + valid + " values");
    }
    long sum = 0;
    for (int i = 0; i < active; i++) {
      long c = le.getLong(32 + 8 * i);
      if (c < 1 || c > streamLength - sum) {
        throw w.corrupt("frequent item " + i + " has count " + c + "; counts are positive and sum to at most the "
            + "stream length " + streamLength);
      }
      sum += c;
    }
    if (offset == 0 && sum != streamLength) {
      throw w.corrupt("the frequent-items sketch is exact (no error offset) but its counts sum to " + sum
          + ", not its stream length " + streamLength);
    }
    int at = 32 + 8 * active;
    Set<String> seen = new HashSet<>();
    var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0; i < active; i++) {
      if (b.length - at < 4) {
        throw w.corrupt("frequent item " + i + " of " + active + " is cut off");
      }
      int len = le.getInt(at);
      at += 4;
      if (len < 0 || len > b.length - at) {
        throw w.corrupt("frequent item " + i + " declares " + len + " bytes, but " + (b.length - at) + " remain");
      }
      String item;
      try {
        CharBuffer chars = utf8.decode(ByteBuffer.wrap(b, at, len));
        item = chars.toString();
      } catch (CharacterCodingException e) {
        throw w.corrupt("frequent item " + i + " is not valid UTF-8");
      }
      at += len;
      if (!seen.add(item)) {
        throw w.corrupt("frequent item '" + item + "' appears twice");
      }
      if (booleans && !item.equals("true") && !item.equals("false")) {
        throw w.corrupt("the boolean column has frequent item '" + item + "'; expected true or false");
      }
    }
    if (at != b.length) {
      throw w.corrupt("the frequent-items sketch has " + (b.length - at) + " bytes after its last item");
    }
    // DataSketches sizes its hash map from the declared current size before reading an item; the
    // map grows on demand, so the smallest size holding the items present behaves the same.
    byte[] sized = b.clone();
    sized[4] = (byte) Math.max(FREQUENCY_MIN_LG_MAP, 32 - Integer.numberOfLeadingZeros((4 * active - 1) / 3));
    ItemsSketch<String> sketch = sketch(sized, w);
    if (sketch.getNumActiveItems() != active || sketch.getStreamLength() != streamLength) {
      throw w.corrupt("the frequent-items sketch reads back as " + sketch.getNumActiveItems() + " items of stream "
          + "length " + sketch.getStreamLength() + ", not " + active + " of " + streamLength);
    }
    return sketch;
  }

  private static ItemsSketch<String> sketch(byte[] b, Where w) {
    try {
      return ItemsSketch.getInstance(Memory.wrap(b), SERDE);
    } catch (RuntimeException e) {
      throw w.corrupt("the frequent-items sketch is malformed (" + e.getMessage() + ")");
    }
  }
}
