package dev.mlops.monitoring.performance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression quality of joined (actual, predicted) pairs, as scikit-learn computes them.
 *
 * @param count pairs
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param mape mean absolute percentage error, {@code mean(|y - p| / max(|y|, 2^-52))} (a fraction, not
 *     percent; an actual of 0 makes it huge, as in scikit-learn)
 * @param r2 coefficient of determination; 1 when every actual is equal and predicted exactly, 0 when
 *     they are equal and not
 */
public record RegressionMetrics(int count, double mae, double rmse, double mape, double r2) {
  private static final double EPS = Math.ulp(1.0);

  /**
   * Computes the metrics.
   *
   * @param actual the actual values
   * @param predicted the predictions, same length
   * @return the metrics; NaN for an empty input
   */
  public static RegressionMetrics of(double[] actual, double[] predicted) {
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(actual.length + " actual values but " + predicted.length + " predictions");
    }
    int n = actual.length;
    if (n == 0) {
      return new RegressionMetrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double abs = 0;
    double sq = 0;
    double pct = 0;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      double y = actual[i];
      double e = y - predicted[i];
      abs += Math.abs(e);
      sq += e * e;
      pct += Math.abs(e) / Math.max(Math.abs(y), EPS);
      mean += y;
    }
    mean /= n;
    double tot = 0;
    for (double y : actual) {
      tot += (y - mean) * (y - mean);
    }
    double r2 = tot == 0 ? (sq == 0 ? 1.0 : 0.0) : 1 - sq / tot;
    return new RegressionMetrics(n, abs / n, Math.sqrt(sq / n), pct / n, r2);
  }

  /**
   * The metrics by name ({@code mae}, {@code rmse}, {@code mape}, {@code r2}).
   *
   * @return the map, in that order
   */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("mae", mae);
    m.put("rmse", rmse);
    m.put("mape", mape);
    m.put("r2", r2);
    return m;
  }
}
