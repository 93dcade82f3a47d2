package dev.mlops.monitoring;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.jspecify.annotations.Nullable;

/**
 * The binary form of {@link DatasetProfile}, big-endian:
 *
 * <pre>
 * bytes[4]  magic "MLPF"
 * u16       format version (1)
 * int       payload length
 * payload:
 *   int + bytes   schema JSON (UTF-8)
 *   int x 4       kllK, hllLgK, frequentItemsMaxMapSize, maxTrackedValues
 *   long          row count
 *   int           column count, then per column:
 *     long x 6    count, nulls, NaN, +Inf, -Inf, valid
 *     double x 4  mean, M2, min, max
 *     blob        KLL sketch (DataSketches serialization), length -1 when absent
 *     blob        HLL sketch (compact)
 *     blob        frequent-items sketch (strings), length -1 when absent
 *     int         tracked value count (-1 overflowed, -2 absent), then (double, long) pairs
 * int       CRC-32 of the payload
 * </pre>
 */
final class ProfileCodec {
  static final int VERSION = 1;
  private static final byte[] MAGIC = {'M', 'L', 'P', 'F'};
  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

  private ProfileCodec() {}

  static byte[] write(DatasetProfile p) {
    try {
      ByteArrayOutputStream payload = new ByteArrayOutputStream(4096);
      DataOutputStream out = new DataOutputStream(payload);
      blob(out, p.schema().toJson().getBytes(StandardCharsets.UTF_8));
      ProfileOptions o = p.options();
      out.writeInt(o.kllK());
      out.writeInt(o.hllLgK());
      out.writeInt(o.frequentItemsMaxMapSize());
      out.writeInt(o.maxTrackedValues());
      out.writeLong(p.rowCount());
      out.writeInt(p.columns().size());
      for (ColumnProfile c : p.columns()) {
        out.writeLong(c.count());
        out.writeLong(c.nullCount());
        out.writeLong(c.nanCount());
        out.writeLong(c.positiveInfinityCount());
        out.writeLong(c.negativeInfinityCount());
        out.writeLong(c.validCount());
        out.writeDouble(c.mean());
        out.writeDouble(c.m2());
        out.writeDouble(c.min());
        out.writeDouble(c.max());
        KllDoublesSketch kll = c.kllOrNull();
        blob(out, kll == null ? null : kll.toByteArray());
        blob(out, c.hllOrNull().toCompactByteArray());
        ItemsSketch<String> items = c.itemsOrNull();
        blob(out, items == null ? null : items.toByteArray(SERDE));
        ValueCounts vc = c.valueCountsOrNull();
        if (vc == null) {
          out.writeInt(-2);
        } else if (vc.overflowed()) {
          out.writeInt(-1);
        } else {
          Map<Double, Long> m = vc.toMap();
          out.writeInt(m.size());
          for (Map.Entry<Double, Long> e : m.entrySet()) {
            out.writeDouble(e.getKey());
            out.writeLong(e.getValue());
          }
        }
      }
      out.flush();
      byte[] body = payload.toByteArray();
      ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + 14);
      DataOutputStream frame = new DataOutputStream(all);
      frame.write(MAGIC);
      frame.writeShort(VERSION);
      frame.writeInt(body.length);
      frame.write(body);
      CRC32 crc = new CRC32();
      crc.update(body);
      frame.writeInt((int) crc.getValue());
      frame.flush();
      return all.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a profile to memory failed", e);
    }
  }

  private static void blob(DataOutputStream out, byte @Nullable [] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  static DatasetProfile read(byte[] bytes) {
    String src = "profile bytes";
    if (bytes.length < 14) {
      throw new DataFormatException("only " + bytes.length + " bytes; a profile has at least 14 (header and "
          + "checksum): the data is truncated or not a profile", src, -1, null);
    }
    for (int i = 0; i < 4; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new DataFormatException("bad magic number: expected 'MLPF' at offset 0; these bytes are not "
            + "a profile written by DatasetProfile.toBytes()", src, -1, null);
      }
    }
    int version = ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff);
    if (version != VERSION) {
      throw new DataFormatException("profile format version " + version + " is not supported (this library "
          + "reads version " + VERSION + "); read it with the mlops-monitoring release that wrote it", src, -1,
          null);
    }
    int len = ((bytes[6] & 0xff) << 24) | ((bytes[7] & 0xff) << 16) | ((bytes[8] & 0xff) << 8) | (bytes[9] & 0xff);
    if (len < 0 || (long) len + 14 != bytes.length) {
      throw new DataFormatException("payload length " + len + " does not match the " + bytes.length
          + " bytes given (expected " + (bytes.length - 14) + "); the data is truncated or has trailing bytes",
          src, -1, null);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 10, len);
    int stored = ((bytes[10 + len] & 0xff) << 24) | ((bytes[11 + len] & 0xff) << 16)
        | ((bytes[12 + len] & 0xff) << 8) | (bytes[13 + len] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new DataFormatException("checksum mismatch (CRC-32 of the payload is "
          + Integer.toHexString((int) crc.getValue()) + ", stored " + Integer.toHexString(stored)
          + "); the bytes are corrupt", src, -1, null);
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 10, len));
    String column = null;
    try {
      Schema schema = Schema.fromJson(new String(readBlob(in, "schema"), StandardCharsets.UTF_8));
      ProfileOptions options = new ProfileOptions(in.readInt(), in.readInt(), in.readInt(), in.readInt());
      long rows = in.readLong();
      int n = in.readInt();
      if (n != schema.size()) {
        throw new DataFormatException("the profile holds " + n + " columns but its schema has " + schema.size()
            + "; the data is corrupt", src, -1, null);
      }
      List<ColumnProfile> cols = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Field f = schema.field(i);
        column = f.name();
        long count = in.readLong();
        long nulls = in.readLong();
        long nans = in.readLong();
        long posInf = in.readLong();
        long negInf = in.readLong();
        long valid = in.readLong();
        double mean = in.readDouble();
        double m2 = in.readDouble();
        double min = in.readDouble();
        double max = in.readDouble();
        byte[] kllBytes = readBlob(in, "KLL sketch");
        KllDoublesSketch kll = kllBytes == null ? null : KllDoublesSketch.heapify(Memory.wrap(kllBytes));
        byte[] hllBytes = readBlob(in, "HLL sketch");
        if (hllBytes == null) {
          throw new DataFormatException("the HLL sketch is missing; the data is corrupt", src, -1, column);
        }
        HllSketch hll = HllSketch.heapify(hllBytes);
        byte[] itemBytes = readBlob(in, "frequent-items sketch");
        ItemsSketch<String> items = itemBytes == null ? null : ItemsSketch.getInstance(Memory.wrap(itemBytes), SERDE);
        if (items == null && ColumnKind.of(f.type()) == ColumnKind.CATEGORICAL) {
          items = new ItemsSketch<>(options.frequentItemsMaxMapSize());
        }
        int tracked = in.readInt();
        ValueCounts vc = null;
        if (tracked != -2) {
          vc = new ValueCounts(options.maxTrackedValues());
          if (tracked == -1) {
            vc.markOverflowed();
          } else if (tracked < 0 || tracked > options.maxTrackedValues()) {
            throw new DataFormatException("tracked value count " + tracked + " is out of range 0.."
                + options.maxTrackedValues() + "; the data is corrupt", src, -1, column);
          } else {
            for (int k = 0; k < tracked; k++) {
              vc.add(in.readDouble(), in.readLong());
            }
          }
        }
        cols.add(new ColumnProfile(f, options, count, nulls, nans, posInf, negInf, valid, mean, m2, min, max,
            kll, hll, items, vc));
      }
      if (in.available() != 0) {
        throw new DataFormatException(in.available() + " unread bytes after the last column; the data is corrupt",
            src, -1, null);
      }
      return new DatasetProfile(schema, options, rows, cols);
    } catch (EOFException e) {
      throw new DataFormatException("the payload ends early; the data is truncated", src, -1, column, e);
    } catch (IOException e) {
      throw new DataFormatException("cannot read the payload: " + e.getMessage(), src, -1, column, e);
    } catch (SketchesException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new DataFormatException("corrupt profile data: " + e.getMessage(), src, -1, column, e);
    } catch (MlopsException e) {
      if (e instanceof DataFormatException d) {
        throw d;
      }
      throw new DataFormatException("corrupt profile data: " + e.getMessage(), src, -1, column, e);
    }
  }

  private static byte @Nullable [] readBlob(DataInputStream in, String what) throws IOException {
    int len = in.readInt();
    if (len == -1) {
      return null;
    }
    if (len < 0 || len > in.available()) {
      throw new DataFormatException("length " + len + " of the " + what + " is out of range (" + in.available()
          + " bytes left); the data is corrupt or truncated", "profile bytes", -1, null);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
