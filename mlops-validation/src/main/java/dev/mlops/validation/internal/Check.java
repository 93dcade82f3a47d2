package dev.mlops.validation.internal;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.internal.Printable;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.ConstraintResult;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A constraint compiled against one data schema: column positions resolved, values pre-parsed.
 * Immutable and thread-safe; per-run counts live in a {@link State}.
 */
public abstract class Check {
  /** Outcome of a row check on one row: null value, not evaluated. */
  public static final int SKIP = 0;
  /** Outcome of a row check on one row: the rule held. */
  public static final int PASS = 1;
  /** Outcome of a row check on one row: the rule broke. */
  public static final int FAIL = 2;

  /** Longest example value kept in reports and quarantine reasons, in chars. */
  static final int MAX_VALUE_CHARS = 120;

  private final Constraint constraint;
  private long keyMemoryLimit = Long.MAX_VALUE;

  Check(Constraint constraint) {
    this.constraint = constraint;
  }

  /** The bytes a rule that keeps distinct keys may hold (set once, when the check is compiled). */
  long keyMemoryLimit() {
    return keyMemoryLimit;
  }

  final Check withKeyMemoryLimit(long bytes) {
    keyMemoryLimit = bytes;
    return this;
  }

  /**
   * A value's text for examples, violations and quarantine reasons: cut to {@link #MAX_VALUE_CHARS}
   * chars with its full length noted, control characters escaped ({@link Printable}) so that a value
   * cannot forge a log line.
   *
   * @param value the value, or null
   * @return the text
   */
  static String text(@Nullable Object value) {
    String s = String.valueOf(value);
    return Printable.of(s.length() <= MAX_VALUE_CHARS ? s
        : s.substring(0, MAX_VALUE_CHARS) + "... (" + s.length() + " chars)");
  }

  /**
   * The text of a key a uniqueness check holds, as its failing examples show it.
   *
   * @param key the key
   * @return the text
   */
  public String keyText(Object key) {
    return text(key);
  }

  /**
   * The constraint this check compiles.
   *
   * @return the constraint
   */
  public final Constraint constraint() {
    return constraint;
  }

  /**
   * The column whose {@link dev.mlops.stats.ColumnStatistics} this check reads (mean, stddev and
   * quantile rules), so a profiling session can share its own with the check.
   *
   * @return the column's position, or -1 when the check reads no column statistics
   */
  public int statisticsColumn() {
    return -1;
  }

  /**
   * Whether this check keeps distinct keys ({@code unique}, {@code compound_unique},
   * {@code distinct_count}), which a distributed engine may compare itself.
   *
   * @return true for those checks
   */
  public boolean keepsKeys() {
    return false;
  }

  /**
   * A fresh accumulator.
   *
   * @param sink receives failures as they happen, or null
   * @return the state
   */
  public final State newState(State.@Nullable FailureSink sink) {
    return new State(this, sink);
  }

  /**
   * Feeds one row of the row path.
   *
   * @param r the row
   * @param row its index in the session
   * @param s the accumulator
   */
  public abstract void observe(Row r, long row, State s);

  /**
   * Feeds one row of a batch.
   *
   * @param b the batch
   * @param i the row index in the batch
   * @param s the accumulator
   */
  public abstract void observe(Batch b, int i, State s);

  /**
   * Feeds every row of a batch, in order.
   *
   * @param b the batch
   * @param s the accumulator
   */
  public void observeAll(Batch b, State s) {
    int n = b.rowCount();
    for (int i = 0; i < n; i++) {
      observe(b, i, s);
    }
  }

  /**
   * The result of everything fed to a state.
   *
   * @param s the accumulator
   * @return the result
   */
  public abstract ConstraintResult result(State s);

  /**
   * The result of a counted check: passes when {@code (evaluated - failing) / evaluated >= mostly}, the
   * ratio computed as one correctly rounded division, so a share that equals {@code mostly} in decimal
   * passes (0.07 x 100 would round up to 7.000000000000001).
   *
   * @param s the accumulator
   * @return the result
   */
  final ConstraintResult countedResult(State s) {
    ConstraintResult pending = keysPending(s);
    if (pending != null) {
      return pending;
    }
    double mostly = constraint.mostly();
    long ev = s.evaluated;
    long fl = s.failing;
    boolean ok = ev == 0 || (double) (ev - fl) / ev >= mostly;
    double ratio = ev == 0 ? 0.0 : (double) fl / ev;
    String unit = constraint instanceof Constraint.Unique ? " values repeat an earlier one"
        : constraint instanceof Constraint.CompoundUnique ? " rows repeat an earlier row's key" : " values fail";
    String msg;
    if (fl == 0) {
      msg = ev == 0 ? "no values to check" : "all " + ev + " values pass";
    } else {
      msg = fl + " of " + ev + unit + " (" + String.format(Locale.ROOT, "%.2f%%", ratio * 100) + ")"
          + (mostly < 1.0 ? (ok ? ", within" : ", beyond") + " mostly " + mostly : "");
    }
    return new ConstraintResult(constraint, ok ? ConstraintResult.Status.PASSED : ConstraintResult.Status.FAILED,
        ev, fl, ratio, null, s.examples(), msg);
  }

  /**
   * NOT_EVALUATED while a check that left its keys to the caller has keys the caller has not
   * reported on: never a pass over repeats nobody looked for.
   *
   * @param s the accumulator
   * @return the result, or null when the check's own counts stand
   */
  final @Nullable ConstraintResult keysPending(State s) {
    if (!s.keysElsewhere || s.distinctElsewhere >= 0 || s.evaluated == 0) {
      return null;
    }
    return new ConstraintResult(constraint, ConstraintResult.Status.NOT_EVALUATED, s.evaluated, 0, 0.0, null,
        List.of(), "not evaluated: the " + s.evaluated + " keys were left to the caller to compare, which has not"
            + " reported what it found");
  }

  /**
   * The result of a statistic compared with inclusive bounds.
   *
   * @param s the accumulator
   * @param observed the statistic, or null when there is none
   * @param min lower bound, or null
   * @param max upper bound, or null
   * @param what the statistic's name for messages
   * @param missingReason why there is no statistic
   * @return the result
   */
  final ConstraintResult statisticResult(State s, @Nullable Double observed, @Nullable Double min,
      @Nullable Double max, String what, String missingReason) {
    boolean ok;
    String msg;
    if (observed == null) {
      ok = false;
      msg = "no " + what + ": " + missingReason;
    } else {
      double o = observed;
      ok = !Double.isNaN(o) && (min == null || o >= min) && (max == null || o <= max);
      msg = "observed " + what + " " + o + (ok ? " within " : " outside ") + Args.interval(min, max);
    }
    return new ConstraintResult(constraint, ok ? ConstraintResult.Status.PASSED : ConstraintResult.Status.FAILED,
        s.evaluated, 0, 0.0, observed, List.of(), msg);
  }
}
