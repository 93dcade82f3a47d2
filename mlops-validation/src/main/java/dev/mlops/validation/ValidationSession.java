package dev.mlops.validation;

import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.validation.internal.Check;
import dev.mlops.validation.internal.Plan;
import dev.mlops.validation.internal.RowCheck;
import dev.mlops.validation.internal.State;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The row path over a whole dataset: {@link #accumulate(Row)} every row, then {@link #report()}.
 * The report equals {@link Validator#validate(dev.mlops.core.Batch)} on a batch of the same rows in
 * the same order: same verdicts, counts, statistics and examples. Not thread-safe.
 */
public final class ValidationSession {
  private final Validator validator;
  private @Nullable Plan plan;
  private @Nullable State @Nullable [] states;
  private long rows;

  ValidationSession(Validator validator, @Nullable Schema schema) {
    this.validator = validator;
    if (schema != null) {
      Plan p = validator.planFor(schema);
      plan = p;
      states = p.newStates(null);
    }
  }

  /**
   * Feeds one row to every check, and returns its row-check verdict (as {@link Validator#validate(Row)}).
   *
   * @param row the next row; every row of a session must have the same schema
   * @return the row's result
   * @throws SchemaMismatchException when the row's schema differs from the first row's
   */
  public RowResult accumulate(Row row) {
    Plan p = plan;
    if (p == null) {
      p = validator.planFor(row.schema());
      plan = p;
      states = p.newStates(null);
    } else if (row.schema() != p.data() && !row.schema().equals(p.data())) {
      throw new SchemaMismatchException("Row " + rows + " has schema " + row.schema()
          + " but this session started with " + p.data() + "; start a new session per schema");
    }
    @Nullable State[] st = states;
    List<Violation> violations = null;
    long index = rows++;
    for (int k = 0; k < p.size(); k++) {
      Check c = p.check(k);
      State s = st == null ? null : st[k];
      if (c == null || s == null) {
        continue;
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
    return p.rowResult(violations);
  }

  /**
   * Rows fed so far.
   *
   * @return the count
   */
  public long rowCount() {
    return rows;
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
    return p.report(st, rows);
  }
}
