package dev.mlops.validation.internal;

import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.ConstraintResult;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ExtraColumns;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.SchemaIssue;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A contract bound to one data schema: the schema drift between them, and one {@link Check} per
 * constraint whose columns are present with the contract's types (the others are reported as not
 * evaluated). Immutable and thread-safe.
 */
public final class Plan {
  private final DataContract contract;
  private final Schema data;
  private final @Nullable Check[] checks;
  private final RowCheck[] rowChecks;
  private final Checks.RowProgram program;
  private final List<SchemaIssue> issues;
  private final @Nullable String[] skipped;
  private final RowResult clean;

  private Plan(DataContract contract, Schema data, @Nullable Check[] checks, RowCheck[] rowChecks,
      List<SchemaIssue> issues, @Nullable String[] skipped) {
    this.contract = contract;
    this.data = data;
    this.checks = checks;
    this.rowChecks = rowChecks;
    this.program = new Checks.RowProgram(rowChecks);
    this.issues = issues;
    this.skipped = skipped;
    this.clean = issues.isEmpty() ? RowResult.PASS : new RowResult(List.of(), issues);
  }

  /**
   * Binds a contract to a data schema.
   *
   * @param contract the contract
   * @param data the data's schema
   * @param predicates Java predicates of custom constraints, by name
   * @param settings the clock and memory limit the checks share
   * @return the plan
   */
  public static Plan bind(DataContract contract, Schema data, Map<String, Predicate<Row>> predicates,
      Checks.Settings settings) {
    List<SchemaIssue> issues = new ArrayList<>();
    Schema expected = contract.schema();
    for (Field f : expected.fields()) {
      Optional<Field> actual = data.findField(f.name());
      if (actual.isEmpty()) {
        issues.add(new SchemaIssue(SchemaIssue.Kind.MISSING_COLUMN, f.name(), f.type().toString(), null,
            Severity.ERROR));
      } else if (!actual.get().type().equals(f.type())) {
        issues.add(new SchemaIssue(SchemaIssue.Kind.WRONG_TYPE, f.name(), f.type().toString(),
            actual.get().type().toString(), Severity.ERROR));
      }
    }
    if (contract.extraColumns() != ExtraColumns.IGNORE) {
      Severity sev = contract.extraColumns() == ExtraColumns.ERROR ? Severity.ERROR : Severity.WARN;
      for (Field f : data.fields()) {
        if (!expected.contains(f.name())) {
          issues.add(new SchemaIssue(SchemaIssue.Kind.EXTRA_COLUMN, f.name(), null, f.type().toString(), sev));
        }
      }
    }
    List<Constraint> cs = contract.constraints();
    @Nullable Check[] checks = new Check[cs.size()];
    @Nullable String[] skipped = new String[cs.size()];
    List<RowCheck> rowChecks = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      Constraint c = cs.get(i);
      String reason = null;
      for (String col : c.columns()) {
        Optional<Field> actual = data.findField(col);
        if (actual.isEmpty()) {
          reason = "not evaluated: column '" + col + "' is missing from the data";
          break;
        }
        if (!actual.get().type().equals(expected.field(col).type())) {
          reason = "not evaluated: column '" + col + "' is " + actual.get().type() + ", the contract expects "
              + expected.field(col).type();
          break;
        }
      }
      if (reason != null) {
        skipped[i] = reason;
        continue;
      }
      Constraint base = c instanceof Constraint.When w ? w.rule() : c;
      Predicate<Row> p = base instanceof Constraint.Custom cu ? predicates.get(cu.name()) : null;
      Check k = Checks.compile(c, data, p, settings);
      checks[i] = k;
      if (k instanceof RowCheck rc) {
        rowChecks.add(rc);
      }
    }
    return new Plan(contract, data, checks, rowChecks.toArray(new RowCheck[0]), List.copyOf(issues), skipped);
  }

  /**
   * This plan for another instance of an equal schema (same positions, so the same checks).
   *
   * @param equal a schema equal to {@link #data()}
   * @return a plan sharing this one's checks
   */
  public Plan withData(Schema equal) {
    if (!equal.equals(data)) {
      throw new IllegalArgumentException("schema " + equal + " differs from " + data);
    }
    return new Plan(contract, equal, checks, rowChecks, issues, skipped);
  }

  /**
   * The data schema this plan is bound to.
   *
   * @return the schema
   */
  public Schema data() {
    return data;
  }

  /**
   * The row checks, in contract order.
   *
   * @return the shared array; do not modify
   */
  public RowCheck[] rowChecks() {
    return rowChecks;
  }

  /**
   * The row checks grouped for the request path's pass-or-fail test.
   *
   * @return the program
   */
  public Checks.RowProgram program() {
    return program;
  }

  /**
   * Schema drift between the data and the contract.
   *
   * @return the issues, empty when the schemas match
   */
  public List<SchemaIssue> issues() {
    return issues;
  }

  /**
   * The result of a row: shared instances when the row broke no rule, so passing rows allocate
   * nothing.
   *
   * @param violations the broken rules, or null for none
   * @return the result, with this plan's schema drift
   */
  public RowResult rowResult(@Nullable List<Violation> violations) {
    return violations == null ? clean : new RowResult(violations, issues);
  }

  /**
   * Fresh accumulators, one per constraint (null where not evaluated).
   *
   * @param sink receives failures as they happen, or null
   * @return the states, indexed like the contract's constraints
   */
  public @Nullable State[] newStates(State.@Nullable FailureSink sink) {
    @Nullable State[] out = new State[checks.length];
    for (int i = 0; i < checks.length; i++) {
      Check k = checks[i];
      out[i] = k == null ? null : k.newState(sink);
    }
    return out;
  }

  /**
   * The check of a constraint.
   *
   * @param i the constraint's index in the contract
   * @return the check, or null when not evaluated
   */
  public @Nullable Check check(int i) {
    return checks[i];
  }

  /**
   * Number of constraints.
   *
   * @return the count
   */
  public int size() {
    return checks.length;
  }

  /**
   * The report of a finished run.
   *
   * @param states the accumulators from {@link #newStates}
   * @param rowCount rows fed
   * @param failingRows rows that broke at least one row check
   * @return the report
   */
  public ValidationReport report(@Nullable State[] states, long rowCount, long failingRows) {
    List<ConstraintResult> results = new ArrayList<>(checks.length);
    List<Constraint> cs = contract.constraints();
    for (int i = 0; i < checks.length; i++) {
      Check k = checks[i];
      State s = states[i];
      if (k == null || s == null) {
        String reason = skipped[i];
        results.add(new ConstraintResult(cs.get(i), ConstraintResult.Status.NOT_EVALUATED, 0, 0, 0.0, null,
            List.of(), reason == null ? "not evaluated" : reason));
      } else {
        results.add(k.result(s));
      }
    }
    return ValidationReport.of(contract.name(), rowCount, failingRows, issues, results);
  }
}
