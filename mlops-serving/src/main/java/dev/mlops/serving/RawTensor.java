package dev.mlops.serving;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A named tensor copied out of (or into) a model, with its values widened to doubles: exact for every
 * float, int32, int16, int8, uint8 and bool value, and for int64 values up to 2^53 in magnitude.
 * Booleans are 1 and 0.
 */
public final class RawTensor {
  private final String name;
  private final String elementType;
  private final long[] shape;
  private final double[] values;

  private RawTensor(String name, String elementType, long[] shape, double[] values) {
    this.name = Objects.requireNonNull(name, "name");
    this.elementType = Objects.requireNonNull(elementType, "elementType");
    this.shape = shape.clone();
    this.values = values;
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("Tensor '" + name + "' has negative dimension in shape "
            + Arrays.toString(shape) + "; give concrete sizes");
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("Tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs " + n
          + " values but got " + values.length);
    }
  }

  /**
   * A tensor.
   *
   * @param name the tensor name in the model graph
   * @param elementType the ONNX element type in lower case ({@code float}, {@code int64}, ...)
   * @param shape the dimensions
   * @param values the row-major values (held, not copied)
   * @return the tensor
   * @throws IllegalArgumentException when the value count does not match the shape
   */
  public static RawTensor of(String name, String elementType, long[] shape, double[] values) {
    return new RawTensor(name, elementType, shape, values);
  }

  /**
   * The tensor name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The ONNX element type in lower case.
   *
   * @return the type name
   */
  public String elementType() {
    return elementType;
  }

  /**
   * The dimensions.
   *
   * @return a copy of the shape
   */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * The row-major values (not copied: do not mutate).
   *
   * @return the values
   */
  public double[] values() {
    return values;
  }

  /**
   * Tensors are equal when their names, element types, shapes and values are.
   *
   * @param o the other object
   * @return true when it is an equal tensor
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RawTensor t && name.equals(t.name) && elementType.equals(t.elementType)
        && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, elementType, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return name + ":" + elementType + Arrays.toString(shape);
  }
}
