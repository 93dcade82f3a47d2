package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.internal.Check;
import dev.mlops.validation.internal.Checks;
import dev.mlops.validation.internal.Plan;
import dev.mlops.validation.internal.RowCheck;
import dev.mlops.validation.internal.State;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataContract} compiled once into per-column checks indexed by schema position. Immutable
 * and thread-safe: share one instance between request threads.
 *
 * <ul>
 *   <li>{@link #validate(Row)}: the request path. Runs the row checks (see {@link Scope}); a row that
 *       passes gets the shared {@link RowResult#PASS} and nothing is allocated.
 *   <li>{@link #validate(Batch)}: the batch path, column by column over the Arrow vectors, row and
 *       dataset checks, giving a {@link ValidationReport}.
 *   <li>{@link #newSession()}: a whole dataset fed as rows and batches from any number of sources,
 *       dataset rules judged on everything fed and examples numbered globally; sessions over
 *       disjoint parts {@link ValidationSession#merge merge} into the whole.
 *   <li>{@link #split}: valid rows and a quarantine batch whose rows say why they failed.
 * </ul>
 *
 * <p>Data whose schema differs from the contract's is validated anyway: drift (missing, extra,
 * mistyped columns) is reported as {@link SchemaIssue}s and the constraints that read drifted columns
 * are reported as not evaluated.
 */
public final class Validator {
  private final DataContract contract;
  private final Map<String, Predicate<Row>> predicates;
  private final Plan plan;
  private volatile Plan last;
  /** SHA-256 of the contract's JSON form, computed on first use. */
  private volatile byte @org.jspecify.annotations.Nullable [] fingerprint;

  /**
   * Default of {@link #withKeyMemoryLimit}: 1 GiB per rule, about 40 million int64 keys or 6 million
   * 30-char strings.
   */
  public static final long DEFAULT_KEY_MEMORY_LIMIT = 1L << 30;

  private final Checks.Settings settings;

  private Validator(DataContract contract, Map<String, Predicate<Row>> predicates, Checks.Settings settings) {
    this.contract = contract;
    this.predicates = Map.copyOf(predicates);
    this.settings = settings;
    this.plan = Plan.bind(contract, contract.schema(), this.predicates, settings);
    this.last = plan;
  }

  /**
   * This validator with another memory limit for each rule that keeps every distinct key it sees
   * ({@code unique}, {@code compound_unique}, {@code distinct_count}): a session whose keys need more
   * fails with {@link ValidationLimitException} naming the rule, rather than exhausting the heap
   * (the session cannot go on after it).
   * Keys are estimated at 16 bytes per table slot for int64 and float64 columns (21-43 bytes per
   * key) and about 100 bytes plus 2 per char for strings.
   *
   * @param bytes the limit per rule, positive
   * @return a validator of the same contract with that limit
   */
  public Validator withKeyMemoryLimit(long bytes) {
    return new Validator(contract, predicates, new Checks.Settings(settings.clock(), bytes, settings.statistics()));
  }

  /**
   * This validator with other sketch sizes for the column statistics that {@code mean},
   * {@code stddev} and {@code quantile} rules read (default {@link ProfileOptions#defaults()}): a
   * larger {@code kllK} keeps quantiles exact for more values and narrows the interval of an
   * estimated one (single-rank error about {@code 1.33% * 200 / kllK}). A profiling session
   * ({@link ValidationSession#profileWith}) uses its own options instead, so that its profile and
   * its rules read the same states.
   *
   * @param options the sketch sizes
   * @return a validator of the same contract
   */
  public Validator withStatisticsOptions(ProfileOptions options) {
    return new Validator(contract, predicates, new Checks.Settings(settings.clock(), settings.keyMemoryLimit(),
        java.util.Objects.requireNonNull(options, "options")));
  }

  /**
   * Compiles a contract without custom predicates.
   *
   * @param contract the contract
   * @return the validator
   * @throws IllegalArgumentException when the contract has custom constraints (pass their predicates)
   */
  public static Validator compile(DataContract contract) {
    return compile(contract, Map.of());
  }

  /**
   * Compiles a contract, binding its custom constraints to Java predicates by name.
   *
   * @param contract the contract
   * @param predicates one predicate per {@link Constraint.Custom} name; a predicate returns true when
   *     the row passes and should not throw
   * @return the validator
   * @throws IllegalArgumentException naming the custom constraints without a predicate, or
   *     predicates the contract does not name
   */
  public static Validator compile(DataContract contract, Map<String, Predicate<Row>> predicates) {
    return compile(contract, predicates, Clock.systemUTC());
  }

  /**
   * Compiles a contract with the clock its {@code freshness} rules compare the data's latest
   * timestamp with (a fixed clock makes a test or a backfill of old data reproducible).
   *
   * @param contract the contract
   * @param predicates one predicate per {@link Constraint.Custom} name
   * @param clock the clock, read each time a report is made
   * @return the validator
   * @throws IllegalArgumentException naming the custom constraints without a predicate, or
   *     predicates the contract does not name
   */
  public static Validator compile(DataContract contract, Map<String, Predicate<Row>> predicates, Clock clock) {
    java.util.Objects.requireNonNull(clock, "clock");
    Set<String> needed = new TreeSet<>();
    for (Constraint c : contract.constraints()) {
      if ((c instanceof Constraint.When w ? w.rule() : c) instanceof Constraint.Custom cu) {
        needed.add(cu.name());
      }
    }
    Set<String> missing = new TreeSet<>(needed);
    missing.removeAll(predicates.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Contract '" + contract.name() + "' has custom constraints " + missing
          + " without a predicate; pass them to Validator.compile(contract, Map.of(name, row -> ...))");
    }
    Set<String> unknown = new TreeSet<>(predicates.keySet());
    unknown.removeAll(needed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Predicates " + unknown + " match no custom constraint of contract '"
          + contract.name() + "' (it has " + needed + "); fix the names");
    }
    return new Validator(contract, predicates,
        new Checks.Settings(clock, DEFAULT_KEY_MEMORY_LIMIT, ProfileOptions.defaults()));
  }

  /**
   * The contract.
   *
   * @return the contract
   */
  public DataContract contract() {
    return contract;
  }

  /**
   * A session {@link ValidationSession#toBytes()} wrote, on another machine of the same job, with a
   * validator of an equal contract: it merges and reports as the session that wrote it. The bytes
   * are checked (frame, CRC-32, contract fingerprint, every count and declared length) before
   * anything is allocated from them.
   *
   * @param bytes the session's bytes
   * @return the session
   * @throws dev.mlops.core.DataFormatException when the bytes are not a session of this contract, are
   *     truncated or corrupt
   */
  public ValidationSession sessionFromBytes(byte[] bytes) {
    return ValidationSession.fromBytes(this, bytes);
  }

  /** SHA-256 of the contract's JSON form, which sessions carry to refuse another contract's bytes. */
  byte[] fingerprint() {
    byte[] f = fingerprint;
    if (f == null) {
      try {
        f = java.security.MessageDigest.getInstance("SHA-256")
            .digest(contract.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM has no SHA-256", e);
      }
      fingerprint = f;
    }
    return f;
  }

  Plan planFor(Schema schema) {
    if (schema == plan.data()) {
      return plan;
    }
    Plan l = last;
    if (schema == l.data()) {
      return l;
    }
    Plan p = schema.equals(plan.data()) ? plan.withData(schema) : Plan.bind(contract, schema, predicates, settings);
    last = p;
    return p;
  }

  /**
   * Checks one row against the contract's row checks. Dataset checks (uniqueness, statistics, row
   * count) need many rows: use {@link #newSession()} or {@link #validate(Batch)} for them.
   *
   * @param row the row
   * @return {@link RowResult#PASS} (shared, no allocation) or the violations and schema drift
   */
  public RowResult validate(Row row) {
    Plan p = planFor(row.schema());
    if (p.program().passes(row)) {
      return p.rowResult(null);
    }
    List<Violation> violations = null;
    for (RowCheck c : p.rowChecks()) {
      if (c.test(row) == Check.FAIL) {
        if (violations == null) {
          violations = new ArrayList<>();
        }
        violations.add(new Violation(c.constraint(), c.value(row)));
      }
    }
    return p.rowResult(violations);
  }

  /**
   * Checks one row under an online policy.
   *
   * @param row the row
   * @param policy reject, flag or pass
   * @return the row's result ({@link RowResult#PASS} without checking under {@link OnlinePolicy#PASS})
   * @throws RowContractViolationException under {@link OnlinePolicy#REJECT} when an ERROR rule failed
   *     or the schema drifted with ERROR severity; it lists every failed rule of the row
   */
  public RowResult enforce(Row row, OnlinePolicy policy) {
    if (policy == OnlinePolicy.PASS) {
      return RowResult.PASS;
    }
    RowResult r = validate(row);
    if (policy == OnlinePolicy.REJECT && r.hasErrors()) {
      throw new RowContractViolationException(contract.name(), r);
    }
    return r;
  }

  /**
   * Validates a batch column by column: every row and dataset check.
   *
   * @param batch the batch (or a slice; row indices in the report are relative to it). Dataset rules
   *     ({@code unique}, {@code row_count}, statistics) are judged on this batch alone: to judge
   *     them on a dataset of several batches, feed them all to one {@link #newSession()}
   * @return the report
   */
  public ValidationReport validate(Batch batch) {
    return run(batch, null);
  }

  ValidationReport run(Batch batch, State.@Nullable FailureSink sink) {
    Plan p = planFor(batch.schema());
    @Nullable State[] states = p.newStates(sink);
    int n = batch.rowCount();
    BitSet failed = new BitSet(n);
    for (int k = 0; k < p.size(); k++) {
      Check c = p.check(k);
      State s = states[k];
      if (c == null || s == null) {
        continue;
      }
      s.batchStartsAt(0, failed);
      c.observeAll(batch, s);
    }
    return p.report(states, n, failed.cardinality());
  }

  /**
   * Splits a batch into the rows that pass and a quarantine of those that fail at least one ERROR
   * row check or repeat a value of an ERROR uniqueness constraint. Quarantined rows carry a string
   * column {@value ValidationSplit#VIOLATIONS_COLUMN} listing every rule they broke (ERROR and
   * WARN); rows with only WARN failures stay valid. Every input row lands in exactly one of the two.
   *
   * @param batch the batch; not modified, and it may be closed after the split
   * @param allocator where the two new batches' memory comes from
   * @return the split; close it
   * @throws IllegalArgumentException when the batch already has a column named
   *     {@value ValidationSplit#VIOLATIONS_COLUMN}
   */
  public ValidationSplit split(Batch batch, BufferAllocator allocator) {
    return ValidationSplit.of(this, batch, allocator);
  }

  /**
   * A new row-by-row accumulation: feed every row with {@link ValidationSession#accumulate}, then
   * take its {@link ValidationSession#report()}. The session binds to the first row's schema.
   *
   * @return the session, not thread-safe
   */
  public ValidationSession newSession() {
    return new ValidationSession(this, null, 0);
  }

  /**
   * A new row-by-row accumulation for rows of a known schema: unlike {@link #newSession()}, its
   * report reflects the schema's drift even when no row is fed.
   *
   * @param schema the schema every row will have
   * @return the session, not thread-safe
   */
  public ValidationSession newSession(Schema schema) {
    return new ValidationSession(this, schema, 0);
  }

  /**
   * A new session for one part of a larger dataset, whose first row has global index
   * {@code firstRowIndex}: failing examples carry global indices, and the sessions of disjoint parts
   * {@link ValidationSession#merge merge} into the whole.
   *
   * @param schema the schema every row will have
   * @param firstRowIndex the global index of the part's first row, at least 0
   * @return the session, not thread-safe
   * @throws IllegalArgumentException when firstRowIndex is negative
   */
  public ValidationSession newSession(Schema schema, long firstRowIndex) {
    return new ValidationSession(this, schema, firstRowIndex);
  }

  @Override
  public String toString() {
    return "Validator[" + contract.name() + ", " + contract.constraints().size() + " constraints]";
  }
}
