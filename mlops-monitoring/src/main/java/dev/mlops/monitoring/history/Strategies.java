package dev.mlops.monitoring.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The implementations behind {@link AnomalyStrategy}'s factories. */
final class Strategies {
  private Strategies() {}

  static void check(double[] series, int from, int to) {
    if (from < 0 || to > series.length || from > to) {
      throw new IllegalArgumentException("interval [" + from + ", " + to + ") is not within the series of "
          + series.length + " points");
    }
    for (int i = 0; i < series.length; i++) {
      if (!Double.isFinite(series[i])) {
        throw new IllegalArgumentException("point " + i + " of the series is " + series[i]
            + "; anomaly strategies need finite values");
      }
    }
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static void positive(double v, String what) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
    }
  }

  record SimpleThresholds(double lower, double upper) implements AnomalyStrategy {
    SimpleThresholds {
      if (!(lower <= upper)) {
        throw new IllegalArgumentException("lower bound " + lower + " is above upper bound " + upper);
      }
    }

    @Override
    public List<Anomaly> detect(double[] series, int from, int to) {
      check(series, from, to);
      List<Anomaly> out = new ArrayList<>();
      for (int i = from; i < to; i++) {
        double v = series[i];
        if (v < lower || v > upper) {
          out.add(new Anomaly(i, v, lower, upper, "value " + fmt(v) + " outside [" + fmt(lower) + ", " + fmt(upper) + "]"));
        }
      }
      return out;
    }
  }

  record AbsoluteChange(double maxDecrease, double maxIncrease, int order) implements AnomalyStrategy {
    AbsoluteChange {
      if (order < 1) {
        throw new IllegalArgumentException("order must be at least 1, got " + order);
      }
      if (!(maxDecrease <= maxIncrease)) {
        throw new IllegalArgumentException("maxDecrease " + maxDecrease + " is above maxIncrease " + maxIncrease);
      }
    }

    @Override
    public List<Anomaly> detect(double[] series, int from, int to) {
      check(series, from, to);
      List<Anomaly> out = new ArrayList<>();
      for (int i = Math.max(from, order); i < to; i++) {
        // x[i] - sum_{j=0..order} (-1)^j C(order, j) x[i - j] = the order-th difference at i; the part
        // without x[i] is what the difference is measured from.
        double base = 0;
        long c = 1;
        for (int j = 1; j <= order; j++) {
          c = c * (order - j + 1) / j;
          base += ((j % 2 == 1) ? 1 : -1) * c * series[i - j];
        }
        double change = series[i] - base;
        if (change < maxDecrease || change > maxIncrease) {
          out.add(new Anomaly(i, series[i], base + maxDecrease, base + maxIncrease, "change of order " + order + " "
              + fmt(change) + " outside [" + fmt(maxDecrease) + ", " + fmt(maxIncrease) + "]"));
        }
      }
      return out;
    }
  }

  record RelativeRateOfChange(double maxRateDecrease, double maxRateIncrease, int order) implements AnomalyStrategy {
    RelativeRateOfChange {
      if (order < 1) {
        throw new IllegalArgumentException("order must be at least 1, got " + order);
      }
      if (!(maxRateDecrease <= maxRateIncrease)) {
        throw new IllegalArgumentException("maxRateDecrease " + maxRateDecrease + " is above maxRateIncrease "
            + maxRateIncrease);
      }
    }

    @Override
    public List<Anomaly> detect(double[] series, int from, int to) {
      check(series, from, to);
      List<Anomaly> out = new ArrayList<>();
      for (int i = Math.max(from, order); i < to; i++) {
        double before = series[i - order];
        double v = series[i];
        double rate = before == 0 ? (v == 0 ? 1.0 : Math.copySign(Double.POSITIVE_INFINITY, v)) : v / before;
        if (rate < maxRateDecrease || rate > maxRateIncrease) {
          double a = before * maxRateDecrease;
          double b = before * maxRateIncrease;
          out.add(new Anomaly(i, v, Math.min(a, b), Math.max(a, b), "rate of change " + fmt(rate) + " against "
              + order + " point(s) before outside [" + fmt(maxRateDecrease) + ", " + fmt(maxRateIncrease) + "]"));
        }
      }
      return out;
    }
  }

  record OnlineNormal(double lowerFactor, double upperFactor, double ignoreStartFraction, boolean ignoreAnomalies)
      implements AnomalyStrategy {
    OnlineNormal {
      positive(lowerFactor, "lowerFactor");
      positive(upperFactor, "upperFactor");
      if (!(ignoreStartFraction >= 0 && ignoreStartFraction < 1)) {
        throw new IllegalArgumentException("ignoreStartFraction must be in [0, 1), got " + ignoreStartFraction);
      }
    }

    @Override
    public List<Anomaly> detect(double[] series, int from, int to) {
      check(series, from, to);
      int ignoreBelow = (int) Math.ceil(ignoreStartFraction * series.length);
      List<Anomaly> out = new ArrayList<>();
      long n = 0;
      double mean = 0;
      double m2 = 0;
      for (int i = 0; i < to; i++) {
        double v = series[i];
        boolean anomaly = false;
        if (i >= from && i >= ignoreBelow && n >= 2) {
          double sd = Math.sqrt(m2 / (n - 1));
          double lo = mean - lowerFactor * sd;
          double hi = mean + upperFactor * sd;
          if (v < lo || v > hi) {
            anomaly = true;
            out.add(new Anomaly(i, v, lo, hi, "value " + fmt(v) + " outside the running mean " + fmt(mean) + " -"
                + fmt(lowerFactor) + "/+" + fmt(upperFactor) + " standard deviations (" + fmt(sd) + ") of the "
                + n + " points before"));
          }
        }
        if (!(anomaly && ignoreAnomalies)) {
          n++;
          double d = v - mean;
          mean += d / n;
          m2 += d * (v - mean);
        }
      }
      return out;
    }
  }

  record BatchNormal(double lowerFactor, double upperFactor, boolean includeInterval) implements AnomalyStrategy {
    BatchNormal {
      positive(lowerFactor, "lowerFactor");
      positive(upperFactor, "upperFactor");
    }

    @Override
    public List<Anomaly> detect(double[] series, int from, int to) {
      check(series, from, to);
      long n = 0;
      double mean = 0;
      double m2 = 0;
      for (int i = 0; i < series.length; i++) {
        if (includeInterval || i < from || i >= to) {
          n++;
          double d = series[i] - mean;
          mean += d / n;
          m2 += d * (series[i] - mean);
        }
      }
      if (n < 2) {
        throw new IllegalArgumentException("batch normal needs at least 2 points "
            + (includeInterval ? "in the series" : "outside the interval") + ", got " + n);
      }
      double sd = Math.sqrt(m2 / (n - 1));
      double lo = mean - lowerFactor * sd;
      double hi = mean + upperFactor * sd;
      List<Anomaly> out = new ArrayList<>();
      for (int i = from; i < to; i++) {
        if (series[i] < lo || series[i] > hi) {
          out.add(new Anomaly(i, series[i], lo, hi, "value " + fmt(series[i]) + " outside the mean " + fmt(mean)
              + " -" + fmt(lowerFactor) + "/+" + fmt(upperFactor) + " standard deviations (" + fmt(sd) + ") of "
              + n + " points"));
        }
      }
      return out;
    }
  }

  record HoltWinters(int period) implements AnomalyStrategy {
    private static final double Z95 = 1.959963984540054;

    HoltWinters {
      if (period < 2) {
        throw new IllegalArgumentException("a season needs at least 2 points, got " + period);
      }
    }

    @Override
    public List<Anomaly> detect(double[] series, int from, int to) {
      check(series, from, to);
      if (from < 2 * period) {
        throw new IllegalArgumentException("Holt-Winters with a season of " + period + " points needs at least "
            + 2 * period + " points before the interval, got " + from);
      }
      double best = Double.POSITIVE_INFINITY;
      double[] bestFit = null;
      for (int a = 0; a < 10; a++) {
        for (int b = 0; b < 10; b++) {
          for (int g = 0; g < 10; g++) {
            double[] fit = fit(series, from, 0.05 + 0.1 * a, 0.05 + 0.1 * b, 0.05 + 0.1 * g);
            if (fit[0] < best) {
              best = fit[0];
              bestFit = fit;
            }
          }
        }
      }
      int errors = from - period;
      double sd = Math.sqrt(best / errors);
      double alpha = bestFit[3 + period];
      double beta = bestFit[4 + period];
      double gamma = bestFit[5 + period];
      double level = bestFit[1];
      double trend = bestFit[2];
      double[] season = java.util.Arrays.copyOfRange(bestFit, 3, 3 + period);
      List<Anomaly> out = new ArrayList<>();
      for (int i = from; i < to; i++) {
        // One step ahead, as a job that runs once per point sees it: the forecast from every point
        // before this one. An anomaly is learned from only up to the band's edge, so one outlier
        // barely moves the model while a lasting shift is still followed.
        int s = i % period;
        double forecast = level + trend + season[s];
        double lo = forecast - Z95 * sd;
        double hi = forecast + Z95 * sd;
        double x = series[i];
        if (x < lo || x > hi) {
          out.add(new Anomaly(i, x, lo, hi, "value " + fmt(x) + " outside the Holt-Winters forecast "
              + fmt(forecast) + " +- 1.96 x " + fmt(sd) + " (alpha " + fmt(alpha) + ", beta " + fmt(beta) + ", gamma "
              + fmt(gamma) + ")"));
          x = Math.max(lo, Math.min(hi, x));
        }
        double prevLevel = level;
        level = alpha * (x - season[s]) + (1 - alpha) * (level + trend);
        trend = beta * (level - prevLevel) + (1 - beta) * trend;
        season[s] = gamma * (x - level) + (1 - gamma) * season[s];
      }
      return out;
    }

    /**
     * Runs the smoothing over series[0, n): initial level and seasonals from the first season, trend
     * from the first two. Returns {SSE of one-step errors from point period on, level, trend,
     * seasonal[0..period) by position mod period, alpha, beta, gamma}.
     */
    private double[] fit(double[] x, int n, double alpha, double beta, double gamma) {
      int m = period;
      double first = 0;
      double second = 0;
      for (int i = 0; i < m; i++) {
        first += x[i];
        second += x[m + i];
      }
      first /= m;
      second /= m;
      double level = first;
      double trend = (second - first) / m;
      double[] season = new double[m];
      for (int i = 0; i < m; i++) {
        season[i] = x[i] - first;
      }
      double sse = 0;
      for (int t = m; t < n; t++) {
        int s = t % m;
        double forecast = level + trend + season[s];
        double e = x[t] - forecast;
        sse += e * e;
        double prevLevel = level;
        level = alpha * (x[t] - season[s]) + (1 - alpha) * (level + trend);
        trend = beta * (level - prevLevel) + (1 - beta) * trend;
        season[s] = gamma * (x[t] - level) + (1 - gamma) * season[s];
      }
      double[] out = new double[6 + m];
      out[0] = sse;
      out[1] = level;
      out[2] = trend;
      System.arraycopy(season, 0, out, 3, m);
      out[3 + m] = alpha;
      out[4 + m] = beta;
      out[5 + m] = gamma;
      return out;
    }
  }
}
