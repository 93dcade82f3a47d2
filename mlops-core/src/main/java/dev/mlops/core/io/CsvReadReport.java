package dev.mlops.core.io;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link CsvReader} read so far: rows delivered, lines skipped under
 * {@link BadLinePolicy#SKIP}, and the first {@link #MAX_BAD_LINES} skipped lines with their reasons.
 * The counts are exact even when the list is capped: the reasons of later skipped lines are dropped,
 * and {@link #omittedBadLines()} and {@link #toString()} say how many.
 *
 * <p>Every record of the input is accounted for: it is a row read, a bad line skipped (a record
 * whose quoted field spans lines counts once, its reason naming the lines), or it stops the reader
 * with an exception. Blank lines are not records (except in a one-column file, where they hold a
 * null), and the header is not counted.
 *
 * @param rowsRead data rows delivered in batches
 * @param rowsSkipped bad lines left out
 * @param badLines the first {@link #MAX_BAD_LINES} bad lines, in file order
 */
public record CsvReadReport(long rowsRead, long rowsSkipped, List<BadLine> badLines) {
  /** How many skipped lines are kept with their reason; later ones are only counted. */
  public static final int MAX_BAD_LINES = 100;

  /**
   * Validates the components.
   *
   * @param rowsRead data rows delivered
   * @param rowsSkipped bad lines left out
   * @param badLines the kept bad lines
   */
  public CsvReadReport {
    Objects.requireNonNull(badLines, "badLines");
    if (rowsRead < 0 || rowsSkipped < 0) {
      throw new IllegalArgumentException("counts must be >= 0, got rowsRead=" + rowsRead
          + " rowsSkipped=" + rowsSkipped);
    }
    if (badLines.size() > rowsSkipped) {
      throw new IllegalArgumentException(badLines.size() + " bad lines listed but only " + rowsSkipped + " skipped");
    }
    badLines = List.copyOf(badLines);
  }

  /**
   * Skipped lines counted in {@link #rowsSkipped()} whose reasons were not kept, because only the
   * first {@link #MAX_BAD_LINES} are.
   *
   * @return {@code rowsSkipped - badLines.size()}
   */
  public long omittedBadLines() {
    return rowsSkipped - badLines.size();
  }

  /**
   * A one-line summary for logs, e.g. {@code 125 rows read, 250 lines skipped (reasons kept for the
   * first 100 in badLines, 150 more dropped); first skipped: line 3: ...}.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(rowsRead).append(rowsRead == 1 ? " row read, " : " rows read, ");
    if (rowsSkipped == 0) {
      return sb.append("no line skipped").toString();
    }
    sb.append(rowsSkipped).append(rowsSkipped == 1 ? " line skipped" : " lines skipped");
    if (omittedBadLines() > 0) {
      sb.append(" (reasons kept for the first ").append(badLines.size()).append(" in badLines, ")
          .append(omittedBadLines()).append(" more dropped)");
    } else {
      sb.append(" (each with its reason in badLines)");
    }
    if (!badLines.isEmpty()) {
      BadLine first = badLines.get(0);
      sb.append("; first skipped: line ").append(first.line()).append(": ").append(first.reason());
    }
    return sb.toString();
  }
  /**
   * One skipped line.
   *
   * @param line the 1-based line where the record starts
   * @param reason what was wrong, with the column where one is to blame
   */
  public record BadLine(long line, String reason) {
    /**
     * Validates the components.
     *
     * @param line the 1-based line
     * @param reason what was wrong
     */
    public BadLine {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
