package dev.mlops.core;

import static dev.mlops.core.Generators.anyChars;
import static dev.mlops.core.Generators.doubles;
import static dev.mlops.core.Generators.exactly;
import static dev.mlops.core.Generators.floats;
import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.longs;
import static dev.mlops.core.Generators.pick;
import static dev.mlops.core.Generators.strings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** QuickTheories generators of schemas with matching rows, including the awkward values. */
final class RandomData {
  private RandomData() {}

  /** A schema and rows of it. */
  record Table(Schema schema, List<Row> rows) {}

  /** Tables of 1 to 6 columns of every type and of {@code minRows} to {@code maxRows} rows. */
  static Gen<Table> tables(int minRows, int maxRows) {
    return lists(SchemaProperties.fields(), 1, 6).flatMap(fs -> {
      List<Field> unique = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Field f = fs.get(i);
        unique.add(new Field("c" + i, f.type(), f.nullable(), f.role()));
      }
      Schema schema = Schema.of(unique);
      return lists(rows(schema), minRows, maxRows).map(rows -> new Table(schema, rows));
    });
  }

  /** Rows of {@code schema}; a nullable column is null one time in five. */
  static Gen<Row> rows(Schema schema) {
    return Generators.rows(schema, f -> values(f.type()), 20);
  }

  /** Values of {@code t}, the special and awkward ones among them. */
  static Gen<Object> values(DataType t) {
    return switch (t.kind()) {
      case BOOLEAN -> Generate.booleans().map(Object.class::cast);
      case INT64 -> longs().map(Object.class::cast);
      case FLOAT32 -> Generate.oneOf(floats(),
          pick(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f)).map(Object.class::cast);
      case FLOAT64 -> Generate.oneOf(doubles(),
          pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
              Double.MIN_VALUE, Double.MAX_VALUE)).map(Object.class::cast);
      case STRING -> Generate.oneOf(strings(anyChars(), 0, 12),
          pick("", "naïve", "数据", "emoji 🎉", "a,b", "q\"uote", "multi\nline")).map(Object.class::cast);
      case TIMESTAMP -> longs(-62_135_596_800_000_000L, 253_402_300_799_999_999L)
          .map(micros -> (Object) Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
              Math.floorMod(micros, 1_000_000L) * 1000L));
      case FLOAT_TENSOR -> exactly(floats(), t.elementCount()).map(l -> {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = l.get(i);
        }
        return (Object) a;
      });
    };
  }
}
