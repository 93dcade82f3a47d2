package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.stats.DatasetStatistics;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.internal.Check;
import dev.mlops.validation.internal.Plan;
import dev.mlops.validation.internal.RowCheck;
import dev.mlops.validation.internal.State;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Validation of a whole dataset that arrives in pieces: rows ({@link #accumulate(Row)}) and batches
 * ({@link #accumulate(Batch)}) in any mix, from any number of sources, then one {@link #report()}
 * whose dataset rules are judged on everything fed: {@code row_count} and {@code mostly} on the
 * totals, {@code unique} exactly across every batch (a key repeated in two batches or two files
 * fails), mean and standard deviation from exact sums, quantiles from the column's statistics (exact
 * while they hold every value, else KLL's estimate with its rank error).
 *
 * <p>One pass can validate and profile: {@link #profileWith} makes the session gather the
 * {@link DatasetStatistics} of every column, which its mean, stddev and quantile rules then read, and
 * {@link #statistics()} hands them out ({@code DatasetProfile.of(session.statistics())} in
 * mlops-monitoring is the profile of the same rows).
 *
 * <p>Rows are numbered globally: the session's first row has index {@code firstRowIndex} (0 unless
 * given to {@link Validator#newSession(Schema, long)}), each later row or batch row the next index,
 * and failing examples carry that index. Sessions over disjoint row ranges (per file, per partition)
 * {@link #merge} into the session one pass over all their rows would have built: the merged report
 * equals it in verdicts, counts, statistics (to the last bit) and examples, whatever the merge order.
 *
 * <p>Memory: counts per rule; for {@code unique}, every distinct key (21-43 bytes per int64 or
 * float64 key, about 80 bytes plus the key for others); for quantile bounds, 8 bytes per non-null
 * value only up to the sketch's size (about {@code 2.5 kllK} doubles per column once compacting).
 * Not thread-safe: give each thread its own session and merge them.
 */
public final class ValidationSession {
  private final Validator validator;
  private @Nullable Plan plan;
  private @Nullable State @Nullable [] states;
  private long rows;
  private long failingRows;
  private @Nullable Quarantine quarantine;
  private @Nullable ProfileOptions profileOptions;
  private @Nullable DatasetStatistics profile;
  /** Global index of the next row fed. */
  private long next;
  /** The global row ranges this session holds, as sorted, disjoint, non-adjacent [start, end) pairs. */
  private final List<long[]> ranges = new ArrayList<>();

  ValidationSession(Validator validator, @Nullable Schema schema, long firstRowIndex) {
    if (firstRowIndex < 0) {
      throw new IllegalArgumentException("firstRowIndex must be at least 0, got " + firstRowIndex);
    }
    this.validator = validator;
    this.next = firstRowIndex;
    if (schema != null) {
      bind(schema);
    }
  }

  private Plan bind(Schema schema) {
    Quarantine q = quarantine;
    if (q != null && !q.dataSchema().equals(schema)) {
      throw new SchemaMismatchException("the first rows have schema " + schema + " but the session's quarantine is"
          + " for rows of " + q.dataSchema() + "; open the quarantine with the data's schema");
    }
    Plan p = validator.planFor(schema);
    plan = p;
    states = p.newStates(null);
    ProfileOptions o = profileOptions;
    if (o != null) {
      share(p, DatasetStatistics.of(schema, o));
    }
    return p;
  }

  /** Makes the statistics rules read the session's column statistics. */
  private void share(Plan p, DatasetStatistics stats) {
    profile = stats;
    @Nullable State[] st = states;
    for (int k = 0; k < p.size(); k++) {
      Check c = p.check(k);
      State s = st == null ? null : st[k];
      if (c != null && s != null && c.statisticsColumn() >= 0) {
        s.useStatistics(stats.column(c.statisticsColumn()));
      }
    }
  }

  /**
   * Makes this session also profile what it validates, in the same pass: the statistics of every
   * column (counts, exact moments, KLL quantiles, HLL distinct counts, frequent items) are gathered
   * once, its {@code mean}, {@code stddev} and {@code quantile} rules read them, and
   * {@link #statistics()} returns them. Call it before the first row.
   *
   * @param options the sketch sizes of the statistics (and of a profile made from them)
   * @return this session
   * @throws IllegalStateException when rows were fed already or the session already profiles
   */
  public ValidationSession profileWith(ProfileOptions options) {
    java.util.Objects.requireNonNull(options, "options");
    if (rows > 0 || profileOptions != null) {
      throw new IllegalStateException(profileOptions != null ? "this session already profiles with " + profileOptions
          : "call profileWith before the first row: " + rows + " rows were fed without profiling");
    }
    profileOptions = options;
    Plan p = plan;
    if (p != null) {
      share(p, DatasetStatistics.of(p.data(), options));
    }
    return this;
  }

  /**
   * The statistics of every column over every row fed (merged sessions' rows included), for a
   * session that {@link #profileWith profiles}.
   *
   * @return a copy, independent of rows fed later
   * @throws IllegalStateException when the session does not profile, or has no schema yet
   */
  public DatasetStatistics statistics() {
    DatasetStatistics s = profile;
    if (s == null) {
      throw new IllegalStateException(profileOptions == null
          ? "this session does not profile: call profileWith(ProfileOptions) before the first row"
          : "this session has seen no rows and was opened without a schema: open it with Validator.newSession(schema)");
    }
    return s.copy();
  }

  private Plan planFor(Schema schema, String what) {
    Plan p = plan;
    if (p == null) {
      return bind(schema);
    }
    if (schema != p.data() && !schema.equals(p.data())) {
      throw new SchemaMismatchException(what + " has schema " + schema + " but this session started with "
          + p.data() + "; start a new session per schema");
    }
    return p;
  }

  /**
   * Feeds one row to every check, and returns its row-check verdict (as {@link Validator#validate(Row)}).
   *
   * @param row the next row; every row of a session must have the same schema
   * @return the row's result
   * @throws SchemaMismatchException when the row's schema differs from the session's
   */
  public RowResult accumulate(Row row) {
    long index = next;
    Plan p = planFor(row.schema(), "Row " + index);
    @Nullable State[] st = states;
    List<Violation> violations = null;
    Quarantine q = quarantine;
    Rejections rejections = q == null ? null : new Rejections(index, 1);
    for (int k = 0; k < p.size(); k++) {
      Check c = p.check(k);
      State s = st == null ? null : st[k];
      if (c == null || s == null) {
        continue;
      }
      if (rejections != null) {
        s.reportTo(rejections);
      }
      if (c instanceof RowCheck rc) {
        int outcome = rc.test(row);
        rc.record(s, outcome, index, row);
        if (outcome == Check.FAIL) {
          if (violations == null) {
            violations = new ArrayList<>();
          }
          violations.add(new Violation(c.constraint(), rc.value(row)));
        }
      } else {
        c.observe(row, index, s);
      }
    }
    if (rejections != null && st != null) {
      for (State s : st) {
        if (s != null) {
          s.reportTo(null);
        }
      }
    }
    DatasetStatistics stats = profile;
    if (stats != null) {
      stats.add(row);
    }
    advance(1);
    if (violations != null) {
      failingRows++;
    }
    if (q != null && rejections.rejected(0)) {
      q.addRejected(row, null, -1, rejections.reasons(0));
    }
    return p.rowResult(violations);
  }

  /**
   * Feeds every row of a batch to every check, column by column; its rows get the next global
   * indices. The report is the one feeding the same rows one by one gives.
   *
   * @param batch the next rows; every batch and row of a session must have the same schema
   * @throws SchemaMismatchException when the batch's schema differs from the session's
   */
  public void accumulate(Batch batch) {
    accumulate(batch, null, null);
  }

  /**
   * Feeds a batch as {@link #accumulate(Batch)} does, saying where its rows came from: with a
   * {@link #quarantineTo quarantine} attached, each rejected row is written there with its source
   * and line ({@code session.accumulate(batch, file.toString(), reader::lineOf)} with a
   * {@link dev.mlops.core.io.CsvReader}).
   *
   * @param batch the next rows
   * @param source the file or source of the rows, or null
   * @param lineOf the first line of each row of the batch in that source (by batch row), or null
   * @throws SchemaMismatchException when the batch's schema differs from the session's
   */
  public void accumulate(Batch batch, @Nullable String source, @Nullable IntToLongFunction lineOf) {
    Plan p = planFor(batch.schema(), "Batch starting at row " + next);
    @Nullable State[] st = states;
    int n = batch.rowCount();
    BitSet failed = new BitSet(n);
    Quarantine q = quarantine;
    Rejections rejections = q == null ? null : new Rejections(next, n);
    for (int k = 0; k < p.size(); k++) {
      Check c = p.check(k);
      State s = st == null ? null : st[k];
      if (c == null || s == null) {
        continue;
      }
      s.batchStartsAt(next, failed);
      s.origin(source, lineOf);
      if (rejections != null) {
        s.reportTo(rejections);
      }
      c.observeAll(batch, s);
      s.batchStartsAt(next, null);
      s.origin(null, null);
      s.reportTo(null);
    }
    DatasetStatistics stats = profile;
    if (stats != null) {
      stats.add(batch);
    }
    failingRows += failed.cardinality();
    advance(n);
    if (q != null) {
      for (int i = 0; i < n; i++) {
        if (rejections.rejected(i)) {
          q.addRejected(batch.row(i), source, lineOf == null ? -1 : lineOf.applyAsLong(i), rejections.reasons(i));
        }
      }
    }
  }

  /**
   * Writes every row this session rejects from now on (an ERROR row rule broken, an ERROR
   * {@code unique} or {@code compound_unique} key repeated within this session) to a quarantine,
   * with where it came from and why. Attach it before the first row. A key that repeats only across
   * sessions is found when they {@link #merge}: it is in the merged report, not in either quarantine.
   *
   * @param to the quarantine, for rows of this session's schema
   * @return this session
   * @throws IllegalStateException when rows were fed already, or a quarantine is attached
   * @throws SchemaMismatchException when the quarantine is for another schema
   */
  public ValidationSession quarantineTo(Quarantine to) {
    if (rows > 0 || quarantine != null) {
      throw new IllegalStateException(quarantine != null ? "this session already writes a quarantine"
          : "attach the quarantine before the first row: " + rows + " rows were fed without one");
    }
    Plan p = plan;
    if (p != null && !p.data().equals(to.dataSchema())) {
      throw new SchemaMismatchException("the quarantine is for rows of " + to.dataSchema() + " but this session"
          + " validates " + p.data() + "; open the quarantine with the session's schema");
    }
    quarantine = to;
    return this;
  }

  private void advance(long n) {
    if (n == 0) {
      return;
    }
    long start = next;
    next = Math.addExact(next, n);
    rows += n;
    long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
    if (last != null && last[1] == start) {
      last[1] = next;
    } else {
      addRange(start, next);
    }
  }

  /**
   * Folds another session's rows into this one, as if they had been fed here. The two must come
   * from validators of equal contracts, have equal schemas and hold disjoint row ranges (open each
   * partition's session at its first global row with {@link Validator#newSession(Schema, long)}).
   * Merging is associative and commutative: any grouping and order of merges gives the same report.
   * {@code other} is not changed and may be merged elsewhere too, or fed on.
   *
   * @param other the other session
   * @return this session
   * @throws IllegalArgumentException when the contracts differ or the row ranges overlap
   * @throws SchemaMismatchException when the schemas differ
   */
  public ValidationSession merge(ValidationSession other) {
    if (other == this) {
      throw new IllegalArgumentException("a session cannot be merged into itself: its rows would count twice");
    }
    if (other.validator != validator && !other.validator.contract().equals(validator.contract())) {
      throw new IllegalArgumentException("cannot merge a session of contract '" + other.validator.contract().name()
          + "' into one of contract '" + validator.contract().name() + "' (the contracts differ)");
    }
    if ((profileOptions == null) != (other.profileOptions == null)
        || profileOptions != null && !profileOptions.equals(other.profileOptions)) {
      throw new IllegalArgumentException("cannot merge a session that profiles with " + other.profileOptions
          + " into one that profiles with " + profileOptions + "; open every part's session the same way");
    }
    Plan theirs = other.plan;
    if (theirs == null) {
      return this;
    }
    for (long[] r : other.ranges) {
      long[] clash = overlapping(r[0], r[1]);
      if (clash != null) {
        throw new IllegalArgumentException("cannot merge sessions whose rows overlap: this one holds rows ["
            + clash[0] + ", " + clash[1] + "), the other [" + r[0] + ", " + r[1] + "); open each part's session"
            + " at the global index of its first row with Validator.newSession(schema, firstRowIndex)");
      }
    }
    Plan p = planFor(theirs.data(), "The merged session");
    @Nullable State[] mine = states;
    @Nullable State[] their = other.states;
    for (int k = 0; k < p.size(); k++) {
      State a = mine == null ? null : mine[k];
      State b = their == null ? null : their[k];
      if (a != null && b != null) {
        a.merge(b);
      }
    }
    DatasetStatistics mineStats = profile;
    DatasetStatistics theirStats = other.profile;
    if (mineStats != null && theirStats != null) {
      mineStats.merge(theirStats);
    }
    rows += other.rows;
    failingRows += other.failingRows;
    for (long[] r : other.ranges) {
      addRange(r[0], r[1]);
    }
    next = Math.max(next, other.next);
    return this;
  }

  private long @Nullable [] overlapping(long start, long end) {
    for (long[] r : ranges) {
      if (r[0] < end && start < r[1]) {
        return r;
      }
    }
    return null;
  }

  /** Inserts [start, end) into the sorted ranges, joining neighbours that touch. */
  private void addRange(long start, long end) {
    int i = 0;
    while (i < ranges.size() && ranges.get(i)[1] < start) {
      i++;
    }
    long s = start;
    long e = end;
    while (i < ranges.size() && ranges.get(i)[0] <= e) {
      long[] r = ranges.remove(i);
      s = Math.min(s, r[0]);
      e = Math.max(e, r[1]);
    }
    ranges.add(i, new long[] {s, e});
  }

  /**
   * Rows fed so far, merged sessions' rows included.
   *
   * @return the count
   */
  public long rowCount() {
    return rows;
  }

  /**
   * The global index the next row fed will get.
   *
   * @return the index
   */
  public long nextRowIndex() {
    return next;
  }

  /**
   * The report over every row fed so far (the session can keep accumulating afterwards).
   *
   * @return the report; for a session fed no rows and opened without a schema, the contract's own
   *     schema is assumed
   */
  public ValidationReport report() {
    Plan p = plan;
    @Nullable State[] st = states;
    if (p == null || st == null) {
      p = validator.planFor(validator.contract().schema());
      st = p.newStates(null);
    }
    return p.report(st, rows, failingRows);
  }
}
