package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchTest {
  /** One column of every type. */
  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.INT64, false, Role.ID),
      Field.of("amount", DataType.FLOAT64),
      Field.of("ratio", DataType.FLOAT32),
      Field.of("ok", DataType.BOOLEAN),
      Field.of("purpose", DataType.STRING),
      Field.of("at", DataType.TIMESTAMP),
      Field.of("vec", DataType.floatTensor(3)));

  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void allMemoryReturned() {
    assertThat(allocator.getAllocatedMemory()).as("bytes still allocated").isZero();
    allocator.close();
  }

  private static List<Row> rows() {
    return List.of(
        Row.of(SCHEMA, 1L, 1169.0, 0.5f, true, "radio/tv", Instant.parse("2024-01-02T03:04:05.123456Z"),
            new float[] {1, 2, 3}),
        Row.of(SCHEMA, 2, null, null, null, null, null, null),
        Row.of(SCHEMA, 3L, Double.NaN, -0.0f, false, "", Instant.EPOCH.minusNanos(1000), new float[] {-0f, 0, 1e-3f}),
        Row.fromMap(SCHEMA, Map.of("id", 4L, "purpose", "naïve 数据")));
  }

  @Test
  void rowsRoundTripThroughABatch() {
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows())) {
      assertThat(b.rowCount()).isEqualTo(4);
      assertThat(b.toRows()).isEqualTo(rows());
      assertThat(b.getDouble(1, 0)).isEqualTo(1169.0);
      assertThat(b.getDouble(0, 2)).isEqualTo(3.0);
      assertThat(b.isNull(1, 1)).isTrue();
      assertThat(b.getString(4, 3)).isEqualTo("naïve 数据");
      assertThat(b.getInstant(5, 2)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
      assertThat(b.getTensor(6, 0)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void sliceIsAViewWithoutCopies() {
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows())) {
      long before = allocator.getAllocatedMemory();
      try (Batch s = b.slice(1, 2)) {
        assertThat(s.isOwner()).isFalse();
        assertThat(s.rowCount()).isEqualTo(2);
        assertThat(s.toRows()).isEqualTo(rows().subList(1, 3));
        assertThat(allocator.getAllocatedMemory()).isEqualTo(before);
      }
      assertThat(b.toRows()).as("closing a view leaves the data intact").isEqualTo(rows());
      assertThatThrownBy(() -> b.slice(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void viewOfAnArrowRootDoesNotCloseIt() {
    try (Batch owner = Batch.fromRows(allocator, SCHEMA, rows())) {
      Batch view = Batch.view(owner.arrowRoot());
      view.close();
      assertThat(owner.row(0)).isEqualTo(rows().get(0));
    }
  }

  @Test
  void rowsRejectWrongTypesAndNulls() {
    assertThatThrownBy(() -> Row.of(SCHEMA, "x", 1.0, 1f, true, "a", null, null))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Field 'id' of type int64 cannot hold a String (x); convert it to Long");
    assertThatThrownBy(() -> Row.of(SCHEMA, null, 1.0, 1f, true, "a", null, null))
        .hasMessageContaining("Field 'id' is not nullable");
    assertThatThrownBy(() -> Row.of(SCHEMA, 1L))
        .hasMessageContaining("Row has 1 values but the schema has 7 fields");
    assertThatThrownBy(() -> Row.fromMap(SCHEMA, Map.of("id", 1L, "amt", 2.0)))
        .hasMessageContaining("Unknown column 'amt'");
    assertThatThrownBy(() -> Row.of(SCHEMA, 1L, null, null, null, null, null, new float[2]))
        .hasMessageContaining("needs 3 floats but got 2");
    Row r = rows().get(1);
    assertThatThrownBy(() -> r.getDouble("amount")).hasMessageContaining("'amount' is null in this row");
    assertThatThrownBy(() -> r.getBoolean("id")).hasMessageContaining("getBoolean() cannot read field 'id'");
  }

  @Test
  void builderRejectsMissingNonNullableValueAndFreesMemory() {
    try (BatchBuilder b = Batch.builder(allocator, SCHEMA)) {
      b.setDouble(1, 2.0);
      assertThatThrownBy(b::endRow)
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Column 'id' is not nullable but row 0 has no value");
    }
  }

  @Test
  void builderGrowsPastItsInitialCapacity() {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("s", DataType.STRING));
    try (BatchBuilder b = Batch.builder(allocator, s)) {
      for (int i = 0; i < 5000; i++) {
        if (i % 7 == 0) {
          b.endRow();
        } else {
          b.setDouble(0, i).setString(1, "v" + i).endRow();
        }
      }
      try (Batch batch = b.build()) {
        assertThat(batch.rowCount()).isEqualTo(5000);
        assertThat(batch.isNull(0, 4998)).isTrue();
        assertThat(batch.getDouble(0, 4999)).isEqualTo(4999.0);
        assertThat(batch.getString(1, 4999)).isEqualTo("v4999");
      }
    }
  }

  @Test
  void aRowThatFailsHalfwayLeavesNothingBehind() {
    Schema s = Schema.of(Field.of("a", DataType.STRING), Field.of("t", DataType.TIMESTAMP));
    try (BatchBuilder b = Batch.builder(allocator, s)) {
      assertThatThrownBy(() -> b.addRow(Row.of(s, "x", Instant.MAX)))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("outside the range of microseconds");
      b.addRow(Row.of(s, null, Instant.EPOCH));
      try (Batch batch = b.build()) {
        assertThat(batch.toRows()).containsExactly(Row.of(s, null, Instant.EPOCH));
      }
    }
  }

  private VectorSchemaRoot rootOf(FieldVector v, int rows) {
    return new VectorSchemaRoot(List.of(v.getField()), List.of(v), rows);
  }

  @Test
  void adoptRefusesARootWhoseVectorsHoldFewerValuesThanItsRows() {
    BigIntVector v = new BigIntVector("id", allocator);
    v.allocateNew(3);
    for (int i = 0; i < 3; i++) {
      v.set(i, i);
    }
    v.setValueCount(3);
    try (VectorSchemaRoot root = rootOf(v, 5)) {
      assertThatThrownBy(() -> Batch.adopt(root, "x.arrow", "record batch 2"))
          .isInstanceOf(DataFormatException.class)
          .hasMessage("x.arrow, column 'id': record batch 2 holds 3 values but the batch has 5 rows. The data is"
              + " corrupt");
      assertThatThrownBy(() -> Batch.view(root)).isInstanceOf(DataFormatException.class)
          .hasMessageStartingWith("column 'id': holds 3 values");
    }
  }

  @Test
  void adoptAndViewRefuseNullsInAColumnDeclaredNotNullable() {
    FieldVector v = new org.apache.arrow.vector.types.pojo.Field("id",
        FieldType.notNullable(new ArrowType.Int(64, true)), null).createVector(allocator);
    BigIntVector ids = (BigIntVector) v;
    ids.allocateNew(3);
    ids.set(0, 1);
    ids.set(2, 3);
    ids.setValueCount(3);
    try (VectorSchemaRoot root = rootOf(v, 3)) {
      assertThatThrownBy(() -> Batch.adopt(root)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("column 'id': is declared not nullable but holds 1 nulls");
      assertThatThrownBy(() -> Batch.view(root)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("not nullable");
    }
  }

  @Test
  void adoptRefusesStringsThatAreNotUtf8EvenWhereArrowsOwnCheckLetsThemPass() {
    VarCharVector v = new VarCharVector("s", allocator);
    v.allocateNew();
    v.setSafe(0, "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // "a" and the first two bytes of the three-byte "€" (e2 82 ac)
    v.setSafe(1, new byte[] {'a', (byte) 0xE2, (byte) 0x82});
    v.setValueCount(2);
    try (VectorSchemaRoot root = rootOf(v, 2)) {
      assertThatThrownBy(() -> Batch.adopt(root)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("column 's': holds invalid UTF-8 in row 1 (0-based)");
    }
  }

  @Test
  void viewRefusesANullElementInANonNullTensor() {
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows())) {
      FixedSizeListVector vec = (FixedSizeListVector) b.vector(6);
      vec.getDataVector().setNull(1);
      assertThatThrownBy(() -> Batch.view(b.arrowRoot())).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("column 'vec': holds a tensor with a null element in row 0 (0-based)");
      // the same element under a null tensor is nobody's business
      vec.getDataVector().setNull(1);
      vec.setNull(0);
      assertThat(Batch.view(b.arrowRoot()).isNull(6, 0)).isTrue();
    }
  }
}
