package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One quarantine for a batch job's bad rows: rule failures and malformed lines of several files,
 * each with its file, line and reason, and counts that add up.
 */
class QuarantineTest extends AllocatorSupport {
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("amount", DataType.FLOAT64),
      Field.of("purpose", DataType.STRING));
  static final DataContract CONTRACT = DataContract.of("loans", SCHEMA,
      Constraint.unique("id"),
      Constraint.range("amount", 0.0, 1000.0),
      new Constraint.AllowedValues("purpose", List.of("car", "tv"), 1.0, Severity.WARN));

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  /** Reads every file into the session and the quarantine; returns the records the reader saw. */
  private long run(ValidationSession session, Quarantine q, List<Path> files) {
    CsvOptions options = CsvOptions.builder().schema(CONTRACT.readSchema()).badLinePolicy(BadLinePolicy.SKIP)
        .batchSize(2).build();
    long records = 0;
    for (Path file : files) {
      try (CsvReader reader = CsvReader.open(file, options, allocator)) {
        while (true) {
          Batch b = reader.nextBatch();
          q.addMalformed(file.getFileName().toString(), reader.badLinesOfLastBatch());
          if (b == null) {
            break;
          }
          try (Batch batch = b) {
            session.accumulate(batch, file.getFileName().toString(), reader::lineOf);
          }
        }
        records += reader.report().rowsRead() + reader.report().rowsSkipped();
      }
    }
    return records;
  }

  private List<Path> twoFiles() throws IOException {
    // a.csv: line 3 out of range; line 4 malformed (2 fields); line 6 purpose warns only.
    Path a = write("a.csv", "id,amount,purpose\n1,10.0,car\n2,-5.0,car\n3,oops\n4,20.0,car\n5,30.0,boat\n");
    // b.csv: line 2 repeats id 4 of a.csv; line 3 has a bad number (malformed); line 5 out of range and
    // warns.
    Path b = write("b.csv", "id,amount,purpose\n4,40.0,tv\n6,abc,tv\n7,50.0,tv\n8,2000.0,boat\n");
    return List.of(a, b);
  }

  @Test
  void ruleFailuresAndMalformedLinesOfTwoFilesLandInOneQuarantineWithFileLineAndReason() throws IOException {
    Validator v = Validator.compile(CONTRACT);
    Path out = dir.resolve("quarantine.csv");
    ValidationSession session = v.newSession(CONTRACT.readSchema());
    long records;
    try (Quarantine q = Quarantine.open(out, Quarantine.Format.CSV, CONTRACT.readSchema(), allocator)) {
      session.quarantineTo(q);
      records = run(session, q, twoFiles());
      assertThat(q.ruleFailures()).isEqualTo(3);
      assertThat(q.malformedLines()).isEqualTo(2);
      ValidationReport report = session.report();
      long valid = report.rowCount() - q.ruleFailures();
      // The identity a batch job reports: every record read is valid, quarantined for its rules, or
      // quarantined as malformed.
      assertThat(records).isEqualTo(9);
      assertThat(valid + q.ruleFailures() + q.malformedLines()).isEqualTo(records);
      assertThat(valid).isEqualTo(4);
      assertThat(report.result("id.unique").orElseThrow().examples())
          .containsExactly(new FailingExample(4, "4", "b.csv", 2));
    }
    try (Batch back = CsvReader.readAll(out, CsvOptions.defaults(), allocator)) {
      List<String> rows = new ArrayList<>();
      for (Row r : back.toRows()) {
        rows.add(r.get(Quarantine.SOURCE_COLUMN) + ":" + r.get(Quarantine.LINE_COLUMN) + " id=" + r.get("id") + " | "
            + r.get(Quarantine.VIOLATIONS_COLUMN));
      }
      assertThat(rows).hasSize(5);
      // In input order: a.csv's rows, then b.csv's.
      assertThat(rows.get(0)).isEqualTo("a.csv:3 id=2 | amount.range [ERROR]: amount in [0.0, 1000.0], got -5.0");
      assertThat(rows.get(1)).startsWith("a.csv:4 id=null | malformed: expected 3 fields");
      assertThat(rows).anySatisfy(r -> assertThat(r).isEqualTo("a.csv:3 id=2 | amount.range [ERROR]: amount in"
          + " [0.0, 1000.0], got -5.0"));
      assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("b.csv:3 id=null | malformed: column 'amount'"));
      assertThat(rows).anySatisfy(r -> assertThat(r).isEqualTo("b.csv:2 id=4 | id.unique [ERROR]: id is unique,"
          + " got 4"));
      assertThat(rows).anySatisfy(r -> assertThat(r).isEqualTo("b.csv:5 id=8 | amount.range [ERROR]: amount in"
          + " [0.0, 1000.0], got 2000.0; purpose.allowed_values [WARN]: purpose in [car, tv], got boat"));
      // a.csv:6 broke only a WARN rule: it stays valid.
      assertThat(rows).noneSatisfy(r -> assertThat(r).startsWith("a.csv:6"));
    }
  }

  @Test
  void aStrayQuoteIsOneMalformedLineInTheQuarantineAndTheFileReadsOn() throws IOException {
    // Line 3 opens a quote in the amount column (a float64, which allows no line breaks) that never
    // closes: under SKIP it is one unreadable line, and lines 4 and 5 are read as rows.
    Path c = write("c.csv", "id,amount,purpose\n1,10.0,car\n2,\"12.5,car\n3,15.0,car\n4,-1.0,tv\n");
    Validator v = Validator.compile(CONTRACT);
    ValidationSession session = v.newSession(CONTRACT.readSchema());
    long records;
    try (Quarantine q = Quarantine.open(dir.resolve("q.csv"), Quarantine.Format.CSV, CONTRACT.readSchema(),
        allocator)) {
      session.quarantineTo(q);
      records = run(session, q, List.of(c));
      assertThat(q.malformedLines()).isEqualTo(1);
      assertThat(q.ruleFailures()).isEqualTo(1);
      long valid = session.report().rowCount() - q.ruleFailures();
      assertThat(records).isEqualTo(4);
      assertThat(valid).isEqualTo(2);
      assertThat(valid + q.ruleFailures() + q.malformedLines()).isEqualTo(records);
    }
    try (Batch back = CsvReader.readAll(dir.resolve("q.csv"), CsvOptions.defaults(), allocator)) {
      List<String> rows = new ArrayList<>();
      for (Row r : back.toRows()) {
        rows.add(r.get(Quarantine.SOURCE_COLUMN) + ":" + r.get(Quarantine.LINE_COLUMN) + " | "
            + r.get(Quarantine.VIOLATIONS_COLUMN));
      }
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0)).startsWith("c.csv:3 | malformed: column 'amount': a quoted field opened at line 3"
          + " holds a line break").contains("look for a stray quote at line 3");
      assertThat(rows.get(1)).startsWith("c.csv:5 | amount.range [ERROR]");
    }
  }

  @Test
  void failingExamplesCarryTheirFileAndLineInTheReportItsTextAndItsJson() throws IOException {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession session = v.newSession(CONTRACT.readSchema());
    try (Quarantine q = Quarantine.open(dir.resolve("q.csv"), Quarantine.Format.CSV, CONTRACT.readSchema(),
        allocator)) {
      run(session, q, twoFiles());
    }
    ValidationReport report = session.report();
    // Global rows: a.csv gave rows 0-3 (ids 1, 2, 4, 5), b.csv rows 4-6 (ids 4, 7, 8).
    assertThat(report.result("amount.range").orElseThrow().examples()).containsExactly(
        new FailingExample(1, "-5.0", "a.csv", 3), new FailingExample(6, "2000.0", "b.csv", 5));
    assertThat(report.toText()).contains("e.g. row 1 (a.csv:3) = -5.0, row 6 (b.csv:5) = 2000.0");
    assertThat(report.toJson()).contains("\"row\" : 1,\n      \"value\" : \"-5.0\",\n      \"source\" : \"a.csv\","
        + "\n      \"line\" : 3");
    // Without a source the example says only its row.
    assertThat(new FailingExample(3, "x").where()).isEqualTo("row 3");
  }

  @Test
  void anArrowQuarantineHoldsTheSameRows() throws IOException {
    Validator v = Validator.compile(CONTRACT);
    Path csv = dir.resolve("q.csv");
    Path arrow = dir.resolve("q.arrow");
    try (Quarantine q = Quarantine.open(csv, Quarantine.Format.CSV, CONTRACT.readSchema(), allocator)) {
      run(v.newSession(CONTRACT.readSchema()).quarantineTo(q), q, twoFiles());
    }
    try (Quarantine q = Quarantine.open(arrow, Quarantine.Format.ARROW, CONTRACT.readSchema(), allocator)) {
      run(v.newSession(CONTRACT.readSchema()).quarantineTo(q), q, twoFiles());
      assertThat(q.schema().names()).containsExactly("id", "amount", "purpose", "_source", "_line", "_violations");
    }
    List<Batch> fromArrow = ArrowIpc.readFile(arrow, allocator);
    try (Batch fromCsv = CsvReader.readAll(csv, CsvOptions.builder().schema(fromArrow.get(0).schema()).build(),
        allocator)) {
      List<Row> arrowRows = new ArrayList<>();
      fromArrow.forEach(b -> arrowRows.addAll(b.toRows()));
      assertThat(arrowRows).hasSize(5).isEqualTo(fromCsv.toRows());
    } finally {
      fromArrow.forEach(Batch::close);
    }
  }

  @Test
  void nothingIsWrittenBeforeCloseAndAnEmptyQuarantineStillWritesItsFile() throws IOException {
    Path out = dir.resolve("none.csv");
    Quarantine q = Quarantine.open(out, Quarantine.Format.CSV, SCHEMA, allocator);
    Validator.compile(CONTRACT).newSession(SCHEMA).quarantineTo(q).accumulate(Row.of(SCHEMA, 1L, 1.0, "car"));
    assertThat(out).doesNotExist();
    q.close();
    q.close();
    assertThat(Files.readAllLines(out)).containsExactly("id,amount,purpose,_source,_line,_violations");
    assertThatThrownBy(() -> q.addMalformed("x", List.of(new dev.mlops.core.io.CsvReadReport.BadLine(2, "bad"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
  }

  @Test
  void theRowPathQuarantinesToAndAUniqueRepeatIsRejected() throws IOException {
    Path out = dir.resolve("rows.csv");
    try (Quarantine q = Quarantine.open(out, Quarantine.Format.CSV, SCHEMA, allocator)) {
      ValidationSession s = Validator.compile(CONTRACT).newSession().quarantineTo(q);
      s.accumulate(Row.of(SCHEMA, 1L, 1.0, "car"));
      s.accumulate(Row.of(SCHEMA, 1L, 2.0, "car"));
      s.accumulate(Row.of(SCHEMA, 2L, 2.0, "boat"));
      assertThat(q.ruleFailures()).isEqualTo(1);
    }
    assertThat(Files.readAllLines(out)).containsExactly("id,amount,purpose,_source,_line,_violations",
        "1,2.0,car,,,\"id.unique [ERROR]: id is unique, got 1\"");
  }

  @Test
  void refusesAQuarantineAttachedLateOfAnotherSchemaOrWithClashingColumns() {
    Validator v = Validator.compile(CONTRACT);
    try (Quarantine q = Quarantine.open(dir.resolve("q.csv"), Quarantine.Format.CSV, SCHEMA, allocator)) {
      ValidationSession fed = v.newSession(SCHEMA);
      fed.accumulate(Row.of(SCHEMA, 1L, 1.0, "car"));
      assertThatThrownBy(() -> fed.quarantineTo(q)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before the first row");
      Schema other = Schema.of(Field.of("id", DataType.INT64));
      assertThatThrownBy(() -> v.newSession(other).quarantineTo(q)).isInstanceOf(SchemaMismatchException.class);
      ValidationSession lazy = v.newSession().quarantineTo(q);
      assertThatThrownBy(() -> lazy.accumulate(Row.of(other, 1L))).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("quarantine is for rows of");
    }
    Schema clash = Schema.of(Field.of("_line", DataType.INT64));
    assertThatThrownBy(() -> Quarantine.open(dir.resolve("c.csv"), Quarantine.Format.CSV, clash, allocator))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has a column '_line'");
  }
}
