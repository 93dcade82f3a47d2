package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad CSV input: each problem fails with file, line and column, or is skipped and counted exactly. */
class CsvBadInputTest extends AllocatorSupport {
  private static final Schema ABC = Schema.of(
      Field.of("a", DataType.INT64), Field.of("b", DataType.FLOAT64), Field.of("c", DataType.STRING));

  @TempDir
  Path dir;

  private Path file(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  private Path file(String name, String content) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static CsvOptions opts(BadLinePolicy policy) {
    return CsvOptions.builder().badLinePolicy(policy).build();
  }

  private CsvTestSupport.ReadResult readFile(Path p, CsvOptions options) {
    try (CsvReader r = CsvReader.open(p, options, allocator)) {
      return CsvTestSupport.readAll(r);
    }
  }

  @ParameterizedTest
  @EnumSource(BadLinePolicy.class)
  void emptyFileFailsUnderEveryPolicy(BadLinePolicy policy) throws IOException {
    Path p = file("empty.csv", "");
    assertThatThrownBy(() -> readFile(p, opts(policy)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("empty.csv:1")
        .hasMessageContaining("header row");
    assertThatThrownBy(() -> readFile(p, opts(policy).toBuilder().schema(ABC).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("empty.csv:1");
  }

  @Test
  void emptyFileWithoutHeaderIsZeroRowsWithAGivenSchemaAndAnErrorWhenInferring() throws IOException {
    Path p = file("empty.csv", "");
    CsvOptions noHeader = CsvOptions.builder().header(false).build();
    assertThat(readFile(p, noHeader.toBuilder().schema(ABC).build()).rows()).isEmpty();
    assertThatThrownBy(() -> readFile(p, noHeader))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("empty.csv")
        .hasMessageContaining("no schema can be inferred");
  }

  @ParameterizedTest
  @EnumSource(BadLinePolicy.class)
  void headerOnlyIsZeroRowsWithAllStringColumnsWhenInferred(BadLinePolicy policy) throws IOException {
    Path p = file("header.csv", "a,b,c\n");
    CsvTestSupport.ReadResult inferred = readFile(p, opts(policy));
    assertThat(inferred.rows()).isEmpty();
    assertThat(inferred.batches()).isZero();
    assertThat(inferred.schema()).isEqualTo(Schema.of(
        Field.of("a", DataType.STRING), Field.of("b", DataType.STRING), Field.of("c", DataType.STRING)));
    CsvTestSupport.ReadResult given = readFile(p, opts(policy).toBuilder().schema(ABC).build());
    assertThat(given.schema()).isEqualTo(ABC);
    assertThat(given.rows()).isEmpty();
    try (Batch all = CsvReader.readAll(p, opts(policy).toBuilder().schema(ABC).build(), allocator)) {
      assertThat(all.rowCount()).isZero();
      assertThat(all.schema()).isEqualTo(ABC);
    }
  }

  @Test
  void raggedRowFailsWithExpectedAndActualCounts() throws IOException {
    Path p = file("ragged.csv", "a,b,c\n1,2.0,x\n3,4.0\n");
    assertThatThrownBy(() -> readFile(p, opts(BadLinePolicy.FAIL)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ragged.csv:3")
        .hasMessageContaining("expected 3 fields")
        .hasMessageContaining("found 2")
        .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(3));
  }

  @Test
  void raggedRowsAreSkippedAndCountedExactly() throws IOException {
    StringBuilder sb = new StringBuilder("a,b,c\n");
    List<Long> badLines = new ArrayList<>();
    int good = 0;
    for (int i = 0; i < 40; i++) {
      long line = i + 2;
      if (i % 7 == 3) {
        sb.append(i).append(",1.0,x,extra\n");
        badLines.add(line);
      } else if (i % 11 == 5) {
        sb.append(i).append('\n');
        badLines.add(line);
      } else {
        sb.append(i).append(",1.5,s").append(i).append('\n');
        good++;
      }
    }
    Path p = file("ragged.csv", sb.toString());
    for (CsvOptions o : List.of(opts(BadLinePolicy.SKIP), opts(BadLinePolicy.SKIP).toBuilder().schema(ABC).build(),
        opts(BadLinePolicy.SKIP).toBuilder().batchSize(3).inferenceRows(5).build())) {
      CsvTestSupport.ReadResult r = readFile(p, o);
      assertThat(r.rows()).hasSize(good);
      assertThat(r.report().rowsRead()).isEqualTo(good);
      assertThat(r.report().rowsSkipped()).isEqualTo(badLines.size());
      assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactlyElementsOf(badLines);
      assertThat(r.report().badLines().get(0).reason()).contains("expected 3 fields", "found 4");
      assertThat(r.rows().get(0)).isEqualTo(Row.of(r.schema(), 0L, 1.5, "s0"));
    }
  }

  @Test
  void unparseableNumberUnderAGivenSchemaNamesLineColumnValueAndType() throws IOException {
    Path p = file("numbers.csv", "a,b,c\n1,2.0,x\n2,abc,y\n");
    assertThatThrownBy(() -> readFile(p, opts(BadLinePolicy.FAIL).toBuilder().schema(ABC).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("numbers.csv:3")
        .hasMessageContaining("column 'b'")
        .hasMessageContaining("'abc'")
        .hasMessageContaining("float64")
        .satisfies(e -> assertThat(((DataFormatException) e).column()).isEqualTo("b"));
  }

  @Test
  void longBadValuesAreTruncatedInMessages() throws IOException {
    String longValue = "9".repeat(30) + "x".repeat(70);
    Path p = file("long.csv", "a,b,c\n" + longValue + ",1.0,z\n");
    assertThatThrownBy(() -> readFile(p, opts(BadLinePolicy.FAIL).toBuilder().schema(ABC).build()))
        .hasMessageContaining("long.csv:2")
        .hasMessageContaining("column 'a'")
        .hasMessageContaining("(100 chars)")
        .hasMessageContaining("int64")
        .hasMessageNotContaining(longValue);
  }

  @Test
  void unparseableValuesAreSkippedAndCountedExactly() throws IOException {
    Path p = file("numbers.csv", "c,b,a\nx,2.0,1\ny,abc,2\nz,3.5,9223372036854775808\nw,-0.0,-9223372036854775808\n");
    CsvTestSupport.ReadResult r = readFile(p, opts(BadLinePolicy.SKIP).toBuilder().schema(ABC).build());
    assertThat(r.rows()).containsExactly(Row.of(ABC, 1L, 2.0, "x"), Row.of(ABC, Long.MIN_VALUE, -0.0, "w"));
    assertThat(r.report().rowsSkipped()).isEqualTo(2);
    assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(3L, 4L);
    assertThat(r.report().badLines().get(0).reason()).contains("column 'b'", "'abc'", "float64");
    assertThat(r.report().badLines().get(1).reason()).contains("column 'a'", "int64");
  }

  @Test
  void aValueThatBreaksTheInferredTypeAfterTheSampleIsABadLine() throws IOException {
    Path p = file("late.csv", "n,s\n1,a\n2,b\n3,c\nfour,d\n5,e\n");
    CsvOptions sampleTwo = CsvOptions.builder().inferenceRows(2).build();
    assertThatThrownBy(() -> readFile(p, sampleTwo))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("late.csv:5")
        .hasMessageContaining("column 'n'")
        .hasMessageContaining("'four'")
        .hasMessageContaining("int64");
    CsvTestSupport.ReadResult r = readFile(p, sampleTwo.toBuilder().badLinePolicy(BadLinePolicy.SKIP).build());
    assertThat(r.schema().field("n").type()).isEqualTo(DataType.INT64);
    assertThat(r.rows()).extracting(row -> row.getLong("n")).containsExactly(1L, 2L, 3L, 5L);
    assertThat(r.report().rowsSkipped()).isEqualTo(1);
    assertThat(r.report().badLines().get(0).line()).isEqualTo(5);
  }

  @Test
  void invalidUtf8FailsWithLineColumnAndByteOffset() throws IOException {
    byte[] head = "a,b,c\n1,2.0,ok\n3,4.0,ab".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head);
    out.write(0xFF);
    out.writeBytes("cd\n5,6.0,fine\n".getBytes(StandardCharsets.UTF_8));
    Path p = file("latin.csv", out.toByteArray());
    assertThatThrownBy(() -> readFile(p, opts(BadLinePolicy.FAIL)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("latin.csv:3")
        .hasMessageContaining("column 'c'")
        .hasMessageContaining("invalid UTF-8 at byte offset " + head.length);
  }

  @Test
  void invalidUtf8LinesAreSkippedAndTheReaderResynchronises() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("a,b,c\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes("1,2.0,é\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes("2,".getBytes(StandardCharsets.UTF_8));
    out.write(0xC3); // lead byte without continuation
    out.writeBytes(",x\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes("3,1.0,\"multi\nline ".getBytes(StandardCharsets.UTF_8));
    out.write(0xE2);
    out.write(0x28); // bad continuation inside a quoted multi-line field
    out.writeBytes("\"\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes("4,8.0,中文😀\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes("5,9.0,".getBytes(StandardCharsets.UTF_8));
    out.write(0xF0);
    out.write(0x9F); // truncated 4-byte sequence at the end of input
    Path p = file("mixed.csv", out.toByteArray());
    // column c holds a line break: a string column of a given schema may, an inferred one must be named
    for (CsvOptions o : List.of(opts(BadLinePolicy.SKIP).toBuilder().multiLineColumns("c").build(),
        opts(BadLinePolicy.SKIP).toBuilder().schema(ABC).build())) {
      CsvTestSupport.ReadResult r = readFile(p, o);
      assertThat(r.rows()).extracting(row -> row.getString("c")).containsExactly("é", "中文😀");
      assertThat(r.report().rowsSkipped()).isEqualTo(3);
      assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(3L, 4L, 7L);
      assertThat(r.report().badLines()).allSatisfy(b -> assertThat(b.reason()).contains("invalid UTF-8"));
      assertThat(r.report().badLines().get(0).reason()).contains("column 'b'");
    }
  }

  @ParameterizedTest
  @EnumSource(BadLinePolicy.class)
  void invalidUtf8InTheHeaderAlwaysFails(BadLinePolicy policy) throws IOException {
    Path p = file("head.csv", new byte[] {'a', ',', (byte) 0xFE, '\n', '1', ',', '2', '\n'});
    assertThatThrownBy(() -> readFile(p, opts(policy)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("head.csv:1")
        .hasMessageContaining("invalid UTF-8 at byte offset 2");
  }

  @ParameterizedTest
  @EnumSource(BadLinePolicy.class)
  void duplicateColumnNamesFailUnderEveryPolicy(BadLinePolicy policy) throws IOException {
    Path p = file("dup.csv", "a,b,a\n1,2,3\n");
    assertThatThrownBy(() -> readFile(p, opts(policy)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("dup.csv:1")
        .hasMessageContaining("duplicate column name 'a'")
        .hasMessageContaining("columns 1 and 3");
    assertThatThrownBy(() -> readFile(p, opts(policy).toBuilder().schema(ABC).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("duplicate column name 'a'");
  }

  @Test
  void headerMustNameExactlyTheGivenSchemaColumns() throws IOException {
    CsvOptions o = CsvOptions.builder().schema(ABC).build();
    assertThatThrownBy(() -> readFile(file("missing.csv", "a,b\n1,2\n"), o))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("missing.csv:1")
        .hasMessageContaining("schema column 'c' is missing from the header");
    assertThatThrownBy(() -> readFile(file("extra.csv", "a,b,c,d\n1,2,x,y\n"), o))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("extra.csv:1")
        .hasMessageContaining("header column 'd' is not in the given schema");
    assertThatThrownBy(() -> readFile(file("blank.csv", "a,,c\n1,2,x\n"), CsvOptions.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("header column 2 has an empty name");
  }

  @Test
  void aTenMegabyteFieldReadsFineByDefault() throws IOException {
    String big = "x".repeat(5_000_000) + "é".repeat(2_500_000) + "😀".repeat(10);
    Path p = file("big.csv", "id,text\n1,\"" + big + "\"\n2,small\n");
    assertThat(Files.size(p)).isGreaterThan(10_000_000);
    try (Batch b = CsvReader.readAll(p, CsvOptions.defaults(), allocator)) {
      assertThat(b.rowCount()).isEqualTo(2);
      assertThat(b.getString(1, 0)).isEqualTo(big);
      assertThat(b.getString(1, 1)).isEqualTo("small");
    }
  }

  @Test
  void aFieldOverTheLimitIsABadLine() throws IOException {
    Path p = file("limit.csv", "a,b,c\n1,2.0,short\n2,3.0," + "y".repeat(500) + "\n3,4.0,ok\n");
    CsvOptions limited = CsvOptions.builder().maxFieldChars(100).schema(ABC).build();
    assertThatThrownBy(() -> readFile(p, limited))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("limit.csv:3")
        .hasMessageContaining("column 'c'")
        .hasMessageContaining("500 chars exceeds CsvOptions.maxFieldChars=100");
    CsvTestSupport.ReadResult r = readFile(p, limited.toBuilder().badLinePolicy(BadLinePolicy.SKIP).build());
    assertThat(r.rows()).extracting(row -> row.getString("c")).containsExactly("short", "ok");
    assertThat(r.report().rowsSkipped()).isEqualTo(1);
    assertThat(r.report().badLines().get(0).line()).isEqualTo(3);
  }

  @Test
  void aFieldFarOverTheLimitIsSkippedWithoutBeingKept() throws IOException {
    Path p = file("huge.csv", "a,b,c\n1,2.0,\"" + "z".repeat(200_000) + "\"\n2,3.0," + "y".repeat(300_000) + "\n3,4.0,ok\n");
    CsvOptions limited = CsvOptions.builder().maxFieldChars(10).schema(ABC).badLinePolicy(BadLinePolicy.SKIP).build();
    CsvTestSupport.ReadResult r = readFile(p, limited);
    assertThat(r.rows()).containsExactly(Row.of(ABC, 3L, 4.0, "ok"));
    assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(2L, 3L);
    assertThat(r.report().badLines()).allSatisfy(b -> assertThat(b.reason()).contains("exceeds CsvOptions.maxFieldChars=10"));
    assertThat(r.report().badLines().get(0).reason()).contains("field of 200000 chars");
    assertThat(r.report().badLines().get(1).reason()).contains("field of 300000 chars");
    assertThatThrownBy(() -> readFile(p, limited.toBuilder().badLinePolicy(BadLinePolicy.FAIL).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("huge.csv:2")
        .hasMessageContaining("maxFieldChars=10");
  }

  @Test
  void missingValueInANonNullableColumnIsABadLine() throws IOException {
    Schema strict = Schema.of(new Field("id", DataType.INT64, false, Role.ID), Field.of("v", DataType.STRING));
    Path p = file("ids.csv", "id,v\n1,a\n,b\n3,\n");
    assertThatThrownBy(() -> readFile(p, CsvOptions.builder().schema(strict).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ids.csv:3")
        .hasMessageContaining("column 'id'")
        .hasMessageContaining("non-nullable");
    CsvTestSupport.ReadResult r =
        readFile(p, CsvOptions.builder().schema(strict).badLinePolicy(BadLinePolicy.SKIP).build());
    assertThat(r.rows()).containsExactly(Row.of(strict, 1L, "a"), Row.of(strict, 3L, null));
  }

  @Test
  void badLineListIsCappedButCountsAreExact() throws IOException {
    StringBuilder sb = new StringBuilder("a,b,c\n");
    for (int i = 0; i < 250; i++) {
      sb.append(i % 2 == 0 ? "1,2.0,x\n" : "bad\n");
    }
    CsvTestSupport.ReadResult r = readFile(file("many.csv", sb.toString()),
        CsvOptions.builder().schema(ABC).badLinePolicy(BadLinePolicy.SKIP).batchSize(16).build());
    assertThat(r.report().rowsRead()).isEqualTo(125);
    assertThat(r.report().rowsSkipped()).isEqualTo(125);
    assertThat(r.report().badLines()).hasSize(CsvReadReport.MAX_BAD_LINES);
    assertThat(r.report().badLines().get(99).line()).isEqualTo(201);
  }

  @Test
  void brokenQuotingIsAnErrorEvenWhenSkipping() throws IOException {
    CsvOptions skip = opts(BadLinePolicy.SKIP);
    assertThatThrownBy(() -> readFile(file("quote.csv", "a,b\n\"x\"y,1\n"), skip))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("quote.csv:2")
        .hasMessageContaining("malformed CSV");
    // a lone CR in a quoted field is a line break, which an inferred column may not hold by default
    assertThatThrownBy(() -> readFile(file("cr.csv", "a,b\n1,\"x\r\"\n2,y\n"), opts(BadLinePolicy.FAIL)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("cr.csv:2")
        .hasMessageContaining("holds a line break");
  }

  @Test
  void tensorColumnsAreRejectedWithAPointerToArrowIpc() throws IOException {
    Schema tensors = Schema.of(Field.of("t", DataType.floatTensor(2, 2)));
    Path p = file("t.csv", "t\n1\n");
    assertThatThrownBy(() -> readFile(p, CsvOptions.builder().schema(tensors).build()))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("tensor column 't'")
        .hasMessageContaining("ArrowIpc");
    assertThatThrownBy(() -> CsvWriter.write(new ByteArrayOutputStream(), tensors, List.of(), CsvOptions.defaults()))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("ArrowIpc");
  }

  @Test
  void aReaderThatFailedRefusesToContinue() throws IOException {
    Path p = file("stop.csv", "a,b,c\n1,2.0,x\nbad\n3,4.0,y\n");
    try (CsvReader r = CsvReader.open(p, CsvOptions.builder().schema(ABC).build(), allocator)) {
      assertThatThrownBy(r::nextBatch).isInstanceOf(DataFormatException.class).hasMessageContaining("stop.csv:3");
      assertThatThrownBy(r::nextBatch).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("BadLinePolicy.SKIP");
    }
  }

  /** The red-team file: a stray quote on the row with id 3, then 96 more rows. */
  private static String strayQuoteFile() {
    StringBuilder sb = new StringBuilder("id,name\n");
    for (int i = 0; i < 100; i++) {
      sb.append(i).append(i == 3 ? ",\"oops\n" : ",n" + i + "\n");
    }
    return sb.toString();
  }

  @Test
  void rejectsQuoteThatRunsToEndOfFileUnderFail() throws IOException {
    Path p = file("stray.csv", strayQuoteFile());
    assertThatThrownBy(() -> CsvReader.readAll(p, opts(BadLinePolicy.FAIL), allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("stray.csv:5")
        .hasMessageContaining("quoted field opened at line 5")
        .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(5));
  }

  @Test
  void skipsTheLineOfAnUnbalancedQuoteUnderSkipAndReadsOn() throws IOException {
    for (String eol : List.of("\n", "\r\n", "\r")) {
      Path p = file("stray.csv", strayQuoteFile().replace("\n", eol));
      try (CsvReader r = CsvReader.open(p, opts(BadLinePolicy.SKIP), allocator)) {
        CsvTestSupport.ReadResult read = CsvTestSupport.readAll(r);
        assertThat(read.report().rowsRead()).as(eol).isEqualTo(99);
        assertThat(read.report().rowsSkipped()).isEqualTo(1);
        assertThat(read.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(5L);
        assertThat(read.report().badLines().get(0).reason())
            .contains("a quoted field opened at line 5 holds a line break", "look for a stray quote at line 5");
        assertThat(read.rows()).extracting(row -> row.getLong(0))
            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 100).filter(i -> i != 3).boxed().toList());
        assertThat(read.rows().get(3).getString(1)).isEqualTo("n4");
      }
    }
  }

  @Test
  void anUnbalancedQuoteStillStopsWhenTheTextAfterItIsBeyondTheReadAheadBound() throws IOException {
    // The read-ahead keeps at most maxFieldChars chars: 96 rows after the quote are more than 50.
    Path p = file("stray.csv", strayQuoteFile());
    CsvOptions small = opts(BadLinePolicy.SKIP).toBuilder().maxFieldChars(50).build();
    assertThatThrownBy(() -> CsvReader.readAll(p, small, allocator)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("quoted field opened at line 5 is never closed");
    // A stray quote near the end is within the bound and skipped.
    Path near = file("near.csv", "id,name\n1,n1\n2,\"oops\n3,n3\n");
    try (CsvReader r = CsvReader.open(near, small, allocator)) {
      CsvTestSupport.ReadResult read = CsvTestSupport.readAll(r);
      assertThat(read.report().rowsRead()).isEqualTo(2);
      assertThat(read.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(3L);
    }
  }

  @Test
  void rejectsQuotedLineBreaksInAColumnThatAllowsNone() throws IOException {
    Path p = file("closed.csv", "id,name\n1,n1\n3,\"oops\n4,n4\n5,n5\"\n6,n6\n");
    assertThatThrownBy(() -> CsvReader.readAll(p, CsvOptions.defaults(), allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("closed.csv:3")
        .hasMessageContaining("quoted field opened at line 3")
        .hasMessageContaining("line break");
  }

  @Test
  void skipAccountsForEveryRecordAfterAQuotedCarriageReturn() throws IOException {
    Path p = file("cr.csv", "a,b\n1,\"x\r\"\n2,y\n3,z\n");
    CsvTestSupport.ReadResult r = readFile(p, opts(BadLinePolicy.SKIP));
    assertThat(r.report().rowsRead() + r.report().rowsSkipped()).as("records in the input").isEqualTo(3);
    assertThat(r.rows()).extracting(row -> row.getLong("a")).containsExactly(2L, 3L);
    assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(2L);
  }

  @Test
  void refusesMoreColumnsThanTheLimitNamingFileCountAndOption() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append(i == 0 ? "" : ",").append('c').append(i);
    }
    sb.append('\n').append("1,".repeat(99_999)).append("1\n").append("2,".repeat(99_999)).append("2\n");
    Path p = file("wide.csv", sb.toString());
    assertThatThrownBy(() -> CsvReader.readAll(p, CsvOptions.defaults(), allocator))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("wide.csv:1")
        .hasMessageContaining("100000 columns")
        .hasMessageContaining("CsvOptions.maxColumns");
  }

  @Test
  void wideFileMemoryScalesWithTheDataNotTheBatchSize() throws IOException {
    int columns = 10_000;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns; i++) {
      sb.append(i == 0 ? "" : ",").append('c').append(i);
    }
    sb.append('\n').append("1.5,".repeat(columns - 1)).append("x\n").append("2,".repeat(columns - 1)).append("y\n");
    Path p = file("wide10k.csv", sb.toString());
    CsvOptions small = CsvOptions.builder().batchSize(16).build();
    heapAllocatedToRead(p, small); // loads the classes, so the two measured reads compare like with like
    long withSmallBatches = heapAllocatedToRead(p, small);
    long withOneBatch = heapAllocatedToRead(p, CsvOptions.defaults());
    // Before: 780 MB for this 119 KB file with one batch (a batch's worth of rows per column), 97 KB/column.
    assertThat(withOneBatch).as("heap bytes allocated to read %d columns x 2 rows as one batch", columns)
        .isLessThan(100L * 1024 * 1024)
        .isLessThan(withSmallBatches * 3 / 2);
  }

  private long heapAllocatedToRead(Path p, CsvOptions options) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try (Batch b = CsvReader.readAll(p, options, allocator)) {
      assertThat(b.rowCount()).isEqualTo(2);
      assertThat(b.schema().size()).isEqualTo(10_000);
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void overflowAndUnderflowToZeroAreParseErrorsNamingLineAndColumn() throws IOException {
    Schema x = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT32));
    for (String[] c : new String[][] {{"1e400", "1"}, {"-1e400", "1"}, {"1e-400", "1"}, {"1", "1e39"},
        {"1", "1e-50"}}) {
      Path p = file("range.csv", "x,y\n1.5,2.5\n" + c[0] + "," + c[1] + "\n");
      String bad = c[0].equals("1") ? c[1] : c[0];
      assertThatThrownBy(() -> readFile(p, CsvOptions.builder().schema(x).build()))
          .as(bad)
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("range.csv:3")
          .hasMessageContaining("column '" + (c[0].equals("1") ? "y" : "x") + "'")
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("out of the float" + (c[0].equals("1") ? "32" : "64") + " range");
    }
    // zero itself, subnormals and the extremes are values, not errors
    Path ok = file("ok.csv", "x,y\n0e400,0e-99\n4.9e-324,1.4e-45\n1.7976931348623157e308,3.4028235e38\n");
    assertThat(readFile(ok, CsvOptions.builder().schema(x).build()).rows()).extracting(r -> r.getDouble("x"))
        .containsExactly(0.0, Double.MIN_VALUE, Double.MAX_VALUE);
  }

  @Test
  void inferenceNeverRoundsAnInteger() throws IOException {
    Path p = file("ids.csv", "id,v\n1,1\n9007199254740993,2.5\n99999999999999999999,100000000000000000000\n");
    CsvTestSupport.ReadResult r = readFile(p, CsvOptions.defaults());
    assertThat(r.schema().field("id").type()).isEqualTo(DataType.STRING);
    assertThat(r.rows()).extracting(row -> row.getString("id"))
        .containsExactly("1", "9007199254740993", "99999999999999999999");
    // 1, 2.5 and 1e20 are all float64 values exactly, so v may be float64
    assertThat(r.schema().field("v").type()).isEqualTo(DataType.FLOAT64);
    assertThat(r.rows()).extracting(row -> row.getDouble("v")).containsExactly(1.0, 2.5, 1e20);
  }

  @Test
  void refusesAFifoInsteadOfBlockingForever() throws Exception {
    Path fifo = dir.resolve("pipe.csv");
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("mkfifo is not available here (" + e.getMessage()
          + "), so no FIFO can be made to test with");
      return;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed, so no FIFO to test with");
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
      assertThatThrownBy(() -> CsvReader.readAll(fifo, CsvOptions.defaults(), allocator))
          .isInstanceOf(dev.mlops.core.MlopsException.class)
          .hasMessageContaining("pipe.csv is not a regular file");
      assertThatThrownBy(() -> CsvReader.inferSchema(fifo, CsvOptions.defaults()))
          .isInstanceOf(dev.mlops.core.MlopsException.class)
          .hasMessageContaining("pipe.csv is not a regular file");
    });
    assertThatThrownBy(() -> CsvReader.readAll(dir, CsvOptions.defaults(), allocator))
        .isInstanceOf(dev.mlops.core.MlopsException.class)
        .hasMessageContaining("is not a regular file");
  }

  @Test
  void reportSaysHowManyBadLinesKeptTheirReasonAndHowManyWereDropped() throws IOException {
    StringBuilder sb = new StringBuilder("a,b,c\n");
    for (int i = 0; i < 250; i++) {
      sb.append(i % 2 == 0 ? "1,2.0,x\n" : "bad\n");
    }
    CsvTestSupport.ReadResult r = readFile(file("many.csv", sb.toString()),
        CsvOptions.builder().schema(ABC).badLinePolicy(BadLinePolicy.SKIP).build());
    assertThat(r.report().toString())
        .contains("125 rows read", "125 lines skipped", "reasons kept for the first 100", "25 more dropped");
  }

  @Test
  void controlCharactersFromTheDataAreEscapedInMessages() throws IOException {
    Schema x = Schema.of(Field.of("x", DataType.INT64));
    Path p = file("evil.csv", "x\n1\n12\u001b[31mEVIL\u0085\n");
    assertThatThrownBy(() -> readFile(p, CsvOptions.builder().schema(x).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("cannot parse '12\\u001B[31mEVIL\\u0085' as int64")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b", "\u0085"));
    Path forged = file("forged.csv", "x\n1\n\"12\n2024-01-01 INFO forged\"\n");
    assertThatThrownBy(() -> readFile(forged, CsvOptions.builder().schema(x).build()))
        .isInstanceOf(DataFormatException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Path dup = file("dup.csv", "\"a\u001b[2J\",\"a\u001b[2J\"\n1,2\n");
    assertThatThrownBy(() -> readFile(dup, CsvOptions.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("duplicate column name 'a\\u001B[2J'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
    byte[] csv = "a\n1\nx\n".getBytes(StandardCharsets.UTF_8);
    try (CsvReader r = CsvReader.open(new java.io.ByteArrayInputStream(csv), "in\nFAKE LOG LINE",
        CsvOptions.builder().inferenceRows(1).build(), allocator)) {
      assertThatThrownBy(r::nextBatch).hasMessageStartingWith("in\\nFAKE LOG LINE:3")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void invalidUtf8OffsetsStayExactAfterADroppedField() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("a,b,c\n1,2.0,".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 50; i++) {
      out.writeBytes("zz".getBytes(StandardCharsets.UTF_8));
      out.write(0xFF); // invalid bytes inside a field too long to keep
    }
    out.writeBytes("\n2,3.0,ok\n3,4.0,x".getBytes(StandardCharsets.UTF_8));
    int offset = out.size();
    out.write(0xFE);
    out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    CsvOptions o = CsvOptions.builder().schema(ABC).maxFieldChars(20).badLinePolicy(BadLinePolicy.SKIP).build();
    CsvTestSupport.ReadResult r = readFile(file("dropped.csv", out.toByteArray()), o);
    assertThat(r.rows()).extracting(row -> row.getString("c")).containsExactly("ok");
    assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(2L, 4L);
    assertThat(r.report().badLines().get(1).reason()).contains("invalid UTF-8 at byte offset " + offset);
  }

  @Test
  void aFloodOfInvalidBytesIsCountedWithoutKeepingEveryOffset() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("a,b,c\n1,2.0,".getBytes(StandardCharsets.UTF_8));
    int flood = StrictUtf8Reader.MAX_QUEUED + 10_000;
    for (int i = 0; i < flood; i++) {
      out.write(0xFF);
    }
    out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 50_000; i++) {
      out.writeBytes("2,3.0,padding-that-pushes-the-next-error-past-the-decoders-read-ahead\n"
          .getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes("3,4.0,x".getBytes(StandardCharsets.UTF_8));
    int offset = out.size();
    out.write(0xFE);
    out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    CsvOptions o = CsvOptions.builder().schema(ABC).badLinePolicy(BadLinePolicy.SKIP).build();
    CsvTestSupport.ReadResult r = readFile(file("flood.csv", out.toByteArray()), o);
    assertThat(r.report().rowsRead()).isEqualTo(50_000);
    assertThat(r.report().badLines()).extracting(CsvReadReport.BadLine::line).containsExactly(2L, 50_003L);
    assertThat(r.report().badLines().get(0).reason()).contains("invalid UTF-8 at byte offset 12");
    assertThat(r.report().badLines().get(1).reason()).contains("invalid UTF-8 at byte offset " + offset);
  }

  @Test
  void aMissingFileSaysSo() {
    Path p = dir.resolve("nowhere.csv");
    assertThatThrownBy(() -> CsvReader.readAll(p, CsvOptions.defaults(), allocator))
        .isInstanceOf(dev.mlops.core.MlopsException.class)
        .hasMessageContaining("nowhere.csv does not exist");
    assertThatThrownBy(() -> CsvReader.inferSchema(p, CsvOptions.defaults()))
        .hasMessageContaining("nowhere.csv does not exist");
    assertThatThrownBy(() -> ArrowIpc.readFile(dir.resolve("nowhere.arrow"), allocator))
        .hasMessageContaining("nowhere.arrow does not exist");
  }
}
