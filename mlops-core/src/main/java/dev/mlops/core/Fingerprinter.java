package dev.mlops.core;

import dev.mlops.core.internal.Digests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Computes a {@link DatasetFingerprint} from rows and batches fed in order. Not thread-safe.
 *
 * <p>Encoding, chosen so that any split of the same rows gives the same digest and so that columns
 * without nulls hash straight from Arrow memory, at close to the speed of a bare SHA-256 over the
 * same bytes. Each column has three SHA-256 streams:
 * <ul>
 *   <li><em>values</em>: fixed-width types as the little-endian bytes of the stored value (int64,
 *       float32 and float64 IEEE bits, timestamp micros, tensor floats), booleans as one byte 0/1,
 *       strings as their UTF-8 bytes concatenated; null slots contribute nothing;
 *   <li><em>nulls</em>: the 0-based row index (8 bytes, little-endian) of every null, counted from
 *       the first row ever fed;
 *   <li><em>lengths</em> (strings only): the UTF-8 byte length of every present value as an unsigned
 *       LEB128 varint, so value boundaries are part of the digest.
 * </ul>
 * Each stream is a prefix-free encoding, so the three together identify the column's values. The
 * content digest is SHA-256 over the concatenated stream digests, per column in schema order.
 */
public final class Fingerprinter {
  private static final int SCRATCH = 8192;

  private final Schema schema;
  private final MessageDigest[] values;
  private final MessageDigest[] nulls;
  private final MessageDigest[] lengths;
  private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer structScratch = ByteBuffer.allocate(SCRATCH).order(ByteOrder.LITTLE_ENDIAN);
  private final byte[] copyChunk = new byte[64 * 1024];
  private long rows;

  Fingerprinter(Schema schema) {
    this.schema = schema;
    this.values = new MessageDigest[schema.size()];
    this.nulls = new MessageDigest[schema.size()];
    this.lengths = new MessageDigest[schema.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Digests.sha256();
      nulls[i] = Digests.sha256();
      lengths[i] = Digests.sha256();
    }
  }

  /**
   * Feeds one row.
   *
   * @param row a row of this fingerprinter's schema
   * @return this
   * @throws SchemaMismatchException when the row's schema differs
   */
  public Fingerprinter update(Row row) {
    checkSchema(row.schema());
    for (int c = 0; c < values.length; c++) {
      Object v = row.get(c);
      MessageDigest vd = values[c];
      scratch.clear();
      if (v == null) {
        nulls[c].update(scratch.putLong(0, rows).array(), 0, 8);
        continue;
      }
      switch (schema.field(c).type().kind()) {
        case BOOLEAN -> vd.update((byte) (((Boolean) v) ? 1 : 0));
        case INT64 -> vd.update(scratch.putLong(0, (Long) v).array(), 0, 8);
        case FLOAT32 -> vd.update(scratch.putInt(0, Float.floatToRawIntBits((Float) v)).array(), 0, 4);
        case FLOAT64 -> vd.update(scratch.putLong(0, Double.doubleToRawLongBits((Double) v)).array(), 0, 8);
        case TIMESTAMP -> {
          Instant t = (Instant) v;
          vd.update(scratch.putLong(0, t.getEpochSecond() * 1_000_000L + t.getNano() / 1000).array(), 0, 8);
        }
        case STRING -> {
          byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
          vd.update(b);
          putVarint(scratch, b.length);
          lengths[c].update(scratch.array(), 0, scratch.position());
        }
        case FLOAT_TENSOR -> {
          for (float f : (float[]) v) {
            if (scratch.remaining() < 4) {
              vd.update(scratch.array(), 0, scratch.position());
              scratch.clear();
            }
            scratch.putFloat(f);
          }
          vd.update(scratch.array(), 0, scratch.position());
        }
        default -> throw new IllegalStateException();
      }
    }
    rows++;
    return this;
  }

  /**
   * Feeds every row of a batch (or view), hashing Arrow memory directly where a column has no nulls.
   *
   * @param batch a batch of this fingerprinter's schema
   * @return this
   * @throws SchemaMismatchException when the batch's schema differs
   */
  public Fingerprinter update(Batch batch) {
    checkSchema(batch.schema());
    int from = batch.offset();
    int n = batch.rowCount();
    for (int c = 0; c < values.length; c++) {
      FieldVector v = batch.vector(c);
      boolean anyNull = hasNull(v, from, n);
      structure(c, v, from, n, anyNull);
      DataType.Kind kind = schema.field(c).type().kind();
      switch (kind) {
        case BOOLEAN -> booleans(values[c], (BitVector) v, from, n);
        case STRING -> strings(values[c], (VarCharVector) v, from, n, anyNull);
        case FLOAT_TENSOR -> {
          FixedSizeListVector fl = (FixedSizeListVector) v;
          fixedWidth(values[c], fl, (BaseFixedWidthVector) fl.getDataVector(), from, n, anyNull, fl.getListSize() * 4);
        }
        default -> {
          BaseFixedWidthVector fw = (BaseFixedWidthVector) v;
          fixedWidth(values[c], fw, fw, from, n, anyNull, fw.getTypeWidth());
        }
      }
    }
    rows += n;
    return this;
  }

