package dev.mlops.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Appends rows to new Arrow vectors, either whole {@link Row rows} or value by value with typed
 * setters followed by {@link #endRow()}. {@link #build()} hands the vectors to a {@link Batch}; a
 * builder closed without building frees them.
 *
 * <p>Typed setters write the current row (the one {@link #endRow()} will finish); columns not set in
 * a row are null.
 */
public final class BatchBuilder implements AutoCloseable {
  private final Schema schema;
  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private int row;
  private boolean built;

  private BatchBuilder(Schema schema, VectorSchemaRoot root) {
    this.schema = schema;
    this.root = root;
    this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
  }

  static BatchBuilder create(BufferAllocator allocator, Schema schema, int expectedRows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator);
    try {
      int cap = Math.max(expectedRows, 1);
      for (FieldVector v : root.getFieldVectors()) {
        v.setInitialCapacity(cap);
        v.allocateNew();
      }
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    return new BatchBuilder(schema, root);
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
    for (int c = 0; c < vectors.length; c++) {
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
    for (FieldVector v : vectors) {
      if (v.getValueCapacity() > row) {
        v.setNull(row);
      }
    }
    return this;
  }

  /**
   * Sets a boolean in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   */
  public BatchBuilder setBoolean(int column, boolean value) {
    ((BitVector) vectors[column]).setSafe(row, value ? 1 : 0);
    return this;
  }

  /**
   * Sets an int64 in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   */
  public BatchBuilder setLong(int column, long value) {
    ((BigIntVector) vectors[column]).setSafe(row, value);
    return this;
  }

  /**
   * Sets a float32 in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   */
  public BatchBuilder setFloat(int column, float value) {
    ((Float4Vector) vectors[column]).setSafe(row, value);
    return this;
  }

  /**
   * Sets a float64 in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   */
  public BatchBuilder setDouble(int column, double value) {
    ((Float8Vector) vectors[column]).setSafe(row, value);
    return this;
  }

  /**
   * Sets a string in the current row.
   *
   * @param column position
   * @param value the value
   * @return this builder
   */
  public BatchBuilder setString(int column, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    ((VarCharVector) vectors[column]).setSafe(row, b, 0, b.length);
    return this;
  }

  /**
   * Sets a timestamp in the current row (microsecond precision).
   *
   * @param column position
   * @param value the value
   * @return this builder
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
   */
  public BatchBuilder setTimestampMicros(int column, long micros) {
    ((TimeStampMicroTZVector) vectors[column]).setSafe(row, micros);
    return this;
  }

  /**
   * Sets a tensor in the current row.
   *
   * @param column position
   * @param value row-major floats, exactly the type's element count
   * @return this builder
   */
  public BatchBuilder setTensor(int column, float[] value) {
    FixedSizeListVector fl = (FixedSizeListVector) vectors[column];
    int n = fl.getListSize();
    if (value.length != n) {
      throw new SchemaMismatchException("Column '" + schema.field(column).name() + "' needs " + n
          + " floats per row but got " + value.length);
    }
    int slot = fl.startNewValue(row);
    Float4Vector data = (Float4Vector) fl.getDataVector();
    for (int k = 0; k < n; k++) {
      data.setSafe(slot + k, value[k]);
    }
    return this;
  }

  /**
   * Finishes the current row; columns not set are null.
   *
   * @return this builder
   * @throws SchemaMismatchException naming the column when a non-nullable column was not set
   */
  public BatchBuilder endRow() {
    for (int c = 0; c < vectors.length; c++) {
      FieldVector v = vectors[c];
      if (v.getValueCapacity() <= row || v.isNull(row)) {
        if (!schema.field(c).nullable()) {
          throw new SchemaMismatchException("Column '" + schema.field(c).name() + "' is not nullable but row "
              + row + " has no value for it");
        }
        markNull(v);
      }
    }
    row++;
    return this;
  }

  private void markNull(FieldVector v) {
    // setNull grows the validity buffer when needed; the slot stays zeroed for fixed-width types.
    while (v.getValueCapacity() <= row) {
      v.reAlloc();
    }
    v.setNull(row);
  }

  /**
   * Hands the vectors to a new owning batch; the builder cannot be used afterwards.
   *
   * @return the batch; close it
   */
  public Batch build() {
    if (built) {
      throw new IllegalStateException("build() was already called on this builder");
    }
    built = true;
    for (FieldVector v : vectors) {
      v.setValueCount(row);
    }
    root.setRowCount(row);
    return new Batch(schema, root, 0, row, true);
  }

  /** Frees the vectors unless {@link #build()} handed them to a batch; idempotent. */
  @Override
  public void close() {
    if (!built) {
      built = true;
      root.close();
    }
  }
}
