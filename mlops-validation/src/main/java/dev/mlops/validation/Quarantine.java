package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReadReport;
import dev.mlops.core.io.CsvWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Where a batch job's bad rows go: the rows a {@link ValidationSession} rejects (an ERROR row rule
 * broken, or an ERROR {@code unique} or {@code compound_unique} key repeated within the session) and
 * the input lines that could not even be read ({@link #addMalformed}), in one file, each with where
 * it came from and why:
 *
 * <ul>
 *   <li>the data's columns (every one nullable; null for a malformed line, whose values were never
 *       parsed);
 *   <li>{@value #SOURCE_COLUMN}: the file or source the row came from (null when not given);
 *   <li>{@value #LINE_COLUMN}: its first line in that source (null when not known);
 *   <li>{@value #VIOLATIONS_COLUMN}: every rule it broke (ERROR and WARN), or {@code malformed: } and
 *       the reader's reason.
 * </ul>
 *
 * <p>Nothing is half-written: the rows are held in Arrow memory until {@link #close()}, which writes
 * the CSV or Arrow IPC file to a temporary file and renames it over the target; a job that fails
 * before closing leaves no quarantine file. The rows held cost about what they weigh in Arrow; a job
 * that expects millions of bad rows should split its input. Counts add up:
 * {@code records read = valid rows + ruleFailures() + malformedLines()}. Not thread-safe.
 */
public final class Quarantine implements AutoCloseable {
  /** Where the row came from. */
  public static final String SOURCE_COLUMN = "_source";
  /** The row's first line in its source. */
  public static final String LINE_COLUMN = "_line";
  /** Why the row is here; the same name as {@link ValidationSplit#VIOLATIONS_COLUMN}. */
  public static final String VIOLATIONS_COLUMN = ValidationSplit.VIOLATIONS_COLUMN;

  /** The file format of a quarantine. */
  public enum Format {
    /** CSV with a header, written with {@link CsvWriter}. */
    CSV,
    /** An Arrow IPC file, written with {@link ArrowIpc#writeFile}. */
    ARROW
  }

  private static final int BATCH_ROWS = 8192;

  private final Path file;
  private final Format format;
  private final Schema dataSchema;
  private final Schema schema;
  private final BatchBuilder builder;
  private final List<Batch> batches = new ArrayList<>();
  private long ruleFailures;
  private long malformed;
  private boolean closed;

  private Quarantine(Path file, Format format, Schema dataSchema, BufferAllocator allocator) {
    this.file = Objects.requireNonNull(file, "file");
    this.format = Objects.requireNonNull(format, "format");
    this.dataSchema = dataSchema;
    List<Field> fields = new ArrayList<>();
    for (Field f : dataSchema.fields()) {
      if (f.name().equals(SOURCE_COLUMN) || f.name().equals(LINE_COLUMN) || f.name().equals(VIOLATIONS_COLUMN)) {
        throw new IllegalArgumentException("The data already has a column '" + f.name() + "', a name the"
            + " quarantine uses for its own columns (" + SOURCE_COLUMN + ", " + LINE_COLUMN + ", "
            + VIOLATIONS_COLUMN + "); rename it before validating");
      }
      fields.add(f.withNullable(true));
    }
    fields.add(new Field(SOURCE_COLUMN, DataType.STRING, true, Role.FEATURE));
    fields.add(new Field(LINE_COLUMN, DataType.INT64, true, Role.FEATURE));
    fields.add(new Field(VIOLATIONS_COLUMN, DataType.STRING, false, Role.FEATURE));
    this.schema = Schema.of(fields);
    this.builder = Batch.builder(allocator, schema);
  }

  /**
   * Opens a quarantine for rows of a schema; nothing is written until {@link #close()}.
   *
   * @param file the file to write on close (replaced atomically when it exists)
   * @param format CSV or Arrow IPC
   * @param dataSchema the schema of the rows validated
   * @param allocator where the held rows' memory comes from
   * @return the quarantine; close it
   * @throws IllegalArgumentException when the data has a column named like a quarantine column
   */
  public static Quarantine open(Path file, Format format, Schema dataSchema, BufferAllocator allocator) {
    return new Quarantine(file, format, dataSchema, allocator);
  }

  /**
   * The schema of the quarantine file: the data's columns, nullable, then {@value #SOURCE_COLUMN},
   * {@value #LINE_COLUMN} and {@value #VIOLATIONS_COLUMN}.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /** The data schema the rows must have. */
  Schema dataSchema() {
    return dataSchema;
  }

  /**
   * Adds a row that broke rules (called by the session it is attached to).
   *
   * @param row the row, of the data schema
   * @param source where it came from, or null
   * @param line its first line there, or -1 when not known
   * @param violations the rules it broke
   */
  void addRejected(Row row, @Nullable String source, long line, String violations) {
    Object[] values = new Object[schema.size()];
    int n = dataSchema.size();
    for (int c = 0; c < n; c++) {
      values[c] = row.get(c);
    }
    values[n] = source;
    values[n + 1] = line < 0 ? null : line;
    values[n + 2] = violations;
    add(values);
    ruleFailures++;
  }

  /**
   * Adds the lines a reader could not turn into rows, each as a row whose data columns are null and
   * whose reason says why (the lines of {@link dev.mlops.core.io.CsvReader#badLinesOfLastBatch()} under
   * {@link dev.mlops.core.io.BadLinePolicy#SKIP}).
   *
   * @param source the file or source the lines are in
   * @param lines the lines
   */
  public void addMalformed(String source, List<CsvReadReport.BadLine> lines) {
    Objects.requireNonNull(source, "source");
    int n = dataSchema.size();
    for (CsvReadReport.BadLine b : lines) {
      Object[] values = new Object[schema.size()];
      values[n] = source;
      values[n + 1] = b.line();
      values[n + 2] = "malformed: " + b.reason();
      add(values);
      malformed++;
    }
  }

  private void add(Object[] values) {
    if (closed) {
      throw new IllegalStateException("this quarantine of " + file + " is closed; open a new one");
    }
    builder.addRow(Row.of(schema, values));
    if (builder.rowCount() == BATCH_ROWS) {
      batches.add(builder.build());
    }
  }

  /**
   * Rows added because they broke rules.
   *
   * @return the count
   */
  public long ruleFailures() {
    return ruleFailures;
  }

  /**
   * Lines added because they could not be read.
   *
   * @return the count
   */
  public long malformedLines() {
    return malformed;
  }

  /**
   * Writes the file (temporary file, then an atomic rename) and frees the held rows. A quarantine
   * with no row still writes its file, so that a job's output says "nothing was quarantined".
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (builder.rowCount() > 0 || batches.isEmpty()) {
        batches.add(builder.build());
      }
      if (format == Format.CSV) {
        CsvWriter.write(file, schema, batches, CsvOptions.defaults());
      } else {
        ArrowIpc.writeFile(file, schema, batches);
      }
    } finally {
      try {
        batches.forEach(Batch::close);
      } finally {
        builder.close();
      }
    }
  }
}
