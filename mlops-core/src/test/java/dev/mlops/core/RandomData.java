package dev.mlops.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of schemas with matching rows, including the awkward values. */
final class RandomData {
  private RandomData() {}

  /** A schema and rows of it. */
  record Table(Schema schema, List<Row> rows) {}

  static Arbitrary<Table> tables(int maxRows) {
    return SchemaProperties.fields().list().ofMinSize(1).ofMaxSize(6).flatMap(fs -> {
      List<Field> unique = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Field f = fs.get(i);
        unique.add(new Field("c" + i, f.type(), f.nullable(), f.role()));
      }
      Schema schema = Schema.of(unique);
      return rows(schema).list().ofMaxSize(maxRows).map(rows -> new Table(schema, rows));
    });
  }

  static Arbitrary<Row> rows(Schema schema) {
    List<Arbitrary<Object>> cols = new ArrayList<>();
    for (Field f : schema.fields()) {
      Arbitrary<Object> v = values(f.type());
      cols.add(f.nullable() ? v.injectNull(0.2) : v);
    }
    return Combinators.combine(cols).as(vals -> Row.of(schema, vals.toArray()));
  }

  static Arbitrary<Object> values(DataType t) {
    return switch (t.kind()) {
      case BOOLEAN -> Arbitraries.of(true, false).map(Object.class::cast);
      case INT64 -> Arbitraries.longs().map(Object.class::cast);
      case FLOAT32 -> Arbitraries.oneOf(Arbitraries.floats(),
          Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f)).map(Object.class::cast);
      case FLOAT64 -> Arbitraries.oneOf(Arbitraries.doubles(),
          Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
              Double.MIN_VALUE, Double.MAX_VALUE)).map(Object.class::cast);
      case STRING -> Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
          Arbitraries.of("", "naïve", "数据", "emoji 🎉", "a,b", "q\"uote", "multi\nline")).map(Object.class::cast);
      case TIMESTAMP -> Arbitraries.longs().between(-62_135_596_800_000_000L, 253_402_300_799_999_999L)
          .map(micros -> (Object) Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
              Math.floorMod(micros, 1_000_000L) * 1000L));
      case FLOAT_TENSOR -> Arbitraries.floats().array(float[].class).ofSize(t.elementCount()).map(Object.class::cast);
    };
  }
}
