package dev.mlops.core.io;

import java.util.Collection;

/**
 * Makes text from a CSV file safe to put into an exception message or a log line. A field may hold
 * line breaks, ANSI escape sequences or other control characters; copied verbatim into a message they
 * could forge log lines or rewrite a terminal. Each such character becomes a visible escape
 * ({@code \n}, {@code \r}, {@code \t}, otherwise {@code \}{@code uXXXX}); every other character,
 * backslashes included, is kept, so ordinary names and values read as they are.
 */
final class CsvMessages {
  /** The most names a message lists before it says how many more there are. */
  private static final int MAX_LISTED = 20;

  private CsvMessages() {}

  /**
   * The text with control characters, line and paragraph separators, Unicode direction controls and
   * unpaired surrogates escaped.
   *
   * @param s the text, e.g. a column name or a file name
   * @return the printable text
   */
  static String printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (needsEscape(s, i)) {
        return escape(s, i);
      }
    }
    return s;
  }

  /**
   * {@link #printable(String)} of a region of chars.
   *
   * @param b the chars
   * @param off first char
   * @param len number of chars
   * @return the printable text
   */
  static String printable(char[] b, int off, int len) {
    return printable(new String(b, off, len));
  }

  /**
   * Names as a bracketed list, each printable and quoted, the list cut after {@value #MAX_LISTED}.
   *
   * @param names the names
   * @return e.g. {@code ['a', 'b', ... 98 more]}
   */
  static String list(Collection<String> names) {
    StringBuilder sb = new StringBuilder("[");
    int n = 0;
    for (String name : names) {
      if (n == MAX_LISTED) {
        sb.append(", ... ").append(names.size() - MAX_LISTED).append(" more");
        break;
      }
      sb.append(n++ == 0 ? "'" : ", '").append(printable(name)).append('\'');
    }
    return sb.append(']').toString();
  }

  private static boolean needsEscape(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return true;
    }
    if (c == '\u2028' || c == '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200E' || c == '\u200F' || c == '\u061C') {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  private static String escape(String s, int from) {
    StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, from);
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!needsEscape(s, i)) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else {
        sb.append(String.format("\\u%04X", (int) c));
      }
    }
    return sb.toString();
  }
}
