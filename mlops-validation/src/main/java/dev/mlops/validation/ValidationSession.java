package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Frames;
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
  /** Whether the caller compares the keys of uniqueness and distinct-count rules (see {@link #leaveKeysToCaller}). */
  private boolean keysElsewhere;

  /** Magic number of {@link #toBytes()}. */
  private static final byte[] MAGIC = {'M', 'L', 'V', 'S'};
  /** Version of {@link #toBytes()}. */
  private static final int VERSION = 1;
  private static final Frames.Kind KIND = new Frames.Kind("session", "ValidationSession.toBytes()",
      "use one release of the library on every machine of a job");

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
    if (keysElsewhere) {
      for (State s : states) {
        if (s != null) {
          s.keysElsewhere();
        }
      }
    }
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
   * Leaves the comparison of keys to the caller, for an engine that finds repeated keys across
   * machines itself (mlops-spark does it with Spark's shuffle): the {@code unique},
   * {@code compound_unique} and {@code distinct_count} rules then count their non-null keys but keep
   * none, and their results stay NOT_EVALUATED until {@link #reportKeys} brings in what the caller
   * found. Every other rule is judged here as usual. Call it before the first row, on every session
   * that will be merged.
   *
   * @return this session
   * @throws IllegalStateException when rows were fed already
   */
  public ValidationSession leaveKeysToCaller() {
    if (rows > 0) {
      throw new IllegalStateException("call leaveKeysToCaller before the first row: " + rows + " rows were fed");
    }
    keysElsewhere = true;
    @Nullable State[] st = states;
    if (st != null) {
      for (State s : st) {
        if (s != null) {
          s.keysElsewhere();
        }
      }
    }
    return this;
  }

  /**
   * The rules whose keys a session that {@link #leaveKeysToCaller leaves them to the caller} expects
   * reported: the contract positions of its evaluated {@code unique}, {@code compound_unique} and
   * {@code distinct_count} rules (a rule over a missing column is NOT_EVALUATED and needs nothing).
   *
   * @return the constraints' indices in {@link DataContract#constraints()}, ascending
   */
  public List<Integer> keyRules() {
    Plan p = plan != null ? plan : validator.planFor(validator.contract().schema());
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < p.size(); k++) {
      Check c = p.check(k);
      if (c != null && c.keepsKeys()) {
        out.add(k);
      }
    }
    return List.copyOf(out);
  }

  /**
   * A key that repeats an earlier one: the row index of the repeat (in this session's numbering) and
   * the key, the column's value ({@link Row} type) or, for {@code compound_unique}, the list of the
   * key columns' values.
   *
   * @param row the repeating row's index
   * @param key the key
   */
  public record RepeatedKey(long row, Object key) {
    /**
     * Checks the parts.
     *
     * @param row the repeating row's index, at least 0
     * @param key the non-null key
     */
    public RepeatedKey {
      if (row < 0) {
        throw new IllegalArgumentException("row must be at least 0, got " + row);
      }
      java.util.Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Brings in what the caller found over every key of one rule (see {@link #leaveKeysToCaller}), once
   * every part's session has been merged into this one.
   *
   * @param rule the rule's index in the contract, one of {@link #keyRules()}
   * @param distinct the distinct non-null keys in all rows
   * @param repeats the occurrences that repeat an earlier occurrence of their key (every occurrence
   *     but the one of the lowest row index)
   * @param lowest the repeats of the lowest row indices, at least the first
   *     {@link ValidationReport#MAX_EXAMPLES} (all of them when there are fewer)
   * @return this session
   * @throws IllegalStateException when the session keeps its own keys
   * @throws IllegalArgumentException when the rule is not a key rule, or the counts cannot be
   */
  public ValidationSession reportKeys(int rule, long distinct, long repeats, List<RepeatedKey> lowest) {
    if (!keysElsewhere) {
      throw new IllegalStateException("this session compares keys itself; open it with leaveKeysToCaller()");
    }
    if (!keyRules().contains(rule)) {
      throw new IllegalArgumentException("constraint " + rule + " is not an evaluated key rule of contract '"
          + validator.contract().name() + "'; its key rules are " + keyRules());
    }
    @Nullable State[] st = states;
    State s = st == null ? null : st[rule];
    if (s == null) {
      if (distinct != 0 || repeats != 0) {
        throw new IllegalArgumentException("this session has seen no rows, so rule " + rule + " has no keys");
      }
      return this;
    }
    List<java.util.Map.Entry<Long, Object>> entries = new ArrayList<>(lowest.size());
    for (RepeatedKey k : lowest) {
      entries.add(java.util.Map.entry(k.row(), k.key()));
    }
    s.keysFound(distinct, repeats, entries);
    return this;
  }

  /**
   * The violation a row repeating {@code key} breaks, worded as the local quarantine words it.
   *
   * @param rule the key rule's index in the contract
   * @param key the key, as for {@link RepeatedKey}
   * @return the violation
   */
  public Violation repeatedKey(int rule, Object key) {
    Plan p = plan != null ? plan : validator.planFor(validator.contract().schema());
    Check c = p.check(rule);
    if (c == null || !keyRules().contains(rule)) {
      throw new IllegalArgumentException("constraint " + rule + " is not an evaluated key rule");
    }
    return new Violation(c.constraint(), c.keyText(key));
  }

  /**
   * Renumbers the rows this session holds to consecutive indices from {@code firstRowIndex}, keeping
   * their order: the examples of every rule, the first rows of kept keys and the row ranges. For an
   * engine that opens each part's session at a sparse index before it knows the parts' sizes
   * (mlops-spark opens partition {@code p} at {@code p * 2^40}): once merged, the rows get the indices
   * one session over all of them, part after part, would have given.
   *
   * @param firstRowIndex the new index of the lowest held row
   * @return this session
   */
  public ValidationSession renumber(long firstRowIndex) {
    if (firstRowIndex < 0) {
      throw new IllegalArgumentException("firstRowIndex must be at least 0, got " + firstRowIndex);
    }
    int n = ranges.size();
    long[] starts = new long[n];
    long[] shift = new long[n];
    long at = firstRowIndex;
    for (int i = 0; i < n; i++) {
      long[] r = ranges.get(i);
      starts[i] = r[0];
      shift[i] = at - r[0];
      at += r[1] - r[0];
    }
    java.util.function.LongUnaryOperator index = row -> {
      int i = java.util.Arrays.binarySearch(starts, row);
      int k = i >= 0 ? i : -i - 2;
      if (k < 0 || row >= ranges.get(k)[1]) {
        throw new IllegalStateException("row " + row + " lies outside the rows this session holds");
      }
      return row + shift[k];
    };
    @Nullable State[] st = states;
    if (st != null) {
      for (State s : st) {
        if (s != null) {
          s.renumber(index);
        }
      }
    }
    ranges.clear();
    if (rows > 0) {
      ranges.add(new long[] {firstRowIndex, at});
    }
    next = at;
    return this;
  }

  /**
   * The state of this session as bytes, for sessions built on other machines of one job (a Spark
   * partition's session on its way to the driver): counts, examples, kept keys, column statistics
   * (exact moments digit by digit) and row ranges, so {@link Validator#sessionFromBytes} gives a
   * session that merges and reports exactly as this one. A contract fingerprint (SHA-256 of its JSON
   * form) travels along, so the bytes are refused by a validator of another contract. An attached
   * quarantine does not travel. Framed like a profile: magic {@code MLVS}, a version, the payload's
   * length and its CRC-32.
   *
   * @return the bytes
   */
  public byte[] toBytes() {
    try {
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(1024);
      java.io.DataOutputStream out = new java.io.DataOutputStream(buf);
      out.write(validator.fingerprint());
      Plan p = plan;
      out.writeBoolean(p != null);
      if (p != null) {
        byte[] schema = p.data().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(schema.length);
        out.write(schema);
      }
      ProfileOptions o = profileOptions;
      out.writeBoolean(o != null);
      if (o != null) {
        out.writeInt(o.kllK());
        out.writeInt(o.hllLgK());
        out.writeInt(o.frequentItemsMaxMapSize());
        out.writeInt(o.maxTrackedValues());
      }
      out.writeBoolean(keysElsewhere);
      out.writeLong(rows);
      out.writeLong(failingRows);
      out.writeLong(next);
      out.writeInt(ranges.size());
      for (long[] r : ranges) {
        out.writeLong(r[0]);
        out.writeLong(r[1]);
      }
      @Nullable State[] st = states;
      if (p != null && st != null) {
        for (State s : st) {
          out.writeBoolean(s != null);
          if (s != null) {
            s.writeTo(out);
          }
        }
        DatasetStatistics stats = profile;
        if (stats != null) {
          for (int i = 0; i < stats.schema().size(); i++) {
            stats.column(i).writeState(out);
          }
        }
      }
      out.flush();
      return Frames.write(MAGIC, VERSION, buf.toByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("writing a session to memory failed", e);
    }
  }

  /** Reads what {@link #toBytes()} wrote; see {@link Validator#sessionFromBytes}. */
  static ValidationSession fromBytes(Validator validator, byte[] bytes) {
    String src = "validation session bytes";
    java.io.DataInputStream in = Frames.read(bytes, MAGIC, VERSION, KIND, src);
    try {
      byte[] fingerprint = new byte[32];
      in.readFully(fingerprint);
      if (!java.util.Arrays.equals(fingerprint, validator.fingerprint())) {
        throw new IllegalArgumentException("the session was built for another contract than '"
            + validator.contract().name() + "'; read it with a validator of the contract it was built with");
      }
      Schema schema = null;
      if (in.readBoolean()) {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
          throw new IllegalArgumentException("a schema of " + n + " bytes, with " + in.available() + " left");
        }
        byte[] json = new byte[n];
        in.readFully(json);
        schema = Schema.fromJson(new String(json, java.nio.charset.StandardCharsets.UTF_8));
      }
      ProfileOptions o = in.readBoolean() ? new ProfileOptions(in.readInt(), in.readInt(), in.readInt(),
          in.readInt()) : null;
      boolean keys = in.readBoolean();
      ValidationSession s = new ValidationSession(validator, null, 0);
      if (keys) {
        s.leaveKeysToCaller();
      }
      if (o != null) {
        s.profileWith(o);
      }
      long rows = in.readLong();
      long failing = in.readLong();
      long next = in.readLong();
      int nr = in.readInt();
      if (rows < 0 || failing < 0 || failing > rows || next < 0 || nr < 0 || 16L * nr > in.available()
          || schema == null && (rows != 0 || nr != 0)) {
        throw new IllegalArgumentException("impossible totals: " + rows + " rows, " + failing + " failing, "
            + nr + " row ranges" + (schema == null ? ", no schema" : ""));
      }
      long held = 0;
      long end = -1;
      for (int i = 0; i < nr; i++) {
        long from = in.readLong();
        long to = in.readLong();
        if (from <= end || to <= from || to > next) {
          throw new IllegalArgumentException("row range [" + from + ", " + to + ") is out of order or empty");
        }
        s.ranges.add(new long[] {from, to});
        held += to - from;
        end = to;
      }
      if (held != rows) {
        throw new IllegalArgumentException("the row ranges hold " + held + " rows, the session counts " + rows);
      }
      if (schema != null) {
        Plan p = s.bind(schema);
        @Nullable State[] st = s.states;
        for (int k = 0; k < p.size(); k++) {
          boolean present = in.readBoolean();
          State state = st[k];
          if (present != (state != null)) {
            throw new IllegalArgumentException("rule " + k + " is " + (present ? "" : "not ") + "evaluated in the"
                + " bytes but " + (state != null ? "" : "not ") + "here");
          }
          if (state != null) {
            state.readFrom(in, schema);
          }
        }
        DatasetStatistics stats = s.profile;
        if (stats != null) {
          List<dev.mlops.stats.ColumnStatistics> cols = new ArrayList<>(schema.size());
          for (int i = 0; i < schema.size(); i++) {
            dev.mlops.stats.ColumnStatistics c = dev.mlops.stats.ColumnStatistics.readState(schema.field(i),
                stats.options(), in);
            if (c.count() != rows) {
              throw new IllegalArgumentException("column " + schema.field(i).name() + " counts " + c.count()
                  + " values in " + rows + " rows");
            }
            cols.add(c);
          }
          s.share(p, DatasetStatistics.ofColumns(schema, stats.options(), rows, cols));
        }
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException(in.available() + " unread bytes after the session");
      }
      s.rows = rows;
      s.failingRows = failing;
      s.next = next;
      return s;
    } catch (java.io.EOFException e) {
      throw new dev.mlops.core.DataFormatException("the payload ends early; the data is truncated", src, -1, null, e);
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof dev.mlops.core.DataFormatException d) {
        throw d;
      }
      throw new dev.mlops.core.DataFormatException("corrupt session data: " + e.getMessage(), src, -1, null, e);
    }
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
