package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one batch builder: reuse across batches, overwrites within a row, and the bulk copy into Arrow. */
class BatchBuilderTest extends AllocatorSupport {
  private static final Schema ALL = BatchTest.SCHEMA;

  /** Row i: every third value null, booleans alternating, so bitmaps cross byte edges. */
  private static Row row(int i) {
    boolean hole = i % 3 == 1;
    return Row.of(ALL, (long) i, hole ? null : i * 0.5, hole ? null : (float) -i, hole ? null : i % 2 == 0,
        hole ? null : "r" + i + (i % 5 == 0 ? "é" : ""), hole ? null : Instant.ofEpochSecond(i, 1000L * i),
        hole ? null : new float[] {i, -i, 0.5f});
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 9, 16, 17, 1000})
  void rowsComeBackAsTheyWentInWhateverTheCount(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(i));
    }
    try (Batch b = Batch.fromRows(allocator, ALL, rows)) {
      assertThat(b.rowCount()).isEqualTo(n);
      assertThat(b.toRows()).isEqualTo(rows);
    }
  }

  @Test
  void buildLeavesTheBuilderEmptyForTheNextBatch() {
    try (BatchBuilder b = Batch.builder(allocator, ALL)) {
      for (int i = 0; i < 40; i++) {
        b.addRow(row(i));
      }
      try (Batch first = b.build()) {
        assertThat(b.rowCount()).isZero();
        for (int i = 40; i < 45; i++) {
          b.addRow(row(i));
        }
        try (Batch second = b.build()) {
          assertThat(first.rowCount()).isEqualTo(40);
          assertThat(first.toRows().get(39)).isEqualTo(row(39));
          assertThat(second.toRows()).containsExactly(row(40), row(41), row(42), row(43), row(44));
        }
      }
      try (Batch empty = b.build()) {
        assertThat(empty.rowCount()).isZero();
      }
    }
  }

  @Test
  void aNullSlotHoldsZeroNotAValueOfAnEarlierBatch() {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64));
    try (BatchBuilder b = Batch.builder(allocator, s)) {
      b.setDouble(0, 42.0).endRow();
      b.build().close();
      try (Batch batch = b.endRow().build()) {
        assertThat(batch.isNull(0, 0)).isTrue();
        assertThat(((Float8Vector) batch.vector(0)).getDataBuffer().getDouble(0)).isZero();
      }
    }
  }

  @Test
  void settingAColumnTwiceInARowKeepsTheLastValue() {
    try (BatchBuilder b = Batch.builder(allocator, ALL)) {
      b.setLong(0, 1).setLong(0, 2).setString(4, "first, longer").setString(4, "last").endRow();
      b.setLong(0, 3).setString(4, "next").endRow();
      try (Batch batch = b.build()) {
        assertThat(batch.getLong(0, 0)).isEqualTo(2);
        assertThat(batch.getString(4, 0)).isEqualTo("last");
        assertThat(batch.getString(4, 1)).isEqualTo("next");
      }
    }
  }

  @Test
  void aDiscardedRowLeavesNothingInTheBatch() {
    try (BatchBuilder b = Batch.builder(allocator, ALL)) {
      b.addRow(row(0));
      b.setLong(0, 99).setString(4, "dropped").discardRow();
      b.addRow(row(2));
      try (Batch batch = b.build()) {
        assertThat(batch.toRows()).containsExactly(row(0), row(2));
      }
    }
  }

  @Test
  void charsAreEncodedStraightIntoTheColumnAndUnpairedSurrogatesAreRefused() {
    Schema s = Schema.of(Field.of("s", DataType.STRING));
    char[] text = "xxnaïve 数据 😀yy".toCharArray();
    try (BatchBuilder b = Batch.builder(allocator, s)) {
      assertThat(b.trySetString(0, text, 2, text.length - 4)).isTrue();
      b.endRow();
      assertThat(b.trySetString(0, new char[] {'a', '\uDC00'}, 0, 2)).isFalse();
      b.endRow();
      assertThatThrownBy(() -> b.trySetString(0, text, 10, text.length))
          .isInstanceOf(IndexOutOfBoundsException.class);
      try (Batch batch = b.build()) {
        assertThat(batch.getString(0, 0)).isEqualTo("naïve 数据 😀");
        assertThat(batch.isNull(0, 1)).isTrue();
      }
    }
  }

  @Test
  void aClosedBuilderRefusesToBuild() {
    BatchBuilder b = Batch.builder(allocator, ALL);
    b.addRow(row(0));
    b.close();
    b.close();
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("this BatchBuilder is closed; build before closing it, or make a new one");
  }

  @Test
  void aTensorOfTheWrongLengthIsRefusedNamingTheColumn() {
    try (BatchBuilder b = Batch.builder(allocator, ALL)) {
      assertThatThrownBy(() -> b.setTensor(6, new float[2])).isInstanceOf(SchemaMismatchException.class)
          .hasMessage("Column 'vec' needs 3 floats per row but got 2");
    }
  }
}
