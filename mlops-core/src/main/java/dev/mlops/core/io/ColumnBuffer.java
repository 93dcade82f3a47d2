package dev.mlops.core.io;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.internal.ArrowTypes;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One column of the batch being read, in plain Java arrays: appending parses text straight from the
 * CSV buffer, a bad line is undone by {@link #truncate}, and {@link #toVector} copies the values into
 * a new Arrow vector in one pass. The arrays start small and double as rows arrive, so memory follows
 * the data (a file of 10,000 columns and 2 rows costs kilobytes per column, not a batch's worth);
 * after the first batch they are reused at full size.
 */
abstract class ColumnBuffer {
  /** Rows room is made for at first; small, because a wide file may have many columns and few rows. */
  static final int INITIAL_CAPACITY = 16;

  final Field field;
  final org.apache.arrow.vector.types.pojo.Field arrowField;
  int size;
  boolean[] valid;

  ColumnBuffer(Field field) {
    this.field = field;
    this.arrowField = ArrowTypes.toArrow(field);
    this.valid = new boolean[INITIAL_CAPACITY];
  }

  /**
   * A buffer for a column.
   *
   * @param field the column
   * @param inferred true when the type was inferred from a sample: then a later value the type would
   *     change (an integer float64 rounds, a timestamp fraction beyond microseconds) is refused as
   *     inference refused it, instead of being read lossily
   * @return the buffer
   */
  static ColumnBuffer of(Field field, boolean inferred) {
    return switch (field.type().kind()) {
      case BOOLEAN -> new Bools(field);
      case INT64, TIMESTAMP -> new Longs(field, inferred);
      case FLOAT32 -> new Floats(field);
      case FLOAT64 -> new Doubles(field, inferred);
      case STRING -> new Strings(field);
      case FLOAT_TENSOR -> throw new IllegalArgumentException("CSV cannot hold tensor column '" + field.name()
          + "' of type " + field.type() + "; read and write tensors with ArrowIpc");
    };
  }

  /**
   * Parses and appends a value.
   *
   * @return false, appending nothing, when the text does not parse as this column's type
   */
  abstract boolean append(char[] b, int off, int len, ValueParser p);

  void appendNull() {
    ensure();
    valid[size++] = false;
  }

  /** Makes room for one more value at {@link #size}. */
  final void ensure() {
    if (size == valid.length) {
      int cap = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * valid.length);
      valid = Arrays.copyOf(valid, cap);
      grow(cap);
    }
  }

  abstract void grow(int capacity);

  /** Drops values from row {@code rows} on. */
  void truncate(int rows) {
    size = rows;
  }

  /** Copies the values into a new vector owned by the caller. */
  final FieldVector toVector(BufferAllocator allocator) {
    FieldVector v = arrowField.createVector(allocator);
    try {
      allocate(v);
      fill(v);
      v.setValueCount(size);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /** Allocates room for {@link #size} values, all null. */
  void allocate(FieldVector v) {
    v.setInitialCapacity(size);
    v.allocateNew();
  }

  /** Writes the values into a vector allocated by {@link #allocate}; null slots stay unset. */
  abstract void fill(FieldVector v);

  /** A column of values parsed into a primitive array: parse, store, and set each present value. */
  abstract static class Parsed extends ColumnBuffer {
    Parsed(Field field) {
      super(field);
    }

    @Override
    final boolean append(char[] b, int off, int len, ValueParser p) {
      if (!parse(b, off, len, p)) {
        return false;
      }
      ensure();
      store(size, p);
      valid[size++] = true;
      return true;
    }

    /** Parses into the parser's result fields; false when the text is not a value of this type. */
    abstract boolean parse(char[] b, int off, int len, ValueParser p);

    /** Stores the parser's last result at a row. */
    abstract void store(int row, ValueParser p);

    @Override
    final void fill(FieldVector v) {
      for (int i = 0; i < size; i++) {
        if (valid[i]) {
          set(v, i);
        }
      }
    }

    /** Writes one present value. */
    abstract void set(FieldVector v, int row);
  }

  static final class Longs extends Parsed {
    private final boolean timestamp;
    private final boolean exactTimestamps;
    private long[] values;

    Longs(Field field, boolean inferred) {
      super(field);
      values = new long[valid.length];
      timestamp = field.type().kind() == DataType.Kind.TIMESTAMP;
      exactTimestamps = timestamp && inferred;
    }

    @Override
    boolean parse(char[] b, int off, int len, ValueParser p) {
      if (!timestamp) {
        return p.parseLong(b, off, len);
      }
      if (!p.parseTimestamp(b, off, len)) {
        return false;
      }
      if (exactTimestamps && p.truncatedFraction) {
        p.failure = ValueParser.INEXACT;
        return false;
      }
      return true;
    }

    @Override
    void store(int row, ValueParser p) {
      values[row] = p.longValue;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void set(FieldVector v, int row) {
      if (timestamp) {
        ((TimeStampMicroTZVector) v).set(row, values[row]);
      } else {
        ((BigIntVector) v).set(row, values[row]);
      }
    }
  }

  static final class Doubles extends Parsed {
    private final boolean exactIntegers;
    private double[] values;

    Doubles(Field field, boolean inferred) {
      super(field);
      values = new double[valid.length];
      exactIntegers = inferred;
    }

    @Override
    boolean parse(char[] b, int off, int len, ValueParser p) {
      if (!p.parseDouble(b, off, len)) {
        return false;
      }
      if (p.range != ValueParser.SYNTAX) {
        p.failure = p.range;
        return false;
      }
      if (exactIntegers && !p.holdsExactly(b, off, len)) {
        p.failure = ValueParser.INEXACT;
        return false;
      }
      return true;
    }

    @Override
    void store(int row, ValueParser p) {
      values[row] = p.doubleValue;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void set(FieldVector v, int row) {
      ((Float8Vector) v).set(row, values[row]);
    }
  }

  static final class Floats extends Parsed {
    private float[] values;
    private float parsed;

    Floats(Field field) {
      super(field);
      values = new float[valid.length];
    }

    @Override
    boolean parse(char[] b, int off, int len, ValueParser p) {
      // Validate with the double grammar, then round once from the text (not via double).
      if (!p.parseDouble(b, off, len)) {
        return false;
      }
      if (p.range != ValueParser.SYNTAX) {
        p.failure = p.range;
        return false;
      }
      double d = p.doubleValue;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        parsed = (float) d;
        return true;
      }
      float f = NumberInput.parseFloat(b, off, len, true);
      if (Float.isInfinite(f) || (f == 0 && d != 0)) {
        p.failure = Float.isInfinite(f) ? ValueParser.OVERFLOW : ValueParser.UNDERFLOW;
        return false;
      }
      parsed = f;
      return true;
    }

    @Override
    void store(int row, ValueParser p) {
      values[row] = parsed;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void set(FieldVector v, int row) {
      ((Float4Vector) v).set(row, values[row]);
    }
  }

  static final class Bools extends Parsed {
    private boolean[] values;

    Bools(Field field) {
      super(field);
      values = new boolean[valid.length];
    }

    @Override
    boolean parse(char[] b, int off, int len, ValueParser p) {
      return p.parseBoolean(b, off, len);
    }

    @Override
    void store(int row, ValueParser p) {
      values[row] = p.booleanValue;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void set(FieldVector v, int row) {
      ((BitVector) v).set(row, values[row] ? 1 : 0);
    }
  }

  static final class Strings extends ColumnBuffer {
    /** End offset in {@link #data} of each row's bytes; row i starts at {@code ends[i - 1]} (0 for row 0). */
    private int[] ends;
    private byte[] data = new byte[256];

    Strings(Field field) {
      super(field);
      ends = new int[valid.length];
    }

    private int bytes() {
      return size == 0 ? 0 : ends[size - 1];
    }

    @Override
    boolean append(char[] b, int off, int len, ValueParser p) {
      int start = bytes();
      long need = start + 3L * len;
      if (need > data.length) {
        if (need > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("Column '" + field.name() + "' holds more than 2 GiB of text in one"
              + " batch; use a smaller CsvOptions.batchSize");
        }
        data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(need, 2L * data.length)));
      }
      int end = Utf8.encode(b, off, len, data, start);
      if (end < 0) {
        return false;
      }
      ensure();
      ends[size] = end;
      valid[size++] = true;
      return true;
    }

    @Override
    void appendNull() {
      int start = bytes();
      ensure();
      ends[size] = start;
      valid[size++] = false;
    }

    @Override
    void grow(int capacity) {
      ends = Arrays.copyOf(ends, capacity);
    }

    @Override
    void allocate(FieldVector v) {
      ((VarCharVector) v).allocateNew(Math.max(bytes(), 1), Math.max(size, 1));
    }

    @Override
    void fill(FieldVector v) {
      VarCharVector vc = (VarCharVector) v;
      int total = bytes();
      vc.getDataBuffer().setBytes(0, data, 0, total);
      ArrowBuf offsets = vc.getOffsetBuffer();
      ArrowBuf validity = vc.getValidityBuffer();
      offsets.setInt(0, 0);
      for (int i = 0; i < size; i++) {
        offsets.setInt((long) (i + 1) * VarCharVector.OFFSET_WIDTH, ends[i]);
        if (valid[i]) {
          BitVectorHelper.setBit(validity, i);
        }
      }
      vc.setLastSet(size - 1);
    }
  }
}
