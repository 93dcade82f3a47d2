package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading behaviour: inference on real and synthetic files, nulls, quoting, layout variants. */
class CsvReaderTest extends AllocatorSupport {
  private static final Path CREDIT = Path.of("../data/credit-g.csv");
  private static final Path HOUSING = Path.of("../data/txhousing.csv");

  @TempDir
  Path dir;

  private CsvTestSupport.ReadResult read(String csv, CsvOptions options) {
    return CsvTestSupport.read(csv, options, allocator);
  }

  @Test
  void infersCreditGTypes() {
    Schema s = CsvReader.inferSchema(CREDIT, CsvOptions.defaults());
    assertThat(s.size()).isEqualTo(21);
    assertThat(s.field("duration").type()).isEqualTo(DataType.FLOAT64);
    assertThat(s.field("credit_amount").type()).isEqualTo(DataType.FLOAT64);
    assertThat(s.field("checking_status").type()).isEqualTo(DataType.STRING);
    assertThat(s.field("class").type()).isEqualTo(DataType.STRING);
    assertThat(s.fields()).allSatisfy(f -> assertThat(f.nullable()).isTrue());
    try (Batch b = CsvReader.readAll(CREDIT, CsvOptions.defaults(), allocator)) {
      assertThat(b.rowCount()).isEqualTo(1000);
      assertThat(b.schema()).isEqualTo(s);
      assertThat(b.row(0).getDouble("duration")).isEqualTo(6.0);
      assertThat(b.row(0).getString("checking_status")).isEqualTo("<0");
      assertThat(b.row(999).getString("class")).isEqualTo("good");
    }
  }

  @Test
  void infersTxHousingTypesWithNaAsMissing() {
    CsvOptions na = CsvOptions.builder().nullTokens("", "NA").batchSize(1000).build();
    try (CsvReader r = CsvReader.open(HOUSING, na, allocator)) {
      Schema s = r.schema();
      assertThat(s.field("city").type()).isEqualTo(DataType.STRING);
      assertThat(s.field("year").type()).isEqualTo(DataType.INT64);
      assertThat(s.field("month").type()).isEqualTo(DataType.INT64);
      assertThat(s.field("sales").type()).isEqualTo(DataType.INT64);
      assertThat(s.field("inventory").type()).isEqualTo(DataType.FLOAT64);
      assertThat(s.field("date").type()).isEqualTo(DataType.FLOAT64);
      long rows = 0;
      long nullSales = 0;
      long nullListings = 0;
      int batches = 0;
      for (Batch next = r.nextBatch(); next != null; next = r.nextBatch()) {
        try (Batch b = next) {
          batches++;
          rows += b.rowCount();
          for (int i = 0; i < b.rowCount(); i++) {
            nullSales += b.isNull(s.indexOf("sales"), i) ? 1 : 0;
            nullListings += b.isNull(s.indexOf("listings"), i) ? 1 : 0;
          }
        }
      }
      assertThat(rows).isEqualTo(8602);
      assertThat(batches).isEqualTo(9);
      assertThat(nullSales).isEqualTo(568);
      assertThat(nullListings).isEqualTo(1424);
      assertThat(r.report()).isEqualTo(new CsvReadReport(8602, 0, List.of()));
    }
  }

