package dev.mlops.monitoring.history;

import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.stats.ColumnKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics as points to store: a profile's dataset and column metrics, a drift result's
 * share and scores. Undefined values (the mean of a column with no values) are left out rather than
 * stored as NaN.
 */
public final class MetricPoints {
  private MetricPoints() {}

  /**
   * A profile's metrics: {@code row_count}; per column (tag {@code column}) {@code null_fraction},
   * {@code distinct_estimate}, and for numeric columns {@code mean}, {@code stddev}, {@code min},
   * {@code max}.
   *
   * @param profile the profile
   * @param time when its data was measured
   * @param tags tags every point gets (the dataset's name, say)
   * @return the points
   */
  public static List<MetricPoint> of(DatasetProfile profile, Instant time, Map<String, String> tags) {
    List<MetricPoint> out = new ArrayList<>();
    add(out, time, "row_count", profile.rowCount(), tags, null);
    for (ColumnProfile c : profile.columns()) {
      String col = c.name();
      if (c.count() > 0) {
        add(out, time, "null_fraction", (double) c.nullCount() / c.count(), tags, col);
      }
      add(out, time, "distinct_estimate", c.distinctCount(), tags, col);
      if (c.kind() == ColumnKind.NUMERIC) {
        add(out, time, "mean", c.mean(), tags, col);
        add(out, time, "stddev", c.stddev(), tags, col);
        add(out, time, "min", c.min(), tags, col);
        add(out, time, "max", c.max(), tags, col);
      }
    }
    return out;
  }

  /**
   * A drift result's metrics: {@code drift.share}, {@code drift.inconclusive_columns}, and per
   * compared column (tags {@code column} and {@code test}) {@code drift.statistic} and
   * {@code drift.score}.
   *
   * @param drift the result
   * @param time when the compared data was measured
   * @param tags tags every point gets
   * @return the points
   */
  public static List<MetricPoint> of(DatasetDrift drift, Instant time, Map<String, String> tags) {
    List<MetricPoint> out = new ArrayList<>();
    add(out, time, "drift.share", drift.driftShare(), tags, null);
    add(out, time, "drift.inconclusive_columns", drift.inconclusiveColumns(), tags, null);
    for (ColumnDrift c : drift.columns()) {
      if (!c.computed()) {
        continue;
      }
      Map<String, String> t = new HashMap<>(tags);
      t.put("test", c.test().id());
      add(out, time, "drift.statistic", c.statistic(), t, c.column());
      add(out, time, "drift.score", c.score(), t, c.column());
    }
    return out;
  }

  private static void add(List<MetricPoint> out, Instant time, String metric, double value, Map<String, String> tags,
      String column) {
    if (!Double.isFinite(value)) {
      return;
    }
    Map<String, String> t = tags;
    if (column != null) {
      t = new HashMap<>(tags);
      t.put("column", column);
    }
    out.add(new MetricPoint(time, metric, value, t));
  }
}
