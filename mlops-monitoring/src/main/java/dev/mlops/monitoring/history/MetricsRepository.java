package dev.mlops.monitoring.history;

import java.util.List;

/**
 * Where metric points are kept between runs. Implementations: {@link JsonLinesMetricsRepository} (one
 * file, appended to) and {@link JdbcMetricsRepository} (a table). Close it when done.
 */
public interface MetricsRepository extends AutoCloseable {
  /**
   * Stores points; when this returns they are durable (a crash afterwards keeps them).
   *
   * @param points the points
   */
  void append(List<MetricPoint> points);

  /**
   * The points a query asks for, oldest first (ties in the order they were stored).
   *
   * @param query the query
   * @return the points
   */
  List<MetricPoint> load(MetricQuery query);

  /** Releases the file or connection. */
  @Override
  void close();
}
