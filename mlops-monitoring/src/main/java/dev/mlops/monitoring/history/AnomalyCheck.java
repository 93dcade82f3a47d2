package dev.mlops.monitoring.history;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges a new point of a series against the series' history in a repository, then (optionally)
 * stores it: the step a scheduled job runs after computing its metrics.
 */
public final class AnomalyCheck {
  private final MetricsRepository repository;
  private final AnomalyStrategy strategy;

  private AnomalyCheck(MetricsRepository repository, AnomalyStrategy strategy) {
    this.repository = repository;
    this.strategy = strategy;
  }

  /**
   * A check of one strategy against one repository.
   *
   * @param repository where the history is
   * @param strategy how a point is judged
   * @return the check
   */
  public static AnomalyCheck of(MetricsRepository repository, AnomalyStrategy strategy) {
    return new AnomalyCheck(Objects.requireNonNull(repository, "repository"), Objects.requireNonNull(strategy,
        "strategy"));
  }

  /**
   * Whether a point is an anomaly of its series: the points of the same metric and exactly the same
   * tags stored before its time are the history, the point is judged last.
   *
   * @param point the new point (not stored by this call)
   * @return the anomaly, or empty when the point is normal
   * @throws IllegalArgumentException when the strategy needs more history than is stored
   */
  public Optional<Anomaly> check(MetricPoint point) {
    List<MetricPoint> history = repository.load(new MetricQuery(point.metric(), point.tags(), null, point.time()))
        .stream().filter(p -> p.tags().equals(point.tags())).toList();
    double[] series = new double[history.size() + 1];
    for (int i = 0; i < history.size(); i++) {
      series[i] = history.get(i).value();
    }
    series[history.size()] = point.value();
    List<Anomaly> found = strategy.detect(series, history.size(), series.length);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * Judges a point, then stores it whatever the verdict (an anomaly is history too; strategies that
   * must not learn from it skip it themselves).
   *
   * @param point the new point
   * @return the anomaly, or empty
   */
  public Optional<Anomaly> checkAndStore(MetricPoint point) {
    Optional<Anomaly> a = check(point);
    repository.append(List.of(point));
    return a;
  }
}
