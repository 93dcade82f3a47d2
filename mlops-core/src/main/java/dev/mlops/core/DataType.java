package dev.mlops.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The logical type of a {@link Field}. Scalar types are shared constants; a fixed-shape float tensor
 * carries its shape.
 *
 * <p>Java representations used by {@link Row}: {@code BOOLEAN -> Boolean}, {@code INT64 -> Long},
 * {@code FLOAT32 -> Float}, {@code FLOAT64 -> Double}, {@code STRING -> String},
 * {@code TIMESTAMP -> java.time.Instant} (microsecond precision, UTC), {@code FLOAT_TENSOR -> float[]}
 * (row-major, length = product of the shape).
 *
 * @param kind the kind of value
 * @param shape the tensor shape; empty for scalar kinds
 */
public record DataType(Kind kind, List<Integer> shape) {

  /** The kinds of value a field can hold. */
  public enum Kind {
    /** true / false. */
    BOOLEAN,
    /** 64-bit signed integer. */
    INT64,
    /** IEEE 754 single precision. */
    FLOAT32,
    /** IEEE 754 double precision. */
    FLOAT64,
    /** UTF-8 text, also used for categorical values. */
    STRING,
    /** An instant on the UTC time line, microsecond precision. */
    TIMESTAMP,
    /** A fixed-shape tensor of float32 values. */
    FLOAT_TENSOR
  }

  /** true / false. */
  public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, List.of());
  /** 64-bit signed integer. */
  public static final DataType INT64 = new DataType(Kind.INT64, List.of());
  /** IEEE 754 single precision. */
  public static final DataType FLOAT32 = new DataType(Kind.FLOAT32, List.of());
  /** IEEE 754 double precision. */
  public static final DataType FLOAT64 = new DataType(Kind.FLOAT64, List.of());
  /** UTF-8 text, also used for categorical values. */
  public static final DataType STRING = new DataType(Kind.STRING, List.of());
  /** An instant on the UTC time line, microsecond precision. */
  public static final DataType TIMESTAMP = new DataType(Kind.TIMESTAMP, List.of());

  /**
   * Validates the components.
   *
   * @param kind the kind of value
   * @param shape the tensor shape; empty for scalar kinds
   */
  public DataType {
    shape = List.copyOf(shape);
    if (kind == Kind.FLOAT_TENSOR) {
      if (shape.isEmpty()) {
        throw new IllegalArgumentException("A float tensor type needs a shape with at least one dimension");
      }
      long size = 1;
      for (int d : shape) {
        if (d <= 0) {
          throw new IllegalArgumentException(
              "Tensor dimensions must be positive, got shape " + shape + "; use a fixed shape");
        }
        size *= d;
        if (size > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("Tensor shape " + shape + " has more than 2^31-1 elements");
        }
      }
    } else if (!shape.isEmpty()) {
      throw new IllegalArgumentException("Only FLOAT_TENSOR types have a shape; " + kind + " got " + shape);
    }
  }

  /**
   * A fixed-shape float32 tensor type.
   *
   * @param shape the dimensions, each positive
   * @return the type
   */
  public static DataType floatTensor(int... shape) {
    return new DataType(Kind.FLOAT_TENSOR, Arrays.stream(shape).boxed().toList());
  }

  /**
   * Number of float elements of a tensor type (product of the shape); 1 for scalars.
   *
   * @return the element count
   */
  public int elementCount() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * Whether values of this type are numbers (int64, float32, float64).
   *
   * @return true for numeric scalar kinds
   */
  public boolean isNumeric() {
    return kind == Kind.INT64 || kind == Kind.FLOAT32 || kind == Kind.FLOAT64;
  }

  /**
   * Parses the canonical name produced by {@link #toString()}: {@code float64}, {@code string},
   * {@code float_tensor[3,224,224]}, ...
   *
   * @param name the canonical name, case-insensitive
   * @return the type
   * @throws IllegalArgumentException naming the accepted spellings when the name is unknown
   */
  public static DataType parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith("float_tensor[") && n.endsWith("]")) {
      String inner = n.substring("float_tensor[".length(), n.length() - 1);
      try {
        return floatTensor(Arrays.stream(inner.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Bad tensor shape in type '" + name + "'; write e.g. float_tensor[2,3]", e);
      }
    }
    for (Kind k : Kind.values()) {
      if (k != Kind.FLOAT_TENSOR && k.name().toLowerCase(Locale.ROOT).equals(n)) {
        return new DataType(k, List.of());
      }
    }
    throw new IllegalArgumentException("Unknown data type '" + name
        + "'; use one of boolean, int64, float32, float64, string, timestamp, float_tensor[d1,d2,...]");
  }

  /**
   * The canonical lower-case name, e.g. {@code float64} or {@code float_tensor[2,3]}.
   *
   * @return the name, accepted by {@link #parse(String)}
   */
  @Override
  public String toString() {
    String base = kind.name().toLowerCase(Locale.ROOT);
    if (kind != Kind.FLOAT_TENSOR) {
      return base;
    }
    StringBuilder sb = new StringBuilder(base).append('[');
    for (int i = 0; i < shape.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(shape.get(i));
    }
    return sb.append(']').toString();
  }
}
