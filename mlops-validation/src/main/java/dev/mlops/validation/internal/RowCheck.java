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
        s.fail(i, value(b, i));
      }
    }
  }

  /** The batch loop of a row check: one virtual call per cell, counts kept in locals. */
  @Override
  public final void observeAll(Batch b, State s) {
    int n = b.rowCount();
    long evaluated = 0;
    for (int i = 0; i < n; i++) {
      int outcome = test(b, i);
      if (outcome != SKIP) {
        evaluated++;
        if (outcome == FAIL) {
          s.fail(i, value(b, i));
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
