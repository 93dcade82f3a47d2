package dev.mlops.validation;

import java.util.List;

/**
 * The verdict on one row: the row checks it broke and any schema drift between the row and the
 * contract. Passing rows share one instance, {@link #PASS}, so the request path allocates nothing
 * for them.
 *
 * @param violations the broken row checks, in contract order
 * @param schemaIssues drift between the row's schema and the contract's
 */
public record RowResult(List<Violation> violations, List<SchemaIssue> schemaIssues) {
  /** The shared result of every row that breaks nothing. */
  public static final RowResult PASS = new RowResult(List.of(), List.of());

  /**
   * Copies the lists.
   *
   * @param violations the broken row checks
   * @param schemaIssues the drift
   */
  public RowResult {
    violations = List.copyOf(violations);
    schemaIssues = List.copyOf(schemaIssues);
  }

  /**
   * Whether the row broke nothing and matched the schema.
   *
   * @return true when there are no violations and no schema issues
   */
  public boolean passed() {
    return violations.isEmpty() && schemaIssues.isEmpty();
  }

  /**
   * Whether an ERROR rule failed or the schema drifted in a way the contract forbids; what
   * {@link OnlinePolicy#REJECT} throws on.
   *
   * @return true when the row must be rejected
   */
  public boolean hasErrors() {
    return violations.stream().anyMatch(v -> v.constraint().severity() == Severity.ERROR)
        || schemaIssues.stream().anyMatch(i -> i.severity() == Severity.ERROR);
  }

  /**
   * One line per failed rule and schema issue.
   *
   * @return the lines
   */
  public List<String> messages() {
    return java.util.stream.Stream.concat(schemaIssues.stream().map(SchemaIssue::message),
        violations.stream().map(Violation::message)).toList();
  }
}
