/**
 * JMH benchmarks of mlops-monitoring: profiling throughput against the bare DataSketches update loop,
 * Kolmogorov-Smirnov on large samples, and merging many profiles.
 */
@NullMarked
package dev.mlops.benchmarks.monitoring;

import org.jspecify.annotations.NullMarked;
