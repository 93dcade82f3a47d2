package dev.mlops.monitoring.report;

import dev.mlops.core.internal.HtmlPage;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DatasetDrift;
import java.util.Locale;
import java.util.Optional;

/** Renders a {@link DriftReport} as one HTML page with inline CSS and SVG; no scripts, no fonts. */
final class HtmlRenderer {
  private static final int W = 260;
  private static final int H = 84;
  private static final int AXIS = 32;
  private static final String REF_COLOR = "#5b8fd0";
  private static final String CUR_COLOR = "#e4692b";

  private HtmlRenderer() {}

  static String render(DriftReport report) {
    DatasetDrift d = report.drift();
    StringBuilder sb = new StringBuilder(4096 + d.columns().size() * 2048);
    HtmlPage.open(sb, report.title(), "");
    sb.append("<div class=\"summary\">");
    String cls = d.testedColumns() == 0 ? "na" : d.drifted() ? "drift" : "ok";
    String verdict = d.testedColumns() == 0 ? "No column could be tested"
        : d.drifted() ? "Dataset drift detected" : "No dataset drift";
    sb.append("<span class=\"badge ").append(cls).append("\" id=\"verdict\">").append(verdict).append("</span><br>")
        .append("Drifted columns: <b>").append(d.driftedColumns()).append("</b> of <b>").append(d.testedColumns())
        .append("</b> tested").append(d.inconclusiveColumns() == 0 ? "" : ", <b>" + d.inconclusiveColumns()
            + "</b> inconclusive (within the sketches' error; not counted as drift)").append(" (share <b>").append(fmt(d.driftShare())).append("</b>; the dataset drifts at share &ge; ")
        .append(fmt(d.shareThreshold())).append("). Multiple-testing correction: ")
        .append(d.correction().name().toLowerCase(Locale.ROOT).replace('_', '-')).append(".<br>")
        .append("Reference rows: <b>").append(report.reference().rowCount()).append("</b>, current rows: <b>")
        .append(report.current().rowCount()).append("</b>.")
        .append("<span class=\"sw\" style=\"background:").append(REF_COLOR).append("\"></span>reference")
        .append("<span class=\"sw\" style=\"background:").append(CUR_COLOR).append("\"></span>current")
        .append("</div>\n<table><thead><tr><th>Column</th><th>Type</th><th>Test</th><th>Statistic</th>")
        .append("<th>p-value</th><th>Threshold</th><th>Drift</th><th>Score</th><th>Reference vs current</th>")
        .append("<th>Statistics (reference / current)</th>")
        .append("</tr></thead><tbody>\n");
    for (ColumnDrift c : d.byScore()) {
      Optional<ColumnProfile> p = report.reference().findColumn(c.column());
      sb.append("<tr><td>").append(esc(c.column()));
      if (!c.note().isEmpty()) {
        // Folded: a note can run to several lines and would make the row tall; no script needed.
        sb.append("<details class=\"note\"><summary>").append(c.inconclusive() ? "why inconclusive" : "how computed")
            .append("</summary>").append(esc(c.note())).append("</details>");
      }
      sb.append("</td><td>").append(p.map(x -> x.type().toString()).orElse(""))
          .append("</td><td>").append(c.test().id())
          .append("</td><td class=\"n\">").append(fmt(c.statistic()))
          .append("</td><td class=\"n\">").append(c.hasPValue() ? fmt(c.pValue()) : "&ndash;")
          .append("</td><td class=\"n\">").append(fmt(c.threshold()))
          .append("</td><td>").append(!c.computed() ? "<span class=\"badge na\">n/a</span>"
              : c.drifted() ? "<span class=\"badge drift\">drift</span>"
              : c.inconclusive() ? "<span class=\"badge inconclusive\">inconclusive</span>"
              : "<span class=\"badge ok\">ok</span>")
          .append("</td><td class=\"n\">").append(fmt(c.score())).append("</td><td>");
      report.chart(c.column()).ifPresent(ch -> svg(sb, ch));
      sb.append("</td><td class=\"stats\">");
      Optional<ColumnProfile> q = report.current().findColumn(c.column());
      if (p.isPresent() && q.isPresent()) {
        stats(sb, p.get(), q.get());
      }
      sb.append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
    HtmlPage.close(sb);
    return sb.toString();
  }

  static void svg(StringBuilder sb, DriftReport.Chart ch) {
    boolean two = ch.cur() != null;
    double[] a = share(ch.ref());
    double[] b = two ? share(ch.cur()) : new double[a.length];
    double top = 0;
    for (int i = 0; i < a.length; i++) {
      top = Math.max(top, Math.max(a[i], b[i]));
    }
    if (top <= 0) {
      top = 1;
    }
    int plot = H - AXIS;
    sb.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"")
        .append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\">");
    int n = a.length;
    double bw = (double) W / n;
    if (ch.numeric()) {
      sb.append("<path fill=\"").append(REF_COLOR).append("\" fill-opacity=\"0.6\" d=\"M0 ").append(plot);
      for (int i = 0; i < n; i++) {
        sb.append('V').append(num(plot - a[i] / top * plot)).append('H').append(num((i + 1) * bw));
      }
      sb.append('V').append(plot).append("Z\"/>");
      if (two) {
        sb.append("<path fill=\"none\" stroke=\"").append(CUR_COLOR).append("\" stroke-width=\"1.5\" d=\"M0 ")
            .append(plot);
        for (int i = 0; i < n; i++) {
          sb.append('V').append(num(plot - b[i] / top * plot)).append('H').append(num((i + 1) * bw));
        }
        sb.append('V').append(plot).append("\"/>");
      }
      double[] e = ch.edges();
      double lo = e[0];
      double hi = e[e.length - 1];
      for (double t : ticks(lo, hi)) {
        double x = hi > lo ? (t - lo) / (hi - lo) * W : 0;
        String anchor = x < 15 ? "start" : x > W - 15 ? "end" : "middle";
        sb.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(plot).append("\" x2=\"").append(num(x))
            .append("\" y2=\"").append(plot + 3).append("\" stroke=\"#999\" stroke-width=\"0.5\"/>")
            .append("<text x=\"").append(num(x)).append("\" y=\"").append(plot + 12)
            .append("\" font-size=\"9\" text-anchor=\"").append(anchor).append("\">").append(fmt(t)).append("</text>");
      }
      double[] ra = share(ch.ref(), ch.refOutside());
      double[] rb = two ? share(ch.cur(), ch.curOutside()) : new double[2];
      if (ra[0] + ra[1] + rb[0] + rb[1] > 0) {
        sb.append("<text x=\"0\" y=\"").append(H - 2).append("\" font-size=\"8\" fill=\"#777\">0.5-99.5th pct;"
            + " below/above: ").append(two ? "ref " : "").append(pct(ra[0])).append('/').append(pct(ra[1]));
        if (two) {
          sb.append(", cur ").append(pct(rb[0])).append('/').append(pct(rb[1]));
        }
        sb.append("</text>");
      }
    } else {
      double gap = Math.min(2, bw * 0.1);
      double half = two ? (bw - gap) / 2 : bw - gap;
      for (int i = 0; i < n; i++) {
        double x = i * bw;
        double ha = a[i] / top * plot;
        double hb = b[i] / top * plot;
        sb.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(plot - ha)).append("\" width=\"")
            .append(num(half)).append("\" height=\"").append(num(ha)).append("\" fill=\"").append(REF_COLOR)
            .append("\"><title>").append(esc(ch.labels().get(i))).append(": ").append(fmt(a[i] * 100))
            .append("%</title></rect>");
        if (two) {
          sb.append("<rect x=\"").append(num(x + half)).append("\" y=\"").append(num(plot - hb))
              .append("\" width=\"").append(num(half)).append("\" height=\"").append(num(hb)).append("\" fill=\"")
              .append(CUR_COLOR).append("\"><title>").append(esc(ch.labels().get(i))).append(": ")
              .append(fmt(a[i] * 100)).append("% vs ").append(fmt(b[i] * 100)).append("%</title></rect>");
        }
      }
      int chars = Math.max(3, Math.min(14, (int) (AXIS / 2.2)));
      for (int i = 0; i < n; i++) {
        double x = i * bw + bw / 2;
        sb.append("<text font-size=\"8\" text-anchor=\"end\" transform=\"translate(").append(num(x)).append(' ')
            .append(plot + 3).append(") rotate(-50)\">").append(esc(abbreviate(ch.labels().get(i), chars)))
            .append("</text>");
      }
    }
    sb.append("<line x1=\"0\" y1=\"").append(plot).append("\" x2=\"").append(W).append("\" y2=\"").append(plot)
        .append("\" stroke=\"#999\" stroke-width=\"0.5\"/></svg>");
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }

  /** Three to six round numbers within [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
  static double[] ticks(double lo, double hi) {
    if (!(hi > lo) || Double.isInfinite(hi - lo)) {
      return new double[] {lo};
    }
    double raw = (hi - lo) / 4;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    double first = Math.ceil(lo / step) * step;
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (double t = first; t <= hi + step * 1e-9 && out.size() < 8; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String pct(double share) {
    return fmt(Math.round(share * 1000) / 10.0) + "%";
  }

  /** Both sides' statistics, one line each (one line without a current side). */
  static void stats(StringBuilder sb, ColumnProfile a, ColumnProfile b) {
    for (ColumnProfile p : a == b ? new ColumnProfile[] {a} : new ColumnProfile[] {a, b}) {
      sb.append(a == b ? "" : p == a ? "ref: " : "<br>cur: ").append("n ").append(p.count()).append(", nulls ")
          .append(p.nullCount());
      if (p.kind() == dev.mlops.stats.ColumnKind.NUMERIC && p.validCount() > 0) {
        sb.append(", mean ").append(fmt(p.mean())).append(", sd ").append(fmt(p.stddev())).append(", p5/50/95 ")
            .append(fmt(p.quantile(0.05))).append('/').append(fmt(p.quantile(0.5))).append('/')
            .append(fmt(p.quantile(0.95)));
      }
      sb.append(", distinct ").append(p.distinctCount());
    }
  }

  /** The shares of {@code part} in the total of {@code c} and {@code rest}. */
  private static double[] share(double[] part, double[] rest) {
    double t = 0;
    for (double v : part) {
      t += v;
    }
    for (double v : rest) {
      t += v;
    }
    double[] out = new double[rest.length];
    for (int i = 0; i < rest.length && t > 0; i++) {
      out[i] = rest[i] / t;
    }
    return out;
  }

  private static double[] share(double[] c) {
    double t = 0;
    for (double v : c) {
      t += v;
    }
    double[] out = new double[c.length];
    for (int i = 0; i < c.length && t > 0; i++) {
      out[i] = c[i] / t;
    }
    return out;
  }

  private static String num(double v) {
    long r = Math.round(v * 10);
    String sign = r < 0 ? "-" : "";
    r = Math.abs(r);
    return sign + (r % 10 == 0 ? Long.toString(r / 10) : (r / 10) + "." + (r % 10));
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "&ndash;";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "&infin;" : "-&infin;";
    }
    double a = Math.abs(v);
    if (a >= 1e4 && a < 1e10) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a != 0 && (a < 1e-3 || a >= 1e10)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
  }

  static String esc(String s) {
    return HtmlPage.esc(s);
  }
}
