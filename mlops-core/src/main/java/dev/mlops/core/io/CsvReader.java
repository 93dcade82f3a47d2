package dev.mlops.core.io;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a UTF-8 CSV file into Arrow-backed {@link Batch batches}, parsing with FastCSV and writing
 * values straight from its buffer into columns (numbers never become {@code String}s).
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
 * <p><b>Bad lines</b> (field count differs from the header, unparseable value, invalid UTF-8, a
 * field longer than {@link CsvOptions#maxFieldChars()}, a missing value in a non-nullable column)
 * fail with a {@link DataFormatException} naming file, line and column, or are skipped and counted in
 * {@link #report()}, per {@link CsvOptions#badLinePolicy()}. Problems that leave no line to skip are
 * always errors: no header (empty input), a bad header (duplicate, empty or unknown names), and broken
 * quoting (text after a closing quote), after which the parser cannot find the next record safely;
 * likewise a field more than twice {@code maxFieldChars} long.
 *
 * <p><b>Known parser limitation</b> (FastCSV 4.1.0): a quoted field holding a carriage return not
 * followed by a line feed, at the end of a line that ends with a bare line feed, joins that line with
 * the next; the result is reported as malformed quoting or a ragged line, never read silently.
 * {@link CsvWriter} writes CRLF line ends, which avoid it.
 *
 * <p><b>Blank lines</b> are ignored, except in a one-column file, where a blank line is a record
 * holding one empty unquoted field. There are no comment lines. A header line without data rows is
 * not an error: the reader returns no batch, and {@link #readAll} an empty one, with the given schema
 * or, when inferring, every column as a nullable string. CSV cannot hold tensor columns; use
 * {@link ArrowIpc} for them.
 *
 * <p>Not thread-safe. Close the reader; batches it returned are owned by the caller and outlive it.
 */
public final class CsvReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);

  private final String source;
  private final CsvOptions options;
  private final @Nullable BufferAllocator allocator;
  private final de.siegmar.fastcsv.reader.CsvReader<Object> csv;
  private final CloseableIterator<Object> records;
  private final CsvRecordSink sink;
  private final Schema schema;
  private boolean exhausted;
  private boolean failed;
  private boolean closed;

  private CsvReader(InputStream in, String source, CsvOptions options, @Nullable BufferAllocator allocator) {
    this.source = source;
    this.options = options;
    this.allocator = allocator;
    StrictUtf8Reader utf8 = new StrictUtf8Reader(in);
    this.sink = new CsvRecordSink(source, utf8, options);
    // FastCSV grows its buffer by doubling from 16 Ki chars and needs the limit to be such a size.
    long wanted = 2L * options.maxFieldChars() + 65_536L;
    long fastCsvBuffer = Math.min(1L << 30, Long.highestOneBit(wanted - 1) << 1);
    this.csv = de.siegmar.fastcsv.reader.CsvReader.builder()
        .fieldSeparator(options.delimiter())
        .quoteCharacter(options.quote())
        .commentStrategy(CommentStrategy.NONE)
        .skipEmptyLines(false)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .maxBufferSize((int) fastCsvBuffer)
        .build(sink, utf8);
    this.records = csv.iterator();
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
    InputStream in;
    try {
      in = Files.newInputStream(path);
    } catch (IOException e) {
      throw cannotOpen(path, e);
    }
    return new CsvReader(in, path.toString(), options, Objects.requireNonNull(allocator, "allocator"));
  }

  private static MlopsException cannotOpen(Path path, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new MlopsException("CSV file " + path + " does not exist; check the path", e);
    }
    return new MlopsException("Cannot open CSV file " + path + ": " + e.getMessage() + "; check it is readable", e);
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
    InputStream in;
    try {
      in = Files.newInputStream(path);
    } catch (IOException e) {
      throw cannotOpen(path, e);
    }
    // No batch is built, so no allocator is needed.
    try (CsvReader r = new CsvReader(in, path.toString(), options, null)) {
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
    sink.resetColumns();
    sink.mode = CsvRecordSink.Mode.DATA;
    int batchSize = options.batchSize();
    if (failed) {
      throw new IllegalStateException("CsvReader for " + source + " failed on a bad line before; it cannot"
          + " continue: close it, and read with BadLinePolicy.SKIP to get past bad lines");
    }
    failed = true;
    while (sink.rows < batchSize) {
      CsvRecordSink.SampleRow r = sink.samples.poll();
      if (r != null) {
        sink.replay(r);
      } else if (exhausted || !advance()) {
        exhausted = true;
        break;
      }
    }
    Batch b = sink.rows == 0 ? null : build();
    failed = false;
    return b;
  }

  private Batch emptyBatch() {
    sink.resetColumns();
    return build();
  }

  private Batch build() {
    BufferAllocator alloc = Objects.requireNonNull(allocator, "allocator");
    ColumnBuffer[] cols = sink.columns;
    List<FieldVector> vectors = new ArrayList<>(cols.length);
    List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>(cols.length);
    try {
      for (ColumnBuffer c : cols) {
        vectors.add(c.toVector(alloc));
        fields.add(c.arrowField);
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return Batch.adopt(new VectorSchemaRoot(fields, vectors, sink.rows));
  }

  /** Pulls records until one is kept; false at the end of the input. */
  private boolean advance() {
    try {
      if (!records.hasNext()) {
        return false;
      }
      records.next();
      return true;
    } catch (CsvParseException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof DataFormatException d) {
          throw d;
        }
      }
      String msg = String.valueOf(e.getMessage());
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t.getMessage() != null) {
          msg = t.getMessage();
        }
      }
      if (msg.contains("maximum buffer size")) {
        throw new DataFormatException("a field is more than twice CsvOptions.maxFieldChars="
            + options.maxFieldChars() + " long, too long to skip; raise the limit or look for an unclosed quote",
            source, sink.line(), null, e);
      }
      throw new DataFormatException("malformed CSV (" + msg + "); a quoted field must end with the quote"
          + " followed by the delimiter or a line end, and quotes inside it must be doubled. FastCSV 4.1.0 also"
          + " reports this after a quoted field holding a lone carriage return at the end of a line that ends"
          + " with a bare line feed: write such files with CRLF line ends", source, sink.line(), null, e);
    } catch (UncheckedIOException e) {
      throw new MlopsException("Cannot read " + source + " near line " + sink.line() + ": "
          + e.getCause().getMessage() + "; check the file or stream", e);
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
    }
    if (given != null) {
      useSchema(given, names);
      return given;
    }
    sink.mode = CsvRecordSink.Mode.SAMPLE;
    if (names != null) {
      sink.expectedFields = names.size();
      sink.fieldNames = names.toArray(new String[0]);
    }
    while (sink.samples.size() < options.inferenceRows() && advance()) {
      // collecting
    }
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
    ValueParser p = new ValueParser();
    for (int c = 0; c < names.size(); c++) {
      fields.add(Field.of(names.get(c), inferType(c, p)));
    }
    Schema inferred = Schema.of(fields);
    useSchema(inferred, names);
    return inferred;
  }

  private DataType inferType(int column, ValueParser p) {
    boolean bool = true;
    boolean int64 = true;
    boolean float64 = true;
    boolean timestamp = true;
    boolean any = false;
    for (CsvRecordSink.SampleRow r : sink.samples) {
      char[] c = r.texts()[column].toCharArray();
      if (!r.quoted()[column] && sink.isNullToken(c, 0, c.length)) {
        continue;
      }
      any = true;
      bool = bool && p.parseBoolean(c, 0, c.length);
      int64 = int64 && p.parseLong(c, 0, c.length);
      float64 = float64 && p.parseDouble(c, 0, c.length);
      timestamp = timestamp && p.parseTimestamp(c, 0, c.length);
      if (!bool && !int64 && !float64 && !timestamp) {
        return DataType.STRING;
      }
    }
    if (!any) {
      return DataType.STRING;
    }
    if (bool) {
      return DataType.BOOLEAN;
    }
    if (int64) {
      return DataType.INT64;
    }
    if (float64) {
      return DataType.FLOAT64;
    }
    return timestamp ? DataType.TIMESTAMP : DataType.STRING;
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
        throw new DataFormatException("duplicate column name '" + n + "' in the header at columns " + (prev + 1)
            + " and " + (i + 1) + "; rename one so every column name is unique", source, sink.line(), n);
      }
    }
  }

  private void useSchema(Schema s, @Nullable List<String> names) {
    int[] columnOfField = new int[s.size()];
    if (names == null) {
      for (int i = 0; i < columnOfField.length; i++) {
        columnOfField[i] = i;
      }
      names = s.names();
    } else {
      for (String n : names) {
        if (!s.contains(n)) {
          throw new DataFormatException("header column '" + n + "' is not in the given schema " + s.names()
              + "; remove it from the file or add it to the schema", source, sink.line(), n);
        }
      }
      for (String n : s.names()) {
        if (!names.contains(n)) {
          throw new DataFormatException("schema column '" + n + "' is missing from the header " + names
              + "; add it to the file or remove it from the schema", source, sink.line(), n);
        }
      }
      for (int i = 0; i < names.size(); i++) {
        columnOfField[i] = s.indexOf(names.get(i));
      }
    }
    int capacity = Math.min(options.batchSize(), CsvOptions.DEFAULT_BATCH_SIZE);
    ColumnBuffer[] cols = new ColumnBuffer[s.size()];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = ColumnBuffer.of(s.field(c), capacity);
    }
    sink.expectedFields = s.size();
    sink.fieldNames = names.toArray(new String[0]);
    sink.columnOfField = columnOfField;
    sink.columns = cols;
  }

  private void closeQuietly() {
    try {
      csv.close();
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
        csv.close();
      } catch (IOException e) {
        LOG.warn("Cannot close CSV source {}: {}", source, e.toString());
      }
    }
  }
}
