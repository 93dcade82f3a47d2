package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.ConstraintResult;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Quarantine;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation on Spark local mode (2 threads) against local validation of the same rows: credit-g in
 * skewed partitions with an empty one, a contract inferred from its first 400 rows (so the rest
 * break some rules) plus uniqueness, compound uniqueness and distinct-count rules whose repeats span
 * partitions; the report equals the local session's, the quarantine the local quarantine's, and a
 * task that fails once changes nothing.
 */
class SparkValidationTest {
  @TempDir
  static Path dir;

  static CreditG data;
  static SparkSession spark;
  static DataContract contract;

  @BeforeAll
  static void start() {
    data = CreditG.load();
    SparkProfilesTest.data = data;
    spark = LocalSpark.get();
    try (BufferAllocator a = new RootAllocator(); Batch first = Batch.fromRows(a, data.schema,
        data.rows.subList(0, 400))) {
      contract = ContractInference.defaults().infer("credit-g", first).with(
          Constraint.unique("credit_amount"),
          new Constraint.Unique("age", 1.0, Severity.WARN),
          new Constraint.CompoundUnique(List.of("duration", "purpose", "age"), 1.0, Severity.ERROR),
          new Constraint.DistinctCount("purpose", 1L, 8L, Severity.WARN),
          new Constraint.Mean("credit_amount", 0.0, 3000.0, Severity.ERROR),
          new Constraint.Quantile("age", 0.5, 20.0, 40.0, Severity.ERROR));
    }
  }

  /** One local session over the rows, in order: the reference every Spark result must equal. */
  static ValidationReport local(List<dev.mlops.core.Row> rows) {
    ValidationSession s = Validator.compile(contract).newSession(data.schema);
    rows.forEach(s::accumulate);
    return s.report();
  }

  /**
   * Equal to the local report in every verdict, count, statistic and example; a quantile bound
   * judged from a KLL estimate (a column of more distinct values than the exact counts keep) has
   * the local verdict, and its estimate lies within the sketch's rank error of the true quantile,
   * since how rows fall into partitions changes a sketch's state, not its guarantee.
   */
  static void assertSameAsLocal(ValidationReport viaSpark, ValidationReport local) {
    assertThat(viaSpark.results()).hasSameSizeAs(local.results());
    for (int i = 0; i < local.results().size(); i++) {
      ConstraintResult l = local.results().get(i);
      ConstraintResult s = viaSpark.results().get(i);
      if (l.constraint() instanceof Constraint.Quantile q && l.message().contains("KLL")) {
        assertThat(s.status()).as(l.id()).isEqualTo(l.status());
        double[] sorted = data.rows.stream().filter(r -> !r.isNull(q.column()))
            .mapToDouble(r -> ((Number) r.get(q.column())).doubleValue()).sorted().toArray();
        double v = s.observed();
        double below = (double) java.util.Arrays.stream(sorted).filter(x -> x < v).count() / sorted.length;
        double atOrBelow = (double) java.util.Arrays.stream(sorted).filter(x -> x <= v).count() / sorted.length;
        assertThat(below).as(l.id()).isLessThanOrEqualTo(q.q() + 0.0133);
        assertThat(atOrBelow).as(l.id()).isGreaterThanOrEqualTo(q.q() - 0.0133);
      } else {
        assertThat(s).as(l.id()).isEqualTo(l);
      }
    }
    assertThat(viaSpark.rowCount()).isEqualTo(local.rowCount());
    assertThat(viaSpark.failingRowCount()).isEqualTo(local.failingRowCount());
    assertThat(viaSpark.verdict()).isEqualTo(local.verdict());
    assertThat(viaSpark.schemaIssues()).isEqualTo(local.schemaIssues());
  }

  @Test
  void skewedPartitionsWithAnEmptyOneGiveTheLocalReport() {
    Dataset<Row> ds = data.dataset(spark, data.rows, 700, 0, 250, 40, 10);
    ValidationReport report = SparkValidation.validate(ds, contract).report();
    assertSameAsLocal(report, local(data.rows));
    // The contract really is exercised: repeats across partitions, failing rows, every kind of rule.
    ConstraintResult unique = report.result("credit_amount.unique").orElseThrow();
    assertThat(unique.failingCount()).isPositive();
    assertThat(unique.examples()).hasSize(ValidationReport.MAX_EXAMPLES);
    assertThat(report.result("compound_unique[duration,purpose,age]").orElseThrow().failingCount()).isPositive();
    assertThat(report.result("purpose.distinct_count").orElseThrow().observed()).isEqualTo(10.0);
    assertThat(report.failingRowCount()).isPositive();
    assertThat(report.results()).noneMatch(r -> r.status() == ConstraintResult.Status.NOT_EVALUATED);
  }

