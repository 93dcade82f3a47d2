package dev.mlops.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.HeadlessChromium;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Json;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Profiler;
import dev.mlops.monitoring.drift.DriftOptions;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftReportTest {

  static DatasetProfile[] mixed(int numeric, int categorical, int rows) {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < numeric; i++) {
      fields.add(Field.of("num_" + i, DataType.FLOAT64));
    }
    for (int i = 0; i < categorical; i++) {
      fields.add(Field.of("cat_<" + i + ">", DataType.STRING));
    }
    Schema s = Schema.of(fields);
    Random r = new Random(7);
    Profiler a = Profiler.create(s);
    Profiler b = Profiler.create(s);
    for (int k = 0; k < rows; k++) {
      Object[] x = new Object[s.size()];
      Object[] y = new Object[s.size()];
      for (int i = 0; i < numeric; i++) {
        x[i] = r.nextGaussian() * (i + 1);
        y[i] = r.nextGaussian() * (i + 1) + (i % 3 == 0 ? i + 1 : 0);
      }
      for (int i = 0; i < categorical; i++) {
        x[numeric + i] = "v" + r.nextInt(5);
        y[numeric + i] = i % 2 == 0 ? "v" + r.nextInt(8) : "v" + r.nextInt(5);
      }
      a.record(Row.of(s, x));
      b.record(Row.of(s, y));
    }
    return new DatasetProfile[] {a.snapshot(), b.snapshot()};
  }

  @Test
  void jsonListsColumnsByScoreWithTheirDistributions() {
    DatasetProfile[] p = mixed(3, 2, 2000);
    DriftReport report = DriftReport.compare(p[0], p[1], DriftOptions.defaults()).withTitle("t");
    JsonNode j = Json.parse(report.toJson(), "report");
    assertThat(j.get("summary").get("referenceRows").asLong()).isEqualTo(2000);
    assertThat(j.get("summary").get("testedColumns").asInt()).isEqualTo(5);
    JsonNode cols = j.get("columns");
    assertThat(cols).hasSize(5);
    for (int i = 1; i < cols.size(); i++) {
      assertThat(cols.get(i - 1).get("score").asDouble()).isGreaterThanOrEqualTo(cols.get(i).get("score").asDouble());
    }
    JsonNode first = cols.get(0);
    assertThat(first.get("column").asText()).isEqualTo("num_0");
    assertThat(first.get("drifted").asBoolean()).isTrue();
    assertThat(first.get("histogram").get("edges")).hasSize(DriftReport.NUMERIC_BINS + 1);
    assertThat(first.get("pValue").isNull()).isTrue();
    JsonNode cat = cols.findParents("categories").get(0).get("categories");
    assertThat(cat.get("values").size()).isEqualTo(cat.get("reference").size());
  }

  @Test
  void htmlIsSelfContainedAndSmallForFiveHundredColumns() {
    DatasetProfile[] p = mixed(400, 100, 3000);
    String html = DriftReport.compare(p[0], p[1], DriftOptions.defaults()).toHtml();
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(2_000_000);
    assertThat(html).doesNotContain("<script", "<link", "@import", "url(", "@font-face", "src=\"http");
    assertThat(count(html, "<svg class=\"chart\"")).isEqualTo(500);
    assertThat(html).contains("cat_&lt;0&gt;").doesNotContain("cat_<0>");
  }

  /**
   * A column with a few far outliers is drawn over its 0.5th to 99.5th percentile with the tails
   * stated; every category bar is labelled and the rest gathered as "(other)"; both sides'
   * statistics are on the row; the axis has round ticks.
   */
  @Test
  void chartsKeepTheBodyVisibleLabelEveryCategoryAndShowBothSidesStatistics() {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("c", DataType.STRING));
    Random r = new Random(4);
    Profiler a = Profiler.create(s);
    Profiler b = Profiler.create(s);
    for (int i = 0; i < 20_000; i++) {
      double x = i % 2000 == 0 ? 1e6 : r.nextGaussian();
      a.record(Row.of(s, x, "v" + (i % 30)));
      b.record(Row.of(s, r.nextGaussian() + 0.5, "v" + (i % 25)));
    }
    DriftReport report = DriftReport.compare(a.snapshot(), b.snapshot(), DriftOptions.defaults());
    DriftReport.Chart x = report.chart("x").orElseThrow();
    double[] e = x.edges();
    // the drawn range ends near the body (about -2.6 to 3.1), not at the outliers' 1e6
    assertThat(e[e.length - 1]).isLessThan(10);
    assertThat(e[0]).isGreaterThan(-10);
    // the tails are counted apart (estimates within the sketch's rank error: about 100 values beyond
    // each end, give or take 1.33% of 20,000), so that the shares still add up to the column
    assertThat(x.refOutside()[0]).isNotNegative();
    assertThat(x.refOutside()[1]).isNotNegative();
    double drawn = 0;
    for (double v : x.ref()) {
      drawn += v;
    }
    assertThat(drawn + x.refOutside()[0] + x.refOutside()[1]).isCloseTo(20_000, org.assertj.core.data.Offset.offset(1.0));
    DriftReport.Chart c = report.chart("c").orElseThrow();
    assertThat(c.labels()).hasSize(DriftReport.MAX_CATEGORIES).endsWith("(other)");
    double refTotal = 0;
    for (double v : c.ref()) {
      refTotal += v;
    }
    assertThat(refTotal).isEqualTo(20_000);
    String html = report.toHtml();
    for (String label : c.labels().subList(0, DriftReport.MAX_CATEGORIES - 1)) {
      assertThat(html).contains(">" + label + "</text>");
    }
    assertThat(html).contains(">(other)</text>").contains("0.5-99.5th pct; below/above: ref ")
        .contains("ref: n 20000, nulls 0, mean ").contains("<br>cur: n 20000").contains(", distinct 30");
    assertThat(HtmlRenderer.ticks(-2.6, 3.1)).containsExactly(-2.0, -1.0, 0.0, 1.0, 2.0, 3.0);
    assertThat(HtmlRenderer.ticks(0, 100)).containsExactly(0.0, 20.0, 40.0, 60.0, 80.0, 100.0);
    assertThat(HtmlRenderer.ticks(5, 5)).containsExactly(5.0);
  }

  @Test
  void htmlRendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
    DatasetProfile[] p = mixed(4, 3, 2000);
    Path html = dir.resolve("report.html");
    DriftReport.compare(p[0], p[1], DriftOptions.defaults()).writeHtml(html);
    String dom = HeadlessChromium.run(dir, "--dump-dom", "file://" + html.toAbsolutePath());
    assertThat(count(dom, "<svg class=\"chart\"")).isEqualTo(7);
    assertThat(dom).contains("Dataset drift detected").contains("<path").contains("<rect");
    Path png = HeadlessChromium.screenshot(dir, html, "drift-report.png");
    BufferedImage img = ImageIO.read(png.toFile());
    int ref = 0;
    int cur = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        if (b > 150 && r < 180 && b - r > 40) {
          ref++; // reference bars: blue
        }
        if (r > 200 && g < 140 && b < 100) {
          cur++; // current outline and bars: orange
        }
      }
    }
    assertThat(ref).as("blue reference pixels").isGreaterThan(2000);
    assertThat(cur).as("orange current pixels").isGreaterThan(500);
  }

  @Test
  void aProfileReportShowsEveryColumnWithItsStatisticsAndDistribution(@TempDir Path dir) throws Exception {
    DatasetProfile[] p = mixed(400, 100, 3000);
    String html = ProfileReport.of(p[0]).withTitle("loans <2026>").toHtml();
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(2_000_000);
    assertThat(html).doesNotContain("<script", "<link", "@import", "url(", "@font-face", "src=\"http");
    assertThat(count(html, "<svg class=\"chart\"")).isEqualTo(500);
    assertThat(html).contains("<title>loans &lt;2026&gt;</title>").contains("Rows: <b>3000</b>, columns: <b>500</b>")
        .contains("n 3000, nulls 0, mean ").contains("cat_&lt;0&gt;");
    // one series: no current (orange) drawing
    assertThat(html).doesNotContain("#e4692b\" stroke-width");
    Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
    DatasetProfile[] small = mixed(4, 3, 2000);
    Path page = dir.resolve("profile.html");
    ProfileReport.of(small[0]).writeHtml(page);
    String dom = HeadlessChromium.run(dir, "--dump-dom", "file://" + page.toAbsolutePath());
    assertThat(count(dom, "<svg class=\"chart\"")).isEqualTo(7);
    HeadlessChromium.screenshot(dir, page, "profile-report.png");
  }

  private static int count(String s, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
