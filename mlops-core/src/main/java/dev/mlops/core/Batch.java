package dev.mlops.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.jspecify.annotations.Nullable;

/**
 * A columnar batch of rows backed by an Arrow {@link VectorSchemaRoot}.
 *
 * <p>A batch either owns its vectors ({@link #fromRows}, {@link #adopt}, {@link BatchBuilder#build()})
 * and frees them on {@link #close()}, or is a <em>view</em> ({@link #view}, {@link #slice}) that
 * borrows another batch's memory without copying and frees nothing. A view must not outlive what it
 * views. Row indices of every accessor are relative to the batch (or view), from 0 to
 * {@link #rowCount()} - 1.
 *
 * <p>A batch made from an Arrow root ({@link #adopt}, {@link #view}) is validated first, so no
 * accessor reads outside the memory it was given: every vector holds exactly the root's row count of
 * values, its buffers are large enough for them and its offsets lie inside its data (Arrow's
 * {@link ValueVectorUtility#validateFull}), a column that is not nullable holds no null, strings are
 * valid UTF-8, and a non-null tensor has no null element.
 *
 * <p>Not thread-safe for concurrent writes; concurrent reads of a fully built batch are safe.
 */
public final class Batch implements AutoCloseable {
  private final Schema schema;
  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private final int offset;
  private final int rowCount;
  private final boolean owner;
  private boolean closed;

  Batch(Schema schema, VectorSchemaRoot root, int offset, int rowCount, boolean owner) {
    this.schema = schema;
    this.root = root;
    this.offset = offset;
    this.rowCount = rowCount;
    this.owner = owner;
    List<FieldVector> vs = root.getFieldVectors();
    this.vectors = vs.toArray(new FieldVector[0]);
  }

  /**
   * Takes ownership of an Arrow root, after validating it (see the class comment): closing the batch
   * closes the root.
   *
   * @param root a root whose types map to mlops types
   * @return the owning batch
   * @throws SchemaMismatchException when a vector type has no mlops equivalent
   * @throws DataFormatException naming the column when the root's data is not consistent; the root is
   *     then left to the caller
   */
  public static Batch adopt(VectorSchemaRoot root) {
    return adopt(root, null, null);
  }

  /**
   * Takes ownership of an Arrow root read from outside, after validating it (see the class comment):
   * closing the batch closes the root.
   *
   * @param root a root whose types map to mlops types
   * @param source the file or stream the root was read from, for messages, or {@code null}
   * @param part where in the source, e.g. {@code "record batch 3"}, for messages, or {@code null}
   * @return the owning batch
   * @throws SchemaMismatchException when a vector type has no mlops equivalent
   * @throws DataFormatException naming the source, the part and the column when the root's data is not
   *     consistent; the root is then left to the caller
   */
  public static Batch adopt(VectorSchemaRoot root, @Nullable String source, @Nullable String part) {
    Schema schema = Schema.fromArrow(root.getSchema());
    validate(schema, root, source, part);
    return new Batch(schema, root, 0, root.getRowCount(), true);
  }

  /**
   * Views an Arrow root without taking ownership or copying, after validating it (see the class
   * comment): closing the batch leaves the root open.
   *
   * @param root a root whose types map to mlops types
   * @return the view
   * @throws SchemaMismatchException when a vector type has no mlops equivalent
   * @throws DataFormatException naming the column when the root's data is not consistent
   */
  public static Batch view(VectorSchemaRoot root) {
    Schema schema = Schema.fromArrow(root.getSchema());
    validate(schema, root, null, null);
    return new Batch(schema, root, 0, root.getRowCount(), false);
  }

  private static void validate(Schema schema, VectorSchemaRoot root, @Nullable String source, @Nullable String part) {
    int rows = root.getRowCount();
    List<FieldVector> vs = root.getFieldVectors();
    for (int c = 0; c < vs.size(); c++) {
      Field f = schema.field(c);
      String problem = problem(f, vs.get(c), rows);
      if (problem != null) {
        throw new DataFormatException((part == null ? "" : part + " ") + problem, source, -1, f.name());
      }
    }
  }

