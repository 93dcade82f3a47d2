package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad CSV input the library knows of, one row each: the red-team findings of issue 8 (C1, H3,
 * H7 and the low ones) and their neighbours. A row that stops the reader asserts the exception type,
 * a message fragment and the line named; a row skipped under {@link BadLinePolicy#SKIP} asserts the
 * rows read and the lines skipped with their reason. Every row asserts that no Arrow memory is left
 * allocated ({@link AllocatorSupport}), and the writer rows that no file, not even a temporary one,
 * is left behind.
 */
class CsvBadInputCatalogueTest extends AllocatorSupport {
  private static final Schema ABC = Schema.of(
      Field.of("a", DataType.INT64), Field.of("b", DataType.FLOAT64), Field.of("c", DataType.STRING));
  private static final Schema NUMBERS = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT32),
      Field.of("n", DataType.INT64));
  private static final CsvOptions FAIL = CsvOptions.defaults();
  private static final CsvOptions SKIP = CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).build();

  @TempDir
  Path dir;

  /** Makes the input of a row in a temporary directory. */
  @FunctionalInterface
  interface Input {
    Path make(Path dir) throws IOException, InterruptedException;

    static Input text(String csv) {
      return bytes(csv.getBytes(StandardCharsets.UTF_8));
    }

    static Input bytes(byte[] csv) {
      return dir -> Files.write(dir.resolve("in.csv"), csv);
    }
  }

  /** A row that stops the reader. */
  record Stops(Input input, CsvOptions options, Class<? extends Throwable> type, String fragment, long line) {}

  /** A row read under SKIP: the bad lines are left out, counted and named. */
  record Skips(Input input, CsvOptions options, long rowsRead, List<Long> skippedLines, String reason) {}

  private static Arguments stops(String name, Input input, CsvOptions options, Class<? extends Throwable> type,
      String fragment, long line) {
    return Arguments.of(Named.of(name, new Stops(input, options, type, fragment, line)));
  }

  private static Arguments skips(String name, Input input, CsvOptions options, long rowsRead, List<Long> lines,
      String reason) {
    return Arguments.of(Named.of(name, new Skips(input, options, rowsRead, lines, reason)));
  }

  private static String strayQuote() {
    StringBuilder sb = new StringBuilder("id,name\n");
    for (int i = 0; i < 100; i++) {
      sb.append(i).append(i == 3 ? ",\"oops\n" : ",n" + i + "\n");
    }
    return sb.toString();
  }

  private static String wideHeader(int columns) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns; i++) {
      sb.append(i == 0 ? "" : ",").append('c').append(i);
    }
    return sb.append('\n').toString();
  }

  private static byte[] withByte(String before, int b, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.write(b);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static Input fifo() {
    return dir -> {
      Path p = dir.resolve("pipe.csv");
      Process mk;
      try {
        mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
      } catch (IOException e) {
        Assumptions.abort("mkfifo is not available (" + e.getMessage() + "), so no FIFO can be made to read");
        throw e;
      }
      Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed, so there is no FIFO to read");
      return p;
    };
  }

  static Stream<Arguments> stoppingInputs() {
    Schema strict = Schema.of(new Field("id", DataType.INT64, false, Role.ID), Field.of("v", DataType.STRING));
    Schema tensor = Schema.of(Field.of("t", DataType.floatTensor(2)));
    CsvOptions sampleTwo = CsvOptions.builder().inferenceRows(2).build();
    return Stream.of(
        // C1: a stray quote
        stops("C1 stray quote, FAIL: stops at its first line break", Input.text(strayQuote()), FAIL,
            DataFormatException.class, "quoted field opened at line 5 holds a line break", 5),
        stops("C1 quote runs to the end of the file, given schema", Input.text(strayQuote()),
            CsvOptions.builder().schema(Schema.of(Field.of("id", DataType.INT64), Field.of("name", DataType.STRING)))
                .badLinePolicy(BadLinePolicy.SKIP).build(),
            DataFormatException.class, "stray quote at line 5", 5),
        stops("C1 stray quote closed by another, line break not allowed",
            Input.text("id,name\n1,n1\n3,\"oops\n4,n4\n5,n5\"\n6,n6\n"), FAIL,
            DataFormatException.class, "quoted field opened at line 3 holds a line break, and the column allows none",
            3),
        stops("more line breaks than maxLineBreaksPerField", Input.text("a,b\n1,\"x\ny\nz\"\n"),
            CsvOptions.builder().maxLineBreaksPerField(1).build(),
            DataFormatException.class, "holds more than 1 line breaks", 2),
        stops("text after a closing quote, SKIP", Input.text("a,b\n\"x\"y,1\n2,3\n"), SKIP,
            DataFormatException.class, "is followed by 'y' after its closing quote", 2),
        stops("control character after a closing quote is escaped", Input.text("a,b\n1,\"x\"\u001b[2J\n"), SKIP,
            DataFormatException.class, "followed by '\\u001B'", 2),
        stops("quote opened in the header runs on", Input.text("a,\"b\n1,2\n"), SKIP,
            DataFormatException.class, "quoted header field opened at line 1 holds a line break", 1),
        // H7: a quoted carriage return
        stops("H7 quoted lone CR in an inferred column, FAIL", Input.text("a,b\n1,\"x\r\"\n2,y\n3,z\n"), FAIL,
            DataFormatException.class, "holds a line break", 2),
        // H3: wide files
        stops("H3 header wider than the default maxColumns", Input.text(wideHeader(16_385) + "1\n"), SKIP,
            DataFormatException.class, "the header has 16385 columns, more than CsvOptions.maxColumns=16384", 1),
        stops("H3 header wider than maxColumns", Input.text(wideHeader(11) + "1\n"),
            CsvOptions.builder().maxColumns(10).build(),
            DataFormatException.class, "raise the limit with CsvOptions.builder().maxColumns(11)", 1),
        stops("H3 first line wider than maxColumns without a header", Input.text("1,2,3,4\n1,2,3,4\n"),
            CsvOptions.builder().header(false).maxColumns(3).build(),
            DataFormatException.class, "the first line has 4 columns, more than CsvOptions.maxColumns=3", 1),
        // out of range numbers
        stops("1e400 overflows float64", Input.text("x,y,n\n1,1,1\n1e400,1,1\n"), CsvOptions.builder().schema(NUMBERS)
            .build(), DataFormatException.class, "column 'x': '1e400' is out of the float64 range", 3),
        stops("-1e400 overflows float64", Input.text("x,y,n\n-1e400,1,1\n"), CsvOptions.builder().schema(NUMBERS)
            .build(), DataFormatException.class, "'-1e400' is out of the float64 range", 2),
        stops("1e-400 underflows float64 to zero", Input.text("x,y,n\n1e-400,1,1\n"),
            CsvOptions.builder().schema(NUMBERS).build(), DataFormatException.class,
            "'1e-400' is out of the float64 range: it is not zero but would read as zero", 2),
        stops("1e39 overflows float32", Input.text("x,y,n\n1,1e39,1\n"), CsvOptions.builder().schema(NUMBERS).build(),
            DataFormatException.class, "column 'y': '1e39' is out of the float32 range", 2),
        stops("1e-50 underflows float32", Input.text("x,y,n\n1,1e-50,1\n"), CsvOptions.builder().schema(NUMBERS)
            .build(), DataFormatException.class, "'1e-50' is out of the float32 range", 2),
        stops("integer beyond int64", Input.text("x,y,n\n1,1,9223372036854775808\n"),
            CsvOptions.builder().schema(NUMBERS).build(), DataFormatException.class,
            "'9223372036854775808' is out of the int64 range", 2),
        stops("1e400 after the sample of an inferred float64 column", Input.text("x\n1.5\n2.5\n1e400\n"), sampleTwo,
            DataFormatException.class, "'1e400' is out of the float64 range", 4),
        // lossy inference
        stops("integer float64 would round, after the sample", Input.text("x\n1.5\n2\n9007199254740993\n"),
            sampleTwo, DataFormatException.class, "'9007199254740993' cannot be held exactly by the float64 type", 4),
        stops("timestamp digits beyond microseconds, after the sample",
            Input.text("t\n2024-01-01T00:00:00Z\n2024-01-02\n2024-01-03T00:00:00.123456789Z\n"), sampleTwo,
            DataFormatException.class, "digits beyond microseconds would be dropped", 4),
        // non-regular files
        stops("a FIFO", fifo(), FAIL, MlopsException.class, "pipe.csv is not a regular file but a FIFO", -1),
        stops("a directory", d -> Files.createDirectory(d.resolve("folder.csv")), FAIL, MlopsException.class,
            "folder.csv is not a regular file but a directory", -1),
        stops("a missing file", d -> d.resolve("nowhere.csv"), FAIL, MlopsException.class,
            "nowhere.csv does not exist", -1),
        // log forging
        stops("control characters in a value are escaped", Input.text("a,b,c\n1,2.0,x\n12\u001b[31mX\u0085,1,y\n"),
            CsvOptions.builder().schema(ABC).build(), DataFormatException.class,
            "cannot parse '12\\u001B[31mX\\u0085' as int64", 3),
        stops("control characters in a column name are escaped", Input.text("\"a\u001b[2J\",\"a\u001b[2J\"\n1,2\n"),
            FAIL, DataFormatException.class, "duplicate column name 'a\\u001B[2J'", 1),
        stops("bidi controls in a column name are escaped", Input.text("a,\"b\u202e\"\n1,2\n"),
            CsvOptions.builder().schema(ABC).build(), DataFormatException.class,
            "header column 'b\\u202E' is not in the given schema", 1),
        // the established cases
        stops("empty input", Input.text(""), SKIP, DataFormatException.class, "a header row naming the columns", 1),
        stops("ragged row", Input.text("a,b,c\n1,2.0,x\n3,4.0\n"), FAIL, DataFormatException.class,
            "expected 3 fields as in the header, found 2", 3),
        stops("unparseable number", Input.text("a,b,c\n1,2.0,x\n2,abc,y\n"), CsvOptions.builder().schema(ABC).build(),
            DataFormatException.class, "column 'b': cannot parse 'abc' as float64", 3),
        stops("value that breaks the inferred type", Input.text("n\n1\n2\nfour\n"), sampleTwo,
            DataFormatException.class, "cannot parse 'four' as int64", 4),
        stops("invalid UTF-8", Input.bytes(withByte("a,b,c\n1,2.0,ab", 0xFF, "\n")), FAIL, DataFormatException.class,
            "invalid UTF-8 at byte offset 14", 2),
        stops("invalid UTF-8 in the header", Input.bytes(withByte("a,", 0xFE, "\n1,2\n")), SKIP,
            DataFormatException.class, "header field 2 holds invalid UTF-8 at byte offset 2", 1),
        stops("duplicate column names", Input.text("a,b,a\n1,2,3\n"), SKIP, DataFormatException.class,
            "duplicate column name 'a' in the header at columns 1 and 3", 1),
        stops("empty column name", Input.text("a,,c\n1,2,3\n"), SKIP, DataFormatException.class,
            "header column 2 has an empty name", 1),
        stops("schema column missing from the header", Input.text("a,b\n1,2\n"), CsvOptions.builder().schema(ABC)
            .build(), DataFormatException.class, "schema column 'c' is missing from the header ['a', 'b']", 1),
        stops("field longer than maxFieldChars", Input.text("a,b,c\n1,2.0," + "y".repeat(500) + "\n"),
            CsvOptions.builder().schema(ABC).maxFieldChars(100).build(), DataFormatException.class,
            "field of 500 chars exceeds CsvOptions.maxFieldChars=100", 2),
        stops("header field longer than maxFieldChars", Input.text("a," + "b".repeat(50) + "\n1,2\n"),
            CsvOptions.builder().maxFieldChars(10).badLinePolicy(BadLinePolicy.SKIP).build(),
            DataFormatException.class, "header field 2 is 50 chars long, more than CsvOptions.maxFieldChars=10", 1),
        stops("missing value in a non-nullable column", Input.text("id,v\n1,a\n,b\n"),
            CsvOptions.builder().schema(strict).build(), DataFormatException.class, "non-nullable", 3),
        stops("multiLineColumns names no column", Input.text("a,b\n1,2\n"),
            CsvOptions.builder().multiLineColumns("comment").build(), DataFormatException.class,
            "CsvOptions.multiLineColumns names 'comment', which is not a column of the file ['a', 'b']", 1),
        stops("tensor column", Input.text("t\n1\n"), CsvOptions.builder().schema(tensor).build(),
            SchemaMismatchException.class, "CSV cannot hold tensor column 't'", -1));
  }

  @ParameterizedTest
  @MethodSource("stoppingInputs")
  void stopsWithTheTypeMessageAndLine(Stops c) throws Exception {
    Path p = c.input().make(dir);
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      assertThatThrownBy(() -> readAll(p, c.options()))
          .isInstanceOf(c.type())
          .hasMessageContaining(c.fragment())
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b", "\u0085", "\u202e"))
          .satisfies(e -> {
            if (c.line() >= 0) {
              assertThat(((DataFormatException) e).line()).isEqualTo(c.line());
              assertThat(e.getMessage()).contains(p.getFileName() + ":" + c.line());
            }
          });
    }, "the reader must refuse, not hang");
  }

  static Stream<Arguments> skippedInputs() {
    StringBuilder many = new StringBuilder("a,b,c\n");
    for (int i = 0; i < 250; i++) {
      many.append(i % 2 == 0 ? "1,2.0,x\n" : "bad\n");
    }
    return Stream.of(
        skips("H7 quoted lone CR: every record counted", Input.text("a,b\n1,\"x\r\"\n2,y\n3,z\n"), SKIP, 2,
            List.of(2L), "column 'b': a quoted field opened at line 2 holds a line break"),
        skips("C1 stray quote closed by another: one record over lines 3 to 5",
            Input.text("id,name\n1,n1\n3,\"oops\n4,n4\n5,n5\"\n6,n6\n"), SKIP, 2, List.of(3L),
            "(the record spans lines 3 to 5)"),
        skips("C1 quote runs to the end of the file, SKIP: its line skipped, reading resumes on the next",
            Input.text(strayQuote()), SKIP, 99, List.of(5L),
            "column 'name': a quoted field opened at line 5 holds a line break, and the column allows none"),
        skips("C1 stray quote, a later quote followed by text: only its line skipped",
            Input.text("id,name\n1,n1\n3,\"oops\n4,n4\n5,n5\"x\n6,n6\n"), SKIP, 4, List.of(3L),
            "look for a stray quote at line 3"),
        skips("multi-line record that is ragged", Input.text("a,b\n1,\"x\ny\",extra\n2,z\n"),
            CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).multiLineColumns("b").build(), 1, List.of(2L),
            "expected 2 fields as in the header, found 3; quote fields that contain the delimiter, or fix the line"
                + " (the record spans lines 2 to 3)"),
        skips("out of range numbers", Input.text("x,y,n\n1e400,1,1\n1,1e-50,1\n1,1,1\n1,1,-9223372036854775809\n"),
            CsvOptions.builder().schema(NUMBERS).badLinePolicy(BadLinePolicy.SKIP).build(), 1, List.of(2L, 3L, 5L),
            "out of the float64 range"),
        skips("field far over maxFieldChars, never kept in memory",
            Input.text("a,b,c\n1,2.0,\"" + "z".repeat(100_000) + "\"\n2,3.0,ok\n"),
            CsvOptions.builder().schema(ABC).maxFieldChars(10).badLinePolicy(BadLinePolicy.SKIP).build(), 1,
            List.of(2L), "field of 100000 chars exceeds CsvOptions.maxFieldChars=10"),
        skips("ragged rows", Input.text("a,b,c\n1,2.0,x\n3\n4,5.0,y,z\n"), SKIP, 1, List.of(3L, 4L),
            "expected 3 fields as in the header, found 1"),
        skips("invalid UTF-8 inside a multi-line field", Input.bytes(withByte("a,b\n1,\"x\ny", 0xC3, "\"\n2,ok\n")),
            CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).multiLineColumns("b").build(), 1, List.of(2L),
            "column 'b': invalid UTF-8 at byte offset 10"),
        skips("more than 100 bad lines: counted, the first 100 kept", Input.text(many.toString()),
            CsvOptions.builder().schema(ABC).badLinePolicy(BadLinePolicy.SKIP).build(), 125,
            java.util.stream.LongStream.range(0, 125).map(i -> 3 + 2 * i).boxed().toList(), "found 1"));
  }

  @ParameterizedTest
  @MethodSource("skippedInputs")
  void skipsAndCountsEveryBadRecord(Skips c) throws Exception {
    Path p = c.input().make(dir);
    CsvReadReport report;
    try (CsvReader r = CsvReader.open(p, c.options(), allocator)) {
      report = CsvTestSupport.readAll(r).report();
    }
    assertThat(report.rowsRead()).isEqualTo(c.rowsRead());
    assertThat(report.rowsSkipped()).isEqualTo(c.skippedLines().size());
    int kept = Math.min(c.skippedLines().size(), CsvReadReport.MAX_BAD_LINES);
    assertThat(report.badLines()).extracting(CsvReadReport.BadLine::line)
        .containsExactlyElementsOf(c.skippedLines().subList(0, kept));
    assertThat(report.badLines().get(0).reason()).contains(c.reason());
    assertThat(report.omittedBadLines()).isEqualTo(c.skippedLines().size() - kept);
    if (report.omittedBadLines() > 0) {
      assertThat(report.toString()).contains(report.rowsSkipped() + " lines skipped",
          "reasons kept for the first " + kept, report.omittedBadLines() + " more dropped");
    }
  }

  /** A write that fails leaves neither the target nor a temporary file behind. */
  record WriteFails(Schema schema, Schema batchSchema, Class<? extends Throwable> type, String fragment) {}

  static Stream<Arguments> refusedWrites() {
    Schema s = Schema.of(Field.of("x", DataType.INT64));
    return Stream.of(
        Arguments.of(Named.of("batch of another schema", new WriteFails(ABC, s, SchemaMismatchException.class,
            "differs from the CSV schema"))),
        Arguments.of(Named.of("tensor column", new WriteFails(Schema.of(Field.of("t", DataType.floatTensor(2))), s,
            SchemaMismatchException.class, "CSV cannot hold tensor column 't'"))));
  }

  @ParameterizedTest
  @MethodSource("refusedWrites")
  void aRefusedWriteLeavesNoFile(WriteFails c) throws IOException {
    Path target = dir.resolve("out.csv");
    try (Batch b = Batch.fromRows(allocator, c.batchSchema(), List.of(Row.of(c.batchSchema(), 1L)))) {
      assertThatThrownBy(() -> CsvWriter.write(target, c.schema(), List.of(b), CsvOptions.defaults()))
          .isInstanceOf(c.type())
          .hasMessageContaining(c.fragment());
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  private void readAll(Path p, CsvOptions options) {
    try (Batch b = CsvReader.readAll(p, options, allocator)) {
      assertThat(b).as("no batch, the read must fail").isNull();
    }
  }

  /** The file name printed in messages is escaped too. */
  @ParameterizedTest
  @MethodSource("controlledNames")
  void aSourceNameWithControlCharactersIsEscaped(String name, String shown) {
    byte[] csv = "a\n1\nx\n".getBytes(StandardCharsets.UTF_8);
    try (CsvReader r = CsvReader.open(new java.io.ByteArrayInputStream(csv), name,
        CsvOptions.builder().inferenceRows(1).build(), allocator)) {
      assertThatThrownBy(r::nextBatch).hasMessageStartingWith(shown + ":3, column 'a'");
    }
  }

  static Stream<Arguments> controlledNames() {
    return Stream.of(Arguments.of("in\nFAKE LOG LINE", "in\\nFAKE LOG LINE"), Arguments.of("a\rb\tc", "a\\rb\\tc"),
        Arguments.of("x\u001b[0m", "x\\u001B[0m"), Arguments.of("plain-" + Instant.EPOCH, "plain-" + Instant.EPOCH));
  }
}
