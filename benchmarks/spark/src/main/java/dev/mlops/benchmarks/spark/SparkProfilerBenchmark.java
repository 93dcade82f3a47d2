package dev.mlops.benchmarks.spark;

import com.amazon.deequ.profiles.ColumnProfilerRunner;
import com.amazon.deequ.profiles.ColumnProfiles;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.spark.SparkProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Profiles the same DataFrame of N rows x 10 doubles with mlops-spark and with Deequ's
 * {@code ColumnProfilerRunner}, on the same Spark session (local[2]), one run each after a warm-up
 * profile of 100,000 rows: wall time and rows per second. A whole-job measurement, not JMH: each run is
 * tens of seconds of Spark jobs. The DataFrame is cached and counted first (when it fits the heap)
 * so neither side pays for generating it.
 *
 * <p>Arguments: {@code mlops|deequ|both} and row counts, e.g. {@code both 1000000} or {@code mlops
 * 10000000 100000000}.
 */
public final class SparkProfilerBenchmark {
  private SparkProfilerBenchmark() {}

  static Dataset<Row> data(SparkSession spark, long rows) {
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Column c = functions.rand(1000 + i);
      // different shapes per column: uniform, normal-ish sums, a skewed one, one with 1% nulls
      c = switch (i % 4) {
        case 0 -> c.multiply(100);
        case 1 -> functions.randn(2000 + i).multiply(15).plus(50);
        case 2 -> functions.exp(c.multiply(5));
        default -> functions.when(c.lt(0.01), null).otherwise(c.multiply(1000));
      };
      cols.add(c.cast("double").as("x" + i));
    }
    return spark.range(rows).select(cols.toArray(new Column[0]));
  }

  /**
   * The benchmarks' Spark session: local[2] on loopback, no UI, 4 shuffle partitions, errors only;
   * prints the versions, heap and cores it runs with.
   *
   * @param app the application name
   * @return the session
   */
  static SparkSession session(String app) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName(app)
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    System.out.println("Spark " + spark.version() + ", Scala " + scala.util.Properties.versionNumberString()
        + ", heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, cores " + Runtime.getRuntime()
        .availableProcessors());
    return spark;
  }

  /**
   * Runs the benchmark.
   *
   * @param args the side(s) to run and the row counts
   */
  public static void main(String[] args) {
    String which = args[0];
    SparkSession spark = session("mlops-vs-deequ");
    Dataset<Row> warm = data(spark, 100_000).cache();
    warm.count();
    if (!which.equals("deequ")) {
      SparkProfiles.profile(warm);
    }
    if (!which.equals("mlops")) {
      new ColumnProfilerRunner().onData(warm).run();
    }
    warm.unpersist();
    for (int a = 1; a < args.length; a++) {
      long n = Long.parseLong(args[a]);
      Dataset<Row> df = data(spark, n);
      boolean cached = n <= 10_000_000L;
      if (cached) {
        df = df.cache();
        df.count();
      }
      if (!which.equals("deequ")) {
        long t0 = System.nanoTime();
        DatasetProfile p = SparkProfiles.profile(df);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "mlops-spark profile  %,13d rows x 10 doubles%s: %8.2f s,"
            + " %,12.0f rows/s (rows %d, x1 median %.4g, x0 nulls %d, x3 nulls %d)", n, cached ? " (cached)" : "",
            s, n / s, p.rowCount(), p.column("x1").quantile(0.5), p.column("x0").nullCount(),
            p.column("x3").nullCount()));
      }
      if (!which.equals("mlops")) {
        long t0 = System.nanoTime();
        ColumnProfiles p = new ColumnProfilerRunner().onData(df).run();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "deequ ColumnProfiler %,13d rows x 10 doubles%s: %8.2f s,"
            + " %,12.0f rows/s (rows %d)", n, cached ? " (cached)" : "", s, n / s, p.numRecords()));
      }
      if (cached) {
        df.unpersist();
      }
    }
    spark.stop();
  }
}
