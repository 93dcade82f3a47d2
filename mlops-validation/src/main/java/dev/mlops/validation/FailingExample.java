package dev.mlops.validation;

import org.jspecify.annotations.Nullable;

/**
 * One value that broke a constraint.
 *
 * @param row the 0-based row index within the validated batch, or the global index within a session
 *     (see {@link Validator#newSession(dev.mlops.core.Schema, long)})
 * @param value the offending value as text ({@code null} for a missing value; {@code a=1.0, b=0.5}
 *     for constraints over several columns)
 * @param source the file or source the row came from, when the caller said
 *     ({@link ValidationSession#accumulate(dev.mlops.core.Batch, String, java.util.function.IntToLongFunction)}),
 *     else null
 * @param line the row's first line in that source, or -1 when not known
 */
public record FailingExample(long row, String value, @Nullable String source, long line) {
  /**
   * An example without a known source.
   *
   * @param row the row index
   * @param value the offending value as text
   */
  public FailingExample(long row, String value) {
    this(row, value, null, -1);
  }

  /**
   * Where the row is, for people: {@code row 17}, or {@code row 17 (loans.csv:19)}.
   *
   * @return the text
   */
  public String where() {
    return "row " + row + (source == null ? "" : " (" + source + (line < 0 ? "" : ":" + line) + ")");
  }
}
