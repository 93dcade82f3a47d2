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

  /** Whether the caller finds repeated keys itself (a Spark shuffle): the check then only counts keys. */
  boolean keysElsewhere;
  /** Distinct keys the caller found, for {@code distinct_count}; -1 until it reports them. */
  long distinctElsewhere = -1;

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
   * Leaves the keys of a {@code unique}, {@code compound_unique} or {@code distinct_count} check to
   * the caller: the check counts the non-null keys but keeps none, and {@link #keysFound} brings in
   * what the caller found. No effect on other checks.
   */
  public void keysElsewhere() {
    keysElsewhere = check.keepsKeys();
  }

  /**
   * Brings in what the caller found over every key of the check (see {@link #keysElsewhere}).
   *
   * @param distinct distinct non-null keys
   * @param repeats occurrences that repeat an earlier one (by row index)
   * @param lowest the repeats of the lowest row indices, at least the first
   *     {@link ValidationReport#MAX_EXAMPLES} of them, as (row, key) pairs
   */
  public void keysFound(long distinct, long repeats, List<java.util.Map.Entry<Long, Object>> lowest) {
    if (!keysElsewhere) {
      throw new IllegalStateException(check.constraint().id() + " keeps its own keys; it was not told to leave"
          + " them to the caller");
    }
    if (distinct < 0 || repeats < 0 || distinct + repeats > evaluated || lowest.size() > repeats) {
      throw new IllegalArgumentException(check.constraint().id() + ": " + distinct + " distinct keys and "
          + repeats + " repeats (" + lowest.size() + " listed) cannot come from the " + evaluated
          + " non-null keys counted");
    }
    distinctElsewhere = distinct;
    failing += repeats;
    for (java.util.Map.Entry<Long, Object> e : lowest) {
      example(e.getKey(), check.keyText(e.getValue()), null, -1);
    }
  }

  /**
   * Renumbers every row index the state holds (see {@code ValidationSession.renumber}).
   *
   * @param index the new index of each held one, increasing
   */
  public void renumber(java.util.function.LongUnaryOperator index) {
    List<FailingExample> ex = examples;
    if (ex != null) {
      ex.replaceAll(e -> new FailingExample(index.applyAsLong(e.row()), e.value(), e.source(), e.line()));
    }
    UniqueKeys keys = seen;
    if (keys != null) {
      keys.renumber(index);
    }
  }

  /**
   * Writes this state: counts, examples, the check's own column statistics and kept keys.
   *
   * @param out the stream
   * @throws java.io.IOException when the stream fails
   */
  public void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
    out.writeLong(evaluated);
    out.writeLong(failing);
    out.writeLong(matches);
    out.writeBoolean(keysElsewhere);
    out.writeLong(distinctElsewhere);
    java.time.Instant l = latest;
    out.writeBoolean(l != null);
    if (l != null) {
      out.writeLong(l.getEpochSecond());
      out.writeInt(l.getNano());
    }
    List<FailingExample> ex = examples();
    out.writeInt(ex.size());
    for (FailingExample e : ex) {
      out.writeLong(e.row());
      out.writeUTF(e.value());
      out.writeBoolean(e.source() != null);
      if (e.source() != null) {
        out.writeUTF(e.source());
      }
      out.writeLong(e.line());
    }
    ColumnStatistics st = sharedStatistics ? null : statistics;
    out.writeBoolean(st != null);
    if (st != null) {
      ProfileOptions o = st.options();
      out.writeInt(o.kllK());
      out.writeInt(o.hllLgK());
      out.writeInt(o.frequentItemsMaxMapSize());
      out.writeInt(o.maxTrackedValues());
      st.writeState(out);
    }
    UniqueKeys keys = seen;
    out.writeBoolean(keys != null);
    if (keys != null) {
      keys.writeTo(out);
    }
  }

  /**
   * Reads into this fresh state what {@link #writeTo} wrote for the same check.
   *
   * @param in the stream
   * @param data the data schema the check is bound to
   * @throws java.io.IOException when the stream fails or ends early
   * @throws IllegalArgumentException when the state is impossible
   */
  public void readFrom(java.io.DataInputStream in, dev.mlops.core.Schema data) throws java.io.IOException {
    String id = check.constraint().id();
    evaluated = in.readLong();
    failing = in.readLong();
    matches = in.readLong();
    keysElsewhere = in.readBoolean();
    distinctElsewhere = in.readLong();
    if (evaluated < 0 || failing < 0 || matches < 0 || failing > evaluated || matches > evaluated
        || distinctElsewhere < -1 || distinctElsewhere > evaluated) {
      throw new IllegalArgumentException("the state of " + id + " has impossible counts (evaluated " + evaluated
          + ", failing " + failing + ", matches " + matches + ", distinct " + distinctElsewhere + ")");
    }
    if (in.readBoolean()) {
      latest = java.time.Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
    int n = in.readInt();
    if (n < 0 || n > ValidationReport.MAX_EXAMPLES || n > failing) {
      throw new IllegalArgumentException("the state of " + id + " lists " + n + " examples for " + failing
          + " failures (at most " + ValidationReport.MAX_EXAMPLES + ")");
    }
    for (int i = 0; i < n; i++) {
      long row = in.readLong();
      String value = in.readUTF();
      String from = in.readBoolean() ? in.readUTF() : null;
      long line = in.readLong();
      if (row < 0) {
        throw new IllegalArgumentException("the state of " + id + " has an example at row " + row);
      }
      example(row, value, from, line);
    }
    if (in.readBoolean()) {
      int col = check.statisticsColumn();
      if (col < 0) {
        throw new IllegalArgumentException("the state of " + id + " holds column statistics it does not use");
      }
      ProfileOptions o = new ProfileOptions(in.readInt(), in.readInt(), in.readInt(), in.readInt());
      statistics = ColumnStatistics.readState(data.field(col), o, in);
    }
    if (in.readBoolean()) {
      UniqueKeys keys = seen();
      keys.readFrom(in);
    }
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
    if (keysElsewhere != other.keysElsewhere) {
      throw new IllegalArgumentException("cannot merge a state of " + check.constraint().id() + " that keeps its"
          + " keys with one that leaves them to the caller");
    }
    if (distinctElsewhere >= 0 || other.distinctElsewhere >= 0) {
      throw new IllegalArgumentException("cannot merge states of " + check.constraint().id() + " once the"
          + " caller has reported the keys it found: report them after the last merge");
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