  @Test
  void manySmallPartitionsAndOneRowPartitionsGiveTheLocalReport() {
    assertSameAsLocal(SparkValidation.validate(data.dataset(spark, data.rows, CreditG.smallPartitions()),
        contract).report(),
        local(data.rows));
  }

  @Test
  void theQuarantineHoldsTheRowsTheLocalQuarantineHoldsWithTheSameViolations() throws Exception {
    Dataset<Row> ds = data.dataset(spark, data.rows, 700, 0, 250, 40, 10);
    List<Row> viaSpark = SparkValidation.validate(ds, contract).quarantine().collectAsList();
    Path file = dir.resolve("local-quarantine.csv");
    Validator v = Validator.compile(contract);
    try (BufferAllocator a = new RootAllocator();
        Quarantine q = Quarantine.open(file, Quarantine.Format.CSV, data.schema, a)) {
      ValidationSession s = v.newSession(data.schema).quarantineTo(q);
      data.rows.forEach(s::accumulate);
    }
    List<String> localReasons = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator();
        Batch b = CsvReader.readAll(file, CsvOptions.defaults(), a)) {
      int at = b.schema().indexOf(Quarantine.VIOLATIONS_COLUMN);
      for (int i = 0; i < b.rowCount(); i++) {
        localReasons.add(String.valueOf(b.get(at, i)));
      }
    }
    assertThat(viaSpark).hasSize(localReasons.size()).isNotEmpty();
    StructType st = ds.schema();
    int violations = st.length();
    int[] sizes = {700, 0, 250, 40, 10};
    for (int i = 0; i < viaSpark.size(); i++) {
      Row r = viaSpark.get(i);
      assertThat(r.getString(violations)).as("row %d", i).isEqualTo(localReasons.get(i));
      int partition = r.getInt(violations + 1);
      long offset = r.getLong(violations + 2);
      long global = offset;
      for (int p = 0; p < partition; p++) {
        global += sizes[p];
      }
      dev.mlops.core.Row original = data.rows.get((int) global);
      for (int c = 0; c < violations; c++) {
        assertThat(r.get(c)).as("row %d column %d", i, c).isEqualTo(original.get(c));
      }
    }
    assertThat(viaSpark).anyMatch(r -> r.getString(violations).contains("credit_amount.unique"));
    assertThat(viaSpark).anyMatch(r -> r.getString(violations).contains("compound_unique"));
  }

  @Test
  void validateAndProfileGivesTheReportAndTheProfileOfOnePass() {
    Dataset<Row> ds = data.dataset(spark, data.rows, 700, 0, 250, 40, 10);
    SparkValidation.Result r = SparkValidation.validateAndProfile(ds, contract, ProfileOptions.defaults());
    ValidationSession s = Validator.compile(contract).newSession(data.schema).profileWith(ProfileOptions.defaults());
    data.rows.forEach(s::accumulate);
    assertSameAsLocal(r.report(), s.report());
    assertThat(r.profile()).isNotNull();
    SparkProfilesTest.assertSameAsLocal(r.profile(), data.rows);
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndNothingIsCountedTwice() {
    Dataset<Row> ds = data.dataset(spark, data.rows, 250, 250, 250, 250);
    StructType st = ds.schema();
    Dataset<Row> flaky = ds.mapPartitions(new SparkProfilesTest.FailFirstAttempt(1, 125), Encoders.row(st));
    SparkValidation.Result r = SparkValidation.validate(flaky, contract);
    assertSameAsLocal(r.report(), local(data.rows));
    assertThat(r.report().rowCount()).isEqualTo(1000);
  }

  @Test
  void anEmptyDatasetGivesTheReportOfNoRows() {
    Dataset<Row> none = data.dataset(spark, data.rows, 0, 0, 0);
    SparkValidation.Result r = SparkValidation.validate(none, contract);
    assertThat(r.report()).isEqualTo(local(List.of()));
    assertThat(r.report().result("row_count").orElseThrow().passed()).isFalse();
    assertThat(r.quarantine().count()).isZero();
    Dataset<Row> noPartitions = spark.createDataFrame(new ArrayList<Row>(), data.struct);
    assertThat(SparkValidation.validate(noPartitions, contract).report()).isEqualTo(local(List.of()));
  }

  @Test
  void customConstraintsAreRefusedByName() {
    DataContract custom = contract.with(new Constraint.Custom("few_nulls", List.of("age"), "few nulls", 1.0,
        Severity.ERROR));
    Dataset<Row> ds = data.dataset(spark, data.rows, 10);
    assertThatThrownBy(() -> SparkValidation.validate(ds, custom)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("few_nulls")
        .hasMessageContaining("cannot run on Spark executors");
  }
}
