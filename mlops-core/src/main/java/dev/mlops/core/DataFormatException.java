package dev.mlops.core;

import org.jspecify.annotations.Nullable;

/**
 * Input data could not be parsed: a ragged CSV row, an unparseable number, invalid UTF-8, a corrupt
 * Arrow file. Carries the location so tools can point at it; the message repeats it for people.
 */
public class DataFormatException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** The file or other source, or null when unknown. */
  private final @Nullable String source;
  /** The 1-based line, or -1 when unknown. */
  private final long line;
  /** The column name (or 1-based number as text), or null when not column-specific. */
  private final @Nullable String column;

  /**
   * Creates the exception with a location.
   *
   * @param message what was wrong and what to do; the location is prefixed automatically
   * @param source file name or other source description, or {@code null} if unknown
   * @param line 1-based line number, or {@code -1} if unknown
   * @param column column name (or 1-based number as text), or {@code null} if not column-specific
   */
  public DataFormatException(String message, @Nullable String source, long line, @Nullable String column) {
    super(locate(source, line, column) + message);
    this.source = source;
    this.line = line;
    this.column = column;
  }

  /**
   * Creates the exception with a location and a cause.
   *
   * @param message what was wrong and what to do; the location is prefixed automatically
   * @param source file name or other source description, or {@code null} if unknown
   * @param line 1-based line number, or {@code -1} if unknown
   * @param column column name, or {@code null} if not column-specific
   * @param cause the underlying failure
   */
  public DataFormatException(
      String message, @Nullable String source, long line, @Nullable String column, Throwable cause) {
    super(locate(source, line, column) + message, cause);
    this.source = source;
    this.line = line;
    this.column = column;
  }

  /**
   * Creates the exception without a location.
   *
   * @param message what was wrong and what to do
   */
  public DataFormatException(String message) {
    this(message, null, -1, null);
  }

  /**
   * Creates the exception without a location, wrapping a cause.
   *
   * @param message what was wrong and what to do
   * @param cause the underlying failure
   */
  public DataFormatException(String message, Throwable cause) {
    this(message, null, -1, null, cause);
  }

  /**
   * The file or source that held the bad data.
   *
   * @return the source, or {@code null} when unknown
   */
  public @Nullable String source() {
    return source;
  }

  /**
   * The 1-based line of the bad data.
   *
   * @return the line, or {@code -1} when unknown
   */
  public long line() {
    return line;
  }

  /**
   * The column of the bad data.
   *
   * @return the column name, or {@code null} when the problem is not column-specific
   */
  public @Nullable String column() {
    return column;
  }

  private static String locate(@Nullable String source, long line, @Nullable String column) {
    StringBuilder sb = new StringBuilder();
    if (source != null) {
      sb.append(source);
    }
    if (line >= 0) {
      sb.append(sb.length() > 0 ? ":" : "line ").append(line);
    }
    if (column != null) {
      sb.append(sb.length() > 0 ? ", " : "").append("column '").append(column).append('\'');
    }
    return sb.length() == 0 ? "" : sb.append(": ").toString();
  }
}
