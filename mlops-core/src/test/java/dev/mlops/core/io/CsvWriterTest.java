package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact CSV text written, and atomic replacement of files. */
class CsvWriterTest extends AllocatorSupport {
  private static final Schema SCHEMA = Schema.of(Field.of("b", DataType.BOOLEAN), Field.of("i", DataType.INT64),
      Field.of("d", DataType.FLOAT64), Field.of("f", DataType.FLOAT32), Field.of("s", DataType.STRING),
      Field.of("t", DataType.TIMESTAMP));

  @TempDir
  Path dir;

  @Test
  void writesNullsEmptyStringsSpecialDoublesAndInstants() {
    List<Row> rows = List.of(
        Row.of(SCHEMA, true, 1L, Double.NaN, 1.5f, "", Instant.parse("2024-01-02T03:04:05Z")),
        Row.of(SCHEMA, null, null, null, null, null, null),
        Row.of(SCHEMA, false, -1L, -0.0, Float.NEGATIVE_INFINITY, "a,\"b\"\nc",
            Instant.parse("1969-12-31T23:59:59.999999Z")),
        Row.of(SCHEMA, false, 0L, Double.POSITIVE_INFINITY, 0f, "", Instant.parse("+12345-01-01T00:00:00.5Z")));
    String csv = CsvTestSupport.write(SCHEMA, rows, CsvOptions.defaults(), allocator);
    assertThat(csv).isEqualTo("b,i,d,f,s,t\r\n"
        + "true,1,NaN,1.5,\"\",2024-01-02T03:04:05Z\r\n"
        + ",,,,,\r\n"
        + "false,-1,-0.0,-Infinity,\"a,\"\"b\"\"\nc\",1969-12-31T23:59:59.999999Z\r\n"
        + "false,0,Infinity,0.0,\"\",+12345-01-01T00:00:00.500Z\r\n");
    assertThat(CsvTestSupport.read(csv, CsvOptions.builder().schema(SCHEMA).build(), allocator).rows()).isEqualTo(rows);
  }

  @Test
  void stringsEqualToANullTokenAreQuoted() {
    Schema s = Schema.of(Field.of("s", DataType.STRING), Field.of("n", DataType.INT64));
    List<Row> rows = List.of(Row.of(s, "NA", null), Row.of(s, null, 3L));
    CsvOptions na = CsvOptions.builder().nullTokens("", "NA").delimiter('\t').build();
    String csv = CsvTestSupport.write(s, rows, na, allocator);
    assertThat(csv).isEqualTo("s\tn\r\n\"NA\"\t\r\n\t3\r\n");
    assertThat(CsvTestSupport.read(csv, na.toBuilder().schema(s).build(), allocator).rows()).isEqualTo(rows);
  }

  @Test
  void writesFilesAtomicallyAndLeavesTheOldFileWhenWritingFails() throws IOException {
    Path target = dir.resolve("out.csv");
    List<Row> rows = List.of(Row.of(SCHEMA, true, 1L, 2.0, 3f, "x", Instant.EPOCH));
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      CsvWriter.write(target, b, CsvOptions.defaults());
      String first = Files.readString(target);
      Path plain = Files.createFile(dir.resolve("plain.txt"));
      assertThat(Files.getPosixFilePermissions(target)).as("same permissions as any new file")
          .isEqualTo(Files.getPosixFilePermissions(plain));
      Files.delete(plain);
      assertThat(first).startsWith("b,i,d,f,s,t\r\n").endsWith("x,1970-01-01T00:00:00Z\r\n");
      Iterable<Batch> failing = () -> new Iterator<>() {
        private int n;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Batch next() {
          if (n++ == 3) {
            throw new IllegalStateException("upstream failed");
          }
          return b;
        }
      };
      assertThatThrownBy(() -> CsvWriter.write(target, SCHEMA, failing, CsvOptions.defaults()))
          .isInstanceOf(IllegalStateException.class).hasMessage("upstream failed");
      assertThat(Files.readString(target)).isEqualTo(first);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("out.csv");
    }
    try (Batch back = CsvReader.readAll(target, CsvOptions.builder().schema(SCHEMA).build(), allocator)) {
      assertThat(back.toRows()).isEqualTo(rows);
    }
  }

  @Test
  void aHeaderOrFirstValueStartingWithAByteOrderMarkRoundTripsExactly() {
    Schema s = Schema.of(Field.of("\uFEFFa", DataType.STRING), Field.of("b", DataType.STRING));
    List<Row> rows = List.of(Row.of(s, "\uFEFFx", "\uFEFF"), Row.of(s, "y", "\uFEFF\uFEFFz"));
    String csv = CsvTestSupport.write(s, rows, CsvOptions.defaults(), allocator);
    CsvTestSupport.ReadResult back = CsvTestSupport.read(csv, CsvOptions.defaults(), allocator);
    assertThat(back.schema()).isEqualTo(s);
    assertThat(back.rows()).isEqualTo(rows);
    CsvOptions noHeader = CsvOptions.builder().header(false).schema(s).build();
    String data = CsvTestSupport.write(s, rows, noHeader, allocator);
    assertThat(CsvTestSupport.read(data, noHeader, allocator).rows()).isEqualTo(rows);
  }

  @Test
  void rejectsBatchesOfAnotherSchema() {
    Schema other = Schema.of(Field.of("x", DataType.INT64));
    try (Batch b = Batch.fromRows(allocator, other, List.of(Row.of(other, 1L)))) {
      assertThatThrownBy(() -> CsvWriter.write(dir.resolve("x.csv"), SCHEMA, List.of(b), CsvOptions.defaults()))
          .isInstanceOf(dev.mlops.core.SchemaMismatchException.class)
          .hasMessageContaining("differs from the CSV schema");
    }
    assertThat(dir.resolve("x.csv")).doesNotExist();
  }
}
