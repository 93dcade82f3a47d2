package dev.mlops.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.ConstraintResult;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.FailingExample;
import dev.mlops.validation.Quarantine;
import dev.mlops.validation.RowContractViolationException;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSplit;
import dev.mlops.validation.Validator;
import dev.mlops.validation.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/validation.md's worked example, run through its snippets on credit-g. */
class ValidationSnippetsTest extends SnippetTestSupport {
  @TempDir
  Path dir;

  /** The doc's corrupted copy: no age on rows 1-4, negative amounts on rows 3, 10 and 500, purpose spaceship on 7 and 8. */
  private Batch corruptedCopy(Batch credit) {
    List<Row> rows = new ArrayList<>(credit.toRows());
    Map<Integer, Map<String, Object>> edits = new HashMap<>();
    for (int i : new int[] {1, 2, 3, 4}) {
      edits.computeIfAbsent(i, k -> new HashMap<>()).put("age", null);
    }
    for (int i : new int[] {3, 10, 500}) {
      edits.computeIfAbsent(i, k -> new HashMap<>()).put("credit_amount", (double) -i);
    }
    for (int i : new int[] {7, 8}) {
      edits.computeIfAbsent(i, k -> new HashMap<>()).put("purpose", "spaceship");
    }
    edits.forEach((i, changes) -> {
      Map<String, Object> values = new HashMap<>(rows.get(i).toMap());
      values.putAll(changes);
      rows.set(i, Row.fromMap(credit.schema(), values));
    });
    return Batch.fromRows(allocator, credit.schema(), rows);
  }

  private Path contractFile() {
    return dir.resolve("contracts/credit-g.yaml");
  }

  @Test
  void suggestsTheDocumentedContractAndWritesItForReview() throws Exception {
    DataContract contract = ValidationSnippets.suggestContract(CREDIT_G, contractFile());
    assertThat(contract.schema().size()).isEqualTo(21);
    assertThat(contract.constraints()).hasSize(43);
    assertThat(Files.readAllLines(contractFile())).hasSize(217);
    assertThat(DataContract.read(contractFile())).isEqualTo(contract);
  }

  @Test
  void theCommittedContractPassesCreditGAndPrintsTheDocumentedFailuresOfTheCorruptedCopy() {
    ValidationSnippets.suggestContract(CREDIT_G, contractFile());
    try (Batch credit = read(CREDIT_G); Batch corrupted = corruptedCopy(credit)) {
      assertThat(printed(() -> ValidationSnippets.validateBatch(contractFile(), credit)).value().verdict())
          .isEqualTo(Verdict.PASS);

      Printed<ValidationReport> run = printed(() -> ValidationSnippets.validateBatch(contractFile(), corrupted));
      assertThat(run.value().verdict()).isEqualTo(Verdict.FAIL);
      assertThat(run.value().failures()).extracting(ConstraintResult::id)
          .containsExactly("purpose.allowed_values", "credit_amount.range", "age.not_null");
      assertThat(run.text()).startsWith("credit-g: FAIL (8 of 1,000 rows failed row rules, 3 of 43 constraints failed, 0 schema issues)")
          .contains("e.g. row 3 = -3.0, row 10 = -10.0, row 500 = -500.0");
      assertThat(run.value().result("age.range").orElseThrow().evaluatedCount()).isEqualTo(996);
    }
  }

  @Test
  void quarantineWrites992ValidRowsAnd8RejectedOnesWithTheirReasons() {
    Validator validator = Validator.compile(ValidationSnippets.suggestContract(CREDIT_G, contractFile()));
    Path validFile = dir.resolve("valid.arrow");
    Path quarantineFile = dir.resolve("quarantine.csv");
    try (Batch credit = read(CREDIT_G); Batch corrupted = corruptedCopy(credit)) {
      ValidationReport report = ValidationSnippets.quarantine(validator, corrupted, allocator, validFile, quarantineFile);
      assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
    }
    List<Batch> valid = ArrowIpc.readFile(validFile, allocator);
    try {
      assertThat(valid.stream().mapToInt(Batch::rowCount).sum()).isEqualTo(992);
    } finally {
      valid.forEach(Batch::close);
    }
    try (Batch quarantined = CsvReader.readAll(quarantineFile, CsvOptions.defaults(), allocator)) {
      assertThat(quarantined.rowCount()).isEqualTo(8);
      int reasons = quarantined.schema().indexOf(ValidationSplit.VIOLATIONS_COLUMN);
      assertThat(quarantined.getString(reasons, 2)).isEqualTo("credit_amount.range [ERROR]: credit_amount in "
          + "[0.0, 20300.0], got -3.0; age.not_null [ERROR]: age is not null, got null");
    }
  }

