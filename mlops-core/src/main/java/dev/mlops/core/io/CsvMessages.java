package dev.mlops.core.io;

import dev.mlops.core.internal.Printable;
import java.util.Collection;

/**
 * Makes text from a CSV file safe to put into an exception message or a log line, by the library's one
 * rule ({@link Printable}): a field may hold line breaks, ANSI escape sequences or other control
 * characters that, copied verbatim into a message, could forge log lines or rewrite a terminal.
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
    return Printable.of(s);
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
}
