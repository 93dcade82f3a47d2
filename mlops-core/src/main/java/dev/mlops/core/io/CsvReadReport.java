package dev.mlops.core.io;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link CsvReader} read so far: rows delivered, lines skipped under
 * {@link BadLinePolicy#SKIP}, and the first {@link #MAX_BAD_LINES} skipped lines with their reasons.
 * The counts are exact even when the list is capped.
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
    badLines = List.copyOf(badLines);
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