  private static boolean hasNull(FieldVector v, int from, int n) {
    if (v.getNullCount() == 0) {
      return false;
    }
    for (int i = from; i < from + n; i++) {
      if (v.isNull(i)) {
        return true;
      }
    }
    return false;
  }

  private void structure(int c, FieldVector v, int from, int n, boolean anyNull) {
    ByteBuffer buf = structScratch;
    if (anyNull) {
      buf.clear();
      for (int i = from; i < from + n; i++) {
        if (v.isNull(i)) {
          if (buf.remaining() < 8) {
            nulls[c].update(buf.array(), 0, buf.position());
            buf.clear();
          }
          buf.putLong(rows + i - from);
        }
      }
      nulls[c].update(buf.array(), 0, buf.position());
    }
    if (v instanceof VarCharVector) {
      ArrowBuf offsets = v.getOffsetBuffer();
      buf.clear();
      for (int i = from; i < from + n; i++) {
        if (anyNull && v.isNull(i)) {
          continue;
        }
        if (buf.remaining() < 5) {
          lengths[c].update(buf.array(), 0, buf.position());
          buf.clear();
        }
        putVarint(buf, offsets.getInt((long) (i + 1) * 4) - offsets.getInt((long) i * 4));
      }
      lengths[c].update(buf.array(), 0, buf.position());
    }
  }

  private static void putVarint(ByteBuffer buf, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      buf.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buf.put((byte) v);
  }

  private void booleans(MessageDigest vd, BitVector v, int from, int n) {
    ByteBuffer buf = scratch;
    buf.clear();
    for (int i = from; i < from + n; i++) {
      if (v.isNull(i)) {
        continue;
      }
      if (!buf.hasRemaining()) {
        vd.update(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.put((byte) v.get(i));
    }
    vd.update(buf.array(), 0, buf.position());
  }

  private void strings(MessageDigest vd, VarCharVector v, int from, int n, boolean anyNull) {
    if (n == 0) {
      return;
    }
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    if (!anyNull) {
      long start = offsets.getInt((long) from * 4);
      long end = offsets.getInt((long) (from + n) * 4);
      hashRange(vd, data, start, end - start);
      return;
    }
    // Arrow does not promise that a null slot has zero length (a value set and then nulled keeps its
    // bytes), so hash only runs of present values.
    forEachPresentRun(v, from, n, (first, end) -> {
      long start = offsets.getInt((long) first * 4);
      hashRange(vd, data, start, offsets.getInt((long) end * 4) - start);
    });
  }

  /** Receives a run {@code [first, end)} of consecutive non-null rows. */
  @FunctionalInterface
  private interface RunConsumer {
    void accept(int first, int end);
  }

  private static void forEachPresentRun(FieldVector validity, int from, int n, RunConsumer consumer) {
    int runStart = -1;
    for (int i = from; i <= from + n; i++) {
      boolean present = i < from + n && !validity.isNull(i);
      if (present && runStart < 0) {
        runStart = i;
      } else if (!present && runStart >= 0) {
        consumer.accept(runStart, i);
        runStart = -1;
      }
    }
  }

  private void fixedWidth(MessageDigest vd, FieldVector validity, BaseFixedWidthVector data, int from, int n,
      boolean anyNull, int width) {
    ArrowBuf buf = data.getDataBuffer();
    if (!anyNull) {
      hashRange(vd, buf, (long) from * width, (long) n * width);
      return;
    }
    forEachPresentRun(validity, from, n,
        (first, end) -> hashRange(vd, buf, (long) first * width, (long) (end - first) * width));
  }

  private void hashRange(MessageDigest vd, ArrowBuf buf, long start, long length) {
    // Copy through a heap chunk: ArrowBuf.nioBuffer() needs --add-opens on Java 17, and the JDK's
    // digest copies direct buffers into a heap array anyway.
    byte[] chunk = copyChunk;
    long pos = start;
    long end = start + length;
    while (pos < end) {
      int n = (int) Math.min(chunk.length, end - pos);
      buf.getBytes(pos, chunk, 0, n);
      vd.update(chunk, 0, n);
      pos += n;
    }
  }

  private void checkSchema(Schema other) {
    if (!other.equals(schema)) {
      throw new SchemaMismatchException("Fingerprinter for " + schema + " was fed data of " + other
          + "; fingerprint each schema separately");
    }
  }

  /**
   * Rows fed so far.
   *
   * @return the count
   */
  public long rowCount() {
    return rows;
  }

  /**
   * The fingerprint of everything fed so far. The fingerprinter stays usable.
   *
   * @return the fingerprint
   */
  public DatasetFingerprint build() {
    MessageDigest total = Digests.sha256();
    for (int c = 0; c < values.length; c++) {
      total.update(digestCopy(values[c]));
      total.update(digestCopy(nulls[c]));
      total.update(digestCopy(lengths[c]));
    }
    return new DatasetFingerprint(schema.fingerprint(), rows, HexFormat.of().formatHex(total.digest()));
  }

  private static byte[] digestCopy(MessageDigest d) {
    try {
      return ((MessageDigest) d.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("The JDK's SHA-256 is cloneable; this runtime's is not", e);
    }
  }
}
