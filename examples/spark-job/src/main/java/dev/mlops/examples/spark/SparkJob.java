package dev.mlops.examples.spark;

import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.spark.SparkProfiles;
import dev.mlops.spark.SparkScoring;
import dev.mlops.spark.SparkValidation;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Quarantine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The batch job of the README's main demo, inside Spark: credit-g profiled and checked for drift
 * (training rows against the rows that arrive later), the later rows validated against the demo's
 * data contract (report and quarantine) and scored with its signed model behind the contract; txhousing profiled and compared decade against decade. Runs on {@code local[2]}
 * by default; give a master URL to run elsewhere (docs/spark.md).
 */
public final class SparkJob {
  private SparkJob() {}

  /**
   * Runs the job.
   *
   * @param args the data directory, the demo's output directory, and optionally the master URL
   * @throws IOException when the demo's key or contract cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]);
    Path demo = Path.of(args[1]);
    String master = args.length > 2 ? args[2] : "local[2]";
    PrintStream out = System.out;
    SparkSession spark = SparkSession.builder().master(master).appName("mlops-spark-job")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    try {
      creditG(spark, data.resolve("credit-g.csv"), demo, out);
      txHousing(spark, data.resolve("txhousing.csv"), out);
    } finally {
      spark.stop();
    }
  }

  private static Dataset<Row> csv(SparkSession spark, Path file) {
    return spark.read().option("header", "true").option("inferSchema", "true").option("nullValue", "NA")
        .csv(file.toString());
  }

  private static void creditG(SparkSession spark, Path file, Path demo, PrintStream out) throws IOException {
    out.println("== credit-g on Spark " + spark.version());
    // Row order of one CSV file read into one partition is the file's: number the rows, split 700 / 300.
    Dataset<Row> all = csv(spark, file).coalesce(1).withColumn("_row", functions.monotonically_increasing_id());
    Dataset<Row> train = all.filter("_row < 700").drop("_row").repartition(4);
    // Cached: validation reads the rows twice (rules, then keys) and needs the same order each time.
    Dataset<Row> incoming = all.filter("_row >= 700").drop("_row").repartition(3).cache();
    DatasetProfile trainProfile = SparkProfiles.profile(train);
    out.println(String.format(Locale.ROOT, "profiled %d training rows, %d columns, in %d partitions",
        trainProfile.rowCount(), trainProfile.columns().size(), train.javaRDD().getNumPartitions()));
    DriftReport drift = SparkProfiles.drift(trainProfile, incoming, DriftOptions.builder().exclude("class").build());
    out.println("incoming vs training: " + summary(drift.drift()));

    Path models = demo.resolve("models");
    String key = Files.readString(demo.resolve("signing-key.pub.pem"), StandardCharsets.UTF_8);
    String contract = Files.readString(demo.resolve("credit-g/1/contract.yaml"), StandardCharsets.UTF_8);
    SparkValidation.Result checked = SparkValidation.validate(incoming,
        DataContract.fromYaml(contract, "credit-g/1/contract.yaml"));
    String text = checked.report().toText();
    out.println("validated the incoming rows: " + text.substring(0, text.indexOf('\n')));
    for (Row r : checked.quarantine().select(SparkValidation.PARTITION_COLUMN, SparkValidation.OFFSET_COLUMN,
        Quarantine.VIOLATIONS_COLUMN).collectAsList()) {
      out.println(String.format(Locale.ROOT, "  quarantined: partition %d, offset %d: %s", r.getInt(0), r.getLong(1),
          r.getString(2)));
    }
    Dataset<Row> scored = SparkScoring.builder(models.toAbsolutePath().toString(), "credit-risk@champion")
        .trustedKeyPem(key).contract(contract).build().score(incoming);
    List<Row> byStatus = scored.groupBy("_status", "prediction").count().orderBy("_status", "prediction")
        .collectAsList();
    out.println("scored the incoming rows with credit-risk@champion (signature and digests verified on each"
        + " executor), by status and label:");
    for (Row r : byStatus) {
      out.println(String.format(Locale.ROOT, "  %-9s %-5s %d", r.getString(0), r.isNullAt(1) ? "-" : r.getString(1),
          r.getLong(2)));
    }
  }

  private static void txHousing(SparkSession spark, Path file, PrintStream out) {
    out.println("== txhousing on Spark " + spark.version());
    Dataset<Row> all = csv(spark, file).repartition(4);
    Dataset<Row> before = all.filter("year < 2010").drop("date");
    Dataset<Row> after = all.filter("year >= 2010").drop("date");
    DatasetProfile p = SparkProfiles.profile(all.drop("date"));
    out.println(String.format(Locale.ROOT, "profiled %d rows, %d columns; sales null in %d rows",
        p.rowCount(), p.columns().size(), p.column("sales").nullCount()));
    DriftReport d = SparkProfiles.drift(before, after, DriftOptions.builder().exclude("year", "month").build());
    out.println("2010-2015 vs 2000-2009: " + summary(d.drift()));
    for (var c : d.drift().byScore()) {
      if (c.drifted()) {
        out.println(String.format(Locale.ROOT, "  DRIFT %-10s %-22s statistic %.4g", c.column(), c.test().id(),
            c.statistic()));
      }
    }
  }

  private static String summary(DatasetDrift d) {
    return String.format(Locale.ROOT, "%s: %d of %d columns drifted, %d inconclusive", d.drifted() ? "DRIFT"
        : "no dataset drift", d.driftedColumns(), d.testedColumns(), d.inconclusiveColumns());
  }
}
