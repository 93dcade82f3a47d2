package dev.mlops.core;

import dev.mlops.core.internal.ArrowTypes;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.jspecify.annotations.Nullable;

/**
 * One column of a {@link BatchBuilder}, in plain Java arrays: a setter writes the builder's current
 * row (appending it, or overwriting the value set earlier in the same row), a discarded row is undone
 * by {@link #truncate}, and {@link #toVector} copies the values into a new Arrow vector in one pass.
 * The arrays start small and double as rows arrive, so memory follows the data (a CSV file of 10,000
 * columns and 2 rows costs kilobytes per column, not a batch's worth); after a build they are kept at
 * their size for the next batch.
 *
 * <p>Invariant: {@link #size} is the builder's row count, or one more when the current row has a
 * value (or null) in this column.
 */
abstract class BuilderColumn {
  /** Rows room is made for at first when the caller gives no better hint. */
  static final int INITIAL_CAPACITY = 16;
  /** The most elements a Java array holds. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  final Field field;
  final org.apache.arrow.vector.types.pojo.Field arrowField;
  int size;
  boolean[] valid;

  BuilderColumn(Field field, int capacity) {
    this.field = field;
    this.arrowField = ArrowTypes.toArrow(field);
    this.valid = new boolean[capacity];
  }

  static BuilderColumn of(Field field, int expectedRows) {
    int capacity = Math.max(1, Math.min(expectedRows, MAX_ARRAY));
    return switch (field.type().kind()) {
      case BOOLEAN -> new Bools(field, capacity);
      case INT64 -> new Int64s(field, capacity);
      case TIMESTAMP -> new Timestamps(field, capacity);
      case FLOAT32 -> new Floats(field, capacity);
      case FLOAT64 -> new Doubles(field, capacity);
      case STRING -> new Strings(field, capacity);
      case FLOAT_TENSOR -> new Tensors(field, capacity);
    };
  }

  /** Makes row {@code row} (the builder's current row, {@code == size}) part of this column. */
  final void extend(int row) {
    if (row == valid.length) {
      if (row == MAX_ARRAY) {
        throw new IllegalStateException("Column '" + field.name() + "' already holds " + row + " rows, the most"
            + " one batch holds; build smaller batches");
      }
      int cap = (int) Math.min(MAX_ARRAY, 2L * valid.length);
      valid = Arrays.copyOf(valid, cap);
      grow(cap);
    }
    size = row + 1;
  }

  /**
   * Makes row {@code row} (the builder's current row) hold a value in this column: appended, or
   * overwriting the one set earlier in the same row. The caller stores the value after this returns,
   * since it may have grown the arrays.
   *
   * @return {@code row}
   */
  final int present(int row) {
    if (size == row) {
      extend(row);
    }
    valid[row] = true;
    return row;
  }

  /** Makes room for {@code capacity} rows in the value arrays. */
  abstract void grow(int capacity);

  /** Row {@code row} (the builder's current row, without a value here) is null in this column. */
  void appendNull(int row) {
    extend(row);
    valid[row] = false;
  }

