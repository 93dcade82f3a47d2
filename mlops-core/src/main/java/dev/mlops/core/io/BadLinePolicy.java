package dev.mlops.core.io;

/** What a reader does with a line it cannot turn into a row (ragged, unparseable, invalid UTF-8, too long). */
public enum BadLinePolicy {
  /** Throw a {@link dev.mlops.core.DataFormatException} naming the line and column. */
  FAIL,
  /** Leave the line out, count it, and record its line number and reason in the {@link CsvReadReport}. */
  SKIP
}
