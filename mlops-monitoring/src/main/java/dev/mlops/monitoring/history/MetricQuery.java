package dev.mlops.monitoring.history;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which points to load: one metric, the points carrying all the given tags, in a time range.
 *
 * @param metric the metric's name
 * @param tags tags each point must carry with these values (others are ignored)
 * @param from the earliest time, inclusive, or null for no limit
 * @param to the latest time, exclusive, or null for no limit
 */
public record MetricQuery(String metric, Map<String, String> tags, @Nullable Instant from, @Nullable Instant to) {
  /**
   * Validates and copies.
   *
   * @param metric the name
   * @param tags the tags
   * @param from the earliest time
   * @param to the latest time
   */
  public MetricQuery {
    Objects.requireNonNull(metric, "metric");
    tags = Map.copyOf(tags);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("the query's time range [" + from + ", " + to + ") is empty");
    }
  }

  /**
   * Every point of a metric with the given tags.
   *
   * @param metric the name
   * @param tags the tags
   * @return the query
   */
  public static MetricQuery of(String metric, Map<String, String> tags) {
    return new MetricQuery(metric, tags, null, null);
  }

  /**
   * Whether a point answers this query.
   *
   * @param p the point
   * @return true when it does
   */
  public boolean matches(MetricPoint p) {
    return p.metric().equals(metric) && p.hasTags(tags) && (from == null || !p.time().isBefore(from))
        && (to == null || p.time().isBefore(to));
  }
}
