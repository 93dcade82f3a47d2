package dev.mlops.validation.internal;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.ConstraintResult;

/** A check decided on each row alone. {@link #test(Row)} allocates nothing. */
public abstract class RowCheck extends Check {
  RowCheck(Constraint constraint) {
    super(constraint);
  }

  /**
   * Decides one row of the row path without allocating.
   *
   * @param r the row
   * @return {@link #SKIP}, {@link #PASS} or {@link #FAIL}
   */
  public abstract int test(Row r);

  /**
   * Decides one row of a batch.
   *
   * @param b the batch
   * @param i the row index
   * @return {@link #SKIP}, {@link #PASS} or {@link #FAIL}
   */
  public abstract int test(Batch b, int i);

  /**
   * The checked value(s) of a row as text, for examples (allocates; call on failure only).
   *
   * @param r the row
   * @return the text
   */
  public abstract String value(Row r);

  /**
   * The checked value(s) of a batch row as text.
   *
   * @param b the batch
   * @param i the row index
   * @return the text
   */
  public abstract String value(Batch b, int i);

  /**
   * Counts an outcome already computed by {@link #test(Row)}.
   *
   * @param s the accumulator
   * @param outcome the outcome
   * @param row the row index
   * @param r the row
   */
  public final void record(State s, int outcome, long row, Row r) {
    if (outcome != SKIP) {
      s.evaluated++;
      if (outcome == FAIL) {
        s.fail(row, value(r));
      }
    }
  }

  @Override
  public final void observe(Row r, long row, State s) {
    record(s, test(r), row, r);
  }

  @Override
  public final void observe(Batch b, int i, State s) {
    int outcome = test(b, i);
    if (outcome != SKIP) {
      s.evaluated++;
      if (outcome == FAIL) {
        s.fail(s.offset + i, value(b, i));
        if (s.failedRows != null) {
          s.failedRows.set(i);
        }
      }
    }
  }

  /**
   * A check's own loop over a batch column, reading the Arrow buffers directly, for the types it
   * knows; it must count and record exactly what the per-cell path would.
   *
   * @param b the batch
   * @param s the accumulator
   * @return false when the check has no such loop for this batch, and the per-cell path runs
   */
  boolean observeColumn(Batch b, State s) {
    return false;
  }

  /** Records that batch row {@code i} failed, as the per-cell path does. */
  final void failed(Batch b, int i, State s) {
    s.fail(s.offset + i, value(b, i));
    java.util.BitSet rows = s.failedRows;
    if (rows != null) {
      rows.set(i);
    }
  }

  /**
   * The batch loop of a row check: the check's own column loop where it has one, else one call per
   * cell, counts kept in locals.
   */
  @Override
  public final void observeAll(Batch b, State s) {
    if (observeColumn(b, s)) {
      return;
    }
    int n = b.rowCount();
    long evaluated = 0;
    java.util.BitSet failed = s.failedRows;
    for (int i = 0; i < n; i++) {
      int outcome = test(b, i);
      if (outcome != SKIP) {
        evaluated++;
        if (outcome == FAIL) {
          s.fail(s.offset + i, value(b, i));
          if (failed != null) {
            failed.set(i);
          }
        }
      }
    }
    s.evaluated += evaluated;
  }

  @Override
  public final ConstraintResult result(State s) {
    return countedResult(s);
  }
}
