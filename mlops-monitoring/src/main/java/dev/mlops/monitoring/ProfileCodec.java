package dev.mlops.monitoring;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Frames;
import dev.mlops.stats.ColumnKind;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.stats.internal.ValueCounts;
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
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
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
 *
 * <p>Reading checks more than the frame: the CRC-32 catches accidents, not a forged or buggy writer, so
 * every field is checked against the others (each row gives every column one value: nulls + NaN +
 * infinities + valid = count = rows; moments finite, ordered and within Popoviciu's bound; value counts
 * summing to the valid count between min and max) and every sketch against its layout and contents
 * ({@link SketchChecks}: finite, in-range and level-sorted KLL items whose weights sum to n; HLL and
 * frequent-items sketches of the profile's sizes, with every declared length bounded by the bytes
 * present before anything is allocated).
 */
final class ProfileCodec {
  static final int VERSION = 1;
  private static final byte[] MAGIC = {'M', 'L', 'P', 'F'};
  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();
  private static final Frames.Kind KIND = new Frames.Kind("profile", "DatasetProfile.toBytes()",
      "read it with the mlops-monitoring release that wrote it");

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
      return Frames.write(MAGIC, VERSION, payload.toByteArray());
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
    return read(bytes, "profile bytes");
  }

  /**
   * Decodes and validates a profile: the frame (magic, version, length, CRC-32), then every field
   * against the others and every sketch against its documented layout, before anything is allocated
   * from a declared size. The checks hold for every profile this library writes; anything else is
   * refused, since a CRC-32 only detects accidents, not a forged or buggy writer.
   *
   * @param source what to call the bytes in messages (a file name, or "profile bytes")
   */
  static DatasetProfile read(byte[] bytes, String source) {
    String src = source;
    DataInputStream in = Frames.read(bytes, MAGIC, VERSION, KIND, src);
    String column = null;
    try {
      Schema schema;
      try {
        schema = Schema.fromJson(new String(required(readBlob(in, "schema", src), "schema", src, null),
            StandardCharsets.UTF_8));
      } catch (DataFormatException e) {
        throw new DataFormatException("the schema is not valid (" + e.getMessage() + "); the data is corrupt", src,
            -1, null, e);
      }
      ProfileOptions options = new ProfileOptions(in.readInt(), in.readInt(), in.readInt(), in.readInt());
      long rows = in.readLong();
      int n = in.readInt();
      if (rows < 0) {
        throw new DataFormatException("the row count is " + rows + "; the data is corrupt", src, -1, null);
      }
      if (n != schema.size()) {
        throw new DataFormatException("the profile holds " + n + " columns but its schema has " + schema.size()
            + "; the data is corrupt", src, -1, null);
      }
      List<ColumnProfile> cols = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Field f = schema.field(i);
        column = f.name();
        cols.add(readColumn(in, f, options, rows, new SketchChecks.Where(src, column)));
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

  /** One column: counters, moments and sketches, each checked against the others. */
  private static ColumnProfile readColumn(DataInputStream in, Field f, ProfileOptions options, long rows,
      SketchChecks.Where w) throws IOException {
    ColumnKind kind = ColumnKind.of(f.type());
    long count = in.readLong();
    long nulls = in.readLong();
    long nans = in.readLong();
    long posInf = in.readLong();
    long negInf = in.readLong();
    long valid = in.readLong();
    checkCounts(kind, rows, count, nulls, nans, posInf, negInf, valid, w);
    double mean = in.readDouble();
    double m2 = in.readDouble();
    double min = in.readDouble();
    double max = in.readDouble();
    checkMoments(kind == ColumnKind.NUMERIC && valid > 0, valid, mean, m2, min, max, w);
    byte[] kllBytes = readBlob(in, "KLL sketch", w.source());
    if ((kllBytes != null) != (kind == ColumnKind.NUMERIC)) {
      throw w.corrupt("a " + f.type() + " column " + (kllBytes == null ? "lacks" : "has") + " a KLL sketch");
    }
    KllDoublesSketch kll = kllBytes == null ? null
        : SketchChecks.kll(kllBytes, options.kllK(), valid, min, max, w);
    byte[] hllBytes = required(readBlob(in, "HLL sketch", w.source()), "HLL sketch", w.source(), w.column());
    HllSketch hll = SketchChecks.hll(hllBytes, options.hllLgK(), kind == ColumnKind.OTHER || valid == 0, w);
    byte[] itemBytes = readBlob(in, "frequent-items sketch", w.source());
    if ((itemBytes != null) != (kind == ColumnKind.CATEGORICAL)) {
      throw w.corrupt("a " + f.type() + " column " + (itemBytes == null ? "lacks" : "has")
          + " a frequent-items sketch");
    }
    ItemsSketch<String> items = itemBytes == null ? null : SketchChecks.frequentItems(itemBytes,
        options.frequentItemsMaxMapSize(), valid, f.type().kind() == DataType.Kind.BOOLEAN, w);
    ValueCounts vc = readValueCounts(in, kind, options.maxTrackedValues(), valid, min, max, w);
    return new ColumnProfile(f, options, count, nulls, nans, posInf, negInf, valid, mean, m2, min, max,
        kll, hll, items, vc);
  }

  /** Every row gives each column one value: null, NaN, an infinity or a valid value. */
  private static void checkCounts(ColumnKind kind, long rows, long count, long nulls, long nans, long posInf,
      long negInf, long valid, SketchChecks.Where w) {
    if (count < 0 || nulls < 0 || nans < 0 || posInf < 0 || negInf < 0 || valid < 0) {
      throw w.corrupt("negative count (count " + count + ", nulls " + nulls + ", NaN " + nans + ", +Inf " + posInf
          + ", -Inf " + negInf + ", valid " + valid + ")");
    }
    if (kind != ColumnKind.NUMERIC && (nans | posInf | negInf) != 0) {
      throw w.corrupt("a non-numeric column counts NaN or infinities (" + nans + ", " + posInf + ", " + negInf + ")");
    }
    long sum;
    try {
      sum = Math.addExact(Math.addExact(Math.addExact(Math.addExact(nulls, nans), posInf), negInf), valid);
    } catch (ArithmeticException e) {
      sum = -1;
    }
    if (sum != count || count != rows) {
      throw w.corrupt("inconsistent counts: nulls " + nulls + " + NaN " + nans + " + Inf " + posInf + " + -Inf "
          + negInf + " + valid " + valid + " must equal the column's count " + count + " and the profile's rows "
          + rows);
    }
  }

  /**
   * Moments of finite values: finite, min <= mean <= max and M2 / n at most ((max - min) / 2)^2
   * (Popoviciu's inequality), up to rounding; NaN when the column has none.
   */
  private static void checkMoments(boolean present, long valid, double mean, double m2, double min, double max,
      SketchChecks.Where w) {
    String values = "mean " + mean + ", M2 " + m2 + ", min " + min + ", max " + max;
    if (!present) {
      if (!Double.isNaN(mean) || !Double.isNaN(m2) || !Double.isNaN(min) || !Double.isNaN(max)) {
        throw w.corrupt("a column without finite numeric values has moments (" + values + "); they must be NaN");
      }
      return;
    }
    if (!Double.isFinite(mean) || !Double.isFinite(m2) || !Double.isFinite(min) || !Double.isFinite(max)
        || min > max || m2 < 0) {
      throw w.corrupt("impossible moments (" + values + ")");
    }
    double tol = 1e-9 * Math.max(Math.max(Math.abs(min), Math.abs(max)), max - min);
    double halfRange = (max - min) / 2;
    if (mean < min - tol || mean > max + tol
        || m2 / valid > (halfRange * halfRange + tol * tol) * (1 + 1e-9)) {
      throw w.corrupt("moments out of range (" + values + " for " + valid + " values)");
    }
  }

  /** Exact counts of a numeric column's values, which must agree with its count, min and max. */
  private static @Nullable ValueCounts readValueCounts(DataInputStream in, ColumnKind kind, int limit, long valid,
      double min, double max, SketchChecks.Where w) throws IOException {
    int tracked = in.readInt();
    if (tracked == -2) {
      if (kind == ColumnKind.NUMERIC) {
        throw w.corrupt("a numeric column lacks its value counts");
      }
      return null;
    }
    if (kind != ColumnKind.NUMERIC) {
      throw w.corrupt("a non-numeric column has value counts");
    }
    ValueCounts vc = new ValueCounts(limit);
    if (tracked == -1) {
      // Counts overflow only once more than `limit` distinct values were seen (at once for limit 0).
      if (limit > 0 && valid <= limit) {
        throw w.corrupt("value counts overflowed after " + valid + " values, but they hold up to " + limit
            + " distinct values");
      }
      vc.markOverflowed();
      return vc;
    }
    if (tracked < 0 || tracked > limit || limit == 0) {
      throw w.corrupt("tracked value count " + tracked + " is out of range 0.." + limit);
    }
    if ((long) tracked * 16 > in.available()) {
      throw w.corrupt(tracked + " tracked values need " + tracked * 16 + " bytes, but " + in.available() + " remain");
    }
    long sum = 0;
    boolean sawMin = false;
    boolean sawMax = false;
    for (int k = 0; k < tracked; k++) {
      double v = in.readDouble();
      long c = in.readLong();
      if (!(v >= min && v <= max) || c < 1 || c > valid - sum) {
        throw w.corrupt("tracked value " + v + " with count " + c + " is impossible for a column of " + valid
            + " values between " + min + " and " + max);
      }
      sawMin |= v == min;
      sawMax |= v == max;
      sum += c;
      vc.add(v, c);
    }
    if (vc.size() != tracked || sum != valid || valid > 0 && !(sawMin && sawMax)) {
      throw w.corrupt("the value counts (" + tracked + " values, " + vc.size() + " distinct, counts summing to "
          + sum + ") do not describe the column's " + valid + " values between " + min + " and " + max);
    }
    return vc;
  }

  private static byte[] required(byte @Nullable [] blob, String what, String src, @Nullable String column) {
    if (blob == null) {
      throw new DataFormatException("the " + what + " is missing; the data is corrupt", src, -1, column);
    }
    return blob;
  }

  private static byte @Nullable [] readBlob(DataInputStream in, String what, String src) throws IOException {
    int len = in.readInt();
    if (len == -1) {
      return null;
    }
    if (len < 0 || len > in.available()) {
      throw new DataFormatException("length " + len + " of the " + what + " is out of range (" + in.available()
          + " bytes left); the data is corrupt or truncated", src, -1, null);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
