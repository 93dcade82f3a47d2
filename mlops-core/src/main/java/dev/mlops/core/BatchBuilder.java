package dev.mlops.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Appends rows, either whole {@link Row rows} or value by value with typed setters followed by
 * {@link #endRow()}, and {@link #build() builds} them into a {@link Batch} that owns new Arrow
 * vectors. The one batch builder of the library: {@link Batch#fromRows}, the CSV reader and user code
 * all build batches through it.
 *
 * <p>Typed setters write the current row (the one {@link #endRow()} will finish); setting a column
 * twice in a row keeps the last value; columns not set in a row are null. Values are held in plain
 * Java arrays that start small and double as rows arrive, and are copied into Arrow memory in one
 * pass per column by {@link #build()}, which then leaves the builder empty for the next batch with
 * its arrays kept; so a builder reused for many batches allocates heap only while its batches grow.
 * Arrow memory is taken from the allocator only in {@link #build()}.
 *
 * <p>Not thread-safe: one thread builds.
 */
public final class BatchBuilder implements AutoCloseable {
  private final BufferAllocator allocator;
  private final Schema schema;
  private final BuilderColumn[] columns;
  private final List<org.apache.arrow.vector.types.pojo.Field> arrowFields;
  private int row;
  private boolean closed;

  private BatchBuilder(BufferAllocator allocator, Schema schema, int expectedRows) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.schema = schema;
    this.columns = new BuilderColumn[schema.size()];
    this.arrowFields = new ArrayList<>(schema.size());
    for (int c = 0; c < columns.length; c++) {
      columns[c] = BuilderColumn.of(schema.field(c), expectedRows);
      arrowFields.add(columns[c].arrowField);
    }
  }

  static BatchBuilder create(BufferAllocator allocator, Schema schema, int expectedRows) {
    return new BatchBuilder(allocator, schema, expectedRows);
  }

  /**
   * The schema being built.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * Rows finished so far.
   *
   * @return the count
   */
  public int rowCount() {
    return row;
  }

  /**
   * Appends a whole row.
   *
   * @param r a row of this builder's schema
   * @return this builder
   * @throws SchemaMismatchException when the row's schema differs
   */
  public BatchBuilder addRow(Row r) {
    if (!r.schema().equals(schema)) {
      throw new SchemaMismatchException("Row schema " + r.schema() + " differs from batch schema " + schema);
    }
    try {
      setAll(r);
    } catch (RuntimeException e) {
      discardRow();
      throw e;
    }
    return endRow();
  }

  private void setAll(Row r) {
    for (int c = 0; c < columns.length; c++) {
      Object v = r.get(c);
      if (v != null) {
        switch (schema.field(c).type().kind()) {
          case BOOLEAN -> setBoolean(c, (Boolean) v);
          case INT64 -> setLong(c, (Long) v);
          case FLOAT32 -> setFloat(c, (Float) v);
          case FLOAT64 -> setDouble(c, (Double) v);
          case STRING -> setString(c, (String) v);
          case TIMESTAMP -> setInstant(c, (Instant) v);
          case FLOAT_TENSOR -> setTensor(c, (float[]) v);
          default -> throw new IllegalStateException();
        }
      }
    }
  }

  /**
   * Forgets every value set in the current row, so a row whose setters failed halfway leaves nothing
   * behind: call it when a typed setter throws and the row is to be skipped. {@link #addRow} does this
   * itself.
   *
   * @return this builder
   */
  public BatchBuilder discardRow() {
    for (BuilderColumn c : columns) {
      c.truncate(row);
    }
    return this;
  }

  /**
   * Sets a boolean in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   * @throws ClassCastException when the column is not boolean
   */
  public BatchBuilder setBoolean(int column, boolean value) {
    ((BuilderColumn.Bools) columns[column]).set(row, value);
    return this;
  }

  /**
   * Sets an int64 in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   * @throws ClassCastException when the column is not int64
   */
  public BatchBuilder setLong(int column, long value) {
    ((BuilderColumn.Int64s) columns[column]).setBits(row, value);
    return this;
  }

  /**
   * Sets a float32 in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   * @throws ClassCastException when the column is not float32
   */
  public BatchBuilder setFloat(int column, float value) {
    ((BuilderColumn.Floats) columns[column]).set(row, value);
    return this;
  }

  /**
   * Sets a float64 in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   * @throws ClassCastException when the column is not float64
   */
  public BatchBuilder setDouble(int column, double value) {
    ((BuilderColumn.Doubles) columns[column]).set(row, value);
    return this;
  }

  /**
   * Sets a string in the current row. An unpaired surrogate in it is written as {@code '?'}, as
   * {@link String#getBytes} does; {@link #trySetString} refuses such text instead.
   *
   * @param column position
   * @param value the value
   * @return this builder
   * @throws ClassCastException when the column is not string
   */
  public BatchBuilder setString(int column, String value) {
    ((BuilderColumn.Strings) columns[column]).set(row, value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /**
   * Sets a string in the current row from a range of UTF-16 chars, encoding them straight into the
   * column (no {@code String} is made): the path of parsers that hold text in a char buffer.
   *
   * @param column position
   * @param chars the chars
   * @param offset first char
   * @param length number of chars
   * @return true when set; false, setting nothing, when the chars hold an unpaired surrogate, which
   *     is not text and has no UTF-8 form
   * @throws ClassCastException when the column is not string
   * @throws IndexOutOfBoundsException when the range is not inside {@code chars}
   */
  public boolean trySetString(int column, char[] chars, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, chars.length);
    return ((BuilderColumn.Strings) columns[column]).set(row, chars, offset, length);
  }

  /**
   * Sets a timestamp in the current row (microsecond precision; finer digits are dropped).
   *
   * @param column position
   * @param value the value
   * @return this builder
   * @throws SchemaMismatchException naming the column when the instant is outside the range of
   *     microseconds a 64-bit timestamp holds
   * @throws ClassCastException when the column is not timestamp
   */
  public BatchBuilder setInstant(int column, Instant value) {
    long micros;
    try {
      micros = Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new SchemaMismatchException("Timestamp " + value + " in column '" + schema.field(column).name()
          + "' is outside the range of microseconds since 1970 that a 64-bit timestamp column holds"
          + " (about years -290308 to 294247); clamp or drop it", e);
    }
    return setTimestampMicros(column, micros);
  }

  /**
   * Sets a timestamp in the current row as microseconds since the epoch (UTC).
   *
   * @param column position
   * @param micros the value
   * @return this builder
   * @throws ClassCastException when the column is not timestamp
   */
  public BatchBuilder setTimestampMicros(int column, long micros) {
    ((BuilderColumn.Timestamps) columns[column]).setBits(row, micros);
    return this;
  }

  /**
   * Sets a tensor in the current row.
   *
   * @param column position
   * @param value row-major floats, exactly the type's element count
   * @return this builder
   * @throws SchemaMismatchException naming the column when the length differs from the element count
   * @throws ClassCastException when the column is not a tensor
   */
  public BatchBuilder setTensor(int column, float[] value) {
    BuilderColumn.Tensors t = (BuilderColumn.Tensors) columns[column];
    if (value.length != t.listSize) {
      throw new SchemaMismatchException("Column '" + schema.field(column).name() + "' needs " + t.listSize
          + " floats per row but got " + value.length);
    }
    t.set(row, value);
    return this;
  }

  /**
   * Finishes the current row; columns not set are null.
   *
   * @return this builder
   * @throws SchemaMismatchException naming the column when a non-nullable column was not set; the
   *     row stays current (set the value, or {@link #discardRow()})
   */
  public BatchBuilder endRow() {
    int r = row;
    for (BuilderColumn c : columns) {
      if (c.size == r) {
        if (!c.field.nullable()) {
          throw new SchemaMismatchException("Column '" + c.field.name() + "' is not nullable but row " + r
              + " has no value for it");
        }
        c.appendNull(r);
      }
    }
    row = r + 1;
    return this;
  }

  /**
   * Copies the finished rows into a new owning batch and empties the builder, which keeps its arrays
   * and can build the next batch. Values set in an unfinished row are dropped.
   *
   * @return the batch; close it
   * @throws IllegalStateException when the builder is closed
   * @throws org.apache.arrow.memory.OutOfMemoryException when the allocator's limit is reached; the
   *     rows stay in the builder
   */
  public Batch build() {
    if (closed) {
      throw new IllegalStateException("this BatchBuilder is closed; build before closing it, or make a new one");
    }
    int rows = row;
    discardRow();
    List<FieldVector> vectors = new ArrayList<>(columns.length);
    try {
      for (BuilderColumn c : columns) {
        vectors.add(c.toVector(allocator));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    VectorSchemaRoot root = new VectorSchemaRoot(arrowFields, vectors, rows);
    row = 0;
    discardRow();
    return new Batch(schema, root, 0, rows, true);
  }

  /**
   * Ends the builder: its rows not built are dropped, and {@link #build()} refuses. It holds no
   * Arrow memory (batches own theirs), so this frees nothing native; idempotent.
   */
  @Override
  public void close() {
    closed = true;
    row = 0;
    discardRow();
  }
}
