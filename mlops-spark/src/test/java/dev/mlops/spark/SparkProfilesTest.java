package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.SchemaMismatchException;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Profiles and drift on Spark local mode (2 threads) against the local results of the same rows:
 * credit-g in 5 partitions of skewed sizes, one of them empty; a task that fails once and is retried.
 */
class SparkProfilesTest {
  static CreditG data;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    data = CreditG.load();
    spark = LocalSpark.get();
  }

  /** Counts, nulls, NaN, min, max and exact value counts equal; moments to float error; sketches within error. */
  static void assertSameAsLocal(DatasetProfile viaSpark, List<dev.mlops.core.Row> rows) {
    DatasetProfile local = local(rows);
    assertThat(viaSpark.rowCount()).isEqualTo(local.rowCount());
    assertThat(viaSpark.schema()).isEqualTo(local.schema());
    for (int i = 0; i < local.columns().size(); i++) {
      int column = i;
      ColumnProfile s = viaSpark.column(i);
      ColumnProfile l = local.column(i);
      String at = l.name();
      assertThat(s.count()).as(at).isEqualTo(l.count());
      assertThat(s.nullCount()).as(at).isEqualTo(l.nullCount());
      assertThat(s.nanCount()).as(at).isEqualTo(l.nanCount());
      if (l.hasExactCategoryCounts() || !l.numericValueCounts().isEmpty()) {
        assertThat(s.distinctCount()).as(at).isEqualTo(l.distinctCount());
      } else {
        // an HLL estimate: partitioning changes the union's state, not its error (3 relative standard errors)
        double rse = 1.04 / Math.sqrt(1 << l.options().hllLgK());
        assertThat((double) s.distinctCount()).as(at).isCloseTo(l.distinctCount(),
            within(3 * rse * l.distinctCount()));
      }
      if (l.type().kind() == dev.mlops.core.DataType.Kind.STRING) {
        assertThat(s.categoryCounts()).as(at).isEqualTo(l.categoryCounts());
      } else {
        assertThat(s.min()).as(at).isEqualTo(l.min());
        assertThat(s.max()).as(at).isEqualTo(l.max());
        assertThat(s.numericValueCounts()).as(at).isEqualTo(l.numericValueCounts());
        assertThat(s.mean()).as(at).isCloseTo(l.mean(), within(1e-9 * Math.max(1, Math.abs(l.mean()))));
        assertThat(s.variance()).as(at).isCloseTo(l.variance(), within(1e-9 * Math.max(1, l.variance())));
        double[] sorted = rows.stream().filter(r -> !r.isNull(column)).mapToDouble(r -> r.getDouble(column))
            .sorted().toArray();
        for (double q : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
          // the value the Spark sketch gives for rank q holds rank q of the data to within the sketch's
          // error: below it lie at most q + e of the values, at or below it at least q - e (ties span ranks)
          double v = s.quantile(q);
          double e = s.quantileRankError();
          double below = (double) java.util.Arrays.stream(sorted).filter(x -> x < v).count() / sorted.length;
          double atOrBelow = (double) java.util.Arrays.stream(sorted).filter(x -> x <= v).count() / sorted.length;
          assertThat(below).as(at + " q" + q + " below " + v).isLessThanOrEqualTo(q + e);
          assertThat(atOrBelow).as(at + " q" + q + " at or below " + v).isGreaterThanOrEqualTo(q - e);
        }
      }
    }
  }

  private static DatasetProfile local(List<dev.mlops.core.Row> rows) {
    return DatasetProfile.of(data.schema, rows);
  }

  @Test
  void skewedPartitionsWithAnEmptyOneProfileAsTheRowsDoLocally() {
    Dataset<Row> ds = data.dataset(spark, data.rows, 700, 0, 250, 40, 10);
    assertThat(ds.javaRDD().getNumPartitions()).isEqualTo(5);
    assertThat(ds.javaRDD().glom().map(List::size).collect()).containsExactly(700, 0, 250, 40, 10);
    assertSameAsLocal(SparkProfiles.profile(ds), data.rows);
  }

  @Test
  void manySmallPartitionsAndOneRowPartitionsAgree() {
    assertSameAsLocal(SparkProfiles.profile(data.dataset(spark, data.rows, CreditG.smallPartitions())), data.rows);
  }

  @Test
  void anEmptyDatasetHasAnEmptyProfile() {
    Dataset<Row> none = data.dataset(spark, data.rows, 0, 0, 0, 0);
    DatasetProfile p = SparkProfiles.profile(none);
    assertThat(p.rowCount()).isZero();
    assertThat(p.schema()).isEqualTo(data.schema);
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndNothingIsCountedTwice() {
    Dataset<Row> ds = data.dataset(spark, data.rows, 250, 250, 250, 250);
    StructType st = ds.schema();
    // Fails the first attempt of partition 2 after it has read half its rows: Spark retries the task
    // (local[2,3]), and the profile of the retried attempt replaces the failed one's.
    Dataset<Row> flaky = ds.mapPartitions(new FailFirstAttempt(2, 125), Encoders.row(st));
    DatasetProfile p = SparkProfiles.profile(flaky);
    assertThat(p.rowCount()).isEqualTo(1000);
    assertSameAsLocal(p, data.rows);
  }

  /** Fails the first attempt of one partition after it has passed on some of its rows. */
  static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final int partition;
    private final int after;

    FailFirstAttempt(int partition, int after) {
      this.partition = partition;
      this.after = after;
    }

    @Override
    public java.util.Iterator<Row> call(java.util.Iterator<Row> it) {
      TaskContext tc = TaskContext.get();
      if (tc.partitionId() != partition || tc.attemptNumber() != 0) {
        return it;
      }
      return new java.util.Iterator<>() {
        private int passed;

        @Override
        public boolean hasNext() {
          if (passed == after) {
            throw new IllegalStateException("injected failure in partition " + partition + ", attempt 0");
          }
          return it.hasNext();
        }

        @Override
        public Row next() {
          passed++;
          return it.next();
        }
      };
    }
  }

  @Test
  void driftBetweenDatasetsAndAgainstASavedProfileIsTheLocalVerdict() {
    List<dev.mlops.core.Row> train = data.rows.subList(0, 700);
    List<dev.mlops.core.Row> later = data.rows.subList(700, 1000);
    Dataset<Row> ref = data.dataset(spark, train, 300, 0, 400);
    Dataset<Row> cur = data.dataset(spark, later, 100, 150, 50);
    DriftReport viaSpark = SparkProfiles.drift(ref, cur, DriftOptions.defaults());
    DriftReport locally = DriftReport.compare(local(train), local(later), DriftOptions.defaults());
    assertThat(viaSpark.drift().drifted()).isEqualTo(locally.drift().drifted());
    // Both sides decide from sketches whose state depends on how rows fell into partitions: a test may be
    // decided on one side and INCONCLUSIVE (its sketch error straddles the threshold) on the other, but a
    // decision never contradicts the other side's.
    int undecidedOnOneSide = 0;
    for (var c : locally.drift().columns()) {
      var s = viaSpark.drift().column(c.column()).orElseThrow();
      assertThat(s.test()).as(c.column()).isEqualTo(c.test());
      if (s.inconclusive() || c.inconclusive()) {
        undecidedOnOneSide += s.inconclusive() == c.inconclusive() ? 0 : 1;
      } else {
        assertThat(s.drifted()).as(c.column()).isEqualTo(c.drifted());
      }
    }
    assertThat(undecidedOnOneSide).isLessThanOrEqualTo(2);
    DriftReport againstSaved = SparkProfiles.drift(DatasetProfile.fromBytes(local(train).toBytes()), cur,
        DriftOptions.defaults());
    assertThat(againstSaved.drift().drifted()).isEqualTo(locally.drift().drifted());

    // a shifted copy of the later rows drifts, through Spark as locally
    int amount = data.schema.indexOf("credit_amount");
    List<dev.mlops.core.Row> shifted = new ArrayList<>();
    for (dev.mlops.core.Row r : later) {
      Object[] v = new Object[r.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(i);
      }
      v[amount] = r.getDouble(amount) * 3 + 4000;
      shifted.add(dev.mlops.core.Row.of(data.schema, v));
    }
    DriftReport shiftedViaSpark = SparkProfiles.drift(ref, data.dataset(spark, shifted, 120, 180),
        DriftOptions.defaults());
    assertThat(shiftedViaSpark.drift().column("credit_amount").orElseThrow().drifted()).isTrue();
  }

  @Test
  void unsupportedSparkTypesAreNamed() {
    StructType st = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true),
        DataTypes.createStructField("amount", DataTypes.createDecimalType(38, 10), true),
        DataTypes.createStructField("price", DataTypes.createDecimalType(12, 2), true),
        DataTypes.createStructField("address", DataTypes.createStructType(List.of(
            DataTypes.createStructField("city", DataTypes.StringType, true))), true)));
    assertThatThrownBy(() -> SparkSchemas.toSchema(st)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageStartingWith("Spark column(s) 'tags' (map<string,string>), 'amount' (decimal(38,10)),"
            + " 'address' (struct<city:string>) have no mlops type");
    Dataset<Row> ds = spark.createDataFrame(List.of(RowFactory.create(1L, null, null, null, null)), st);
    assertThatThrownBy(() -> SparkProfiles.profile(ds)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'tags' (map<string,string>)");
    Dataset<Row> ok = ds.select("id", "price");
    DatasetProfile p = SparkProfiles.profile(ok);
    assertThat(p.schema().field("price").type()).isEqualTo(dev.mlops.core.DataType.FLOAT64);
    assertThat(p.schema().field("id").type()).isEqualTo(dev.mlops.core.DataType.INT64);
  }
}
