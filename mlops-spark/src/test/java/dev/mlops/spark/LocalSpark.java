package dev.mlops.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One Spark session for the tests of this JVM: local mode with 2 threads, up to 3 attempts per task
 * (so an injected failure is retried, as on a cluster), no UI, bound to loopback only.
 */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder().master("local[2,3]").appName("mlops-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