  private static @Nullable String problem(Field f, FieldVector v, int rows) {
    if (v.getValueCount() != rows) {
      return "holds " + v.getValueCount() + " values but the batch has " + rows + " rows. The data is corrupt";
    }
    if (v instanceof BaseVariableWidthVector w) {
      // Arrow's full validation copies each value out by its offsets before it checks them against the
      // data buffer, so a forged offset would make it allocate up to 2 GiB of heap: check them first.
      String offsets = offsetProblem(w, rows);
      if (offsets != null) {
        return offsets;
      }
    }
    try {
      if (v instanceof FixedSizeListVector t) {
        // Arrow 19's full validation of a fixed-size list asks it for offsets it does not have
        ValueVectorUtility.validate(t);
        ValueVectorUtility.validateFull(t.getDataVector());
      } else {
        ValueVectorUtility.validateFull(v);
      }
    } catch (RuntimeException e) {
      return "is not valid Arrow data (" + e + "). The data is corrupt";
    }
    int nulls = v.getNullCount();
    if (!f.nullable() && nulls > 0) {
      return "is declared not nullable but holds " + nulls + " nulls; mark the field nullable, or fill the"
          + " missing values";
    }
    if (v instanceof VarCharVector s) {
      // Arrow's full validation checks UTF-8 but accepts a multi-byte sequence cut short at a value's end
      for (int i = 0; i < rows; i++) {
        if (!s.isNull(i) && !isUtf8(s.getDataBuffer(), s.getStartOffset(i), s.getEndOffset(i))) {
          return "holds invalid UTF-8 in row " + i + " (0-based). The data is corrupt, or was written as utf8"
              + " from bytes that are not text";
        }
      }
    }
    if (v instanceof FixedSizeListVector t && t.getDataVector().getNullCount() > 0) {
      FieldVector elements = t.getDataVector();
      int n = t.getListSize();
      for (int i = 0; i < rows; i++) {
        for (int k = 0; !t.isNull(i) && k < n; k++) {
          if (elements.isNull(i * n + k)) {
            return "holds a tensor with a null element in row " + i + " (0-based); a tensor has no missing elements:"
                + " write NaN there, or make the whole row null";
          }
        }
      }
    }
    return null;
  }

