package dev.mlops.core.io;

import dev.mlops.core.internal.AtomicFiles;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategy;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.jspecify.annotations.Nullable;

/**
 * Writes batches as UTF-8 CSV with FastCSV, in a form {@link CsvReader} reads back to equal values
 * with the same schema: a header row (when {@link CsvOptions#header()}), nulls as unquoted empty
 * fields, empty strings as {@code ""}, strings that equal a null token quoted, doubles with
 * {@link Double#toString} (so {@code NaN}, {@code Infinity}, {@code -0.0} survive), floats with
 * {@link Float#toString}, timestamps as ISO-8601 UTC instants ({@link Instant#toString}), booleans as
 * {@code true}/{@code false}. Fields holding the delimiter, the quote or a line break are quoted; lines
 * end with {@code \r\n} as RFC 4180 asks. The first field of the file is quoted when it starts with
 * U+FEFF, so it is not taken for a byte order mark (which the reader drops) and reads back whole; no
 * byte order mark is written. Tensor columns are rejected: CSV has no form for them, use
 * {@link ArrowIpc}. A NaN is written as {@code NaN}, so the payload bits of a non-canonical NaN do not
 * survive CSV.
 *
 * <p>String values holding line breaks are written as they are; {@link CsvReader} reads them back
 * with a schema whose string columns are multi-line by default, or, when inferring, with the columns
 * named in {@link CsvOptions#multiLineColumns()}.
 *
 * <p>Writing to a {@link Path} goes through a temporary file in the same directory and an atomic
 * rename, so the target is either the old file or the complete new one.
 */
public final class CsvWriter {
  private CsvWriter() {}

  /**
   * Writes one batch to a file atomically.
   *
   * @param path the file to create or replace
   * @param batch the rows
   * @param options delimiter, quote, header and null tokens to write with
   * @throws MlopsException when the file cannot be written
   */
  public static void write(Path path, Batch batch, CsvOptions options) {
    write(path, batch.schema(), List.of(batch), options);
  }

  /**
   * Writes batches of one schema to a file atomically. The batches are read in order, once, so a lazy
   * {@link Iterable} can stream them.
   *
   * @param path the file to create or replace
   * @param schema the schema of every batch
   * @param batches the rows
   * @param options delimiter, quote, header and null tokens to write with
   * @throws SchemaMismatchException when a batch has another schema or the schema has a tensor column
   * @throws MlopsException when the file cannot be written
   */
  public static void write(Path path, Schema schema, Iterable<Batch> batches, CsvOptions options) {
    checkSchema(schema);
    AtomicFiles.write(path, "CSV", out -> writeTo(out, schema, batches, options));
  }

  /**
   * Writes batches of one schema to a stream, which stays open (it is flushed).
   *
   * @param out where the UTF-8 bytes go
   * @param schema the schema of every batch
   * @param batches the rows
   * @param options delimiter, quote, header and null tokens to write with
   * @throws SchemaMismatchException when a batch has another schema or the schema has a tensor column
   * @throws MlopsException when the stream fails
   */
  public static void write(OutputStream out, Schema schema, Iterable<Batch> batches, CsvOptions options) {
    checkSchema(schema);
    try {
      writeTo(out, schema, batches, options);
    } catch (IOException e) {
      throw new MlopsException("Cannot write CSV: " + e + "; check the output stream", e);
    }
  }

  private static void checkSchema(Schema schema) {
    for (Field f : schema.fields()) {
      if (f.type().kind() == DataType.Kind.FLOAT_TENSOR) {
        throw new SchemaMismatchException("CSV cannot hold tensor column '" + f.name() + "' of type " + f.type()
            + "; write it with ArrowIpc, or drop the column before writing CSV");
      }
    }
  }

  private static void writeTo(OutputStream out, Schema schema, Iterable<Batch> batches, CsvOptions options)
      throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    de.siegmar.fastcsv.writer.CsvWriter csv = de.siegmar.fastcsv.writer.CsvWriter.builder()
        .fieldSeparator(options.delimiter())
        .quoteCharacter(options.quote())
        .lineDelimiter(LineDelimiter.CRLF)
        .quoteStrategy(new NullSafeQuotes(options.nullTokens()))
        .build(w);
    try {
      if (options.header()) {
        csv.writeRecord(schema.names());
      }
      int n = schema.size();
      for (Batch b : batches) {
        if (!b.schema().equals(schema)) {
          throw new SchemaMismatchException("Batch schema " + b.schema() + " differs from the CSV schema " + schema
              + "; write each schema to its own file");
        }
        for (int r = 0; r < b.rowCount(); r++) {
          de.siegmar.fastcsv.writer.CsvWriter.CsvWriterRecord rec = csv.writeRecord();
          for (int c = 0; c < n; c++) {
            rec.writeField(text(b, c, r));
          }
          rec.endRecord();
        }
      }
      csv.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static @Nullable String text(Batch b, int c, int r) {
    if (b.isNull(c, r)) {
      return null;
    }
    return switch (b.schema().field(c).type().kind()) {
      case BOOLEAN -> b.getBoolean(c, r) ? "true" : "false";
      case INT64 -> Long.toString(b.getLong(c, r));
      case FLOAT32 -> Float.toString((float) b.getDouble(c, r));
      case FLOAT64 -> Double.toString(b.getDouble(c, r));
      case STRING -> b.getString(c, r);
      case TIMESTAMP -> {
        long micros = ((TimeStampMicroTZVector) b.vector(c)).get(b.offset() + r);
        yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
            .toString();
      }
      case FLOAT_TENSOR -> throw new IllegalStateException("tensor columns are rejected before writing");
    };
  }

  /**
   * Quotes empty strings and strings equal to a null token, so they read back as values, not nulls,
   * and a first field starting with U+FEFF, so it is not read as a byte order mark.
   */
  private static final class NullSafeQuotes implements QuoteStrategy {
    private final Set<String> nullTokens;

    NullSafeQuotes(Set<String> nullTokens) {
      this.nullTokens = nullTokens;
    }

    @Override
    public boolean quoteEmpty(int lineNo, int fieldIdx) {
      return true;
    }

    @Override
    public boolean quoteValue(int lineNo, int fieldIdx, String value) {
      return nullTokens.contains(value) || (lineNo == 1 && fieldIdx == 0 && value.startsWith("\uFEFF"));
    }
  }
}
