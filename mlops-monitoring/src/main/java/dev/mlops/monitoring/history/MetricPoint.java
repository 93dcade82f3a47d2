package dev.mlops.monitoring.history;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One value of one metric at one time, such as the mean of column {@code age} in Monday's batch.
 * Tags say which series the point belongs to ({@code column=age}, {@code dataset=loans}); a series is
 * one metric name with one set of tags.
 *
 * @param time when the data the value describes was measured
 * @param metric the metric's name, such as {@code mean} or {@code drift.share}
 * @param value the value; finite
 * @param tags the series' tags, copied into name order
 */
public record MetricPoint(Instant time, String metric, double value, Map<String, String> tags) {
  /**
   * Validates and copies.
   *
   * @param time the time
   * @param metric the name
   * @param value the value
   * @param tags the tags
   * @throws IllegalArgumentException when the name is blank or the value is not finite
   */
  public MetricPoint {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(metric, "metric");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("a metric needs a name, got a blank one");
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("metric '" + metric + "' at " + time + " has value " + value
          + "; only finite values are stored (skip the point: an undefined statistic has no history)");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    tags.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "tag name"), Objects.requireNonNull(v, "tag value")));
    tags = java.util.Collections.unmodifiableMap(sorted);
  }

  /**
   * Whether the point carries every tag of a filter with the same value.
   *
   * @param filter tags that must match; other tags of the point are ignored
   * @return true when they all match
   */
  public boolean hasTags(Map<String, String> filter) {
    for (Map.Entry<String, String> e : filter.entrySet()) {
      if (!e.getValue().equals(tags.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
