package dev.mlops.spark;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between Spark's schemas and values and the library's {@link Schema} and row values.
 * Spark's integral types read as {@code int64}, {@code float} as {@code float32}, {@code double} as
 * {@code float64}, {@code string}, {@code boolean}, {@code timestamp} as {@code timestamp}, and a
 * {@code decimal} of at most 15 digits (which a double holds exactly) as {@code float64}. Every other
 * type is refused with the column and type named: a job casts it (or drops the column) first.
 */
public final class SparkSchemas {
  /** The most decimal digits a double represents exactly. */
  static final int MAX_DECIMAL_DIGITS = 15;

  private SparkSchemas() {}

  /**
   * The library schema of a Spark schema.
   *
   * @param spark the Spark schema
   * @return the library schema, nullability kept
   * @throws SchemaMismatchException naming every column whose type has no library type
   */
  public static Schema toSchema(StructType spark) {
    List<Field> fields = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (StructField f : spark.fields()) {
      DataType t = typeOf(f.dataType());
      if (t == null) {
        refused.add("'" + f.name() + "' (" + f.dataType().simpleString() + ")");
      } else {
        fields.add(Field.of(f.name(), t, f.nullable(), dev.mlops.core.Role.FEATURE));
      }
    }
    if (!refused.isEmpty()) {
      throw new SchemaMismatchException("Spark column(s) " + String.join(", ", refused) + " have no mlops type:"
          + " supported are boolean, byte, short, int, long (as int64), float, double, string, timestamp and"
          + " decimal of at most " + MAX_DECIMAL_DIGITS + " digits; cast or drop them before profiling,"
          + " validating or scoring");
    }
    return Schema.of(fields);
  }

  private static @Nullable DataType typeOf(org.apache.spark.sql.types.DataType t) {
    if (t.equals(DataTypes.BooleanType)) {
      return DataType.BOOLEAN;
    }
    if (t.equals(DataTypes.ByteType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.LongType)) {
      return DataType.INT64;
    }
    if (t.equals(DataTypes.FloatType)) {
      return DataType.FLOAT32;
    }
    if (t.equals(DataTypes.DoubleType)) {
      return DataType.FLOAT64;
    }
    if (t.equals(DataTypes.StringType)) {
      return DataType.STRING;
    }
    if (t.equals(DataTypes.TimestampType)) {
      return DataType.TIMESTAMP;
    }
    if (t instanceof DecimalType d && d.precision() <= MAX_DECIMAL_DIGITS) {
      return DataType.FLOAT64;
    }
    return null;
  }

  /**
   * The Spark schema of a library schema (for the columns scoring appends, and tests).
   *
   * @param schema the library schema
   * @return the Spark schema
   * @throws SchemaMismatchException for a tensor column, which Spark rows here do not carry
   */
  public static StructType toStructType(Schema schema) {
    List<StructField> fields = new ArrayList<>();
    for (Field f : schema.fields()) {
      org.apache.spark.sql.types.DataType t = switch (f.type().kind()) {
        case BOOLEAN -> DataTypes.BooleanType;
        case INT64 -> DataTypes.LongType;
        case FLOAT32 -> DataTypes.FloatType;
        case FLOAT64 -> DataTypes.DoubleType;
        case STRING -> DataTypes.StringType;
        case TIMESTAMP -> DataTypes.TimestampType;
        default -> throw new SchemaMismatchException("column '" + f.name() + "' of type " + f.type()
            + " has no Spark type here; drop it or score it through the Java API");
      };
      fields.add(DataTypes.createStructField(f.name(), t, f.nullable()));
    }
    return DataTypes.createStructType(fields);
  }

  /** The column types of a schema, by position. */
  static DataType[] types(Schema schema) {
    DataType[] types = new DataType[schema.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = schema.field(i).type();
    }
    return types;
  }

  /**
   * Appends a Spark row to a batch being built, its values converted by {@link #value} and set with
   * the builder's typed setters (no library row in between).
   */
  static void append(dev.mlops.core.BatchBuilder builder, DataType[] types, org.apache.spark.sql.Row row) {
    for (int i = 0; i < types.length; i++) {
      Object v = value(row.get(i), types[i]);
      if (v == null) {
        continue;
      }
      switch (types[i].kind()) {
        case FLOAT64 -> builder.setDouble(i, (Double) v);
        case INT64 -> builder.setLong(i, (Long) v);
        case FLOAT32 -> builder.setFloat(i, (Float) v);
        case BOOLEAN -> builder.setBoolean(i, (Boolean) v);
        case STRING -> builder.setString(i, (String) v);
        case TIMESTAMP -> builder.setInstant(i, (Instant) v);
        case FLOAT_TENSOR -> builder.setTensor(i, (float[]) v);
        default -> throw new IllegalStateException("no setter for " + types[i]);
      }
    }
    builder.endRow();
  }

  /**
   * Feeds a partition's rows to {@code sink} as library batches of up to {@code batchRows} rows,
   * each closed after use, their Arrow memory from one allocator that is checked empty at the end.
   */
  static void batches(Schema schema, java.util.Iterator<org.apache.spark.sql.Row> rows, int batchRows,
      java.util.function.Consumer<dev.mlops.core.Batch> sink) {
    DataType[] types = types(schema);
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        dev.mlops.core.BatchBuilder builder = dev.mlops.core.Batch.builder(allocator, schema)) {
      while (rows.hasNext()) {
        append(builder, types, rows.next());
        if (builder.rowCount() == batchRows || !rows.hasNext()) {
          try (dev.mlops.core.Batch b = builder.build()) {
            sink.accept(b);
          }
        }
      }
    }
  }

  /** A Spark row as a library row of {@code schema}, its values converted by {@link #value}. */
  static dev.mlops.core.Row row(Schema schema, DataType[] types, org.apache.spark.sql.Row row) {
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      values[i] = value(row.get(i), types[i]);
    }
    return dev.mlops.core.Row.of(schema, values);
  }

  /**
   * A Spark value as the library's row value of a type: integral numbers as {@code Long}, decimals
   * as {@code Double}, timestamps as {@code Instant}.
   *
   * @param value the Spark value, or null
   * @param type the library type of its column
   * @return the library value, or null
   */
  static @Nullable Object value(@Nullable Object value, DataType type) {
    if (value == null) {
      return null;
    }
    return switch (type.kind()) {
      case INT64 -> ((Number) value).longValue();
      case FLOAT64 -> value instanceof BigDecimal b ? b.doubleValue() : ((Number) value).doubleValue();
      case FLOAT32 -> ((Number) value).floatValue();
      case TIMESTAMP -> value instanceof Timestamp ts ? ts.toInstant() : (Instant) value;
      default -> value;
    };
  }
}
