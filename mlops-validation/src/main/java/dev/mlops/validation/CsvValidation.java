package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.Schema;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Validates whole CSV files against a contract in one session, as a batch job or a pipeline gate
 * does: the files are read with the contract's schema, unreadable lines are skipped, counted and
 * (with a quarantine file) kept beside the rows that fail row rules, rows are numbered across the
 * files, and dataset rules are judged on all rows of all files together.
 *
 * <pre>{@code
 * CsvValidation.Outcome o = CsvValidation.validate(DataContract.read(contractFile), List.of(file),
 *     Path.of("rejected.csv"), (rows, bytes) -> {});
 * if (!o.passed()) { System.err.println(o.toText()); }
 * }</pre>
 */
public final class CsvValidation {
  private CsvValidation() {}

  /** Told how far a validation has read, after every batch. */
  @FunctionalInterface
  public interface Progress {
    /**
     * Called after each batch.
     *
     * @param rows rows read so far, over all files
     * @param bytes bytes read so far, over all files
     */
    void read(long rows, long bytes);
  }

  /**
   * What a validation of files found.
   *
   * @param report the report over every readable row of every file
   * @param files how many files were read
   * @param malformedLines lines that could not be read as a row of the contract's schema
   * @param quarantined rows and lines written to the quarantine file (0 without one)
   * @param quarantineFile the quarantine file, or null
   */
  public record Outcome(ValidationReport report, int files, long malformedLines, long quarantined,
      @Nullable Path quarantineFile) {
    /**
     * Checks the components.
     *
     * @param report report
     * @param files files
     * @param malformedLines malformed lines
     * @param quarantined quarantined
     * @param quarantineFile quarantine file
     */
    public Outcome {
      Objects.requireNonNull(report, "report");
    }

    /**
     * Whether the files pass: the report passes and every line could be read.
     *
     * @return true when the files are good
     */
    public boolean passed() {
      return report.passed() && malformedLines == 0;
    }

    /**
     * The report's text, followed by the count of unreadable lines when there were any.
     *
     * @return text for people
     */
    public String toText() {
      return report.toText() + (malformedLines == 0 ? "" : "\n" + String.format(Locale.ROOT,
          "%,d line(s) could not be read%s", malformedLines, quarantineFile == null
              ? "; give a quarantine file to keep them" : " and are in " + quarantineFile));
    }
  }

  /**
   * Validates CSV files in one session.
   *
   * @param contract the contract; its schema reads the files
   * @param files the files, in order
   * @param quarantineFile where rejected rows and unreadable lines go ({@code .arrow} for Arrow IPC,
   *     else CSV), written atomically on completion, or null for none
   * @param progress told how far the files have been read, after every batch
   * @return the outcome
   * @throws dev.mlops.core.DataFormatException when a file is not CSV of the contract's columns
   *     (a missing column, a header it cannot read)
   */
  public static Outcome validate(DataContract contract, List<Path> files, @Nullable Path quarantineFile,
      Progress progress) {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(progress, "progress");
    Validator validator = Validator.compile(contract);
    Schema schema = contract.readSchema();
    CsvOptions options = CsvOptions.builder().schema(schema).badLinePolicy(BadLinePolicy.SKIP).build();
    long malformed = 0;
    long rows = 0;
    long bytesOfEarlierFiles = 0;
    try (BufferAllocator allocator = new RootAllocator()) {
      Quarantine q = quarantineFile == null ? null : Quarantine.open(quarantineFile,
          quarantineFile.toString().endsWith(".arrow") ? Quarantine.Format.ARROW : Quarantine.Format.CSV, schema,
          allocator);
      try {
        ValidationSession session = validator.newSession(schema);
        if (q != null) {
          session.quarantineTo(q);
        }
        for (Path file : files) {
          String name = file.toString();
          try (CsvReader reader = CsvReader.open(file, options, allocator)) {
            while (true) {
              Batch next = reader.nextBatch();
              if (q != null) {
                q.addMalformed(name, reader.badLinesOfLastBatch());
              }
              if (next == null) {
                break;
              }
              try (Batch batch = next) {
                session.accumulate(batch, name, reader::lineOf);
                rows += batch.rowCount();
                progress.read(rows, bytesOfEarlierFiles + reader.bytesRead());
              }
            }
            malformed += reader.report().rowsSkipped();
            bytesOfEarlierFiles += reader.bytesRead();
          }
        }
        ValidationReport report = session.report();
        long quarantined = q == null ? 0 : q.ruleFailures() + q.malformedLines();
        return new Outcome(report, files.size(), malformed, quarantined, quarantineFile);
      } finally {
        if (q != null) {
          q.close();
        }
      }
    }
  }
}