  /** Why the offsets of a variable-width column do not fit its buffers, or null when they do. */
  private static @Nullable String offsetProblem(BaseVariableWidthVector w, int rows) {
    if (rows == 0) {
      return null;
    }
    ArrowBuf offsets = w.getOffsetBuffer();
    long needed = (rows + 1L) * BaseVariableWidthVector.OFFSET_WIDTH;
    if (offsets.capacity() < needed) {
      return "has an offset buffer of " + offsets.capacity() + " bytes, but " + rows + " rows need " + needed
          + ". The data is corrupt";
    }
    long data = w.getDataBuffer().capacity();
    int previous = offsets.getInt(0);
    if (previous < 0 || previous > data) {
      return "has first offset " + previous + " outside its " + data + "-byte data buffer. The data is corrupt";
    }
    for (int i = 1; i <= rows; i++) {
      int offset = offsets.getInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH);
      if (offset < previous || offset > data) {
        return "has offset " + offset + " for the end of row " + (i - 1) + " (0-based), outside ["
            + previous + ", " + data + "], the rest of its data buffer. The data is corrupt";
      }
      previous = offset;
    }
    return null;
  }

  /** Whether bytes {@code [from, to)} of the buffer are well-formed UTF-8 (no overlongs, no surrogates). */
  private static boolean isUtf8(ArrowBuf b, long from, long to) {
    long i = from;
    while (i < to) {
      if (to - i >= 8 && (b.getLong(i) & 0x8080808080808080L) == 0) {
        i += 8;
        continue;
      }
      int c = b.getByte(i) & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
      if (more < 0 || to - i <= more) {
        return false;
      }
      int c1 = b.getByte(i + 1) & 0xFF;
      // no overlong 3- or 4-byte forms, no surrogates, nothing above U+10FFFF
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90)
          || (c == 0xF4 && c1 > 0x8F)) {
        return false;
      }
      for (int k = 1; k <= more; k++) {
        if ((b.getByte(i + k) & 0xC0) != 0x80) {
          return false;
        }
      }
      i += more + 1;
    }
    return true;
  }

  /**
   * Builds an owning batch from rows.
   *
   * @param allocator where the vectors' memory comes from
   * @param schema the schema every row must have
   * @param rows the rows
   * @return the batch; close it
   * @throws SchemaMismatchException when a row has another schema
   */
  public static Batch fromRows(BufferAllocator allocator, Schema schema, List<Row> rows) {
    try (BatchBuilder b = BatchBuilder.create(allocator, schema, rows.size())) {
      for (Row r : rows) {
        b.addRow(r);
      }
      return b.build();
    }
  }

  /**
   * A builder that appends rows, or values column by column, and builds them into batches (it can
   * build many, one after another).
   *
   * @param allocator where the built batches' memory comes from
   * @param schema the schema
   * @return the builder
   */
  public static BatchBuilder builder(BufferAllocator allocator, Schema schema) {
    return BatchBuilder.create(allocator, schema, BuilderColumn.INITIAL_CAPACITY);
  }

  /**
   * The schema.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * Number of rows.
   *
   * @return the row count
   */
  public int rowCount() {
    return rowCount;
  }

  /**
   * Whether this batch frees its memory on close.
   *
   * @return false for views
   */
  public boolean isOwner() {
    return owner;
  }

  /**
   * The underlying Arrow root. For a view created by {@link #slice}, rows start at {@link #offset()}.
   *
   * @return the root, still owned by this batch (or by whoever owns the viewed data)
   */
  public VectorSchemaRoot arrowRoot() {
    return root;
  }

  /**
   * Index in {@link #arrowRoot()}'s vectors of this batch's row 0.
   *
   * @return the offset, 0 except for slices
   */
  public int offset() {
    return offset;
  }

  /**
   * The Arrow vector of a column; add {@link #offset()} to row indices when reading it directly.
   *
   * @param column position
   * @return the vector
   */
  public FieldVector vector(int column) {
    return vectors[column];
  }

  /**
   * A view of rows {@code [from, from + length)} that shares this batch's memory.
   *
   * @param from first row, relative to this batch
   * @param length number of rows
   * @return a non-owning view; closing it frees nothing
   */
  public Batch slice(int from, int length) {
    Objects.checkFromIndexSize(from, length, rowCount);
    return new Batch(schema, root, offset + from, length, false);
  }

  /**
   * Whether a value is missing.
   *
   * @param column position
   * @param row row index
   * @return true when null
   */
  public boolean isNull(int column, int row) {
    return vectors[column].isNull(index(row));
  }

  /**
   * A numeric value (int64, float32, float64) as a double. Undefined for null slots: check
   * {@link #isNull} first.
   *
   * @param column position
   * @param row row index
   * @return the value
   * @throws SchemaMismatchException when the column is not numeric
   */
  public double getDouble(int column, int row) {
    FieldVector v = vectors[column];
    int r = index(row);
    if (v instanceof Float8Vector f8) {
      return f8.get(r);
    }
    if (v instanceof BigIntVector bi) {
      return bi.get(r);
    }
    if (v instanceof Float4Vector f4) {
      return f4.get(r);
    }
    throw wrongType(column, "getDouble");
  }

  /**
   * An int64 value. Undefined for null slots.
   *
   * @param column position
   * @param row row index
   * @return the value
   */
  public long getLong(int column, int row) {
    if (vectors[column] instanceof BigIntVector bi) {
      return bi.get(index(row));
    }
    throw wrongType(column, "getLong");
  }

  /**
   * A boolean value. Undefined for null slots.
   *
   * @param column position
   * @param row row index
   * @return the value
   */
  public boolean getBoolean(int column, int row) {
    if (vectors[column] instanceof BitVector b) {
      return b.get(index(row)) != 0;
    }
    throw wrongType(column, "getBoolean");
  }

  /**
   * A string value (decoded from UTF-8; allocates).
   *
   * @param column position
   * @param row row index
   * @return the value or {@code null}
   */
  public @Nullable String getString(int column, int row) {
    if (vectors[column] instanceof VarCharVector vc) {
      int r = index(row);
      if (vc.isNull(r)) {
        return null;
      }
      return new String(vc.get(r), StandardCharsets.UTF_8);
    }
    throw wrongType(column, "getString");
  }

  /**
   * A timestamp value.
   *
   * @param column position
   * @param row row index
   * @return the value or {@code null}
   */
  public @Nullable Instant getInstant(int column, int row) {
    if (vectors[column] instanceof TimeStampMicroTZVector ts) {
      int r = index(row);
      if (ts.isNull(r)) {
        return null;
      }
      long micros = ts.get(r);
      return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
    throw wrongType(column, "getInstant");
  }

  /**
   * A tensor value, copied out of the batch.
   *
   * @param column position
   * @param row row index
   * @return the row-major floats or {@code null}
   */
  public float @Nullable [] getTensor(int column, int row) {
    if (vectors[column] instanceof FixedSizeListVector fl) {
      int r = index(row);
      if (fl.isNull(r)) {
        return null;
      }
      int n = fl.getListSize();
      Float4Vector data = (Float4Vector) fl.getDataVector();
      float[] out = new float[n];
      int base = r * n;
      for (int k = 0; k < n; k++) {
        out[k] = data.get(base + k);
      }
      return out;
    }
    throw wrongType(column, "getTensor");
  }

  /**
   * A value in its {@link Row} Java type.
   *
   * @param column position
   * @param row row index
   * @return the value or {@code null}
   */
  public @Nullable Object get(int column, int row) {
    if (isNull(column, row)) {
      return null;
    }
    return switch (schema.field(column).type().kind()) {
      case BOOLEAN -> getBoolean(column, row);
      case INT64 -> getLong(column, row);
      case FLOAT32 -> ((Float4Vector) vectors[column]).get(index(row));
      case FLOAT64 -> getDouble(column, row);
      case STRING -> getString(column, row);
      case TIMESTAMP -> getInstant(column, row);
      case FLOAT_TENSOR -> getTensor(column, row);
    };
  }

  /**
   * One row, copied out.
   *
   * @param row row index
   * @return the row
   */
  public Row row(int row) {
    Objects.checkIndex(row, rowCount);
    @Nullable Object[] vals = new Object[schema.size()];
    for (int c = 0; c < vals.length; c++) {
      vals[c] = get(c, row);
    }
    return Row.of(schema, vals);
  }

  /**
   * All rows, copied out.
   *
   * @return the rows in order
   */
  public List<Row> toRows() {
    List<Row> out = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      out.add(row(i));
    }
    return out;
  }

  private int index(int row) {
    return offset + row;
  }

  private SchemaMismatchException wrongType(int column, String method) {
    Field f = schema.field(column);
    return new SchemaMismatchException(method + "() cannot read column '" + f.name() + "' of type " + f.type()
        + "; use the getter for " + f.type());
  }

  /** Frees the vectors when this batch owns them; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (owner) {
        root.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Batch[" + rowCount + " rows, " + schema + (owner ? "" : ", view") + "]";
  }
}
