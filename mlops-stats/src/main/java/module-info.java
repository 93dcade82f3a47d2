/**
 * The one statistics engine: mergeable column and dataset statistics that validation and monitoring
 * both read.
 */
module dev.mlops.stats {
  exports dev.mlops.stats;
  // Exact moments and value counts, for the modules that store or check these states; nobody else.
  exports dev.mlops.stats.internal to dev.mlops.validation, dev.mlops.monitoring;

  requires transitive dev.mlops.core;
  // ColumnStatistics hands out DataSketches' sketches. No module name of its own: "datasketches.java" is
  // derived from the jar's file name (see the parent POM).
  requires transitive datasketches.java;
  requires org.apache.datasketches.memory;
  requires org.apache.arrow.vector;
  // sun.misc.Unsafe, reached by reflection: SeededKll gives DataSketches' static KLL generator per-thread
  // state (see there).
  requires jdk.unsupported;
  requires static transitive org.jspecify;
}
