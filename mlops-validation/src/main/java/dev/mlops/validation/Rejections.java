package dev.mlops.validation;

import dev.mlops.validation.internal.Check;
import dev.mlops.validation.internal.State;
import org.jspecify.annotations.Nullable;

/**
 * The failures of one batch's rows as the checks report them: which rows are rejected (an ERROR rule
 * broken) and, per row, every rule it broke (ERROR and WARN) as the text a quarantine shows. Shared by
 * {@link ValidationSplit} and a {@link ValidationSession} writing a {@link Quarantine}.
 */
final class Rejections implements State.FailureSink {
  private final long firstRow;
  private final boolean[] rejected;
  private final @Nullable StringBuilder[] reasons;

  /**
   * For a batch of {@code rows} rows whose first row has index {@code firstRow} in the run.
   *
   * @param firstRow the index the checks report for the batch's row 0
   * @param rows the batch's rows
   */
  Rejections(long firstRow, int rows) {
    this.firstRow = firstRow;
    this.rejected = new boolean[rows];
    this.reasons = new StringBuilder[rows];
  }

  @Override
  public void onFailure(Check check, long row, String value) {
    int i = (int) (row - firstRow);
    Constraint c = check.constraint();
    if (c.severity() == Severity.ERROR) {
      rejected[i] = true;
    }
    StringBuilder sb = reasons[i];
    if (sb == null) {
      sb = new StringBuilder();
      reasons[i] = sb;
    } else {
      sb.append("; ");
    }
    sb.append(new Violation(c, value).message());
  }

  boolean rejected(int i) {
    return rejected[i];
  }

  int rejectedCount() {
    int n = 0;
    for (boolean r : rejected) {
      n += r ? 1 : 0;
    }
    return n;
  }

  String reasons(int i) {
    return String.valueOf(reasons[i]);
  }
}
