package dev.mlops.monitoring.history;

import java.util.List;

/**
 * Decides which points of a metric's series are anomalies, judging the points of a search interval
 * against the series before them (Deequ's anomaly detection strategies, in-process). Strategies are
 * immutable and thread-safe.
 */
public interface AnomalyStrategy {
  /**
   * The anomalies among {@code series[from, to)}.
   *
   * @param series the metric's values, oldest first; finite
   * @param from the first index to judge
   * @param to the end of the interval, exclusive
   * @return the anomalies, by index
   * @throws IllegalArgumentException when the interval is outside the series, a value is not
   *     finite, or the strategy needs more history than there is (the message says how much)
   */
  List<Anomaly> detect(double[] series, int from, int to);

  /**
   * Values below {@code lower} or above {@code upper} are anomalies.
   *
   * @param lower the lowest normal value
   * @param upper the highest normal value
   * @return the strategy
   */
  static AnomalyStrategy simpleThresholds(double lower, double upper) {
    return new Strategies.SimpleThresholds(lower, upper);
  }

  /**
   * A change of order {@code order} ({@code x[i] - x[i - 1]} for order 1, the difference of those for
   * order 2, ...) below {@code maxDecrease} or above {@code maxIncrease} is an anomaly.
   *
   * @param maxDecrease the most negative normal change (e.g. -100), or -Infinity
   * @param maxIncrease the largest normal change, or +Infinity
   * @param order how many times the series is differenced, at least 1
   * @return the strategy
   */
  static AnomalyStrategy absoluteChange(double maxDecrease, double maxIncrease, int order) {
    return new Strategies.AbsoluteChange(maxDecrease, maxIncrease, order);
  }

  /**
   * A ratio {@code x[i] / x[i - order]} below {@code maxRateDecrease} or above {@code maxRateIncrease}
   * is an anomaly (0 / 0 is a ratio of 1; a non-zero value after a 0 an infinite one).
   *
   * @param maxRateDecrease the lowest normal ratio (e.g. 0.5 for "at most halved")
   * @param maxRateIncrease the highest normal ratio (e.g. 2.0)
   * @param order how far back the value compared with is, at least 1
   * @return the strategy
   */
  static AnomalyStrategy relativeRateOfChange(double maxRateDecrease, double maxRateIncrease, int order) {
    return new Strategies.RelativeRateOfChange(maxRateDecrease, maxRateIncrease, order);
  }

  /**
   * Each point against the running mean and sample standard deviation of the points before it: an
   * anomaly when outside {@code mean - lowerFactor * sd} to {@code mean + upperFactor * sd}. No point in
   * the first {@code ignoreStartFraction} of the series is flagged (the statistics settle there);
   * with {@code ignoreAnomalies} an anomaly does not enter the running statistics.
   *
   * @param lowerFactor standard deviations below the mean, positive
   * @param upperFactor standard deviations above the mean, positive
   * @param ignoreStartFraction the leading fraction of the series never flagged, in [0, 1)
   * @param ignoreAnomalies whether anomalies are left out of the statistics
   * @return the strategy
   */
  static AnomalyStrategy onlineNormal(double lowerFactor, double upperFactor, double ignoreStartFraction,
      boolean ignoreAnomalies) {
    return new Strategies.OnlineNormal(lowerFactor, upperFactor, ignoreStartFraction, ignoreAnomalies);
  }

  /**
   * The interval's points against the mean and sample standard deviation of the rest of the series
   * (or of all of it, {@code includeInterval}).
   *
   * @param lowerFactor standard deviations below the mean, positive
   * @param upperFactor standard deviations above the mean, positive
   * @param includeInterval whether the interval's own points enter the statistics
   * @return the strategy
   */
  static AnomalyStrategy batchNormal(double lowerFactor, double upperFactor, boolean includeInterval) {
    return new Strategies.BatchNormal(lowerFactor, upperFactor, includeInterval);
  }

  /**
   * Additive Holt-Winters (level, trend and a season of {@code period} points) fitted to the series
   * before the interval, smoothing parameters chosen on a grid (0.05 to 0.95 in steps of 0.1) to
   * minimize the one-step squared error. Each interval point is forecast one step ahead, from every
   * point before it, as a job run once per point would; it is an anomaly when outside the forecast
   * plus or minus 1.96 standard deviations of the fit's one-step errors (a 95% band, so about one
   * normal point in twenty is flagged too); an anomaly is learned from only as far as the band's
   * edge, so one outlier barely moves the model while a lasting shift is still followed. Needs at least two full seasons before the interval.
   *
   * @param period the season's length in points (12 for monthly data with a yearly season)
   * @return the strategy
   */
  static AnomalyStrategy holtWinters(int period) {
    return new Strategies.HoltWinters(period);
  }
}
