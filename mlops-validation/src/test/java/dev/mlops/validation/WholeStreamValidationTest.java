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
import dev.mlops.validation.ConstraintResult.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dataset rules judged on a whole stream of batches, not on each batch: the reproductions of the
 * batch-job report (a key repeated in two batches passed {@code unique}; {@code row_count} and
 * {@code mostly} saw one batch; examples were numbered from the start of their batch).
 */
class WholeStreamValidationTest extends AllocatorSupport {
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("amount", DataType.FLOAT64),
      Field.of("code", DataType.STRING));
  static final DataContract CONTRACT = DataContract.of("loans", SCHEMA,
      Constraint.unique("id"),
      new Constraint.Unique("code", 1.0, Severity.ERROR),
      new Constraint.RowCount(10L, 10L, Severity.ERROR),
      new Constraint.NotNull("amount", 0.8, Severity.ERROR),
      new Constraint.Mean("amount", 0.0, 100.0, Severity.ERROR));

  /** Rows id = from..to-1, amount = id (null when id % nullEvery == 0), code "c" + id. */
  private static List<Row> rows(long from, long to, int nullEvery) {
    List<Row> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(Row.of(SCHEMA, i, i % nullEvery == 0 ? null : (double) i, "c" + i));
    }
    return out;
  }

  private Batch batch(List<Row> rows) {
    return Batch.fromRows(allocator, SCHEMA, rows);
  }

  @Test
  void aKeyRepeatedInAnotherBatchFailsUnique() {
    Validator v = Validator.compile(CONTRACT);
    List<Row> first = rows(0, 5, 1000);
    List<Row> second = new ArrayList<>(rows(5, 9, 1000));
    second.add(Row.of(SCHEMA, 3L, 9.0, "c9")); // id 3 again, in the second batch, at global row 9
    ValidationSession session = v.newSession(SCHEMA);
    try (Batch a = batch(first); Batch b = batch(second)) {
      // Each batch alone is clean: the per-batch path cannot see the repeat.
      assertThat(v.validate(a).result("id.unique").orElseThrow().passed()).isTrue();
      assertThat(v.validate(b).result("id.unique").orElseThrow().passed()).isTrue();
      session.accumulate(a);
      session.accumulate(b);
    }
    ValidationReport report = session.report();
    ConstraintResult unique = report.result("id.unique").orElseThrow();
    assertThat(unique.status()).isEqualTo(Status.FAILED);
    assertThat(unique.failingCount()).isEqualTo(1);
    assertThat(unique.examples()).containsExactly(new FailingExample(9, "3"));
    assertThat(report.result("code.unique").orElseThrow().passed()).isTrue();
    assertThat(report.rowCount()).isEqualTo(10);
    assertThat(report.result("row_count").orElseThrow().passed()).isTrue();
  }

  @Test
  void aKeyRepeatedInAnotherFileFailsUniqueWhenTheFilesSessionsMerge() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession fileA = v.newSession(SCHEMA, 0);
    ValidationSession fileB = v.newSession(SCHEMA, 5);
    try (Batch a = batch(rows(0, 5, 1000)); Batch b = batch(rows(4, 9, 1000))) { // id 4, code c4 in both
      fileA.accumulate(a);
      fileB.accumulate(b);
    }
    ValidationReport ab = v.newSession(SCHEMA).merge(fileA).merge(fileB).report();
    ValidationReport ba = v.newSession(SCHEMA).merge(fileB).merge(fileA).report();
    assertThat(ab).isEqualTo(ba);
    ConstraintResult unique = ab.result("id.unique").orElseThrow();
    assertThat(unique.failingCount()).isEqualTo(1);
    // File B's first row (global row 5) repeats file A's row 4.
    assertThat(unique.examples()).containsExactly(new FailingExample(5, "4"));
    assertThat(ab.result("code.unique").orElseThrow().examples()).containsExactly(new FailingExample(5, "c4"));
  }

  @Test
  void rowCountAndMostlyAreJudgedOnTheTotal() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession session = v.newSession(SCHEMA);
    // 10 rows in batches of 4, 4 and 2; amount null on ids 0, 3, 6, 9: 4 of 10 = 60% non-null < 80%.
    // The first batch alone (ids 0-3) has 2 of 4 null, the last (8, 9) 1 of 2: each batch fails
    // row_count, and only the total says whether mostly holds.
    try (Batch a = batch(rows(0, 4, 3)); Batch b = batch(rows(4, 8, 3)); Batch c = batch(rows(8, 10, 3))) {
      assertThat(v.validate(a).result("row_count").orElseThrow().passed()).isFalse();
      session.accumulate(a);
      session.accumulate(b);
      session.accumulate(c);
    }
    ValidationReport report = session.report();
    assertThat(report.result("row_count").orElseThrow().passed()).isTrue();
    assertThat(report.result("row_count").orElseThrow().observed()).isEqualTo(10.0);
    ConstraintResult notNull = report.result("amount.not_null").orElseThrow();
    assertThat(notNull.evaluatedCount()).isEqualTo(10);
    assertThat(notNull.failingCount()).isEqualTo(4);
    assertThat(notNull.status()).isEqualTo(Status.FAILED);
    assertThat(notNull.examples()).extracting(FailingExample::row).containsExactly(0L, 3L, 6L, 9L);
    // mean of the non-null amounts 1, 2, 4, 5, 7, 8: 27 / 6
    assertThat(report.result("amount.mean").orElseThrow().observed()).isEqualTo(4.5);
    assertThat(report.failingRowCount()).isEqualTo(4);
    assertThat(report.toText()).startsWith("loans: FAIL (4 of 10 rows failed row rules, 1 of 5 constraints failed,"
        + " 0 schema issues)");
  }

  @Test
  void examplesCarryGlobalRowIndicesAcrossBatchesAndRows() {
    Validator v = Validator.compile(DataContract.of("c", SCHEMA, Constraint.range("amount", 0.0, 5.0)));
    ValidationSession session = v.newSession(SCHEMA, 1_000);
    try (Batch a = batch(rows(0, 4, 1000))) {
      session.accumulate(a);
    }
    rows(4, 7, 1000).forEach(session::accumulate);
    try (Batch b = batch(rows(7, 9, 1000))) {
      session.accumulate(b);
    }
    ConstraintResult range = session.report().result("amount.range").orElseThrow();
    assertThat(range.examples()).extracting(FailingExample::row).containsExactly(1_006L, 1_007L, 1_008L);
    assertThat(session.nextRowIndex()).isEqualTo(1_009);
  }

  @Test
  void refusesToMergeOverlappingRowsOtherContractsOrItself() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession a = v.newSession(SCHEMA);
    ValidationSession b = v.newSession(SCHEMA);
    rows(0, 3, 1000).forEach(a::accumulate);
    rows(0, 3, 1000).forEach(b::accumulate);
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot merge sessions whose rows overlap: this one holds rows [0, 3), the other [0, 3); open"
            + " each part's session at the global index of its first row with Validator.newSession(schema,"
            + " firstRowIndex)");
    assertThatThrownBy(() -> a.merge(a)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("into itself");
    Validator other = Validator.compile(DataContract.of("other", SCHEMA, Constraint.unique("id")));
    assertThatThrownBy(() -> a.merge(other.newSession(SCHEMA, 10))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot merge a session of contract 'other' into one of contract 'loans' (the contracts differ)");
    Schema narrower = Schema.of(Field.of("id", DataType.INT64), Field.of("amount", DataType.FLOAT64));
    ValidationSession drifted = v.newSession(narrower, 10);
    drifted.accumulate(Row.of(narrower, 10L, 1.0));
    assertThatThrownBy(() -> a.merge(drifted)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("start a new session per schema");
    assertThatThrownBy(() -> v.newSession(SCHEMA, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("firstRowIndex must be at least 0, got -1");
    // Nothing was folded in by the refused merges.
    assertThat(a.rowCount()).isEqualTo(3);
    assertThat(a.report()).isEqualTo(v.newSession(SCHEMA).merge(b).report());
  }

  @Test
  void mergedRangesAreRememberedTouchingOnesJoinAndAnOverlapOfOneRowIsRefused() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession a = v.newSession(SCHEMA, 0);
    ValidationSession b = v.newSession(SCHEMA, 3);
    ValidationSession c = v.newSession(SCHEMA, 4);
    ValidationSession d = v.newSession(SCHEMA, 6);
    rows(0, 3, 1000).forEach(a::accumulate);
    rows(3, 6, 1000).forEach(b::accumulate);
    rows(4, 5, 1000).forEach(c::accumulate);
    rows(6, 8, 1000).forEach(d::accumulate);
    a.merge(b); // [0, 3) and [3, 6) touch: one range [0, 6)
    // c's row 4 lies inside what a now holds through b: refused, though a's own rows end at 3.
    assertThatThrownBy(() -> a.merge(c)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot merge sessions whose rows overlap: this one holds rows [0, 6), the other"
            + " [4, 5)");
    a.merge(d); // [6, 8) touches [0, 6)
    assertThat(a.rowCount()).isEqualTo(8);
    assertThat(a.nextRowIndex()).isEqualTo(8);
    ValidationSession one = v.newSession(SCHEMA);
    rows(0, 3, 1000).forEach(one::accumulate);
    rows(3, 6, 1000).forEach(one::accumulate);
    rows(6, 8, 1000).forEach(one::accumulate);
    assertThat(a.report()).isEqualTo(one.report());
  }

  @Test
  void aUniqueRuleOverItsMemoryLimitFailsNamingTheRuleInsteadOfExhaustingTheHeap() {
    Validator v = Validator.compile(DataContract.of("keys", SCHEMA, Constraint.unique("id")))
        .withKeyMemoryLimit(4096);
    ValidationSession session = v.newSession(SCHEMA);
    // 4096 bytes hold a table of 256 slots (16 bytes each); its 193rd key would make it grow past that.
    assertThatThrownBy(() -> rows(0, 1000, 1000).forEach(session::accumulate))
        .isInstanceOf(ValidationLimitException.class)
        .hasMessage("id.unique keeps every distinct key exactly and holds 193, which need about 8,192 bytes, over"
            + " its limit of 4,096 bytes; raise the limit (Validator.withKeyMemoryLimit), or validate the data in"
            + " parts whose keys cannot repeat across parts");
    // String keys are estimated per entry; merging counts too.
    Validator strings = Validator.compile(DataContract.of("codes", SCHEMA, Constraint.unique("code")))
        .withKeyMemoryLimit(10_000);
    ValidationSession a = strings.newSession(SCHEMA, 0);
    ValidationSession b = strings.newSession(SCHEMA, 60);
    rows(0, 60, 1000).forEach(a::accumulate);
    rows(60, 120, 1000).forEach(b::accumulate);
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(ValidationLimitException.class)
        .hasMessageStartingWith("code.unique keeps every distinct key exactly and holds");
    // The default limit (1 GiB) is far above this.
    ValidationSession plenty = Validator.compile(CONTRACT).newSession(SCHEMA);
    rows(0, 20_000, 1000).forEach(plenty::accumulate);
    assertThat(plenty.report().result("id.unique").orElseThrow().passed()).isTrue();
    assertThatThrownBy(() -> v.withKeyMemoryLimit(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBatchOfAnotherSchemaIsRefusedBeforeAnyRowCounts() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession session = v.newSession(SCHEMA);
    Schema other = Schema.of(Field.of("id", DataType.STRING));
    try (Batch b = Batch.fromRows(allocator, other, List.of(Row.of(other, "x")))) {
      assertThatThrownBy(() -> session.accumulate(b)).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Batch starting at row 0 has schema");
    }
    assertThat(session.rowCount()).isZero();
  }

  @Test
  void readingWithTheReadSchemaLetsNotNullJudgeAMissingValue(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Schema strict = Schema.of(Field.of("id", DataType.INT64, false, dev.mlops.core.Role.FEATURE),
        Field.of("amount", DataType.FLOAT64, false, dev.mlops.core.Role.FEATURE));
    DataContract contract = DataContract.of("strict", strict, new Constraint.NotNull("amount", 0.5, Severity.ERROR));
    java.nio.file.Path csv = dir.resolve("loans.csv");
    java.nio.file.Files.writeString(csv, "id,amount\n1,10.0\n2,\n3,30.0\n");
    // Under the contract's own schema the missing amount is a read error: the rule never runs.
    dev.mlops.core.io.CsvOptions strictRead = dev.mlops.core.io.CsvOptions.builder().schema(strict).build();
    assertThatThrownBy(() -> dev.mlops.core.io.CsvReader.readAll(csv, strictRead, allocator).close())
        .isInstanceOf(dev.mlops.core.DataFormatException.class).hasMessageContaining("non-nullable");
    dev.mlops.core.io.CsvOptions read = dev.mlops.core.io.CsvOptions.builder().schema(contract.readSchema()).build();
    Validator v = Validator.compile(contract);
    try (Batch b = dev.mlops.core.io.CsvReader.readAll(csv, read, allocator)) {
      ConstraintResult r = v.validate(b).result("amount.not_null").orElseThrow();
      assertThat(r.failingCount()).isEqualTo(1);
      assertThat(r.examples()).containsExactly(new FailingExample(1, "null"));
      assertThat(r.passed()).as("1 of 3 missing is within mostly 0.5").isTrue();
    }
    assertThat(contract.readSchema().fields()).allSatisfy(f -> assertThat(f.nullable()).isTrue());
    assertThat(contract.readSchema().names()).isEqualTo(strict.names());
  }

  @Test
  void uniqueOverFloatKeysFollowsDoubleEquals() {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64));
    Validator v = Validator.compile(DataContract.of("f", s, Constraint.unique("x")));
    ValidationSession a = v.newSession(s, 0);
    ValidationSession b = v.newSession(s, 3);
    for (double x : new double[] {Double.NaN, 0.0, 1.5}) {
      a.accumulate(Row.of(s, x));
    }
    for (double x : new double[] {-0.0, Double.NaN, 1.5}) {
      b.accumulate(Row.of(s, x));
    }
    ConstraintResult r = b.merge(a).report().result("x.unique").orElseThrow();
    // NaN repeats NaN and 1.5 repeats 1.5 (Double.equals); -0.0 is not 0.0.
    assertThat(r.examples()).containsExactly(new FailingExample(4, "NaN"), new FailingExample(5, "1.5"));
  }
}
