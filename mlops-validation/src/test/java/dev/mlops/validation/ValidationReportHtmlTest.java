package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.HeadlessChromium;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation report as HTML: self-contained, every value escaped, every result shown; renders in Chromium. */
class ValidationReportHtmlTest extends AllocatorSupport {
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("name", DataType.STRING),
      Field.of("amount", DataType.FLOAT64));
  static final DataContract CONTRACT = DataContract.of("loans <v2>", SCHEMA,
      Constraint.unique("id"),
      new Constraint.Range("amount", 0.0, 100.0, false, false, 1.0, Severity.ERROR),
      new Constraint.Length("name", null, 8, 1.0, Severity.WARN),
      new Constraint.Mean("amount", 0.0, 50.0, Severity.ERROR));

  @Test
  void showsTheVerdictEveryResultAndEscapesEveryValue(@TempDir Path dir) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 20; i++) {
      rows.add(Row.of(SCHEMA, i, i == 3 ? "<script>alert(1)</script>" : "n" + i, i == 7 ? 500.0 : (double) i));
    }
    rows.add(Row.of(SCHEMA, 4L, "dup", 1.0));
    ValidationReport report;
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      report = Validator.compile(CONTRACT).validate(b);
    }
    String html = report.toHtml();
    assertThat(html).doesNotContain("<script", "<link", "@import", "url(", "@font-face");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("<title>Validation: loans &lt;v2&gt;</title>");
    assertThat(html).contains("<span class=\"badge failed\" id=\"verdict\">FAIL</span>")
        .contains(report.summary());
    for (ConstraintResult r : report.results()) {
      assertThat(html).contains("<td>" + r.id() + "</td>");
    }
    assertThat(html).contains("<span class=\"badge failed\">failed</span>").contains("<span class=\"badge passed\">")
        .contains("<span class=\"badge inconclusive\">warning</span>")
        .contains("row 7 = 500.0").contains("row 20 = 4");
    Path page = dir.resolve("validation.html");
    report.writeHtml(page);
    assertThat(page).content().isEqualTo(html);
    Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
    String dom = HeadlessChromium.run(dir, "--dump-dom", "file://" + page.toAbsolutePath());
    assertThat(dom).contains("id=\"verdict\">FAIL</span>").doesNotContain("<script>alert");
    HeadlessChromium.screenshot(dir, page, "validation-report.png");
  }
}
