package dev.mlops.validation.internal;

import dev.mlops.core.Field;
import dev.mlops.stats.ColumnStatistics;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.FailingExample;
import dev.mlops.validation.ValidationReport;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The accumulator of one {@link Check} over a batch or a session: counts, the failing examples of
 * the lowest row indices and, for dataset checks, the statistic's state (the column's
 * {@link ColumnStatistics} for mean, stddev and quantiles; every distinct key for uniqueness). The row and batch paths feed the same state
 * through the same methods, and {@link #merge} combines the states of disjoint row ranges into the
 * state one pass over them all reaches, so every path gives bit-identical results.
 */
public final class State {
  /** Receives every failure as it happens (used to build quarantine batches). */
  public interface FailureSink {
    /**
     * Called once per failing value.
     *
     * @param check the check that failed
     * @param row the row index
     * @param value the value as text
     */
    void onFailure(Check check, long row, String value);
  }

  final Check check;
  private @Nullable FailureSink sink;
  /** Global index of row 0 of the batch being fed; batch rows are recorded at offset + i. */
  long offset;
  long evaluated;
  long failing;
  /** Failing examples, at most {@link ValidationReport#MAX_EXAMPLES}, by increasing row. */
  private @Nullable List<FailingExample> examples;

  // The column's statistics (mean, stddev, quantile): the state's own, or a profiling session's.
  private @Nullable ColumnStatistics statistics;
  private boolean sharedStatistics;

  // Values equal to one category (share).
  long matches;

  // The latest timestamp (freshness).
  java.time.@Nullable Instant latest;

  // Seen keys with their first rows (unique).
  @Nullable UniqueKeys seen;

  State(Check check, @Nullable FailureSink sink) {
    this.check = check;
    this.sink = sink;
  }

  /** The source of the batch being fed and the first line of each of its rows, or null. */
  private @Nullable String source;
  private java.util.function.@Nullable IntToLongFunction lineOf;

  /** Rows of the batch being fed that broke this or another row check, shared by a run's states. */
  @Nullable BitSet failedRows;

  /**
   * Sets the global index of row 0 of the batch fed next, and where its row checks mark the batch
   * rows that fail.
   *
   * @param firstRow the index
   * @param failed marks the failing rows of the batch (by batch index), shared by every state of
   *     the run, or null
   */
  public void batchStartsAt(long firstRow, @Nullable BitSet failed) {
    offset = firstRow;
    failedRows = failed;
  }

  /**
   * Sends the failures fed from now on to {@code to} (in place of the sink the state was made with).
   *
   * @param to the sink, or null for none
   */
  public void reportTo(@Nullable FailureSink to) {
    sink = to;
  }

  /**
   * Says where the rows of the batch fed next come from, for the examples they give.
   *
   * @param from the file or source, or null
   * @param lines the first line of each batch row in it, or null
   */
  public void origin(@Nullable String from, java.util.function.@Nullable IntToLongFunction lines) {
    source = from;
    lineOf = lines;
  }

  void fail(long row, String value) {
    failing++;
    example(row, value);
    if (sink != null) {
      sink.onFailure(check, row, value);
    }
  }

  /** Keeps the example if it is among the lowest-row ones; rows arrive in order except on merge. */
  private void example(long row, String value) {
    example(row, value, source, lineOf == null || row < offset ? -1 : lineOf.applyAsLong((int) (row - offset)));
  }

  private void example(long row, String value, @Nullable String from, long line) {
    List<FailingExample> ex = examples;
    if (ex == null) {
      ex = new ArrayList<>(ValidationReport.MAX_EXAMPLES);
      examples = ex;
    }
    int n = ex.size();
    if (n == ValidationReport.MAX_EXAMPLES && ex.get(n - 1).row() < row) {
      return;
    }
    int at = n;
    while (at > 0 && ex.get(at - 1).row() > row) {
      at--;
    }
    ex.add(at, new FailingExample(row, value, from, line));
    if (ex.size() > ValidationReport.MAX_EXAMPLES) {
      ex.remove(ex.size() - 1);
    }
  }

  List<FailingExample> examples() {
    return examples == null ? List.of() : examples;
  }

  ColumnStatistics statistics(Field field, ProfileOptions options) {
    ColumnStatistics s = statistics;
    if (s == null) {
      s = ColumnStatistics.of(field, options);
      statistics = s;
    }
    return s;
  }

  /**
   * Reads the column statistics of a profiling session instead of keeping its own: the session
   * feeds and merges them, the check only reads them.
   *
   * @param shared the session's statistics of the check's column
   */
  public void useStatistics(ColumnStatistics shared) {
    statistics = shared;
    sharedStatistics = true;
  }

  boolean sharedStatistics() {
    return sharedStatistics;
  }

  void latest(java.time.Instant t) {
    java.time.Instant l = latest;
    if (l == null || t.isAfter(l)) {
      latest = t;
    }
  }

  UniqueKeys seen() {
    UniqueKeys s = seen;
    if (s == null) {
      s = new UniqueKeys(check.keyMemoryLimit(), check.constraint().id());
      seen = s;
    }
    return s;
  }

  /**
   * Folds in the state of the same check over a disjoint set of rows (the caller checks that the
   * row ranges do not overlap). {@code other} is not changed.
   *
   * @param other the other state
   */
  public void merge(State other) {
    if (other.check.constraint() != check.constraint() && !other.check.constraint().equals(check.constraint())) {
      throw new IllegalArgumentException("cannot merge the state of " + other.check.constraint().id() + " into "
          + check.constraint().id());
    }
    evaluated += other.evaluated;
    failing += other.failing;
    matches += other.matches;
    for (FailingExample e : other.examples()) {
      example(e.row(), e.value(), e.source(), e.line());
    }
    ColumnStatistics theirStats = other.statistics;
    if (!sharedStatistics && theirStats != null) {
      ColumnStatistics mine = statistics;
      if (mine == null) {
        statistics = theirStats.copy();
      } else {
        mine.merge(theirStats);
      }
    }
    if (other.latest != null) {
      latest(other.latest);
    }
    UniqueKeys theirs = other.seen;
    if (theirs != null) {
      UniqueKeys mine = seen();
      theirs.forEach((key, first) -> {
        long repeat = mine.offer(key, first);
        if (repeat >= 0) {
          failing++;
          example(repeat, check.keyText(key), null, -1);
        }
      });
    }
  }
}
