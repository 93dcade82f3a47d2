package dev.mlops.core;

import dev.mlops.core.internal.Printable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One record of a {@link Schema}, with typed access by position and by name. Immutable once built
 * (tensor arrays are held, not copied: do not mutate them after building the row).
 *
 * <p>Values are normalized at construction to the Java type of their {@link DataType} (see there),
 * so {@code Row.of(schema, 3)} for an int64 field stores {@code 3L}. Timestamps are truncated to
 * microseconds, the precision of the Arrow columns that back {@link Batch}.
 */
public final class Row {
  private final Schema schema;
  private final @Nullable Object[] values;

  private Row(Schema schema, @Nullable Object[] values) {
    this.schema = schema;
    this.values = values;
  }

  /**
   * A row from values in schema order.
   *
   * @param schema the schema
   * @param values one value per field, {@code null} for missing
   * @return the row
   * @throws SchemaMismatchException naming the field on a wrong count, type or a null in a
   *     non-nullable field
   */
  public static Row of(Schema schema, @Nullable Object... values) {
    if (values.length != schema.size()) {
      throw new SchemaMismatchException("Row has " + values.length + " values but the schema has "
          + schema.size() + " fields " + schema.names() + "; pass one value per field, null for missing");
    }
    @Nullable Object[] copy = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      copy[i] = normalize(schema.field(i), values[i]);
    }
    return new Row(schema, copy);
  }

  /**
   * A row from a map of column name to value; absent names are null.
   *
   * @param schema the schema
   * @param values values by column name
   * @return the row
   * @throws SchemaMismatchException naming the key when the map holds a name the schema lacks, or on
   *     a wrong type or missing non-nullable value
   */
  public static Row fromMap(Schema schema, Map<String, ?> values) {
    @Nullable Object[] arr = new Object[schema.size()];
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (!schema.contains(e.getKey())) {
        throw new SchemaMismatchException("Unknown column '" + e.getKey() + "'; the schema has " + schema.names());
      }
      arr[schema.indexOf(e.getKey())] = e.getValue();
    }
    return of(schema, arr);
  }

  static @Nullable Object normalize(Field f, @Nullable Object v) {
    if (v == null) {
      if (!f.nullable()) {
        throw new SchemaMismatchException("Field '" + f.name() + "' is not nullable but got null; supply a value");
      }
      return null;
    }
    DataType t = f.type();
    switch (t.kind()) {
      case BOOLEAN:
        if (v instanceof Boolean) {
          return v;
        }
        break;
      case INT64:
        if (v instanceof Long) {
          return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).longValue();
        }
        break;
      case FLOAT64:
        if (v instanceof Double) {
          return v;
        }
        if (v instanceof Number n) {
          double d = n.doubleValue();
          // A long beyond 2^53 (or a big number) that float64 cannot hold exactly would be rounded
          // silently; the caller must decide, so refuse it.
          if (v instanceof Long l ? (double) l == 0x1p63 || (long) d != l : !exactInDouble(n, d)) {
            throw new SchemaMismatchException("Field '" + f.name() + "' of type float64 cannot hold " + v
                + " exactly (float64 holds every integer only up to 2^53 = 9007199254740992); declare the column"
                + " int64 or string, or round the value yourself");
          }
          return d;
        }
        break;
      case FLOAT32:
        if (v instanceof Float) {
          return v;
        }
        if (v instanceof Number n) {
          float x = n.floatValue();
          if (Float.isInfinite(x) && !(v instanceof Double d && d.isInfinite())) {
            throw new SchemaMismatchException("Field '" + f.name() + "' of type float32 cannot hold " + v
                + ": it is beyond float32's range (about +-3.4028235E38) and would become infinite; declare the"
                + " column float64 or scale the value");
          }
          return x;
        }
        break;
      case STRING:
        if (v instanceof String) {
          return v;
        }
        break;
      case TIMESTAMP:
        if (v instanceof Instant i) {
          return i.truncatedTo(ChronoUnit.MICROS);
        }
        break;
      case FLOAT_TENSOR:
        if (v instanceof float[] a) {
          if (a.length != t.elementCount()) {
            throw new SchemaMismatchException("Field '" + f.name() + "' of type " + t + " needs "
                + t.elementCount() + " floats but got " + a.length);
          }
          return a;
        }
        break;
      default:
        break;
    }
    throw new SchemaMismatchException("Field '" + f.name() + "' of type " + t + " cannot hold a "
        + v.getClass().getSimpleName() + " (" + Printable.of(String.valueOf(v)) + "); convert it to " + javaType(t));
  }

  /** Whether a number other than a long converts to float64 without overflow or rounding. */
  private static boolean exactInDouble(Number n, double d) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof Float) {
      return true;
    }
    if (!Double.isFinite(d)) {
      return false;
    }
    if (n instanceof BigDecimal b) {
      return b.compareTo(new BigDecimal(d)) == 0;
    }
    if (n instanceof BigInteger b) {
      // the double of a big integer is integral, so comparing integers is exact
      return b.equals(new BigDecimal(d).toBigInteger());
    }
    // Other Number types (atomics, third-party) convert as they define; only overflow is refused.
    return true;
  }

  private static String javaType(DataType t) {
    return switch (t.kind()) {
      case BOOLEAN -> "Boolean";
      case INT64 -> "Long";
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case STRING -> "String";
      case TIMESTAMP -> "java.time.Instant";
      case FLOAT_TENSOR -> "float[]";
    };
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
   * Number of values.
   *
   * @return the field count
   */
  public int size() {
    return values.length;
  }

  /**
   * Whether a value is missing.
   *
   * @param i position
   * @return true when null
   */
  public boolean isNull(int i) {
    return values[i] == null;
  }

  /**
   * Whether a value is missing.
   *
   * @param name column name
   * @return true when null
   */
  public boolean isNull(String name) {
    return isNull(schema.indexOf(name));
  }

  /**
   * The value in its normalized Java type.
   *
   * @param i position
   * @return the value or {@code null}
   */
  public @Nullable Object get(int i) {
    return values[i];
  }

  /**
   * The value in its normalized Java type.
   *
   * @param name column name
   * @return the value or {@code null}
   */
  public @Nullable Object get(String name) {
    return values[schema.indexOf(name)];
  }

  /**
   * A numeric value (int64, float32 or float64) as a double.
   *
   * @param i position
   * @return the value
   * @throws SchemaMismatchException when the field is not numeric or the value is null
   */
  public double getDouble(int i) {
    Object v = nonNull(i);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw wrongType(i, "getDouble");
  }

  /**
   * A numeric value as a double.
   *
   * @param name column name
   * @return the value
   */
  public double getDouble(String name) {
    return getDouble(schema.indexOf(name));
  }

  /**
   * An int64 value.
   *
   * @param i position
   * @return the value
   * @throws SchemaMismatchException when the field is not int64 or the value is null
   */
  public long getLong(int i) {
    if (nonNull(i) instanceof Long l) {
      return l;
    }
    throw wrongType(i, "getLong");
  }

  /**
   * An int64 value.
   *
   * @param name column name
   * @return the value
   */
  public long getLong(String name) {
    return getLong(schema.indexOf(name));
  }

  /**
   * A float32 value.
   *
   * @param i position
   * @return the value
   */
  public float getFloat(int i) {
    if (nonNull(i) instanceof Float f) {
      return f;
    }
    throw wrongType(i, "getFloat");
  }

  /**
   * A boolean value.
   *
   * @param i position
   * @return the value
   */
  public boolean getBoolean(int i) {
    if (nonNull(i) instanceof Boolean b) {
      return b;
    }
    throw wrongType(i, "getBoolean");
  }

  /**
   * A boolean value.
   *
   * @param name column name
   * @return the value
   */
  public boolean getBoolean(String name) {
    return getBoolean(schema.indexOf(name));
  }

  /**
   * A string value.
   *
   * @param i position
   * @return the value, or {@code null} when missing
   * @throws SchemaMismatchException when the field is not a string
   */
  public @Nullable String getString(int i) {
    Object v = values[i];
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrongType(i, "getString");
  }

  /**
   * A string value.
   *
   * @param name column name
   * @return the value, or {@code null} when missing
   */
  public @Nullable String getString(String name) {
    return getString(schema.indexOf(name));
  }

  /**
   * A timestamp value.
   *
   * @param i position
   * @return the value, or {@code null} when missing
   */
  public @Nullable Instant getInstant(int i) {
    Object v = values[i];
    if (v == null || v instanceof Instant) {
      return (Instant) v;
    }
    throw wrongType(i, "getInstant");
  }

  /**
   * A tensor value (not copied: do not mutate).
   *
   * @param i position
   * @return the row-major floats, or {@code null} when missing
   */
  public float @Nullable [] getTensor(int i) {
    Object v = values[i];
    if (v == null || v instanceof float[]) {
      return (float[]) v;
    }
    throw wrongType(i, "getTensor");
  }

  /**
   * The values by column name, in schema order.
   *
   * @return a new mutable map
   */
  public Map<String, @Nullable Object> toMap() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(schema.field(i).name(), values[i]);
    }
    return m;
  }

  private Object nonNull(int i) {
    Object v = values[i];
    if (v == null) {
      throw new SchemaMismatchException("Field '" + schema.field(i).name()
          + "' is null in this row; check isNull() before reading a primitive value");
    }
    return v;
  }

  private SchemaMismatchException wrongType(int i, String method) {
    Field f = schema.field(i);
    return new SchemaMismatchException(method + "() cannot read field '" + f.name() + "' of type " + f.type()
        + "; use the getter for " + f.type());
  }

  /** Equal when schemas are equal and values are equal ({@link Double#equals} semantics, arrays by content). */
  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Row r) || !schema.equals(r.schema)) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      Object a = values[i];
      Object b = r.values[i];
      if (a instanceof float[] fa && b instanceof float[] fb) {
        if (!Arrays.equals(fa, fb)) {
          return false;
        }
      } else if (!Objects.equals(a, b)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = schema.hashCode();
    for (Object v : values) {
      h = 31 * h + (v instanceof float[] fa ? Arrays.hashCode(fa) : Objects.hashCode(v));
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Row{");
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      sb.append(i == 0 ? "" : ", ").append(schema.field(i).name()).append('=')
          .append(v instanceof float[] fa ? Arrays.toString(fa) : String.valueOf(v));
    }
    return sb.append('}').toString();
  }
}