  @Test
  void txHousingWithDefaultNullTokensSkipsTheNaLinesAfterTheSample() {
    CsvOptions skip = CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).build();
    try (CsvReader r = CsvReader.open(HOUSING, skip, allocator)) {
      // NA occurs in listings and inventory within the first 1000 rows, so they are strings...
      assertThat(r.schema().field("listings").type()).isEqualTo(DataType.STRING);
      // ...but only after them in sales, volume and median, which are int64: those lines are bad.
      assertThat(r.schema().field("sales").type()).isEqualTo(DataType.INT64);
      long rows = 0;
      for (Batch next = r.nextBatch(); next != null; next = r.nextBatch()) {
        try (Batch b = next) {
          rows += b.rowCount();
        }
      }
      assertThat(rows).isEqualTo(8602 - 617);
      assertThat(r.report().rowsSkipped()).isEqualTo(617);
      assertThat(r.report().badLines().get(0).line()).isEqualTo(1145);
      assertThat(r.report().badLines().get(0).reason()).contains("column 'sales'", "'NA'", "int64");
    }
  }

  @Test
  void infersEveryScalarType() {
    String csv = "b,i,f,t,d,s,n\n"
        + "true,1,1.5,2024-01-02T03:04:05Z,2024-01-02,x,\n"
        + "FALSE,-2,NaN,2024-01-02T03:04:05.123456Z,2024-02-29,7,\n"
        + "True,3,-Infinity,2024-01-02T03:04:05,1999-12-31,,\n"
        + ",9223372036854775807,inf,2024-01-02 03:04:05.5+02:00,0001-01-01,y,\n"
        + "false,0,-0.0,,,z,\n"
        + "true,5,7,2024-01-02T03:04,2024-01-02,1.5,\n";
    CsvTestSupport.ReadResult r = read(csv, CsvOptions.defaults());
    Schema s = r.schema();
    assertThat(s.fields()).extracting(Field::type).containsExactly(DataType.BOOLEAN, DataType.INT64,
        DataType.FLOAT64, DataType.TIMESTAMP, DataType.TIMESTAMP, DataType.STRING, DataType.STRING);
    assertThat(r.rows().get(1).getDouble("f")).isNaN();
    assertThat(r.rows().get(2).getDouble("f")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.rows().get(3).getDouble("f")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(r.rows().get(4).get("f")).isEqualTo(-0.0);
    assertThat(r.rows().get(1).getInstant(3)).isEqualTo(Instant.parse("2024-01-02T03:04:05.123456Z"));
    assertThat(r.rows().get(2).getInstant(3)).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    assertThat(r.rows().get(3).getInstant(3)).isEqualTo(Instant.parse("2024-01-02T01:04:05.5Z"));
    assertThat(r.rows().get(5).getInstant(3)).isEqualTo(Instant.parse("2024-01-02T03:04:00Z"));
    assertThat(r.rows().get(1).getInstant(4)).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    assertThat(r.rows().get(3).getInstant(4)).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    assertThat(r.rows().get(3).getLong("i")).isEqualTo(Long.MAX_VALUE);
    assertThat(r.rows().get(3).isNull("b")).isTrue();
    assertThat(r.rows()).allSatisfy(row -> assertThat(row.isNull("n")).isTrue());
  }

  @Test
  void integersBeyondInt64AreFloat64OnlyWhereFloat64HoldsThemExactly() {
    CsvTestSupport.ReadResult rounds = read("x\n1\n99999999999999999999\n", CsvOptions.defaults());
    assertThat(rounds.schema().field("x").type()).isEqualTo(DataType.STRING);
    assertThat(rounds.rows().get(1).getString("x")).isEqualTo("99999999999999999999");
    CsvTestSupport.ReadResult exact = read("x\n1\n100000000000000000000\n-9223372036854775809.5\n", CsvOptions.defaults());
    assertThat(exact.schema().field("x").type()).isEqualTo(DataType.FLOAT64);
    assertThat(exact.rows().get(1).getDouble("x")).isEqualTo(1e20);
  }

  @Test
  void inferenceNeverTruncatesATimestampOrReadsAnOutOfRangeNumber() {
    CsvTestSupport.ReadResult r = read("t,x,ok\n2024-01-01T00:00:00.123456789Z,1e400,2024-01-01T00:00:00.123456000Z\n"
        + "2024-01-02,1,2024-01-02\n", CsvOptions.defaults());
    assertThat(r.schema().fields()).extracting(Field::type)
        .containsExactly(DataType.STRING, DataType.STRING, DataType.TIMESTAMP);
    assertThat(r.rows().get(0).getString("t")).isEqualTo("2024-01-01T00:00:00.123456789Z");
    assertThat(r.rows().get(0).getString("x")).isEqualTo("1e400");
    assertThat(r.rows().get(0).getInstant(2)).isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
  }

  @Test
  void quotedLineBreaksNeedAMultiLineColumnOrALimit() {
    String csv = "a,b\n1,\"x\ny\"\n2,z\n";
    Schema s = Schema.of(Field.of("a", DataType.INT64), Field.of("b", DataType.STRING));
    List<Row> expected = List.of(Row.of(s, 1L, "x\ny"), Row.of(s, 2L, "z"));
    assertThatThrownBy(() -> read(csv, CsvOptions.defaults()))
        .hasMessageContaining("test.csv:2, column 'b': a quoted field opened at line 2 holds a line break");
    assertThat(read(csv, CsvOptions.builder().multiLineColumns("b").build()).rows()).isEqualTo(expected);
    assertThat(read(csv, CsvOptions.builder().maxLineBreaksPerField(1).build()).rows()).isEqualTo(expected);
    // a given schema's string columns are multi-line unless multiLineColumns says otherwise
    assertThat(read(csv, CsvOptions.builder().schema(s).build()).rows()).isEqualTo(expected);
    assertThatThrownBy(() -> read(csv, CsvOptions.builder().schema(s).multiLineColumns().build()))
        .hasMessageContaining("test.csv:2, column 'b'").hasMessageContaining("holds a line break");
    assertThatThrownBy(() -> read("a,b\n\"1\n\",x\n", CsvOptions.builder().schema(s).build()))
        .as("an int64 column of a given schema is not multi-line")
        .hasMessageContaining("test.csv:2, column 'a'").hasMessageContaining("holds a line break");
  }

  @Test
  void withoutAHeaderMultiLineColumnsUseTheGeneratedNames() {
    CsvOptions noHeader = CsvOptions.builder().header(false).multiLineColumns("column2").build();
    CsvTestSupport.ReadResult r = read("1,\"x\r\ny\"\n2,z\n", noHeader);
    assertThat(r.rows()).extracting(row -> row.getString("column2")).containsExactly("x\r\ny", "z");
    assertThatThrownBy(() -> read("1,x\n", noHeader.toBuilder().multiLineColumns("column3").build()))
        .hasMessageContaining("CsvOptions.multiLineColumns names 'column3', which is not a column of the file");
    assertThatThrownBy(() -> read("1,x\n", noHeader.toBuilder().multiLineColumns("notes").build()))
        .hasMessageContaining("CsvOptions.multiLineColumns names 'notes'");
  }

  @Test
  void onlyOneLeadingByteOrderMarkIsDropped() {
    CsvTestSupport.ReadResult r = read("\uFEFF\uFEFFa,b\n1,\uFEFFx\n", CsvOptions.defaults());
    assertThat(r.schema().names()).containsExactly("\uFEFFa", "b");
    assertThat(r.rows().get(0).getString("b")).isEqualTo("\uFEFFx");
  }

  @Test
  void quotedEmptyIsAnEmptyStringAndUnquotedEmptyIsNull() {
    Schema s = Schema.of(Field.of("a", DataType.STRING), Field.of("b", DataType.STRING));
    CsvTestSupport.ReadResult r = read("a,b\n\"\",\n,\"\"\nNA,\"NA\"\n", CsvOptions.builder().schema(s).build());
    assertThat(r.rows()).containsExactly(Row.of(s, "", null), Row.of(s, null, ""), Row.of(s, "NA", "NA"));
    CsvTestSupport.ReadResult na =
        read("a,b\n\"\",\n,\"\"\nNA,\"NA\"\n", CsvOptions.builder().schema(s).nullTokens("NA").build());
    assertThat(na.rows()).containsExactly(Row.of(s, "", ""), Row.of(s, "", ""), Row.of(s, null, "NA"));
  }

  @Test
  void givenSchemaColumnsMayComeInAnyOrder() {
    Schema s = Schema.of(Field.of("id", DataType.INT64), Field.of("name", DataType.STRING),
        Field.of("score", DataType.FLOAT64));
    CsvTestSupport.ReadResult r =
        read("score,name,id\n0.5,ann,1\n1e3,\"b,ob\",2\n", CsvOptions.builder().schema(s).build());
    assertThat(r.schema()).isEqualTo(s);
    assertThat(r.rows()).containsExactly(Row.of(s, 1L, "ann", 0.5), Row.of(s, 2L, "b,ob", 1000.0));
  }

  @Test
  void readsWithoutAHeader() {
    CsvTestSupport.ReadResult inferred = read("1,x\n2,y\n", CsvOptions.builder().header(false).build());
    assertThat(inferred.schema().names()).containsExactly("column1", "column2");
    assertThat(inferred.rows()).hasSize(2);
    Schema s = Schema.of(Field.of("n", DataType.INT64), Field.of("s", DataType.STRING));
    CsvTestSupport.ReadResult given = read("1,x\n2,y\n", CsvOptions.builder().header(false).schema(s).build());
    assertThat(given.rows()).containsExactly(Row.of(s, 1L, "x"), Row.of(s, 2L, "y"));
  }

  @Test
  void handlesBomCrlfBlankLinesOtherDelimitersAndQuotes() {
    String csv = "\uFEFFa;b\r\n1;'x;y'\r\n\r\n2;'it''s'\r\n\n";
    CsvOptions o = CsvOptions.builder().delimiter(';').quote('\'').build();
    CsvTestSupport.ReadResult r = read(csv, o);
    assertThat(r.schema().names()).containsExactly("a", "b");
    assertThat(r.rows()).extracting(row -> row.getString("b")).containsExactly("x;y", "it's");
    assertThat(r.report().rowsSkipped()).isZero();
  }

  @Test
  void aBlankLineInAOneColumnFileIsAnEmptyField() {
    Schema s = Schema.of(Field.of("v", DataType.STRING));
    CsvTestSupport.ReadResult r = read("v\na\n\n\"\"\nb\n\n", CsvOptions.builder().schema(s).build());
    assertThat(r.rows()).containsExactly(Row.of(s, "a"), Row.of(s, (Object) null), Row.of(s, ""), Row.of(s, "b"),
        Row.of(s, (Object) null));
  }

  @Test
  void inferSchemaReadsOnlyTheSample() throws IOException {
    Path p = dir.resolve("head.csv");
    Files.writeString(p, "a,b\n1,x\n2,y\nbroken\n");
    assertThat(CsvReader.inferSchema(p, CsvOptions.builder().inferenceRows(2).build()))
        .isEqualTo(Schema.of(Field.of("a", DataType.INT64), Field.of("b", DataType.STRING)));
  }

  @Test
  void sampleRowsAreReplayedAcrossBatchesInOrder() {
    StringBuilder sb = new StringBuilder("i,s\n");
    for (int i = 0; i < 50; i++) {
      sb.append(i).append(",v").append(i).append('\n');
    }
    CsvOptions o = CsvOptions.builder().inferenceRows(20).batchSize(6).build();
    CsvTestSupport.ReadResult r = read(sb.toString(), o);
    assertThat(r.batches()).isEqualTo(9);
    assertThat(r.rows()).extracting(row -> row.getLong("i")).containsExactlyElementsOf(
        java.util.stream.LongStream.range(0, 50).boxed().toList());
    assertThat(r.report().rowsRead()).isEqualTo(50);
  }

  @Test
  void readsFromAStreamAndReportsTheSourceName() {
    byte[] csv = "a\n1\nx\n".getBytes(StandardCharsets.UTF_8);
    CsvOptions o = CsvOptions.builder().inferenceRows(1).build();
    try (CsvReader r = CsvReader.open(new ByteArrayInputStream(csv), "s3://bucket/key.csv", o, allocator)) {
      assertThatThrownBy(r::nextBatch).hasMessageStartingWith("s3://bucket/key.csv:3, column 'a': cannot parse 'x'");
    }
  }

  @Test
  void optionsRejectSettingsThatCannotWork() {
    assertThatThrownBy(() -> CsvOptions.builder().delimiter('"').build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delimiter and quote must differ");
    assertThatThrownBy(() -> CsvOptions.builder().batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be > 0, got 0");
    assertThatThrownBy(() -> CsvOptions.builder().nullTokens("a,b").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null token 'a,b'");
    assertThatThrownBy(() -> CsvOptions.builder().delimiter('\n'))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    assertThat(CsvOptions.defaults().toBuilder().build()).isEqualTo(CsvOptions.defaults());
    assertThat(CsvOptions.defaults().maxFieldChars()).isEqualTo(16 * 1024 * 1024);
    assertThat(CsvOptions.defaults().nullTokens()).containsExactly("");
    assertThatThrownBy(() -> CsvOptions.builder().quote('\uDFFF'))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quote must not be a surrogate char, got U+DFFF");
    assertThatThrownBy(() -> CsvOptions.builder().maxColumns(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxColumns must be > 0, got 0");
    assertThatThrownBy(() -> CsvOptions.builder().maxLineBreaksPerField(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineBreaksPerField must be >= 0");
    assertThat(CsvOptions.defaults().maxColumns()).isEqualTo(16_384);
    assertThat(CsvOptions.defaults().maxLineBreaksPerField()).isZero();
    assertThat(CsvOptions.defaults().multiLineColumns()).isNull();
    CsvOptions multi = CsvOptions.builder().multiLineColumns("b", "a").build();
    assertThat(multi.multiLineColumns()).containsExactlyInAnyOrder("a", "b");
    assertThat(multi.toBuilder().build()).isEqualTo(multi);
  }

  @Test
  void lineOfTracesEveryRowOfEachBatchToItsFirstLineAcrossSkippedAndMultiLineRecords() throws Exception {
    // line 1 header; 2 ok; 3 bad (2 fields); 4-5 one record with a quoted line break; 6 blank; 7 ok;
    // 8 ok; 9 bad; 10 ok
    java.nio.file.Path p = dir.resolve("lines.csv");
    java.nio.file.Files.writeString(p, "a,b,c\n1,x,p\n2,y\n3,\"two\nlines\",q\n\n4,z,r\n5,w,s\n6\n7,v,t\n");
    CsvOptions o = CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).batchSize(2).multiLineColumns("b")
        .inferenceRows(2).build();
    java.util.List<Long> lines = new java.util.ArrayList<>();
    java.util.List<Long> ids = new java.util.ArrayList<>();
    try (CsvReader r = CsvReader.open(p, o, allocator)) {
      dev.mlops.core.Batch b;
      while ((b = r.nextBatch()) != null) {
        try (dev.mlops.core.Batch batch = b) {
          for (int i = 0; i < batch.rowCount(); i++) {
            lines.add(r.lineOf(i));
            ids.add(batch.getLong(0, i));
          }
          int n = batch.rowCount();
          assertThatThrownBy(() -> r.lineOf(n)).isInstanceOf(IndexOutOfBoundsException.class)
              .hasMessageContaining("row " + n + " is not in the last batch");
        }
      }
      assertThat(r.report().rowsSkipped()).isEqualTo(2);
    }
    assertThat(ids).containsExactly(1L, 3L, 4L, 5L, 7L);
    assertThat(lines).containsExactly(2L, 4L, 7L, 8L, 10L);
  }
}
