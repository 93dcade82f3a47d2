/**
 * Metric history: each run's dataset metrics and drift scores as {@link dev.mlops.monitoring.history.MetricPoint}s
 * with a time and tags, kept in a {@link dev.mlops.monitoring.history.MetricsRepository} (a JSON-lines file,
 * or a table over JDBC), and anomaly strategies that judge a new point against its history
 * ({@link dev.mlops.monitoring.history.AnomalyStrategy}, {@link dev.mlops.monitoring.history.AnomalyCheck}).
 */
@NullMarked
package dev.mlops.monitoring.history;

import org.jspecify.annotations.NullMarked;
