package dev.mlops.core.internal;

/**
 * Text as it may go into a message, a report line or a log: characters that could start a new log
 * line, drive a terminal or reorder what a reader sees become visible escapes ({@code \n},
 * {@code \r}, {@code \t}, {@code \u001B}, ...), so a data value cannot forge a log entry. Every
 * other character, the backslash included, is kept as it is; applying this twice changes nothing.
 */
public final class Printable {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Printable() {}

  /**
   * The text with control, line-separator and bidirectional-formatting characters, and unpaired
   * surrogates, escaped.
   *
   * @param s the text
   * @return {@code s} itself when nothing needs escaping
   */
  public static String of(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !escaped(s, i)) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (!escaped(s, i)) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else {
        sb.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
            .append(HEX[c & 0xF]);
      }
    }
    return sb.toString();
  }

  private static boolean escaped(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return true;
    }
    if (c < 0x061C) {
      return false;
    }
    if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
