package dev.mlops.monitoring;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Test helpers that forge profile bytes the way an attacker would: patch a field, then recompute the
 * CRC-32 so the frame checks pass and only the decoder's validation stands in the way.
 */
final class ProfileBytes {
  static final Schema SCHEMA = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("n", DataType.INT64),
      Field.of("c", DataType.STRING), Field.of("b", DataType.BOOLEAN), Field.of("t", DataType.TIMESTAMP),
      Field.of("v", DataType.floatTensor(2)));

  private ProfileBytes() {}

  /** Rows of {@link #SCHEMA}: Gaussian x with a few nulls, NaN and infinities, 7 distinct n, 5 strings. */
  static List<Row> rows(int count, long seed) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object x = i % 97 == 0 ? null : i % 89 == 0 ? Double.NaN : i % 83 == 0 ? Double.POSITIVE_INFINITY
          : r.nextGaussian() * 10 + 3;
      rows.add(Row.of(SCHEMA, x, (long) r.nextInt(7), i % 31 == 0 ? null : "s" + r.nextInt(5), r.nextBoolean(),
          Instant.ofEpochSecond(1_700_000_000L + r.nextInt(86_400)), new float[] {r.nextFloat(), r.nextFloat()}));
    }
    return rows;
  }

  /** The reproduction: 2,000 values, so the KLL sketch of x is in estimation mode. */
  static DatasetProfile twoThousandValues() {
    return DatasetProfile.of(SCHEMA, rows(2000, 8));
  }

  /** Writes the payload's CRC-32 over the last 4 bytes, as {@link ProfileCodec} does. */
  static byte[] fixCrc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 10, bytes.length - 14);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  /** Where {@code part} starts in {@code whole}. */
  static int indexOf(byte[] whole, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= whole.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (whole[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("sub-array not found");
  }

  /** Offset in the profile's bytes of the serialized KLL sketch of a column. */
  static int kllOffset(DatasetProfile p, byte[] bytes, String column) {
    return indexOf(bytes, p.column(column).kllOrNull().toByteArray());
  }

  /** Offset of the serialized frequent-items sketch of a column. */
  static int itemsOffset(DatasetProfile p, byte[] bytes, String column) {
    return indexOf(bytes, p.column(column).itemsOrNull().toByteArray(new org.apache.datasketches.common
        .ArrayOfStringsSerDe()));
  }

  /** Offset of the serialized HLL sketch of a column. */
  static int hllOffset(DatasetProfile p, byte[] bytes, String column) {
    return indexOf(bytes, p.column(column).hllOrNull().toCompactByteArray());
  }

  /**
   * Offset of a column's fixed block (6 longs then 4 doubles), found as the 4-byte length of its KLL
   * blob minus the 80 bytes before it; columns without a KLL sketch are located from the previous one.
   */
  static int countersOffset(DatasetProfile p, byte[] bytes, String numericColumn) {
    return kllOffset(p, bytes, numericColumn) - 4 - 80;
  }

  static void putLong(byte[] b, int at, long v) {
    ByteBuffer.wrap(b).putLong(at, v);
  }

  static void putDouble(byte[] b, int at, double v) {
    ByteBuffer.wrap(b).putDouble(at, v);
  }

  /** DataSketches writes its sketches in little-endian order. */
  static void putDoubleLittleEndian(byte[] b, int at, double v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, v);
  }

  static void putIntLittleEndian(byte[] b, int at, int v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
  }
}