  @Test
  void threeFilesInOneSessionOrMergedGiveTheReportOfTheWholeBatch() {
    DataContract suggested = ValidationSnippets.suggestContract(CREDIT_G, contractFile());
    // credit-g has no key column, but its amounts repeat, some in different files: a uniqueness rule
    // on them (mostly 0.9) counts repeats across the files, which per-file validation cannot see.
    DataContract contract = new DataContract(suggested.name(), suggested.schema(),
        concat(suggested.constraints(), new Constraint.Unique("credit_amount", 0.9, Severity.ERROR)),
        suggested.extraColumns());
    Validator validator = Validator.compile(contract);
    try (Batch credit = read(CREDIT_G); Batch corrupted = corruptedCopy(credit)) {
      List<Row> rows = corrupted.toRows();
      int[] cuts = {0, 300, 650, 1000};
      List<Path> files = new ArrayList<>();
      long[] counts = new long[3];
      for (int f = 0; f < 3; f++) {
        Path file = dir.resolve("part-" + f + ".csv");
        try (Batch part = Batch.fromRows(allocator, credit.schema(), rows.subList(cuts[f], cuts[f + 1]))) {
          CsvWriter.write(file, part, CsvOptions.defaults());
        }
        files.add(file);
        counts[f] = cuts[f + 1] - cuts[f];
      }
      ValidationReport whole;
      try (Batch nullable = Batch.fromRows(allocator, contract.readSchema(), rows)) {
        whole = validator.validate(nullable);
      }
      ValidationReport oneSession = ValidationSnippets.validateFiles(validator, files, allocator);
      assertThat(oneSession).isEqualTo(whole);
      assertThat(oneSession.result("credit_amount.unique").orElseThrow().failingCount())
          .as("amounts repeated across the three files").isPositive();
      assertThat(oneSession.result("credit_amount.range").orElseThrow().examples())
          .extracting(FailingExample::row).containsExactly(3L, 10L, 500L);
      ValidationReport merged = ValidationSnippets.mergeFileSessions(validator, counts, (i, session) -> {
        try (Batch part = CsvReader.readAll(files.get(i), CsvOptions.builder().schema(contract.readSchema()).build(),
            allocator)) {
          session.accumulate(part);
        }
      });
      assertThat(merged).isEqualTo(whole);
    }
  }

  @Test
  void oneSessionValidatesAndProfilesTheSameRows() throws Exception {
    Validator validator = Validator.compile(ValidationSnippets.suggestContract(CREDIT_G, contractFile()));
    ValidationSnippets.ValidatedProfile both = ValidationSnippets.validateAndProfile(validator, CREDIT_G, allocator);
    ValidationReport alone = ValidationSnippets.validateFiles(validator, List.of(CREDIT_G), allocator);
    assertThat(both.report()).isEqualTo(alone);
    assertThat(both.report().passed()).isTrue();
    DatasetProfile profiled;
    try (Batch credit = CsvReader.readAll(CREDIT_G, CsvOptions.builder().schema(validator.contract().readSchema())
        .build(), allocator)) {
      profiled = DatasetProfile.of(credit);
    }
    assertThat(both.profile().rowCount()).isEqualTo(1000).isEqualTo(profiled.rowCount());
    for (int c = 0; c < profiled.schema().size(); c++) {
      ColumnProfile a = both.profile().column(c);
      ColumnProfile b = profiled.column(c);
      assertThat(a.count()).isEqualTo(b.count());
      assertThat(a.nullCount()).isEqualTo(b.nullCount());
      assertThat(a.validCount()).isEqualTo(b.validCount());
      // Boxed, so that the NaN of a string column's mean equals itself.
      assertThat(Double.valueOf(a.mean())).as(a.name()).isEqualTo(Double.valueOf(b.mean()));
      assertThat(Double.valueOf(a.min())).as(a.name()).isEqualTo(Double.valueOf(b.min()));
      assertThat(Double.valueOf(a.max())).as(a.name()).isEqualTo(Double.valueOf(b.max()));
    }
  }

