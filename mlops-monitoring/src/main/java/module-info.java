/**
 * Mergeable dataset profiles, drift tests, live monitors and their meters, and profile reports.
 */
module dev.mlops.monitoring {
  exports dev.mlops.monitoring;
  exports dev.mlops.monitoring.drift;
  exports dev.mlops.monitoring.report;
  exports dev.mlops.monitoring.history;
  exports dev.mlops.monitoring.performance;

  requires transitive dev.mlops.core;
  // ProfileOptions and ColumnKind are part of the profile API; profiles are the stats module's states.
  requires transitive dev.mlops.stats;
  requires transitive micrometer.core;
  // ColumnProfile.quantileSketch() returns DataSketches' KllDoublesSketch. No module name of its own:
  // "datasketches.java" is derived from the jar's file name (see the parent POM).
  requires transitive datasketches.java;
  requires org.apache.datasketches.memory;
  requires org.apache.commons.statistics.inference;
  requires org.apache.commons.statistics.distribution;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  // JdbcMetricsRepository: the JDBC API only; the driver is the host's choice.
  requires transitive java.sql;
  requires static transitive org.jspecify;
}
