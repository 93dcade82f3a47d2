/**
 * Model quality when labels arrive late: a {@link dev.mlops.monitoring.performance.PerformanceMonitor}
 * keeps a bounded store of recent predictions, joins labels to them by prediction id, and reports
 * classification ({@link dev.mlops.monitoring.performance.ClassificationMetrics}) or regression
 * ({@link dev.mlops.monitoring.performance.RegressionMetrics}) metrics per window against the model's
 * evaluation metrics.
 */
@NullMarked
package dev.mlops.monitoring.performance;

import org.jspecify.annotations.NullMarked;
