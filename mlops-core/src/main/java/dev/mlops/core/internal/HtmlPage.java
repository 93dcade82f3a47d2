package dev.mlops.core.internal;

/**
 * The one look of the library's HTML reports (drift, profile, validation): a self-contained page with
 * inline CSS, no scripts, fonts or external resources, and the escaping every text put into it gets.
 */
public final class HtmlPage {
  /** Verdict badges: drift or failed, ok or passed, not computed, inconclusive. */
  public static final String CSS = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;"
      + "color:#222}h1{font-size:22px;margin:0 0 12px}"
      + ".badge{display:inline-block;padding:4px 10px;border-radius:12px;color:#fff;font-weight:600}"
      + ".drift,.failed{background:#c62828}.ok,.passed{background:#2e7d32}.na{background:#888}"
      + ".inconclusive{background:#ef8f00}"
      + ".summary{margin:0 0 16px;line-height:1.7}.summary b{font-variant-numeric:tabular-nums}"
      + "table{border-collapse:collapse;font-size:13px}"
      + "th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:middle}"
      + "th{background:#f4f4f4;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}"
      + ".sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}"
      + ".note{color:#777;font-size:11px;max-width:260px}.stats{font-size:11px;white-space:nowrap}"
      + "h2{font-size:16px;margin:18px 0 8px}";

  private HtmlPage() {}

  /**
   * The page's start, up to and including the opening body tag and the title heading.
   *
   * @param sb where it goes
   * @param title the page title (escaped here)
   * @param extraCss more rules, or ""
   */
  public static void open(StringBuilder sb, String title, String extraCss) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(esc(title)).append("</title><style>").append(CSS).append(extraCss)
        .append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
  }

  /**
   * The page's end.
   *
   * @param sb where it goes
   */
  public static void close(StringBuilder sb) {
    sb.append("</body></html>\n");
  }

  /**
   * The content of a page made by {@link #open} and {@link #close}, without its title heading: for a
   * page that embeds another report as a section.
   *
   * @param page the page
   * @return what lies between its title heading and its closing body tag
   * @throws IllegalArgumentException when the text is not such a page
   */
  public static String bodyOf(String page) {
    int from = page.indexOf("</h1>\n");
    int to = page.lastIndexOf("</body>");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("not a report page made by HtmlPage");
    }
    return page.substring(from + "</h1>\n".length(), to);
  }

  /**
   * Text made safe for HTML content and attribute values.
   *
   * @param s the text
   * @return the escaped text
   */
  public static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
