package dev.mlops.core.io;

/**
 * What a reader does with a line it cannot turn into a row (ragged, unparseable or out of range,
 * invalid UTF-8, too long, a quoted field with more line breaks than its column allows). A record
 * whose quoted field spans several lines is one bad line, named by the line it starts on. Under
 * {@link #SKIP} an unbalanced quote whose field broke its line-break limit is one bad line too, and
 * reading resumes on the line after it; input that leaves no record boundary to trust (a quote the
 * input ends inside in a multi-line column, text after a closing quote on its own line) is an error
 * under either policy.
 */
public enum BadLinePolicy {
  /** Throw a {@link dev.mlops.core.DataFormatException} naming the line and column. */
  FAIL,
  /**
   * Leave the line out, count it, and record its line number and reason in the {@link CsvReadReport}
   * (the first {@value CsvReadReport#MAX_BAD_LINES} of them; later ones are only counted).
   */
  SKIP
}
