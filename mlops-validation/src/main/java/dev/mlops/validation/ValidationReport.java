package dev.mlops.validation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.HtmlPage;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.Printable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of validating a batch (or a session of rows) against a contract: schema drift, one
 * {@link ConstraintResult} per constraint in contract order, and the overall {@link Verdict}.
 *
 * @param contract the contract's name
 * @param rowCount rows validated
 * @param failingRowCount rows that broke at least one row rule (of any severity); rules over the
 *     dataset ({@code unique}, statistics, {@code row_count}) are counted per rule in {@code results}
 * @param verdict FAIL when an ERROR constraint failed or was not evaluated or an ERROR schema issue
 *     exists; WARN when only WARN ones did; PASS otherwise
 * @param schemaIssues drift between data and contract
 * @param results one per constraint, in contract order
 */
public record ValidationReport(String contract, long rowCount, long failingRowCount, Verdict verdict, List<SchemaIssue> schemaIssues,
    List<ConstraintResult> results) {
  /** Failing examples kept per constraint. */
  public static final int MAX_EXAMPLES = 5;
  /** Version of the JSON form (2 added {@code failingRowCount}). */
  public static final int FORMAT_VERSION = 2;

  /**
   * Copies the lists.
   *
   * @param contract the contract's name
   * @param rowCount rows validated
   * @param failingRowCount rows that broke at least one row rule
   * @param verdict the overall verdict
   * @param schemaIssues drift between data and contract
   * @param results one per constraint
   */
  public ValidationReport {
    if (failingRowCount < 0 || failingRowCount > rowCount) {
      throw new IllegalArgumentException("failingRowCount " + failingRowCount + " is outside [0, rowCount = "
          + rowCount + "]");
    }
    schemaIssues = List.copyOf(schemaIssues);
    results = List.copyOf(results);
  }

  /**
   * Builds a report, deriving the verdict from its parts.
   *
   * @param contract the contract's name
   * @param rowCount rows validated
   * @param failingRowCount rows that broke at least one row rule
   * @param schemaIssues drift between data and contract
   * @param results one per constraint
   * @return the report
   */
  public static ValidationReport of(String contract, long rowCount, long failingRowCount,
      List<SchemaIssue> schemaIssues,
      List<ConstraintResult> results) {
    Verdict v = Verdict.PASS;
    for (SchemaIssue i : schemaIssues) {
      v = worse(v, i.severity());
    }
    for (ConstraintResult r : results) {
      if (!r.passed()) {
        v = worse(v, r.constraint().severity());
      }
    }
    return new ValidationReport(contract, rowCount, failingRowCount, v, schemaIssues, results);
  }

  private static Verdict worse(Verdict v, Severity s) {
    return s == Severity.ERROR ? Verdict.FAIL : (v == Verdict.PASS ? Verdict.WARN : v);
  }

  /**
   * Whether the verdict is not FAIL.
   *
   * @return true for PASS and WARN
   */
  public boolean passed() {
    return verdict != Verdict.FAIL;
  }

  /**
   * The results that did not pass.
   *
   * @return failed and not-evaluated results, in contract order
   */
  public List<ConstraintResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /**
   * The result of one constraint.
   *
   * @param id the constraint's identifier, e.g. {@code credit_amount.range}
   * @return the result, or empty
   */
  public Optional<ConstraintResult> result(String id) {
    return results.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /**
   * The JSON form: verdict, row count, schema issues, and per constraint its id, kind, columns,
   * severity, status, counts, ratio, observed statistic (non-finite values as strings), examples and
   * message.
   *
   * @return indented JSON
   */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("formatVersion", FORMAT_VERSION);
    root.put("contract", contract);
    root.put("verdict", verdict.name());
    root.put("rowCount", rowCount);
    root.put("failingRowCount", failingRowCount);
    ArrayNode issues = root.putArray("schemaIssues");
    for (SchemaIssue i : schemaIssues) {
      ObjectNode o = issues.addObject();
      o.put("kind", i.kind().name());
      o.put("column", i.column());
      o.put("expected", i.expected());
      o.put("actual", i.actual());
      o.put("severity", i.severity().name());
      o.put("message", i.message());
    }
    ArrayNode rs = root.putArray("results");
    for (ConstraintResult r : results) {
      ObjectNode o = rs.addObject();
      o.put("id", r.id());
      o.put("kind", r.constraint().kind());
      ArrayNode cols = o.putArray("columns");
      r.constraint().columns().forEach(cols::add);
      o.put("rule", r.constraint().describe());
      o.put("severity", r.constraint().severity().name());
      o.put("status", r.status().name());
      o.put("evaluated", r.evaluatedCount());
      o.put("failing", r.failingCount());
      o.put("failingRatio", r.failingRatio());
      Double obs = r.observed();
      if (obs == null) {
        o.putNull("observed");
      } else if (Double.isFinite(obs)) {
        o.put("observed", obs);
      } else {
        o.put("observed", obs.toString());
      }
      ArrayNode ex = o.putArray("examples");
      for (FailingExample e : r.examples()) {
        ObjectNode x = ex.addObject().put("row", e.row()).put("value", e.value());
        if (e.source() != null) {
          x.put("source", e.source());
        }
        if (e.line() >= 0) {
          x.put("line", e.line());
        }
      }
      o.put("message", r.message());
    }
    return Json.pretty(root);
  }

  /**
   * The counts in words: {@code 4 of 13,940 rows failed row rules, 2 of 15 constraints failed, 0
   * schema issues}; {@code 13,940 rows, 0 of 15 constraints failed, 0 schema issues} when no row broke
   * a row rule.
   *
   * @return the summary
   */
  public String summary() {
    long failed = results.stream().filter(r -> !r.passed()).count();
    String rows = failingRowCount == 0 ? String.format(Locale.ROOT, "%,d rows", rowCount)
        : String.format(Locale.ROOT, "%,d of %,d rows failed row rules", failingRowCount, rowCount);
    return rows + ", " + failed + " of " + results.size() + " constraints failed, " + schemaIssues.size()
        + " schema issue" + (schemaIssues.size() == 1 ? "" : "s");
  }

  /**
   * A short text for people: a summary line, then one line per schema issue and per failed
   * constraint with its counts and examples. Control characters of values and names are escaped:
   * every line break in the text is one of these.
   *
   * @return the text, lines separated by {@code \n}
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(Printable.of(contract)).append(": ").append(verdict).append(" (").append(summary()).append(')');
    for (SchemaIssue i : schemaIssues) {
      sb.append("\n  ").append(i.severity()).append("  schema: ").append(i.message());
    }
    for (ConstraintResult r : results) {
      if (!r.passed()) {
        sb.append("\n  ").append(r.constraint().severity()).append("  ").append(line(r));
      }
    }
    return sb.toString();
  }

  /**
   * One line describing a result: id, rule, counts and examples, control characters escaped.
   *
   * @param r the result
   * @return the line
   */
  public static String line(ConstraintResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.id()).append(" (").append(r.constraint().describe()).append("): ").append(r.message());
    if (!r.examples().isEmpty()) {
      sb.append("; e.g. ");
      for (int i = 0; i < r.examples().size(); i++) {
        FailingExample e = r.examples().get(i);
        sb.append(i == 0 ? "" : ", ").append(e.where()).append(" = ").append(e.value());
      }
    }
    return Printable.of(sb.toString());
  }

  /**
   * The report as one self-contained HTML page in the style of the drift and profile reports: the
   * verdict, the counts, the schema issues, and every constraint with its status, counts, observed
   * statistic, message and failing examples (with file and line where known). Inline CSS; no scripts,
   * fonts or external resources; every value escaped.
   *
   * @return the HTML text
   */
  public String toHtml() {
    StringBuilder sb = new StringBuilder(2048 + results.size() * 512);
    HtmlPage.open(sb, "Validation: " + contract, "");
    String cls = verdict == Verdict.FAIL ? "failed" : verdict == Verdict.WARN ? "inconclusive" : "passed";
    sb.append("<div class=\"summary\"><span class=\"badge ").append(cls).append("\" id=\"verdict\">").append(verdict)
        .append("</span><br>").append(HtmlPage.esc(summary())).append(".</div>\n");
    if (!schemaIssues.isEmpty()) {
      sb.append("<h2>Schema issues</h2><table><thead><tr><th>Severity</th><th>Issue</th></tr></thead><tbody>\n");
      for (SchemaIssue i : schemaIssues) {
        sb.append("<tr><td>").append(i.severity()).append("</td><td>").append(HtmlPage.esc(i.message()))
            .append("</td></tr>\n");
      }
      sb.append("</tbody></table>\n");
    }
    sb.append("<h2>Constraints</h2><table><thead><tr><th>Constraint</th><th>Rule</th><th>Severity</th>")
        .append("<th>Status</th><th>Evaluated</th><th>Failing</th><th>Observed</th><th>Message and examples</th>")
        .append("</tr></thead><tbody>\n");
    for (ConstraintResult r : results) {
      String status = switch (r.status()) {
        case PASSED -> "<span class=\"badge passed\">passed</span>";
        case FAILED -> r.constraint().severity() == Severity.WARN ? "<span class=\"badge inconclusive\">warning</span>"
            : "<span class=\"badge failed\">failed</span>";
        case NOT_EVALUATED -> "<span class=\"badge na\">not evaluated</span>";
      };
      sb.append("<tr><td>").append(HtmlPage.esc(r.id())).append("</td><td>")
          .append(HtmlPage.esc(r.constraint().describe())).append("</td><td>").append(r.constraint().severity())
          .append("</td><td>").append(status).append("</td><td class=\"n\">").append(r.evaluatedCount())
          .append("</td><td class=\"n\">").append(r.failingCount()).append("</td><td class=\"n\">")
          .append(r.observed() == null ? "&ndash;" : HtmlPage.esc(String.valueOf(r.observed())))
          .append("</td><td class=\"note\" style=\"max-width:520px\">").append(HtmlPage.esc(r.message()));
      for (FailingExample e : r.examples()) {
        sb.append("<br>").append(HtmlPage.esc(e.where())).append(" = ").append(HtmlPage.esc(Printable.of(e.value())));
      }
      sb.append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
    HtmlPage.close(sb);
    return sb.toString();
  }

  /**
   * Writes {@link #toHtml()} to a file (UTF-8), through a temporary file and an atomic move.
   *
   * @param file the file
   */
  public void writeHtml(java.nio.file.Path file) {
    dev.mlops.core.internal.AtomicFiles.write(file, "validation report",
        out -> out.write(toHtml().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return toText();
  }
}
