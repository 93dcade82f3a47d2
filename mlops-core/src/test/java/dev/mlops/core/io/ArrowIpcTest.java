package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrow IPC files and streams: metadata, tensors, slices, ownership, corrupt input, atomic writes. */
class ArrowIpcTest extends AllocatorSupport {
  private static final Schema SCHEMA = Schema.of(
      new Field("id", DataType.INT64, false, Role.ID),
      Field.of("image", DataType.floatTensor(2, 3)),
      new Field("at", DataType.TIMESTAMP, true, Role.TIMESTAMP),
      new Field("label", DataType.STRING, true, Role.LABEL),
      new Field("score", DataType.FLOAT32, true, Role.PREDICTION),
      Field.of("ok", DataType.BOOLEAN));

  @TempDir
  Path dir;

  private static List<Row> rows(int n, long seed) {
    Random rnd = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] t = new float[6];
      for (int k = 0; k < 6; k++) {
        t[k] = k == 0 && i % 5 == 0 ? Float.NaN : rnd.nextFloat() - 0.5f;
      }
      out.add(Row.of(SCHEMA, (long) i, i % 4 == 3 ? null : t, Instant.ofEpochSecond(1_700_000_000L + i, 123_456_000L),
          i % 3 == 0 ? null : "l" + i, i % 7 == 0 ? null : rnd.nextFloat(), i % 2 == 0));
    }
    return out;
  }

  private static List<Row> allRows(List<Batch> batches) {
    List<Row> out = new ArrayList<>();
    batches.forEach(b -> out.addAll(b.toRows()));
    return out;
  }

  @Test
  void fileRoundTripKeepsRolesTensorShapesAndBatchBoundaries() {
    List<Row> rows = rows(25, 1);
    Path file = dir.resolve("data.arrow");
    try (Batch all = Batch.fromRows(allocator, SCHEMA, rows)) {
      List<Batch> parts = List.of(all.slice(0, 10), all.slice(10, 3), all.slice(13, 0), all.slice(13, 12));
      ArrowIpc.writeFile(file, SCHEMA, parts);
      List<Batch> back = ArrowIpc.readFile(file, allocator);
      try {
        assertThat(back).extracting(Batch::rowCount).containsExactly(10, 3, 0, 12);
        assertThat(back).allSatisfy(b -> {
          assertThat(b.schema()).isEqualTo(SCHEMA);
          assertThat(b.isOwner()).isTrue();
        });
        assertThat(back.get(0).schema().field("image").type().shape()).containsExactly(2, 3);
        assertThat(back.get(0).schema().field("label").role()).isEqualTo(Role.LABEL);
        assertThat(allRows(back)).isEqualTo(rows);
        assertThat(DatasetFingerprint.builder(SCHEMA).update(back.get(0)).update(back.get(1)).update(back.get(3))
            .build()).isEqualTo(DatasetFingerprint.of(all));
      } finally {
        back.forEach(Batch::close);
      }
    }
  }

  @Test
  void streamRoundTripLeavesTheOutputOpen() {
    List<Row> rows = rows(9, 2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean[] closed = {false};
    OutputStream out = new java.io.FilterOutputStream(bytes) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      ArrowIpc.writeStream(out, SCHEMA, List.of(b, b.slice(2, 4)));
    }
    assertThat(closed[0]).isFalse();
    Batch first;
    Batch second;
    try (ArrowIpcReader r = ArrowIpc.openStream(new ByteArrayInputStream(bytes.toByteArray()), "mem", allocator)) {
      assertThat(r.schema()).isEqualTo(SCHEMA);
      first = r.nextBatch();
      second = r.nextBatch();
      assertThat(r.nextBatch()).isNull();
    }
    // batches outlive their reader
    try (Batch a = first; Batch b = second) {
      assertThat(a.toRows()).isEqualTo(rows);
      assertThat(b.toRows()).isEqualTo(rows.subList(2, 6));
      assertThat(b.getTensor(1, 0)).isEqualTo(rows.get(2).getTensor(1));
    }
  }

  @Test
  void writingASingleBatchAndAnEmptyFileWork() {
    Path one = dir.resolve("one.arrow");
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows(3, 3))) {
      ArrowIpc.writeFile(one, b);
    }
    List<Batch> back = ArrowIpc.readFile(one, allocator);
    assertThat(back).hasSize(1);
    back.forEach(Batch::close);
    Path none = dir.resolve("none.arrow");
    ArrowIpc.writeFile(none, SCHEMA, List.of());
    try (ArrowIpcReader r = ArrowIpc.openFile(none, allocator)) {
      assertThat(r.schema()).isEqualTo(SCHEMA);
      assertThat(r.nextBatch()).isNull();
    }
  }

  @Test
  void corruptAndTruncatedInputNamesTheSource() throws IOException {
    Path good = dir.resolve("good.arrow");
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows(40, 4))) {
      ArrowIpc.writeFile(good, SCHEMA, List.of(b, b));
    }
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.arrow");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ArrowIpc.readFile(truncated, allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("truncated.arrow")
        .hasMessageContaining("truncated");

    Path garbage = dir.resolve("garbage.arrow");
    byte[] noise = new byte[4096];
    new Random(5).nextBytes(noise);
    Files.write(garbage, noise);
    assertThatThrownBy(() -> ArrowIpc.readFile(garbage, allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("garbage.arrow");

    Path empty = dir.resolve("empty.arrow");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> ArrowIpc.readFile(empty, allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("empty.arrow");

    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows(40, 6))) {
      ArrowIpc.writeStream(stream, SCHEMA, List.of(b, b));
    }
    byte[] s = stream.toByteArray();
    assertThatThrownBy(() -> ArrowIpc.readStream(
        new ByteArrayInputStream(Arrays.copyOf(s, s.length - 700)), "cut.arrows", allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("cut.arrows");
    assertThatThrownBy(() -> ArrowIpc.readStream(new ByteArrayInputStream(noise), "noise.arrows", allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("noise.arrows");
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("keep.arrow");
    Files.writeString(target, "old");
    Schema other = Schema.of(Field.of("x", DataType.INT64));
    try (Batch good = Batch.fromRows(allocator, SCHEMA, rows(3, 7));
        Batch wrong = Batch.fromRows(allocator, other, List.of(Row.of(other, 1L)))) {
      assertThatThrownBy(() -> ArrowIpc.writeFile(target, SCHEMA, List.of(good, wrong)))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("differs from the Arrow IPC schema");
    }
    assertThat(Files.readString(target)).isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("keep.arrow");
    }
  }

  @Test
  void filesCarryAStandardFooterThatArrowsOwnReaderParses() throws IOException {
    Path ours = dir.resolve("footer.arrow");
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows(12, 9))) {
      ArrowIpc.writeFile(ours, SCHEMA, List.of(b.slice(0, 5), b.slice(5, 7)));
    }
    // Reading the footer and schema moves bytes through heap buffers only, so it needs no JVM flags.
    try (FileChannel ch = FileChannel.open(ours, StandardOpenOption.READ);
        ArrowFileReader r = new ArrowFileReader(ch, allocator)) {
      assertThat(r.getRecordBlocks()).hasSize(2);
      assertThat(Schema.fromArrow(r.getVectorSchemaRoot().getSchema())).isEqualTo(SCHEMA);
    }
  }

  @Test
  void readOptionsDefaultToOneGibibytePerBatchAndRefuseANonPositiveLimit() {
    assertThat(ArrowReadOptions.defaults().maxBatchBytes()).isEqualTo(1L << 30);
    assertThat(ArrowReadOptions.defaults().withMaxBatchBytes(4096).maxBatchBytes()).isEqualTo(4096);
    assertThatThrownBy(() -> ArrowReadOptions.defaults().withMaxBatchBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBatchBytes must be > 0, got 0");
  }
}
