package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A row holds exactly the values it was given, in the field's Java type: equal rows are rows of
 * equal values, a present value is never reported missing, and each getter reads only its type.
 */
class RowValuesTest {
  private static final Schema SCHEMA = Schema.of(List.of(Field.of("flag", DataType.BOOLEAN),
      Field.of("count", DataType.INT64), Field.of("ratio", DataType.FLOAT32), Field.of("score", DataType.FLOAT64),
      Field.of("name", DataType.STRING), Field.of("at", DataType.TIMESTAMP),
      Field.of("vec", DataType.floatTensor(2))));
  private static final Instant AT = Instant.parse("2024-03-01T10:20:30.123456Z");

  private static Row full() {
    return Row.of(SCHEMA, true, 7L, 0.5f, 2.5, "n", AT, new float[] {1f, 2f});
  }

  @Test
  void rowsDifferingInAnyOneValueAreNotEqual() {
    Row a = full();
    assertThat(a).isEqualTo(full()).hasSameHashCodeAs(full());
    Map<String, Object> changed = new HashMap<>();
    changed.put("flag", false);
    changed.put("count", 8L);
    changed.put("ratio", 0.25f);
    changed.put("score", -2.5);
    changed.put("name", "m");
    changed.put("at", AT.plusNanos(1000));
    changed.put("vec", new float[] {1f, 3f});
    for (Map.Entry<String, Object> e : changed.entrySet()) {
      Map<String, Object> values = a.toMap();
      values.put(e.getKey(), e.getValue());
      Row b = Row.fromMap(SCHEMA, values);
      assertThat(b).as("row with %s changed", e.getKey()).isNotEqualTo(a);
      assertThat(b.hashCode()).as("hash of the row with %s changed", e.getKey()).isNotEqualTo(a.hashCode());
      Map<String, Object> nulled = a.toMap();
      nulled.put(e.getKey(), null);
      assertThat(Row.fromMap(SCHEMA, nulled)).as("row with %s null", e.getKey()).isNotEqualTo(a);
    }
  }

  @Test
  void rowsOfDifferentSchemasOrOfOtherTypesAreNotEqual() {
    Schema renamed = Schema.of(List.of(Field.of("x", DataType.INT64)));
    Schema original = Schema.of(List.of(Field.of("y", DataType.INT64)));
    assertThat(Row.of(renamed, 1L)).isNotEqualTo(Row.of(original, 1L));
    assertThat(Row.of(original, 1L)).isNotEqualTo(1L).isNotEqualTo(null);
    assertThat(Row.of(SCHEMA, null, null, null, null, null, null, null))
        .isEqualTo(Row.of(SCHEMA, null, null, null, null, null, null, null));
  }

  @Test
  void presentValuesAreNotMissingAndNullsAre() {
    Row a = full();
    assertThat(a.size()).isEqualTo(7);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.isNull(i)).as("field %d", i).isFalse();
      assertThat(a.isNull(SCHEMA.field(i).name())).isFalse();
    }
    Row empty = Row.of(SCHEMA, null, null, null, null, null, null, null);
    for (int i = 0; i < empty.size(); i++) {
      assertThat(empty.isNull(i)).as("field %d", i).isTrue();
    }
    assertThat(empty.getString("name")).isNull();
    assertThat(empty.getInstant(5)).isNull();
    assertThat(empty.getTensor(6)).isNull();
  }

  @Test
  void valuesAreNormalizedToTheFieldType() {
    Row r = Row.of(SCHEMA, false, 7, 0.5, 2, "n", AT.plusNanos(999), new float[] {1f, 2f});
    assertThat(r.get("count")).isEqualTo(7L);
    assertThat(r.get("ratio")).isEqualTo(0.5f);
    assertThat(r.get("score")).isEqualTo(2.0);
    assertThat(r.get("at")).as("truncated to microseconds").isEqualTo(AT);
    assertThat(r.getBoolean("flag")).isFalse();
    assertThat(full().getBoolean(0)).isTrue();
    assertThat(full().getBoolean("flag")).isTrue();
    assertThat(r.getLong("count")).isEqualTo(7L);
    assertThat(r.getFloat(2)).isEqualTo(0.5f);
    assertThat(r.getDouble("ratio")).isEqualTo(0.5);
    assertThat(r.getDouble("count")).isEqualTo(7.0);
    assertThat(r.getString(4)).isEqualTo("n");
    assertThat(r.getInstant(5)).isEqualTo(AT);
    assertThat(Arrays.equals(r.getTensor(6), new float[] {1f, 2f})).isTrue();
    assertThat(r.toMap()).containsOnlyKeys(SCHEMA.names()).containsEntry("name", "n");
  }

  @Test
  void eachGetterReadsOnlyItsType() {
    Row r = full();
    assertThatThrownBy(() -> r.getString(1)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getString() cannot read field 'count'");
    assertThatThrownBy(() -> r.getInstant(4)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getInstant() cannot read field 'name'");
    assertThatThrownBy(() -> r.getTensor(3)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getTensor() cannot read field 'score'");
    assertThatThrownBy(() -> r.getFloat(3)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getFloat() cannot read field 'score'");
    assertThatThrownBy(() -> r.getBoolean(1)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getBoolean() cannot read field 'count'");
    assertThatThrownBy(() -> r.getLong(3)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getLong() cannot read field 'score'");
    assertThatThrownBy(() -> r.getDouble(4)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("getDouble() cannot read field 'name'");
    Row empty = Row.of(SCHEMA, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> empty.getFloat(2)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Field 'ratio' is null in this row");
  }
}
