package dev.mlops.monitoring.performance;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One window of joined predictions and labels and the model's quality in it.
 *
 * @param monitor the monitor's name
 * @param index the window's number, from 0
 * @param pairs the joined pairs in it
 * @param metrics every metric by name (see {@link ClassificationMetrics#asMap()} and
 *     {@link RegressionMetrics#asMap()})
 * @param classification the classification metrics, or null for regression
 * @param regression the regression metrics, or null for classification
 * @param alerts the metrics that fell below their baseline by more than the tolerance (or rose
 *     above it, for losses and errors), each with its value and baseline
 */
public record PerformanceWindow(String monitor, int index, int pairs, Map<String, Double> metrics,
    @Nullable ClassificationMetrics classification, @Nullable RegressionMetrics regression, List<String> alerts) {
  /**
   * Copies the collections.
   *
   * @param monitor name
   * @param index index
   * @param pairs pairs
   * @param metrics metrics
   * @param classification classification metrics
   * @param regression regression metrics
   * @param alerts alerts
   */
  public PerformanceWindow {
    metrics = Map.copyOf(metrics);
    alerts = List.copyOf(alerts);
  }

  /**
   * Whether a metric fell past its tolerance.
   *
   * @return true when there are alerts
   */
  public boolean degraded() {
    return !alerts.isEmpty();
  }
}
