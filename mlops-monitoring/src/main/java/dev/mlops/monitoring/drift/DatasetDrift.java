package dev.mlops.monitoring.drift;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The drift verdict of a dataset: one {@link ColumnDrift} per column compared, and the share of
 * drifted columns among those whose test ran. An {@link ColumnDrift#inconclusive() inconclusive}
 * column counts as tested but not as drifted: the share (and the verdict) is the drift shown, and
 * {@code inconclusiveColumns} says how many more the sketches could not decide.
 *
 * @param columns per-column results, in schema order
 * @param testedColumns columns whose test ran
 * @param driftedColumns columns found drifted
 * @param inconclusiveColumns columns whose sketches could not decide (not drifted, not counted in the
 *     share)
 * @param driftShare {@code driftedColumns / testedColumns}, 0 when none ran
 * @param shareThreshold the dataset drifts when {@code driftShare >= shareThreshold}
 * @param drifted the dataset-level verdict
 * @param correction the multiple-testing correction applied
 */
public record DatasetDrift(List<ColumnDrift> columns, int testedColumns, int driftedColumns,
    int inconclusiveColumns, double driftShare, double shareThreshold, boolean drifted, Correction correction) {

  /**
   * Copies the list.
   *
   * @param columns per-column results
   * @param testedColumns columns whose test ran
   * @param driftedColumns drifted columns
   * @param inconclusiveColumns undecided columns
   * @param driftShare drifted share
   * @param shareThreshold share threshold
   * @param drifted verdict
   * @param correction correction
   */
  public DatasetDrift {
    columns = List.copyOf(columns);
  }

  /**
   * The result of a column.
   *
   * @param name column name
   * @return the result, or empty when the column was not compared
   */
  public Optional<ColumnDrift> column(String name) {
    return columns.stream().filter(c -> c.column().equals(name)).findFirst();
  }

  /**
   * The results ordered by {@link ColumnDrift#score()}, highest first (ties by name).
   *
   * @return a new list
   */
  public List<ColumnDrift> byScore() {
    return columns.stream()
        .sorted(Comparator.comparingDouble(ColumnDrift::score).reversed().thenComparing(ColumnDrift::column))
        .toList();
  }
}