  @Test
  void theBatchJobQuarantinesBadRowsAndUnreadableLinesOfEveryFileAndFailsTheRun() throws Exception {
    Validator validator = Validator.compile(ValidationSnippets.suggestContract(CREDIT_G, contractFile()));
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    try (Batch credit = read(CREDIT_G); Batch corrupted = corruptedCopy(credit)) {
      List<Row> rows = corrupted.toRows();
      try (Batch first = Batch.fromRows(allocator, credit.schema(), rows.subList(0, 600));
          Batch second = Batch.fromRows(allocator, credit.schema(), rows.subList(600, 1000))) {
        CsvWriter.write(in.resolve("part-1.csv"), first, CsvOptions.defaults());
        CsvWriter.write(in.resolve("part-2.csv"), second, CsvOptions.defaults());
      }
    }
    // Two unreadable lines in the second file: a short one and one with a word for a number.
    Path second = in.resolve("part-2.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(second));
    lines.add(3, "x,y");
    String[] cells = lines.get(10).split(",", -1);
    cells[1] = "eleven";
    lines.set(10, String.join(",", cells));
    Files.write(second, lines);
    Path quarantine = dir.resolve("quarantine.csv");
    Printed<Integer> run = printed(() -> {
      try {
        return ValidationSnippets.batchJob(validator, in, quarantine, allocator);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(run.value()).as("exit code").isEqualTo(1);
    // 1001 records (1000 rows + the added line); the line with 'eleven' is one of them: 999 rows read.
    assertThat(run.text()).contains("1001 records: 991 valid, 8 quarantined for their rules, 2 unreadable");
    try (Batch q = CsvReader.readAll(quarantine, CsvOptions.defaults(), allocator)) {
      assertThat(q.rowCount()).isEqualTo(10);
      int source = q.schema().indexOf(Quarantine.SOURCE_COLUMN);
      int line = q.schema().indexOf(Quarantine.LINE_COLUMN);
      int why = q.schema().indexOf(Quarantine.VIOLATIONS_COLUMN);
      // Row 3 of the corrupted copy is line 5 of part-1.csv (header, then rows 0, 1, 2, ...).
      boolean found = false;
      for (int i = 0; i < q.rowCount(); i++) {
        if (q.getString(source, i).equals("part-1.csv") && q.getLong(line, i) == 5) {
          found = true;
          assertThat(q.getString(why, i)).contains("credit_amount.range [ERROR]", "age.not_null [ERROR]");
        }
      }
      assertThat(found).as("row 3 at part-1.csv:5").isTrue();
      assertThat(q.toRows()).filteredOn(r -> String.valueOf(r.get(Quarantine.VIOLATIONS_COLUMN)).startsWith("malformed"))
          .extracting(r -> r.get(Quarantine.SOURCE_COLUMN) + ":" + r.get(Quarantine.LINE_COLUMN))
          .containsExactly("part-2.csv:4", "part-2.csv:11");
    }
  }

  private static <T> List<T> concat(List<T> a, T b) {
    List<T> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }

  @Test
  void theRequestPathPassesAGoodRowAndRejectsABadOneNamingTheRule() {
    DataContract contract = ValidationSnippets.suggestContract(CREDIT_G, contractFile());
    try (Batch credit = read(CREDIT_G)) {
      Row good = credit.row(0);
      assertThat(ValidationSnippets.enforceOnRequest(contract, good)).isSameAs(RowResult.PASS);

      Map<String, Object> values = new HashMap<>(good.toMap());
      values.put("credit_amount", -5.0);
      Row bad = Row.fromMap(good.schema(), values);
      assertThatThrownBy(() -> ValidationSnippets.enforceOnRequest(contract, bad))
          .isInstanceOf(RowContractViolationException.class)
          .hasMessageContaining("credit_amount.range [ERROR]: credit_amount in [0.0, 20300.0], got -5.0");
    }
  }

  @Test
  void theTestAssertionsPassOnCreditGAndNameTheRuleTheCorruptedCopyBreaks() {
    DataContract contract = ValidationSnippets.suggestContract(CREDIT_G, contractFile());
    try (Batch credit = read(CREDIT_G); Batch corrupted = corruptedCopy(credit)) {
      assertThatNoException().isThrownBy(() -> ValidationSnippets.assertInATest(contract, credit, corrupted,
          credit.row(0)));
      assertThatThrownBy(() -> ValidationSnippets.assertInATest(contract, corrupted, corrupted, credit.row(0)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected data to satisfy contract 'credit-g'")
          .hasMessageContaining("column credit_amount, rule range [ERROR]");
    }
  }

  @Test
  void theCustomRuleRejectsMinorsAndLetsAMissingAgeThrough() {
    Schema schema = Schema.of(Field.of("age", DataType.FLOAT64));
    DataContract contract = DataContract.of("applicants", schema,
        new Constraint.Custom("adult", List.of("age"), "applicants are adults", 1, Severity.ERROR));
    Validator validator = ValidationSnippets.compileWithCustomRule(contract);
    assertThat(validator.validate(Row.of(schema, 30.0)).passed()).isTrue();
    assertThat(validator.validate(Row.of(schema, (Object) null)).passed()).isTrue();
    RowResult minor = validator.validate(Row.of(schema, 17.0));
    assertThat(minor.passed()).isFalse();
    assertThat(minor.messages()).singleElement().asString().contains("custom[adult]");
  }
}
