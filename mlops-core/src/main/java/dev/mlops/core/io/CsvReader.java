package dev.mlops.core.io;

import dev.mlops.core.Batch;
import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a UTF-8 CSV file into Arrow-backed {@link Batch batches}, splitting records with its own
 * RFC 4180 tokenizer and writing values straight from its buffer into columns (numbers never become
 * {@code String}s).
 *
 * <p><b>Schema.</b> With {@link CsvOptions#schema()} set, the header must name exactly the schema's
 * columns (in any order; batches come out in schema order). Otherwise the types are inferred from the
 * first {@link CsvOptions#inferenceRows()} data rows: boolean ({@code true}/{@code false}, any case),
 * int64, float64 (also {@code NaN}, {@code Infinity}, {@code inf}, {@code -0.0}), timestamp (ISO-8601
 * instant, offset date-time, local date-time or date, the local forms taken as UTC), else string. A
 * column with no value in the sample is a string column. Inferred fields are nullable, because a
 * sample can show that nulls occur but never that they cannot. The sample rows are kept and fed into
 * the first batches, so the input is read once. A later value that does not parse under the inferred
 * type makes its line bad.
 *
 * <p><b>Inference never changes a value.</b> A column is float64 only if float64 holds every sampled
 * integer exactly (an id column with {@code 9007199254740993} stays a string rather than read as
 * {@code ...992}; {@code 100000000000000000000} is exactly {@code 1e20} and may be float64) and no
 * sampled number is out of float64's range; decimal fractions are read as the nearest float64, as in
 * any float64 column. A column is a timestamp only if no sampled value has non-zero digits beyond
 * microseconds. The same rules hold for the rows after the sample: a value the inferred type would
 * change is a bad line. With a given schema the type is the caller's choice: a float64 column rounds
 * long integers, a timestamp column truncates to microseconds.
 *
 * <p><b>CSV reading rules.</b>
 * <ul>
 *   <li>Records end with LF, CRLF or a lone CR, and line numbers count those, inside quoted fields too.
 *   <li>A quoted field may hold line breaks only in a multi-line column ({@link CsvOptions#multiLineColumns()};
 *       by default the string columns of a given schema), elsewhere at most
 *       {@link CsvOptions#maxLineBreaksPerField()} (default none). More is a bad line naming the line
 *       where the quote opened: a stray quote cannot swallow the lines after it.
 *   <li>An unbalanced quote (a quoted field the input ends inside, or one followed by text after its
 *       closing quote) is an error naming the line where its quote opened under
 *       {@link BadLinePolicy#FAIL}. Under {@link BadLinePolicy#SKIP}, when the field broke its
 *       line-break limit, its lines up to that line break are one bad line and reading resumes on the
 *       next line (the text read ahead to find that out is kept, up to {@link CsvOptions#maxFieldChars()}
 *       chars, and read again); it still stops the read when it broke no limit (a multi-line column, or
 *       text after a quote on the same line) or the read-ahead outgrew that bound, because then no
 *       record boundary can be trusted.
 *   <li>Bad lines (field count differs from the header, unparseable or out-of-range value, invalid
 *       UTF-8, a field longer than {@link CsvOptions#maxFieldChars()}, a missing value in a non-nullable
 *       column, a quoted field over its line-break limit) fail with a {@link DataFormatException} naming
 *       file, line and column under {@link BadLinePolicy#FAIL}. Under {@link BadLinePolicy#SKIP} they are
 *       left out, counted and, for the first {@value CsvReadReport#MAX_BAD_LINES}, kept with their reason
 *       in {@link #report()}. A skipped record is the whole RFC 4180 record: one whose quoted field spans
 *       lines is read to its closing quote and skipped once, its reason naming the lines it spans. So
 *       every record is read, skipped with a reason, or stops the reader with an error.
 *   <li>Problems that leave no line to skip are always errors: no header (empty input), a bad header
 *       (duplicate, empty or unknown names, more than {@link CsvOptions#maxColumns()} columns, a line
 *       break in a quoted name beyond the limit).
 *   <li>Blank lines are not records and are ignored, except in a one-column file, where a blank line
 *       is a record holding one empty unquoted field. There are no comment lines.
 *   <li>One UTF-8 byte order mark at the very start is dropped; any other U+FEFF is data.
 *   <li>Only regular files are opened by path: a FIFO, device or directory is refused at once.
 *   <li>Text from the file that goes into a message (values, column names, the source name) has its
 *       control characters escaped, so a field cannot forge log lines.
 * </ul>
 *
 * <p><b>Memory</b> follows the data: the batch builder's arrays start at a few rows and grow, a field over
 * {@code maxFieldChars} is dropped as it is read, and the header's width is capped by
 * {@link CsvOptions#maxColumns()}.
 *
 * <p>A header line without data rows is not an error: the reader returns no batch, and
 * {@link #readAll} an empty one, with the given schema or, when inferring, every column as a nullable
 * string. CSV cannot hold tensor columns; use {@link ArrowIpc} for them.
 *
 * <p>Not thread-safe. Close the reader; batches it returned are owned by the caller and outlive it.
 */
public final class CsvReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);

  private final String source;
  private final CsvOptions options;
  private final @Nullable BufferAllocator allocator;
  private final StrictUtf8Reader utf8;
  private final CsvTokenizer tokenizer;
  private final CsvRecordSink sink;
  private final Schema schema;
  /** Infer the types from every row of the input, keeping none (see {@link #inferSchemaFromWholeFile}). */
  private final boolean wholeInput;
  private boolean exhausted;
  private boolean failed;
  /** The first line of each row of the last batch returned. */
  private long[] lastLines = new long[0];
  /** The lines skipped while the last batch was read. */
  private List<CsvReadReport.BadLine> lastBadLines = List.of();
  private boolean closed;

  private CsvReader(InputStream in, String sourceName, CsvOptions options, @Nullable BufferAllocator allocator) {
    this(in, sourceName, options, allocator, false);
  }

  private CsvReader(InputStream in, String sourceName, CsvOptions options, @Nullable BufferAllocator allocator,
      boolean wholeInput) {
    this.wholeInput = wholeInput;
    this.source = CsvMessages.printable(sourceName);
    this.options = options;
    this.allocator = allocator;
    this.utf8 = new StrictUtf8Reader(in);
    this.sink = new CsvRecordSink(source, utf8, options);
    this.tokenizer = new CsvTokenizer(utf8, sink, options);
    try {
      this.schema = readSchema();
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * Opens a CSV file.
   *
   * @param path the file, UTF-8
   * @param options how to read it
   * @param allocator where batch memory comes from
   * @return the reader, positioned after the header (and the inference sample); close it
   * @throws DataFormatException when the file has no header, a bad header, or a bad line in the sample
   *     under {@link BadLinePolicy#FAIL}
   * @throws SchemaMismatchException when the given schema has a tensor column, which CSV cannot hold
   * @throws MlopsException when the file cannot be opened
   */
  public static CsvReader open(Path path, CsvOptions options, BufferAllocator allocator) {
    Objects.requireNonNull(allocator, "allocator");
    return new CsvReader(openRegularFile(path), path.toString(), options, allocator);
  }

  /**
   * Opens a path only when it is a regular file (after following links): opening a FIFO blocks until
   * a writer comes, and a device or directory never ends or never was a CSV. The check and the open
   * are two steps, so a path swapped in between is not caught; read such sources through
   * {@link #open(InputStream, String, CsvOptions, BufferAllocator)}.
   */
  private static InputStream openRegularFile(Path path) {
    String shown = CsvMessages.printable(path.toString());
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      if (!a.isRegularFile()) {
        throw new MlopsException("CSV file " + shown + " is not a regular file but a "
            + (a.isDirectory() ? "directory" : "FIFO, socket or device") + ", which could block or never end;"
            + " give a regular file, or read other sources with CsvReader.open(InputStream, ...)");
      }
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new MlopsException("CSV file " + shown + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new MlopsException("Cannot open CSV file " + shown + ": " + CsvMessages.printable(String.valueOf(e))
          + "; check it is readable", e);
    }
  }

  /**
   * Reads CSV from a stream, which the reader closes.
   *
   * @param in UTF-8 bytes
   * @param sourceName what to call the source in messages, e.g. a file name or URL
   * @param options how to read it
   * @param allocator where batch memory comes from
   * @return the reader; close it
   * @throws DataFormatException as for {@link #open(Path, CsvOptions, BufferAllocator)}
   */
  public static CsvReader open(InputStream in, String sourceName, CsvOptions options, BufferAllocator allocator) {
    return new CsvReader(Objects.requireNonNull(in, "in"), sourceName, options,
        Objects.requireNonNull(allocator, "allocator"));
  }

  /**
   * Reads a whole file into one batch.
   *
   * @param path the file
   * @param options how to read it; its batch size is ignored
   * @param allocator where batch memory comes from
   * @return an owning batch with every row kept (possibly none); close it
   * @throws DataFormatException on the first bad line under {@link BadLinePolicy#FAIL}
   */
  public static Batch readAll(Path path, CsvOptions options, BufferAllocator allocator) {
    try (CsvReader r = open(path, options.toBuilder().batchSize(Integer.MAX_VALUE).build(), allocator)) {
      Batch b = r.nextBatch();
      return b != null ? b : r.emptyBatch();
    }
  }

  /**
   * The schema the file would be read with: the given one, or the one inferred from the header and
   * the sample rows. Reads only those lines.
   *
   * @param path the file
   * @param options how to read it
   * @return the schema
   */
  public static Schema inferSchema(Path path, CsvOptions options) {
    // No batch is built, so no allocator is needed.
    try (CsvReader r = new CsvReader(openRegularFile(path), path.toString(), options, null)) {
      return r.schema();
    }
  }

  /**
   * The schema inferred from every row of the file, not from the first
   * {@link CsvOptions#inferenceRows()}: the file is read once to the end, in blocks of
   * {@code inferenceRows} rows whose values vote and are dropped, so memory stays one block. A column
   * of whole numbers is int64 only if every value in the file is one: a float64 column whose first
   * thousands of rows are whole numbers (a price of {@code 326}, later {@code 326.5}) is float64, where
   * the sample would have made it int64 and the later values bad lines. Read the file with the result
   * ({@code options.toBuilder().schema(schema)}), which reads it a second time. Bad lines count as in
   * the sample: they are left out of the vote under {@link BadLinePolicy#SKIP} and fail it under
   * {@link BadLinePolicy#FAIL}.
   *
   * @param path the file
   * @param options how to read it; {@link CsvOptions#schema()} must be unset
   * @return the schema
   * @throws IllegalArgumentException when options give a schema (nothing to infer)
   */
  public static Schema inferSchemaFromWholeFile(Path path, CsvOptions options) {
    if (options.schema() != null) {
      throw new IllegalArgumentException("CsvOptions.schema is set, so there is nothing to infer for " + path
          + "; call inferSchemaFromWholeFile with options without a schema");
    }
    try (CsvReader r = new CsvReader(openRegularFile(path), path.toString(), options, null, true)) {
      return r.schema();
    }
  }

  /**
   * The schema of every batch.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The line of the file where a row of the last batch {@link #nextBatch()} returned starts (1-based,
   * the header being line 1), so that a row found bad later can be traced to its place in the file.
   *
   * @param row the row's index in that batch
   * @return its first line
   * @throws IndexOutOfBoundsException when the last batch has no such row
   */
  public long lineOf(int row) {
    if (row < 0 || row >= lastLines.length) {
      throw new IndexOutOfBoundsException("row " + row + " is not in the last batch read from " + source + " ("
          + lastLines.length + " rows)");
    }
    return lastLines[row];
  }

  /**
   * Every line skipped (under {@link BadLinePolicy#SKIP}) while the last {@link #nextBatch()} call
   * read, with its reason: for the first call also those of the type-inference sample, for the call
   * that returns null those after the last row. Unlike {@link CsvReadReport#badLines()}, which keeps
   * the first {@value CsvReadReport#MAX_BAD_LINES}, nothing is left out, so a caller that takes them
   * after every call (a quarantine) holds every bad line of the input; the reader keeps only one
   * call's worth.
   *
   * @return the lines, in input order; empty before the first call
   */
  public List<CsvReadReport.BadLine> badLinesOfLastBatch() {
    return lastBadLines;
  }

  /**
   * The bytes read from the input so far, including what the reader buffered ahead of the rows
   * returned (a buffer's worth): for progress, against the file's size.
   *
   * @return the count
   */
  public long bytesRead() {
    return utf8.bytesRead();
  }

  /**
   * What was read and skipped so far.
   *
   * @return a snapshot
   */
  public CsvReadReport report() {
    return sink.report();
  }

  /**
   * The next batch of up to {@link CsvOptions#batchSize()} rows.
   *
   * @return an owning batch (close it), or {@code null} at the end of the input
   * @throws DataFormatException on a bad line under {@link BadLinePolicy#FAIL}, or broken quoting; the
   *     reader cannot continue after one
   * @throws IllegalStateException when the reader is closed or failed before
   */
  public @Nullable Batch nextBatch() {
    if (closed) {
      throw new IllegalStateException("CsvReader for " + source + " is closed; open a new one");
    }
    sink.resetRow();
    sink.mode = CsvRecordSink.Mode.DATA;
    int batchSize = options.batchSize();
    if (failed) {
      throw new IllegalStateException("CsvReader for " + source + " failed on a bad line before; it cannot"
          + " continue: close it, and read with BadLinePolicy.SKIP to get past bad lines");
    }
    failed = true;
    while (sink.rows() < batchSize) {
      CsvRecordSink.SampleRow r = sink.samples.poll();
      if (r != null) {
        sink.replay(r);
      } else if (exhausted || !advance()) {
        exhausted = true;
        break;
      }
    }
    int n = sink.rows();
    Batch b = n == 0 ? null : build();
    lastLines = Arrays.copyOf(sink.rowLines, n);
    lastBadLines = List.copyOf(sink.pendingBadLines);
    sink.pendingBadLines.clear();
    failed = false;
    return b;
  }

  private Batch emptyBatch() {
    sink.resetRow();
    return build();
  }

  private Batch build() {
    BatchBuilder b = sink.batch;
    if (b == null) {
      throw new IllegalStateException("CsvReader for " + source + " was opened without an allocator; open it with"
          + " one to read batches");
    }
    return b.build();
  }

  /** Pulls records until one is kept; false at the end of the input. */
  private boolean advance() {
    try {
      return tokenizer.nextKept();
    } catch (IOException e) {
      throw new MlopsException("Cannot read " + source + " near line " + sink.line() + ": "
          + CsvMessages.printable(String.valueOf(e.getMessage())) + "; check the file or stream", e);
    }
  }

  private Schema readSchema() {
    Schema given = options.schema();
    if (given != null) {
      for (Field f : given.fields()) {
        if (f.type().kind() == DataType.Kind.FLOAT_TENSOR) {
          throw new SchemaMismatchException("CSV cannot hold tensor column '" + f.name() + "' of type "
              + f.type() + "; read and write tensors with ArrowIpc, or drop the column from the schema");
        }
      }
    }
    List<String> names = null;
    if (options.header()) {
      sink.mode = CsvRecordSink.Mode.HEADER;
      if (!advance()) {
        throw new DataFormatException("the input is empty, but a header row naming the columns is expected;"
            + " supply a file with a header, or set CsvOptions.header(false) and give a schema", source, 1, null);
      }
      names = List.copyOf(sink.header);
      checkHeaderNames(names);
      allowLineBreaks(names);
    } else if (given != null) {
      allowLineBreaks(given.names());
    } else {
      allowLineBreaksByGeneratedName();
    }
    if (given != null) {
      useSchema(given, names, false);
      return given;
    }
    sink.mode = CsvRecordSink.Mode.SAMPLE;
    if (names != null) {
      sink.expectedFields = names.size();
      sink.fieldNames = printable(names);
    }
    TypeVotes votes = new TypeVotes();
    while (sink.samples.size() < options.inferenceRows() && advance()) {
      if (wholeInput && sink.samples.size() == options.inferenceRows()) {
        // Fold this block of rows into the votes and drop it: memory stays one block whatever the size.
        votes.add(sink);
        sink.samples.clear();
        sink.pendingBadLines.clear();
      }
    }
    votes.add(sink);
    if (names == null) {
      if (sink.expectedFields < 0) {
        throw new DataFormatException("the input is empty, so no schema can be inferred; give CsvOptions.schema"
            + " or supply data", source, 1, null);
      }
      List<String> generated = new ArrayList<>();
      for (int i = 1; i <= sink.expectedFields; i++) {
        generated.add("column" + i);
      }
      names = generated;
    }
    List<Field> fields = new ArrayList<>(names.size());
    for (int c = 0; c < names.size(); c++) {
      fields.add(Field.of(names.get(c), votes.type(c)));
    }
    Schema inferred = Schema.of(fields);
    useSchema(inferred, names, true);
    return inferred;
  }

  /** Line breaks each field position may hold in a quoted field, from the column names. */
  private void allowLineBreaks(List<String> names) {
    checkMultiLineColumns(names);
    int[] allowed = new int[names.size()];
    for (int i = 0; i < allowed.length; i++) {
      allowed[i] = options.isMultiLine(names.get(i)) ? Integer.MAX_VALUE : options.maxLineBreaksPerField();
    }
    sink.lineBreaksAllowed = allowed;
  }

  /** Without header or schema the columns are {@code column1, column2, ...}, known by position. */
  private void allowLineBreaksByGeneratedName() {
    Set<String> multi = options.multiLineColumns();
    if (multi == null || multi.isEmpty()) {
      return;
    }
    int[] allowed = new int[0];
    for (String name : multi) {
      int k = name.matches("column[1-9][0-9]{0,8}") ? Integer.parseInt(name.substring(6)) : 0;
      if (k < 1 || k > options.maxColumns()) {
        throw unknownMultiLineColumn(name, List.of("column1", "column2", "..."));
      }
      if (k > allowed.length) {
        int from = allowed.length;
        allowed = Arrays.copyOf(allowed, k);
        Arrays.fill(allowed, from, k, options.maxLineBreaksPerField());
      }
      allowed[k - 1] = Integer.MAX_VALUE;
    }
    sink.lineBreaksAllowed = allowed;
  }

  private void checkMultiLineColumns(Collection<String> names) {
    Set<String> multi = options.multiLineColumns();
    if (multi == null) {
      return;
    }
    Set<String> known = new HashSet<>(names);
    for (String m : multi) {
      if (!known.contains(m)) {
        throw unknownMultiLineColumn(m, names);
      }
    }
  }

  private DataFormatException unknownMultiLineColumn(String name, Collection<String> names) {
    return new DataFormatException("CsvOptions.multiLineColumns names '" + CsvMessages.printable(name)
        + "', which is not a column of the file " + CsvMessages.list(names) + "; fix the name or remove it",
        source, 1, null);
  }

  private static String[] printable(List<String> names) {
    String[] shown = new String[names.size()];
    for (int i = 0; i < shown.length; i++) {
      shown[i] = CsvMessages.printable(names.get(i));
    }
    return shown;
  }

  /**
   * For each column, which types every value seen so far is, exactly: inference never changes a
   * value, so an integer float64 would round (beyond 2^53) or a number out of float64's range keeps
   * the column from being float64, and a timestamp with digits beyond microseconds from being a
   * timestamp; such columns become strings. Votes from several blocks of rows combine, so the
   * whole-file inference reaches the type one block of every row would.
   */
  private static final class TypeVotes {
    private final ValueParser p = new ValueParser();
    private boolean[] notBool = new boolean[0];
    private boolean[] notInt64 = new boolean[0];
    private boolean[] notFloat64 = new boolean[0];
    private boolean[] notTimestamp = new boolean[0];
    private boolean[] any = new boolean[0];

    private void grow(int columns) {
      if (any.length < columns) {
        notBool = Arrays.copyOf(notBool, columns);
        notInt64 = Arrays.copyOf(notInt64, columns);
        notFloat64 = Arrays.copyOf(notFloat64, columns);
        notTimestamp = Arrays.copyOf(notTimestamp, columns);
        any = Arrays.copyOf(any, columns);
      }
    }

    void add(CsvRecordSink sink) {
      for (CsvRecordSink.SampleRow r : sink.samples) {
        int columns = r.quoted().length;
        grow(columns);
        char[] c = r.chars();
        for (int column = 0; column < columns; column++) {
          int off = r.start(column);
          int len = r.length(column);
          if (!r.quoted()[column] && sink.isNullToken(c, off, len)) {
            continue;
          }
          any[column] = true;
          if (notBool[column] && notInt64[column] && notFloat64[column] && notTimestamp[column]) {
            continue;
          }
          notBool[column] |= !notBool[column] && !p.parseBoolean(c, off, len);
          notInt64[column] |= !notInt64[column] && !p.parseLong(c, off, len);
          notFloat64[column] |= !notFloat64[column] && !(p.parseDouble(c, off, len) && p.range == ValueParser.SYNTAX
              && p.holdsExactly(c, off, len));
          notTimestamp[column] |= !notTimestamp[column] && !(p.parseTimestamp(c, off, len) && !p.truncatedFraction);
        }
      }
    }

    DataType type(int column) {
      if (column >= any.length || !any[column]) {
        return DataType.STRING;
      }
      if (!notBool[column]) {
        return DataType.BOOLEAN;
      }
      if (!notInt64[column]) {
        return DataType.INT64;
      }
      if (!notFloat64[column]) {
        return DataType.FLOAT64;
      }
      return notTimestamp[column] ? DataType.STRING : DataType.TIMESTAMP;
    }
  }

  private void checkHeaderNames(List<String> names) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.isEmpty()) {
        throw new DataFormatException("header column " + (i + 1) + " has an empty name; give every column a name",
            source, sink.line(), null);
      }
      Integer prev = seen.put(n, i);
      if (prev != null) {
        String shown = CsvMessages.printable(n);
        throw new DataFormatException("duplicate column name '" + shown + "' in the header at columns " + (prev + 1)
            + " and " + (i + 1) + "; rename one so every column name is unique", source, sink.line(), shown);
      }
    }
  }

  private void useSchema(Schema s, @Nullable List<String> names, boolean inferred) {
    int[] columnOfField = new int[s.size()];
    if (names == null) {
      for (int i = 0; i < columnOfField.length; i++) {
        columnOfField[i] = i;
      }
      names = s.names();
    } else {
      for (String n : names) {
        if (!s.contains(n)) {
          String shown = CsvMessages.printable(n);
          throw new DataFormatException("header column '" + shown + "' is not in the given schema "
              + CsvMessages.list(s.names()) + "; remove it from the file or add it to the schema", source, sink.line(),
              shown);
        }
      }
      Set<String> inHeader = new HashSet<>(names);
      for (String n : s.names()) {
        if (!inHeader.contains(n)) {
          String shown = CsvMessages.printable(n);
          throw new DataFormatException("schema column '" + shown + "' is missing from the header "
              + CsvMessages.list(names) + "; add it to the file or remove it from the schema", source, sink.line(),
              shown);
        }
      }
      for (int i = 0; i < names.size(); i++) {
        columnOfField[i] = s.indexOf(names.get(i));
      }
    }
    checkMultiLineColumns(names);
    sink.expectedFields = s.size();
    sink.fieldNames = printable(names);
    sink.columnOfField = columnOfField;
    sink.fields = s.fields().toArray(new Field[0]);
    sink.kinds = s.fields().stream().map(f -> f.type().kind()).toArray(DataType.Kind[]::new);
    sink.inferredTypes = inferred;
    // One builder for the whole read: it keeps its arrays from batch to batch.
    sink.batch = allocator == null ? null : Batch.builder(allocator, s);
  }

  private void closeQuietly() {
    try {
      utf8.close();
    } catch (IOException e) {
      // nothing was handed out yet; the open failure is what matters
    }
  }

  /** Closes the input; batches already returned stay valid. Idempotent; logs rather than throws. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        utf8.close();
      } catch (IOException e) {
        LOG.warn("Cannot close CSV source {}: {}", source, CsvMessages.printable(e.toString()));
      }
    }
  }
}
