package dev.mlops.benchmarks.spark;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import dev.mlops.core.Schema;
import dev.mlops.spark.SparkSchemas;
import dev.mlops.spark.SparkValidation;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Verifies the same DataFrame of N rows x 10 doubles ({@link SparkProfilerBenchmark#data}) against
 * completeness, non-negativity and a maximum on every column, with mlops-spark's
 * {@link SparkValidation#validate} and with Deequ's {@code VerificationSuite}, on the same Spark
 * session (local[2]), one run each after a warm-up on 100,000 rows. Deequ runs three suites: its
 * direct form ({@code isComplete}, {@code isNonNegative}, {@code hasMax}), the same with the maximum
 * as a compliance predicate ({@code satisfies("x <= bound")}), and, for scale, the first two checks
 * alone. mlops-spark states the three as {@code not_null} and {@code range: [0, bound]} per column
 * (a range's upper bound on every value is the bound on the maximum). The DataFrame is cached and
 * counted first so no side pays for generating it.
 *
 * <p>{@code all} also times the two floors: Spark handing out the rows ({@code javaRDD()}, the input of
 * any row-wise path) and Spark's own aggregate of the null counts, minima and maxima.
 *
 * <p>Arguments: {@code mlops|deequ|both|all} and row counts, e.g. {@code all 1000000 10000000}.
 */
public final class SparkVerificationBenchmark {
  private static final double BOUND = 1_000_000.0;

  private SparkVerificationBenchmark() {}

  static DataContract contract(Schema schema) {
    List<Constraint> rules = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rules.add(new Constraint.NotNull("x" + i, 1.0, Severity.ERROR));
      rules.add(Constraint.range("x" + i, 0.0, BOUND));
    }
    return DataContract.of("ten-doubles", schema, rules);
  }

  /** The Deequ suite: completeness and non-negativity, plus the maximum as hasMax or satisfies, or not. */
  static Check deequCheck(String max) {
    Check c = new Check(CheckLevel.Error(), "ten-doubles",
        scala.collection.immutable.List$.MODULE$.<com.amazon.deequ.constraints.Constraint>empty());
    scala.Function1<Object, Object> atMost = v -> (Double) v <= BOUND;
    for (int i = 0; i < 10; i++) {
      String x = "x" + i;
      c = c.isComplete(x, Option.empty(), Option.empty()).isNonNegative(x, Check.IsOne(), Option.empty());
      if (max.equals("hasMax")) {
        c = c.hasMax(x, atMost, Option.empty(), Option.empty());
      } else if (max.equals("satisfies")) {
        c = c.satisfies(x + " <= " + BOUND, x + " at most " + BOUND, Check.IsOne(), Option.empty(),
            scala.collection.immutable.List$.MODULE$.<String>empty(), Option.empty());
      }
    }
    return c;
  }

  static String deequ(Dataset<Row> df, String max) {
    VerificationResult r = VerificationSuite.apply().onData(df).addCheck(deequCheck(max)).run();
    return r.status().toString();
  }

  static String mlops(Dataset<Row> df, DataContract contract) {
    ValidationReport r = SparkValidation.validate(df, contract).report();
    return r.verdict() + ", " + r.failingRowCount() + " failing rows";
  }

  /**
   * Runs the benchmark.
   *
   * @param args the side(s) to run and the row counts
   */
  public static void main(String[] args) {
    String which = args[0];
    SparkSession spark = SparkProfilerBenchmark.session("mlops-vs-deequ-verification");
    Dataset<Row> warm = SparkProfilerBenchmark.data(spark, 100_000).cache();
    warm.count();
    DataContract contract = contract(SparkSchemas.toSchema(warm.schema()));
    String[] suites = {"hasMax", "satisfies", "none"};
    if (!which.equals("deequ")) {
      mlops(warm, contract);
    }
    if (!which.equals("mlops")) {
      for (String s : suites) {
        deequ(warm, s);
      }
    }
    warm.unpersist();
    for (int a = 1; a < args.length; a++) {
      long n = Long.parseLong(args[a]);
      Dataset<Row> df = SparkProfilerBenchmark.data(spark, n).cache();
      df.count();
      if (!which.equals("deequ")) {
        long t0 = System.nanoTime();
        String outcome = mlops(df, contract);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "mlops-spark validate %,13d rows x 10 doubles (cached): "
            + "%8.2f s, %,12.0f rows/s (%s)", n, s, n / s, outcome));
      }
      if (which.equals("all")) {
        // The floors of any row-wise and any aggregate path: Spark handing out its rows, and Spark's
        // own aggregate of the null counts, minima and maxima (what completeness and max need).
        long t0 = System.nanoTime();
        double sum = df.javaRDD().mapPartitions(it -> {
          double x = 0;
          while (it.hasNext()) {
            Row r = it.next();
            for (int i = 0; i < 10; i++) {
              x += r.isNullAt(i) ? 0 : r.getDouble(i);
            }
          }
          return List.of(x).iterator();
        }).reduce(Double::sum);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "spark rows, iterated %,13d rows x 10 doubles (cached): "
            + "%8.2f s, %,12.0f rows/s (sum %.6g)", n, s, n / s, sum));
        List<org.apache.spark.sql.Column> aggs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          aggs.add(org.apache.spark.sql.functions.count("x" + i));
          aggs.add(org.apache.spark.sql.functions.min("x" + i));
          aggs.add(org.apache.spark.sql.functions.max("x" + i));
        }
        t0 = System.nanoTime();
        Row agg = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new org.apache.spark.sql.Column[0]))
            .first();
        s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "spark agg (count, min, max) %,9d rows x 10 doubles (cached): "
            + "%8.2f s, %,12.0f rows/s (x3 non-null %d)", n, s, n / s, agg.getLong(9)));
      }
      if (!which.equals("mlops")) {
        for (String suite : suites) {
          long t0 = System.nanoTime();
          String outcome = deequ(df, suite);
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.println(String.format(Locale.ROOT, "deequ verify (%-9s) %,13d rows x 10 doubles (cached): "
              + "%8.2f s, %,12.0f rows/s (%s)", suite, n, s, n / s, outcome));
        }
      }
      df.unpersist();
    }
    spark.stop();
  }
}