  /** Drops the values from row {@code rows} on. */
  void truncate(int rows) {
    size = Math.min(size, rows);
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

  /** Writes the values into a vector allocated by {@link #allocate}; null slots stay zero. */
  abstract void fill(FieldVector v);

  /** Writes {@link #valid} as an Arrow validity bitmap, eight rows a byte. */
  final void fillValidity(ArrowBuf validity) {
    fillBits(validity, valid, null, size);
  }

  /**
   * Packs flags into an Arrow bitmap, eight a byte, least significant bit first: {@code bits[i]},
   * and {@code mask[i]} too where a mask is given.
   */
  static void fillBits(ArrowBuf out, boolean[] bits, boolean @Nullable [] mask, int n) {
    int whole = n >>> 3;
    for (int b = 0; b < whole; b++) {
      int i = b << 3;
      int v = 0;
      for (int k = 0; k < 8; k++) {
        if (bits[i + k] && (mask == null || mask[i + k])) {
          v |= 1 << k;
        }
      }
      out.setByte(b, v);
    }
    if ((n & 7) != 0) {
      int i = whole << 3;
      int v = 0;
      for (int k = 0; i + k < n; k++) {
        if (bits[i + k] && (mask == null || mask[i + k])) {
          v |= 1 << k;
        }
      }
      out.setByte(whole, v);
    }
  }

  /**
   * Fixed-width values as raw bits in a {@code long[]}: int64, timestamp (microseconds), float64
   * ({@link Double#doubleToRawLongBits}) and float32 ({@link Float#floatToRawIntBits}, 8 bytes of heap
   * per value for 4 in Arrow), so that one array type and one copy loop serve all four.
   */
  abstract static class Slots extends BuilderColumn {
    /** Bytes per value in the Arrow vector: 8, or 4 for float32. */
    private final int width;
    private long[] values;

    Slots(Field field, int capacity, int width) {
      super(field, capacity);
      this.width = width;
      values = new long[capacity];
    }

    final void setBits(int row, long bits) {
      int r = present(row);
      values[r] = bits;
    }

    @Override
    final void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    final void fill(FieldVector v) {
      fillValidity(v.getValidityBuffer());
      ArrowBuf data = v.getDataBuffer();
      if (width == Long.BYTES) {
        for (int i = 0; i < size; i++) {
          data.setLong((long) i * Long.BYTES, valid[i] ? values[i] : 0L);
        }
      } else {
        for (int i = 0; i < size; i++) {
          data.setInt((long) i * Integer.BYTES, valid[i] ? (int) values[i] : 0);
        }
      }
    }
  }

  /** int64 values, into a {@code BigIntVector}. */
  static final class Int64s extends Slots {
    Int64s(Field field, int capacity) {
      super(field, capacity, Long.BYTES);
    }
  }

  /** Timestamps as microseconds since the epoch, into a {@code TimeStampMicroTZVector}. */
  static final class Timestamps extends Slots {
    Timestamps(Field field, int capacity) {
      super(field, capacity, Long.BYTES);
    }
  }

  /** float64 values, into a {@code Float8Vector}. */
  static final class Doubles extends Slots {
    Doubles(Field field, int capacity) {
      super(field, capacity, Long.BYTES);
    }

    void set(int row, double value) {
      setBits(row, Double.doubleToRawLongBits(value));
    }
  }

  /** float32 values, into a {@code Float4Vector}. */
  static final class Floats extends Slots {
    Floats(Field field, int capacity) {
      super(field, capacity, Integer.BYTES);
    }

    void set(int row, float value) {
      setBits(row, Float.floatToRawIntBits(value));
    }
  }

  static final class Bools extends BuilderColumn {
    private boolean[] values;

    Bools(Field field, int capacity) {
      super(field, capacity);
      values = new boolean[capacity];
    }

    void set(int row, boolean value) {
      int r = present(row);
      values[r] = value;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void fill(FieldVector v) {
      fillValidity(v.getValidityBuffer());
      fillBits(v.getDataBuffer(), values, valid, size);
    }
  }

  /** Fixed-shape float tensors, row-major, {@code listSize} floats per row end to end. */
  static final class Tensors extends BuilderColumn {
    final int listSize;
    private float[] values;

    Tensors(Field field, int capacity) {
      super(field, capacity);
      listSize = field.type().elementCount();
      values = new float[checkedLength(capacity)];
    }

    private int checkedLength(int capacity) {
      long n = (long) capacity * listSize;
      if (n > MAX_ARRAY) {
        throw new IllegalStateException("Column '" + field.name() + "' would hold more than " + MAX_ARRAY
            + " floats in one batch; build smaller batches");
      }
      return (int) n;
    }

    void set(int row, float[] value) {
      int r = present(row);
      System.arraycopy(value, 0, values, r * listSize, listSize);
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, checkedLength(capacity));
    }

    @Override
    void fill(FieldVector v) {
      FixedSizeListVector fl = (FixedSizeListVector) v;
      Float4Vector data = (Float4Vector) fl.getDataVector();
      for (int row = 0; row < size; row++) {
        if (valid[row]) {
          int slot = fl.startNewValue(row);
          int from = row * listSize;
          for (int k = 0; k < listSize; k++) {
            data.setSafe(slot + k, values[from + k]);
          }
        }
      }
    }
  }

  /** UTF-8 bytes end to end, and where each row's bytes end. */
  static final class Strings extends BuilderColumn {
    /** End offset in {@link #data} of each row's bytes; row i starts at {@code ends[i - 1]} (0 for row 0). */
    private int[] ends;
    private byte[] data;

    Strings(Field field, int capacity) {
      super(field, capacity);
      ends = new int[capacity];
      data = new byte[(int) Math.min(MAX_ARRAY, Math.max(256L, 8L * capacity))];
    }

    private int start(int row) {
      return row == 0 ? 0 : ends[row - 1];
    }

    private int bytes() {
      return size == 0 ? 0 : ends[size - 1];
    }

    private void ensureBytes(long need) {
      if (need > data.length) {
        if (need > MAX_ARRAY) {
          throw new IllegalStateException("Column '" + field.name() + "' holds more than 2 GiB of text in one"
              + " batch; build smaller batches (CsvOptions.batchSize when reading CSV)");
        }
        data = Arrays.copyOf(data, (int) Math.min(MAX_ARRAY, Math.max(need, 2L * data.length)));
      }
    }

    void set(int row, byte[] utf8) {
      int start = start(row);
      ensureBytes((long) start + utf8.length);
      System.arraycopy(utf8, 0, data, start, utf8.length);
      end(row, start + utf8.length);
    }

    /** Encodes and sets; false, setting nothing, when the chars hold an unpaired surrogate. */
    boolean set(int row, char[] b, int off, int len) {
      int start = start(row);
      ensureBytes(start + 3L * len);
      int end = encode(b, off, len, data, start);
      if (end < 0) {
        return false;
      }
      end(row, end);
      return true;
    }

    private void end(int row, int end) {
      int r = present(row);
      ends[r] = end;
    }

    @Override
    void appendNull(int row) {
      int start = start(row);
      extend(row);
      ends[row] = start;
      valid[row] = false;
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
      vc.getDataBuffer().setBytes(0, data, 0, bytes());
      ArrowBuf offsets = vc.getOffsetBuffer();
      ArrowBuf validity = vc.getValidityBuffer();
      offsets.setInt(0, 0);
      for (int i = 0; i < size; i++) {
        offsets.setInt((long) (i + 1) * VarCharVector.OFFSET_WIDTH, ends[i]);
      }
      fillValidity(validity);
      vc.setLastSet(size - 1);
    }

    /**
     * Encodes chars as UTF-8 into {@code out} from {@code pos}; the caller guarantees
     * {@code out.length - pos >= 3 * len}.
     *
     * @return the position after the last byte written, or -1 when the text holds an unpaired surrogate
     */
    static int encode(char[] b, int off, int len, byte[] out, int pos) {
      int end = off + len;
      int i = off;
      int p = pos;
      // ASCII fast path, eight chars per test
      while (i + 8 <= end
          && (b[i] | b[i + 1] | b[i + 2] | b[i + 3] | b[i + 4] | b[i + 5] | b[i + 6] | b[i + 7]) < 0x80) {
        out[p] = (byte) b[i];
        out[p + 1] = (byte) b[i + 1];
        out[p + 2] = (byte) b[i + 2];
        out[p + 3] = (byte) b[i + 3];
        out[p + 4] = (byte) b[i + 4];
        out[p + 5] = (byte) b[i + 5];
        out[p + 6] = (byte) b[i + 6];
        out[p + 7] = (byte) b[i + 7];
        i += 8;
        p += 8;
      }
      while (i < end) {
        char c = b[i];
        if (c >= 0x80) {
          break;
        }
        out[p++] = (byte) c;
        i++;
      }
      while (i < end) {
        char c = b[i++];
        if (c < 0x80) {
          out[p++] = (byte) c;
        } else if (c < 0x800) {
          out[p++] = (byte) (0xC0 | (c >> 6));
          out[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
          if (!Character.isHighSurrogate(c) || i >= end || !Character.isLowSurrogate(b[i])) {
            return -1;
          }
          int cp = Character.toCodePoint(c, b[i++]);
          out[p++] = (byte) (0xF0 | (cp >> 18));
          out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          out[p++] = (byte) (0xE0 | (c >> 12));
          out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          out[p++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      return p;
    }
  }
}
