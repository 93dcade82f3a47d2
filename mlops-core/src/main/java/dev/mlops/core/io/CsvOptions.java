package dev.mlops.core.io;

import dev.mlops.core.DataType;
import dev.mlops.core.Schema;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to read and write CSV. Immutable; build one with {@link #builder()} or take {@link #defaults()}.
 *
 * <p>Input is always UTF-8, decoded strictly: a malformed byte sequence is a bad line (see
 * {@link BadLinePolicy}), never silently replaced. One UTF-8 byte order mark at the very start is
 * dropped; any other U+FEFF is data ({@link CsvWriter} quotes a first field that starts with one, so
 * it survives).
 *
 * <p>Missing values: an <em>unquoted</em> field equal to one of the {@link #nullTokens()} is null. By
 * default the only token is the empty string, so {@code a,,b} holds a null while {@code a,"",b}
 * holds an empty string. Quoted fields are never null.
 *
 * <p><b>Line breaks inside quoted fields.</b> A stray quote makes a CSV parser read every following
 * line into one field, so line breaks inside a quoted field are allowed only where they are expected:
 * in the {@link #multiLineColumns()} (any number, within {@link #maxFieldChars()}), and elsewhere at
 * most {@link #maxLineBreaksPerField()} (default none). Without {@code multiLineColumns} set, the
 * multi-line columns are the string columns of a given {@link #schema()}, and none when the types are
 * inferred. A field over its limit is a bad line naming the line where its quote opened. LF, CRLF
 * and a lone CR each count as one line break.
 *
 * @param delimiter the field separator, default {@code ','}
 * @param quote the quote character, default {@code '"'}
 * @param header whether the first line names the columns, default true; without one, columns are
 *     named {@code column1, column2, ...} when inferred, or taken in schema order when a schema is given
 * @param nullTokens unquoted field texts that mean "missing"; default only the empty string
 * @param badLinePolicy what to do with a line that cannot become a row, default {@link BadLinePolicy#FAIL}
 * @param batchSize rows per {@link dev.mlops.core.Batch} from {@link CsvReader#nextBatch()}, default 8192
 * @param inferenceRows data rows sampled to infer column types when no schema is given, default 1000
 * @param schema the schema to read with (no inference), or {@code null} to infer one
 * @param maxFieldChars the longest field accepted, in chars; a longer field makes its line bad.
 *     Default 16 Mi chars
 * @param maxColumns the most columns a file may have; a wider header (or first line, without a
 *     header) is an error. Default {@value #DEFAULT_MAX_COLUMNS}
 * @param maxLineBreaksPerField the most line breaks a quoted field may hold outside the
 *     multi-line columns, default 0
 * @param multiLineColumns the columns whose quoted fields may hold any number of line breaks, or
 *     {@code null} for the default: the string columns of a given schema, none when inferring
 */
public record CsvOptions(
    char delimiter,
    char quote,
    boolean header,
    Set<String> nullTokens,
    BadLinePolicy badLinePolicy,
    int batchSize,
    int inferenceRows,
    @Nullable Schema schema,
    int maxFieldChars,
    int maxColumns,
    int maxLineBreaksPerField,
    @Nullable Set<String> multiLineColumns) {

  /** Default {@link #batchSize()}. */
  public static final int DEFAULT_BATCH_SIZE = 8192;
  /** Default {@link #inferenceRows()}. */
  public static final int DEFAULT_INFERENCE_ROWS = 1000;
  /** Default {@link #maxFieldChars()}: 16 Mi chars, so a 10 MB field reads fine. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 16 * 1024 * 1024;
  /**
   * Default {@link #maxColumns()}: 16,384, the widest sheet a spreadsheet holds (Excel's column
   * limit) and ten times the widest table PostgreSQL (1,600) or SQLite (2,000 by default) allows, so
   * an exported table fits. Each column costs a fixed few kilobytes to read whatever its data (a
   * 2-row file of 16,384 columns allocates 59 MB of heap in all and peaks at 119 MB RSS), so the
   * limit bounds what a header alone can cost, e.g. 100,000 columns in 1 MB.
   */
  public static final int DEFAULT_MAX_COLUMNS = 16_384;

  private static final CsvOptions DEFAULTS = builder().build();

  /**
   * Validates the components; see {@link Builder} for the rules.
   *
   * @param delimiter the field separator
   * @param quote the quote character
   * @param header whether the first line is a header
   * @param nullTokens unquoted texts meaning missing
   * @param badLinePolicy the bad-line policy
   * @param batchSize rows per batch
   * @param inferenceRows rows sampled for inference
   * @param schema the given schema or null
   * @param maxFieldChars the longest accepted field
   * @param maxColumns the most columns accepted
   * @param maxLineBreaksPerField line breaks allowed in a quoted field outside the multi-line columns
   * @param multiLineColumns the multi-line columns, or null for the default
   */
  public CsvOptions {
    Objects.requireNonNull(nullTokens, "nullTokens");
    Objects.requireNonNull(badLinePolicy, "badLinePolicy");
    checkControl("delimiter", delimiter);
    checkControl("quote", quote);
    if (delimiter == quote) {
      throw new IllegalArgumentException("delimiter and quote must differ, both are '" + delimiter
          + "'; pick another quote character");
    }
    nullTokens = Set.copyOf(nullTokens);
    for (String t : nullTokens) {
      if (t.indexOf(delimiter) >= 0 || t.indexOf(quote) >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0
          || Utf8.countLoneSurrogates(t.toCharArray(), 0, t.length()) > 0) {
        throw new IllegalArgumentException("null token '" + t + "' contains the delimiter, the quote, a line"
            + " break or an unpaired surrogate, so no unquoted field could ever equal it; remove that character");
      }
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (inferenceRows <= 0) {
      throw new IllegalArgumentException("inferenceRows must be > 0, got " + inferenceRows
          + "; give a schema to skip inference");
    }
    if (maxFieldChars <= 0) {
      throw new IllegalArgumentException("maxFieldChars must be > 0, got " + maxFieldChars);
    }
    checkMaxColumns(maxColumns);
    checkMaxLineBreaks(maxLineBreaksPerField);
    if (multiLineColumns != null) {
      multiLineColumns = Set.copyOf(multiLineColumns);
    }
  }

  private static void checkMaxColumns(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("maxColumns must be > 0, got " + n);
    }
  }

  private static void checkMaxLineBreaks(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxLineBreaksPerField must be >= 0, got " + n
          + "; use 0 to allow none, or name the columns that hold text in multiLineColumns");
    }
  }

  private static void checkControl(String what, char c) {
    if (c == '\n' || c == '\r') {
      throw new IllegalArgumentException(what + " must not be a line break; use e.g. ',' or ';'");
    }
    if (Character.isSurrogate(c)) {
      // half of a code point cannot separate text, and the reader marks invalid UTF-8 with one
      throw new IllegalArgumentException(what + " must not be a surrogate char, got U+"
          + Integer.toHexString(c).toUpperCase(Locale.ROOT) + "; use e.g. ',' or ';'");
    }
  }

  /**
   * Comma-separated, double-quoted, with a header, empty unquoted fields as null, failing on bad lines,
   * 8192-row batches, 1000 inference rows, 16 Mi chars per field, at most 16,384 columns, line breaks
   * in quoted fields only in the string columns of a given schema.
   *
   * @return the default options
   */
  public static CsvOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.delimiter = delimiter;
    b.quote = quote;
    b.header = header;
    b.nullTokens = nullTokens;
    b.badLinePolicy = badLinePolicy;
    b.batchSize = batchSize;
    b.inferenceRows = inferenceRows;
    b.schema = schema;
    b.maxFieldChars = maxFieldChars;
    b.maxColumns = maxColumns;
    b.maxLineBreaksPerField = maxLineBreaksPerField;
    b.multiLineColumns = multiLineColumns;
    return b;
  }

  /**
   * The given schema, if any.
   *
   * @return the schema, or empty when types are inferred
   */
  public Optional<Schema> givenSchema() {
    return Optional.ofNullable(schema);
  }

  /**
   * Whether a quoted field of a column may hold any number of line breaks: the column is one of the
   * {@link #multiLineColumns()}, or, when those are not set, a string column of the given schema.
   *
   * @param column the column name
   * @return true for a multi-line column
   */
  boolean isMultiLine(String column) {
    if (multiLineColumns != null) {
      return multiLineColumns.contains(column);
    }
    return schema != null && schema.findField(column).map(f -> f.type().kind() == DataType.Kind.STRING)
        .orElse(false);
  }

  /** Builds {@link CsvOptions}; each setter validates its argument at once. */
  public static final class Builder {
    private char delimiter = ',';
    private char quote = '"';
    private boolean header = true;
    private Set<String> nullTokens = Set.of("");
    private BadLinePolicy badLinePolicy = BadLinePolicy.FAIL;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int inferenceRows = DEFAULT_INFERENCE_ROWS;
    private @Nullable Schema schema;
    private int maxFieldChars = DEFAULT_MAX_FIELD_CHARS;
    private int maxColumns = DEFAULT_MAX_COLUMNS;
    private int maxLineBreaksPerField;
    private @Nullable Set<String> multiLineColumns;

    private Builder() {}

    /**
     * Sets the field separator.
     *
     * @param c the separator, not a line break or a surrogate
     * @return this builder
     */
    public Builder delimiter(char c) {
      checkControl("delimiter", c);
      this.delimiter = c;
      return this;
    }

    /**
     * Sets the quote character.
     *
     * @param c the quote, not a line break or a surrogate
     * @return this builder
     */
    public Builder quote(char c) {
      checkControl("quote", c);
      this.quote = c;
      return this;
    }

    /**
     * Sets whether the first line is a header.
     *
     * @param hasHeader true when the first line names the columns
     * @return this builder
     */
    public Builder header(boolean hasHeader) {
      this.header = hasHeader;
      return this;
    }

    /**
     * Sets the unquoted texts that mean "missing"; include {@code ""} to keep empty fields null.
     *
     * @param tokens e.g. {@code "", "NA"}
     * @return this builder
     */
    public Builder nullTokens(String... tokens) {
      this.nullTokens = Set.copyOf(Arrays.asList(tokens));
      return this;
    }

    /**
     * Sets the bad-line policy.
     *
     * @param policy fail or skip
     * @return this builder
     */
    public Builder badLinePolicy(BadLinePolicy policy) {
      this.badLinePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the rows per batch.
     *
     * @param rows at least 1
     * @return this builder
     */
    public Builder batchSize(int rows) {
      if (rows <= 0) {
        throw new IllegalArgumentException("batchSize must be > 0, got " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /**
     * Sets how many data rows are sampled to infer types.
     *
     * @param rows at least 1
     * @return this builder
     */
    public Builder inferenceRows(int rows) {
      if (rows <= 0) {
        throw new IllegalArgumentException("inferenceRows must be > 0, got " + rows);
      }
      this.inferenceRows = rows;
      return this;
    }

    /**
     * Reads with this schema instead of inferring one; the header must name exactly its columns.
     *
     * @param s the schema, or {@code null} to infer
     * @return this builder
     */
    public Builder schema(@Nullable Schema s) {
      this.schema = s;
      return this;
    }

    /**
     * Sets the longest accepted field in chars.
     *
     * @param chars at least 1
     * @return this builder
     */
    public Builder maxFieldChars(int chars) {
      if (chars <= 0) {
        throw new IllegalArgumentException("maxFieldChars must be > 0, got " + chars);
      }
      this.maxFieldChars = chars;
      return this;
    }

    /**
     * Sets the most columns a file may have; a wider header (or first line) is an error, so a
     * hostile header cannot make the reader allocate per-column state without bound.
     *
     * @param columns at least 1
     * @return this builder
     */
    public Builder maxColumns(int columns) {
      checkMaxColumns(columns);
      this.maxColumns = columns;
      return this;
    }

    /**
     * Sets how many line breaks a quoted field may hold outside the multi-line columns.
     *
     * @param lineBreaks at least 0
     * @return this builder
     */
    public Builder maxLineBreaksPerField(int lineBreaks) {
      checkMaxLineBreaks(lineBreaks);
      this.maxLineBreaksPerField = lineBreaks;
      return this;
    }

    /**
     * Names the columns whose quoted fields may hold any number of line breaks, replacing the
     * default (the string columns of a given schema). With no names, no column may. Every name must
     * be a column of the file.
     *
     * @param columns column names, e.g. {@code "comment"}
     * @return this builder
     */
    public Builder multiLineColumns(String... columns) {
      Set<String> names = new LinkedHashSet<>();
      for (String c : columns) {
        names.add(Objects.requireNonNull(c, "column"));
      }
      this.multiLineColumns = names;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException when delimiter and quote are equal or a null token cannot match
     */
    public CsvOptions build() {
      return new CsvOptions(delimiter, quote, header, nullTokens, badLinePolicy, batchSize, inferenceRows,
          schema, maxFieldChars, maxColumns, maxLineBreaksPerField, multiLineColumns);
    }
  }
}
