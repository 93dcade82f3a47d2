package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example of docs/validation.md, on the real credit-g data. */
class CreditGTest extends AllocatorSupport {
  /** Rows 1-4 lose their age, rows 3, 10 and 500 get a negative amount, rows 7 and 8 an unknown purpose. */
  static List<Row> corrupt(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows);
    for (int i : new int[] {1, 2, 3, 4}) {
      out.set(i, with(out.get(i), "age", null));
    }
    for (int i : new int[] {3, 10, 500}) {
      out.set(i, with(out.get(i), "credit_amount", -1.0 * i));
    }
    for (int i : new int[] {7, 8}) {
      out.set(i, with(out.get(i), "purpose", "spaceship"));
    }
    return out;
  }

  static Row with(Row r, String column, Object value) {
    Map<String, Object> m = r.toMap();
    m.put(column, value);
    return Row.fromMap(r.schema(), m);
  }

  @Test
  void theInferredContractPassesOnItsDataAndCatchesCorruption() throws Exception {
    try (Batch credit = CreditGFile.load(allocator)) {
      assertThat(credit.rowCount()).isEqualTo(1000);
      DataContract contract = ContractInference.defaults().infer("credit-g", credit);
      assertThat(DataContract.fromYaml(contract.toYaml(), "credit-g.yaml")).isEqualTo(contract);
      assertThat(contract.constraintsOn("credit_amount")).contains(Constraint.range("credit_amount", 0.0, 20300.0));
      assertThat(contract.constraintsOn("purpose")).contains(Constraint.allowedValues("purpose", "business",
          "domestic appliance", "education", "furniture/equipment", "new car", "other", "radio/tv", "repairs",
          "retraining", "used car"));

      Validator validator = Validator.compile(contract);
      ValidationReport clean = validator.validate(credit);
      assertThat(clean.verdict()).as(clean.toText()).isEqualTo(Verdict.PASS);

      Schema schema = credit.schema();
      List<Row> bad = corrupt(credit.toRows());
      ValidationReport report = Runs.report(validator, schema, bad);
      assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(report.failures()).extracting(ConstraintResult::id)
          .containsExactly("purpose.allowed_values", "credit_amount.range", "age.not_null");
      ConstraintResult amount = report.result("credit_amount.range").orElseThrow();
      assertThat(amount.failingCount()).isEqualTo(3);
      assertThat(amount.examples()).containsExactly(new FailingExample(3, "-3.0"), new FailingExample(10, "-10.0"),
          new FailingExample(500, "-500.0"));
      assertThat(report.result("purpose.allowed_values").orElseThrow().failingCount()).isEqualTo(2);
      assertThat(report.result("age.not_null").orElseThrow().failingCount()).isEqualTo(4);
      assertThat(report.result("age.range").orElseThrow().evaluatedCount()).isEqualTo(996);

      try (Batch corrupted = Batch.fromRows(allocator, schema, bad);
          ValidationSplit split = validator.split(corrupted, allocator)) {
        assertThat(split.valid().rowCount()).isEqualTo(992);
        assertThat(split.quarantine().rowCount()).isEqualTo(8);
        assertThat(split.report()).isEqualTo(report);
        int why = split.quarantine().schema().indexOf(ValidationSplit.VIOLATIONS_COLUMN);
        assertThat(split.quarantine().getString(why, 2)).isEqualTo(
            "credit_amount.range [ERROR]: credit_amount in [0.0, 20300.0], got -3.0; "
                + "age.not_null [ERROR]: age is not null, got null");
        writeDocExamples(contract, report);
      }
    }
  }

  /** The batch-job flow: a corrupted copy of the file, read by the CSV reader, checked and split. */
  @Test
  void aCorruptedCopyOfTheFileFailsWithTheRightCounts(@TempDir Path dir) throws Exception {
    DataContract contract;
    try (Batch credit = CreditGFile.load(allocator)) {
      contract = ContractInference.defaults().infer("credit-g", credit);
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(CreditGFile.FILE));
    List<String> header = List.of(lines.get(0).split(","));
    int amount = header.indexOf("credit_amount");
    int purpose = header.indexOf("purpose");
    int age = header.indexOf("age");
    setField(lines, 3, amount, "-3.0");
    setField(lines, 10, amount, "-10.0");
    setField(lines, 7, purpose, "spaceship");
    setField(lines, 1, age, "");
    setField(lines, 2, age, "");
    setField(lines, 3, age, "");
    setField(lines, 4, age, "");
    Path corrupted = dir.resolve("credit-g-corrupted.csv");
    Files.write(corrupted, lines);
    try (Batch batch = CsvReader.readAll(corrupted, CsvOptions.defaults(), allocator);
        ValidationSplit split = Validator.compile(contract).split(batch, allocator)) {
      ValidationReport report = split.report();
      assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(report.failures()).extracting(ConstraintResult::id, ConstraintResult::failingCount)
          .containsExactly(tuple("purpose.allowed_values", 1L), tuple("credit_amount.range", 2L),
              tuple("age.not_null", 4L));
      assertThat(split.valid().rowCount()).isEqualTo(994);
      assertThat(split.quarantine().rowCount()).isEqualTo(6);
    }
  }

  /** Sets a field of data row {@code row} (0-based, after the header) of comma-separated lines. */
  private static void setField(List<String> lines, int row, int column, String value) {
    String[] cells = lines.get(row + 1).split(",", -1);
    cells[column] = value;
    lines.set(row + 1, String.join(",", cells));
  }

  /** Keeps the excerpts quoted by docs/validation.md reproducible: {@code target/credit-g-example/}. */
  private static void writeDocExamples(DataContract contract, ValidationReport report) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "credit-g-example"));
    contract.write(dir.resolve("credit-g.contract.yaml"));
    Files.writeString(dir.resolve("report.txt"), report.toText());
    Files.writeString(dir.resolve("report.json"), report.toJson());
  }
}
