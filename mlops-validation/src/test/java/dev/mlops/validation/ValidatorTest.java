package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Batch;
import dev.mlops.core.ContractViolationException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Json;
import dev.mlops.validation.ConstraintResult.Status;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest extends AllocatorSupport {
  static final Schema SCHEMA = Schema.of(
      Field.of("amount", DataType.FLOAT64),
      Field.of("purpose", DataType.STRING),
      Field.of("age", DataType.INT64),
      Field.of("code", DataType.STRING));

  static final DataContract CONTRACT = DataContract.of("loans", SCHEMA,
      Constraint.notNull("amount"),
      Constraint.range("amount", 0.0, 20000.0),
      Constraint.allowedValues("purpose", "car", "tv"),
      new Constraint.Range("age", 18.0, 100.0, false, false, 1.0, Severity.WARN),
      Constraint.regex("code", "[A-Z]{2}[0-9]{3}"),
      new Constraint.Length("code", 5, 5, 1.0, Severity.ERROR),
      Constraint.compare("age", "<", "amount"),
      new Constraint.Mean("amount", 0.0, 10000.0, Severity.ERROR),
      Constraint.unique("code"));

  static Row row(Double amount, String purpose, Long age, String code) {
    return Row.of(SCHEMA, amount, purpose, age, code);
  }

  @Test
  void passingRowsShareOneResult() {
    Validator v = Validator.compile(CONTRACT);
    assertThat(v.validate(row(100.0, "car", 30L, "AB123"))).isSameAs(RowResult.PASS);
  }

  @Test
  void aFailingRowListsEveryBrokenRowCheck() {
    RowResult r = Validator.compile(CONTRACT).validate(row(-5.0, "boat", 10L, "x"));
    assertThat(r.violations()).extracting(v -> v.constraint().id()).containsExactly("amount.range",
        "purpose.allowed_values", "age.range", "code.regex", "code.length", "compare[age<amount]");
    assertThat(r.violations().get(0).message())
        .isEqualTo("amount.range [ERROR]: amount in [0.0, 20000.0], got -5.0");
    assertThat(r.hasErrors()).isTrue();
  }

  @Test
  void rejectPolicyThrowsWithEveryFailedRule() {
    Validator v = Validator.compile(CONTRACT);
    Row bad = row(-5.0, "boat", 30L, "AB123");
    assertThatThrownBy(() -> v.enforce(bad, OnlinePolicy.REJECT))
        .isInstanceOf(ContractViolationException.class)
        .isInstanceOf(RowContractViolationException.class)
        .hasMessage("row (contract 'loans') violates the data contract (3 rules failed):\n"
            + "  - amount.range [ERROR]: amount in [0.0, 20000.0], got -5.0\n"
            + "  - purpose.allowed_values [ERROR]: purpose in [car, tv], got boat\n"
            + "  - compare[age<amount] [ERROR]: age < amount, got age=30, amount=-5.0")
        .satisfies(e -> assertThat(((RowContractViolationException) e).result().violations()).hasSize(3));
  }

  @Test
  void rejectPolicyLetsWarningsThroughAndFlagNeverThrows() {
    Validator v = Validator.compile(CONTRACT);
    RowResult warned = v.enforce(row(100.0, "car", 17L, "AB123"), OnlinePolicy.REJECT);
    assertThat(warned.passed()).isFalse();
    assertThat(warned.hasErrors()).isFalse();
    RowResult flagged = v.enforce(row(25000.0, "car", 30L, "AB123"), OnlinePolicy.FLAG);
    assertThat(flagged.violations()).hasSize(1);
    assertThat(v.enforce(row(-1.0, "car", 30L, "AB123"), OnlinePolicy.PASS)).isSameAs(RowResult.PASS);
  }

  /** Bytes the current thread allocates per {@code validate(row)} of passing rows, after warm-up. */
  static double bytesPerPassingRow(Validator v, Row[] rows) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int passed = 0;
    for (int i = 0; i < 200_000; i++) {
      passed += v.validate(rows[i & 1023]) == RowResult.PASS ? 1 : 0;
    }
    int n = 100_000;
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < n; i++) {
      passed += v.validate(rows[i & 1023]) == RowResult.PASS ? 1 : 0;
    }
    long bytes = mx.getThreadAllocatedBytes(tid) - before;
    assertThat(passed).isEqualTo(200_000 + n);
    return (double) bytes / n;
  }

  static Row[] passingRows() {
    Row[] rows = new Row[1024];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(100.0 + i, i % 2 == 0 ? "car" : "tv", 20L + i % 50, "AB" + (100 + i % 900));
    }
    return rows;
  }

  /** Range, allowed values, length and compare checks of a passing row allocate nothing. */
  @Test
  void passingRowsWithoutRegexRulesAllocateNothing() {
    List<Constraint> noRegex = CONTRACT.constraints().stream().filter(c -> !(c instanceof Constraint.Regex)).toList();
    Validator v = Validator.compile(DataContract.of("loans", SCHEMA, noRegex));
    assertThat(bytesPerPassingRow(v, passingRows())).as("bytes allocated per passing row").isLessThan(1.0);
  }

  /**
   * A regex rule whose pattern has an automaton (here {@code [A-Z]{2}[0-9]{3}}) matches without
   * allocating, so a passing row with every rule kind of the contract allocates nothing.
   */
  @Test
  void passingRowsWithARegexRuleAllocateNothing() {
    Validator v = Validator.compile(CONTRACT);
    assertThat(bytesPerPassingRow(v, passingRows())).as("bytes allocated per passing row, one regex rule")
        .isLessThan(1.0);
  }

  /**
   * A pattern outside the automaton's syntax, here case-insensitive, matches on RE2/J (linear time,
   * issue 8 H4), which allocates per match: its input wrappers and result copy, 64 bytes on JDK 17,
   * the matcher itself reused per thread.
   */
  @Test
  void aRegexRuleOnRe2jAllocatesOnlyItsPerMatchInputOnAPassingRow() {
    List<Constraint> folded = CONTRACT.constraints().stream()
        .map(c -> c instanceof Constraint.Regex r ? Constraint.regex(r.column(), "(?i)[a-z]{2}[0-9]{3}") : c)
        .toList();
    Validator v = Validator.compile(DataContract.of("loans", SCHEMA, folded));
    double bytes = bytesPerPassingRow(v, passingRows());
    assertThat(bytes).as("bytes allocated per passing row, one regex rule on RE2/J").isBetween(16.0, 100.0);
  }

  @Test
  void rowsOfAnEqualSchemaInstanceUseTheCompiledChecks() {
    Schema copy = Schema.fromJson(SCHEMA.toJson());
    Validator v = Validator.compile(CONTRACT);
    assertThat(v.validate(Row.of(copy, 100.0, "car", 30L, "AB123"))).isSameAs(RowResult.PASS);
    assertThat(v.validate(Row.of(copy, 25000.0, "car", 30L, "AB123")).violations()).hasSize(1);
  }

  @Test
  void schemaDriftIsAResultNotAnException() {
    Schema drifted = Schema.of(
        Field.of("amount", DataType.FLOAT64),
        Field.of("age", DataType.STRING),
        Field.of("code", DataType.STRING),
        Field.of("channel", DataType.STRING));
    Validator v = Validator.compile(CONTRACT);
    List<Row> rows = List.of(Row.of(drifted, -1.0, "x", "AB123", "web"), Row.of(drifted, 5.0, "y", "AB124", "app"));
    ValidationReport report = Runs.report(v, drifted, rows);
    assertThat(report.schemaIssues()).containsExactly(
        new SchemaIssue(SchemaIssue.Kind.MISSING_COLUMN, "purpose", "string", null, Severity.ERROR),
        new SchemaIssue(SchemaIssue.Kind.WRONG_TYPE, "age", "int64", "string", Severity.ERROR),
        new SchemaIssue(SchemaIssue.Kind.EXTRA_COLUMN, "channel", null, "string", Severity.WARN));
    assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.result("purpose.allowed_values").orElseThrow().status()).isEqualTo(Status.NOT_EVALUATED);
    assertThat(report.result("compare[age<amount]").orElseThrow().message())
        .isEqualTo("not evaluated: column 'age' is string, the contract expects int64");
    assertThat(report.result("amount.range").orElseThrow().failingCount()).isEqualTo(1);
    RowResult r = v.validate(rows.get(1));
    assertThat(r.violations()).isEmpty();
    assertThat(r.schemaIssues()).hasSize(3);
    assertThatThrownBy(() -> v.enforce(rows.get(1), OnlinePolicy.REJECT))
        .hasMessageContaining("column 'purpose' is missing (contract expects string)");
  }

  /**
   * Issue 8, low: a request value with a newline or a terminal escape must not start a forged line in
   * a log that records a violation, a rejection or a report.
   */
  @Test
  void controlCharactersInValuesAreEscapedWhereverTheyAreRenderedAsText() {
    String forged = "x\nFAKE LOG LINE\r\u001b[31m\t\u2028";
    String shown = "x\\nFAKE LOG LINE\\r\\u001B[31m\\t\\u2028";
    Validator v = Validator.compile(CONTRACT);
    Row bad = row(100.0, forged, 30L, "AB123");
    RowResult r = v.validate(bad);
    assertThat(r.violations()).singleElement().satisfies(x -> {
      assertThat(x.value()).isEqualTo(shown);
      assertThat(x.message()).isEqualTo("purpose.allowed_values [ERROR]: purpose in [car, tv], got " + shown);
    });
    assertThatThrownBy(() -> v.enforce(bad, OnlinePolicy.REJECT))
        .hasMessage("row (contract 'loans') violates the data contract (1 rule failed):\n"
            + "  - purpose.allowed_values [ERROR]: purpose in [car, tv], got " + shown);
    ValidationReport report = Runs.report(v, SCHEMA, List.of(bad));
    assertThat(report.toText().lines()).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("\r",
        "\u001b", "\u2028", "\t"));
    assertThat(report.toText()).endsWith("e.g. row 0 = " + shown);
    assertThat(report.result("purpose.allowed_values").orElseThrow().examples().get(0).value()).isEqualTo(shown);
    try (Batch batch = Batch.fromRows(allocator, SCHEMA, List.of(bad));
        ValidationSplit split = v.split(batch, allocator)) {
      assertThat(split.quarantine().getString(4, 0)).endsWith("got " + shown);
      assertThat(split.quarantine().getString(1, 0)).as("the data itself is kept as it was").isEqualTo(forged);
    }
  }

  @Test
  void columnNamesAndContractTextInMessagesAreEscapedToo() {
    Schema drifted = Schema.of(Field.of("amount", DataType.FLOAT64), Field.of("a\nFAKE", DataType.STRING));
    DataContract c = DataContract.of("loans\nFAKE", Schema.of(Field.of("amount", DataType.FLOAT64)),
        Constraint.notNull("amount")).withExtraColumns(ExtraColumns.ERROR);
    Validator v = Validator.compile(c);
    Row r = Row.of(drifted, 1.0, "y");
    assertThat(v.validate(r).messages()).containsExactly(
        "column 'a\\nFAKE' (string) is not in the contract; add it to the contract or drop it from the data");
    assertThatThrownBy(() -> v.enforce(r, OnlinePolicy.REJECT))
        .hasMessageStartingWith("row (contract 'loans\\nFAKE') violates the data contract (1 rule failed):\n  - ");
    assertThat(Runs.report(v, drifted, List.of(r)).toText()).startsWith("loans\\nFAKE: FAIL").hasLineCount(2);
  }

  @Test
  void aThrowingCustomPredicateIsReportedWithTheRowEscaped() {
    Schema s = Schema.of(Field.of("t", DataType.STRING));
    DataContract c = DataContract.of("c", s, new Constraint.Custom("boom", List.of("t"), "", 1.0, Severity.ERROR));
    Validator v = Validator.compile(c, java.util.Map.of("boom", row -> {
      throw new IllegalStateException("bad value " + row.getString("t"));
    }));
    assertThatThrownBy(() -> v.validate(Row.of(s, "x\nFAKE LOG LINE")))
        .hasMessageContaining("bad value x\\nFAKE LOG LINE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void extraColumnPolicyDecidesTheVerdict() {
    Schema wider = Schema.of(Field.of("amount", DataType.FLOAT64), Field.of("more", DataType.INT64));
    Schema narrow = Schema.of(Field.of("amount", DataType.FLOAT64));
    DataContract c = DataContract.of("c", narrow, Constraint.notNull("amount"));
    List<Row> rows = List.of(Row.of(wider, 1.0, 2L));
    assertThat(Runs.report(Validator.compile(c), wider, rows).verdict()).isEqualTo(Verdict.WARN);
    assertThat(Runs.report(Validator.compile(c.withExtraColumns(ExtraColumns.ERROR)), wider, rows).verdict())
        .isEqualTo(Verdict.FAIL);
    ValidationReport ignored = Runs.report(Validator.compile(c.withExtraColumns(ExtraColumns.IGNORE)), wider, rows);
    assertThat(ignored.verdict()).isEqualTo(Verdict.PASS);
    assertThat(ignored.schemaIssues()).isEmpty();
  }

  @Test
  void splitQuarantinesErrorRowsWithReasonsAndKeepsWarnRows() {
    Validator v = Validator.compile(CONTRACT);
    List<Row> rows = List.of(
        row(100.0, "car", 30L, "AB123"),
        row(-5.0, "boat", 30L, "AB124"),
        row(200.0, "tv", 17L, "AB125"),
        row(300.0, "tv", 40L, "AB123"),
        row(null, "car", 50L, "AB126"));
    List<Row> withHeadRow = new ArrayList<>(rows);
    withHeadRow.add(0, row(-99.0, "boat", 1L, "??"));
    try (Batch whole = Batch.fromRows(allocator, SCHEMA, withHeadRow);
        Batch input = whole.slice(1, 5);
        ValidationSplit split = v.split(input, allocator)) {
      assertThat(split.valid().rowCount() + split.quarantine().rowCount()).isEqualTo(input.rowCount());
      assertThat(split.valid().toRows()).containsExactly(rows.get(0), rows.get(2));
      Batch q = split.quarantine();
      assertThat(q.schema().names()).containsExactly("amount", "purpose", "age", "code", "_violations");
      assertThat(q.rowCount()).isEqualTo(3);
      assertThat(q.getString(4, 0)).isEqualTo("amount.range [ERROR]: amount in [0.0, 20000.0], got -5.0; "
          + "purpose.allowed_values [ERROR]: purpose in [car, tv], got boat; "
          + "compare[age<amount] [ERROR]: age < amount, got age=30, amount=-5.0");
      assertThat(q.getString(4, 1)).isEqualTo("code.unique [ERROR]: code is unique, got AB123");
      assertThat(q.getString(4, 2)).isEqualTo("amount.not_null [ERROR]: amount is not null, got null");
      assertThat(q.getDouble(0, 1)).isEqualTo(300.0);
      assertThat(split.report().result("age.range").orElseThrow().failingCount()).isEqualTo(1);
    }
  }

  @Test
  void splitOfACleanBatchQuarantinesNothing() {
    Validator v = Validator.compile(CONTRACT);
    try (Batch input = Batch.fromRows(allocator, SCHEMA, List.of(row(1.0, "car", 0L, "AB123")));
        ValidationSplit split = v.split(input, allocator)) {
      assertThat(split.valid().rowCount()).isEqualTo(1);
      assertThat(split.quarantine().rowCount()).isZero();
    }
  }

  @Test
  void aSessionRefusesRowsOfAnotherSchema() {
    ValidationSession s = Validator.compile(CONTRACT).newSession();
    s.accumulate(row(1.0, "car", 20L, "AB123"));
    Schema other = Schema.of(Field.of("amount", DataType.FLOAT64));
    assertThatThrownBy(() -> s.accumulate(Row.of(other, 1.0)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("start a new session per schema");
    assertThat(s.rowCount()).isEqualTo(1);
  }

  @Test
  void anEmptySessionReportsEmptyDataBehaviour() {
    ValidationReport r = Validator.compile(CONTRACT).newSession().report();
    assertThat(r.rowCount()).isZero();
    assertThat(r.failures()).extracting(ConstraintResult::id).containsExactly("amount.mean");
  }

  /** Ten rows, the last three with amounts above the range. */
  static List<Row> tenRows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(row(i < 7 ? 100.0 : 25000.0 + i, "car", 30L, "AB" + (100 + i)));
    }
    return rows;
  }

  /** The JSON report format, version 2: any change to it must be deliberate (and bump the version). */
  @Test
  void reportJsonMatchesTheGoldenVersion2File() throws Exception {
    String golden = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/golden/report-v2.json"));
    assertThat(Runs.report(CONTRACT, tenRows()).toJson()).isEqualTo(golden);
  }

  @Test
  void reportHasJsonAndTextForms() {
    ValidationReport r = Runs.report(CONTRACT, tenRows());
    assertThat(r.toText()).isEqualTo("loans: FAIL (3 of 10 rows failed row rules, 1 of 9 constraints failed, 0 schema issues)\n"
        + "  ERROR  amount.range (amount in [0.0, 20000.0]): 3 of 10 values fail (30.00%); "
        + "e.g. row 7 = 25007.0, row 8 = 25008.0, row 9 = 25009.0");
    JsonNode json = Json.parse(r.toJson(), "report");
    assertThat(json.get("verdict").asText()).isEqualTo("FAIL");
    JsonNode range = json.get("results").get(1);
    assertThat(range.get("id").asText()).isEqualTo("amount.range");
    assertThat(range.get("failing").asLong()).isEqualTo(3);
    assertThat(range.get("failingRatio").asDouble()).isEqualTo(0.3);
    assertThat(range.get("examples").get(0).get("row").asLong()).isEqualTo(7);
    assertThat(json.get("results").get(2).get("id").asText()).isEqualTo("amount.mean");
    assertThat(json.get("results").get(2).get("observed").asDouble()).isCloseTo((700.0 + 75024.0) / 10, org.assertj.core.data.Offset.offset(1e-9));
  }
}
