package dev.mlops.monitoring.report;

import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.HtmlPage;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DatasetProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A profile as one self-contained HTML page, in the drift report's style: per column its type, its
 * statistics (count, nulls, mean, standard deviation, 5th/50th/95th percentiles, distinct count) and
 * its distribution (a histogram over the 0.5th to 99.5th percentile with the tails stated, or the
 * most frequent categories with the rest as "(other)"). Inline CSS and SVG; no scripts, fonts or
 * external resources. Immutable.
 */
public final class ProfileReport {
  private final String title;
  private final DatasetProfile profile;

  private ProfileReport(String title, DatasetProfile profile) {
    this.title = title;
    this.profile = profile;
  }

  /**
   * A report of a profile.
   *
   * @param profile the profile
   * @return the report, titled "Profile"
   */
  public static ProfileReport of(DatasetProfile profile) {
    return new ProfileReport("Profile", Objects.requireNonNull(profile, "profile"));
  }

  /**
   * This report with another title.
   *
   * @param newTitle the title
   * @return the report
   */
  public ProfileReport withTitle(String newTitle) {
    return new ProfileReport(Objects.requireNonNull(newTitle, "title"), profile);
  }

  /**
   * The page.
   *
   * @return the HTML text
   */
  public String toHtml() {
    StringBuilder sb = new StringBuilder(4096 + profile.columns().size() * 2048);
    HtmlPage.open(sb, title, "");
    sb.append("<div class=\"summary\">Rows: <b>").append(profile.rowCount()).append("</b>, columns: <b>")
        .append(profile.columns().size()).append("</b>. Quantiles and histograms from KLL sketches (rank error ")
        .append(HtmlRenderer.fmt(100 * profile.options().rankError())).append("%), distinct counts from HLL.</div>\n")
        .append("<table><thead><tr><th>Column</th><th>Type</th><th>Statistics</th><th>Distribution</th>")
        .append("</tr></thead><tbody>\n");
    for (ColumnProfile c : profile.columns()) {
      sb.append("<tr><td>").append(HtmlPage.esc(c.name())).append("</td><td>").append(c.type())
          .append("</td><td class=\"stats\">");
      HtmlRenderer.stats(sb, c, c);
      if (c.nanCount() + c.positiveInfinityCount() + c.negativeInfinityCount() > 0) {
        sb.append("<br>NaN ").append(c.nanCount()).append(", +Inf ").append(c.positiveInfinityCount())
            .append(", -Inf ").append(c.negativeInfinityCount());
      }
      sb.append("</td><td>");
      DriftReport.chartOf(c, null).ifPresent(ch -> HtmlRenderer.svg(sb, ch));
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
  public void writeHtml(Path file) {
    AtomicFiles.write(file, "profile report", out -> out.write(toHtml().getBytes(StandardCharsets.UTF_8)));
  }
}
