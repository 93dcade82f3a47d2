package dev.mlops.core.io;

import dev.mlops.core.Schema;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to read and write CSV. Immutable; build one with {@link #builder()} or take {@link #defaults()}.
 *
 * <p>Input is always UTF-8, decoded strictly: a malformed byte sequence is a bad line (see
 * {@link BadLinePolicy}), never silently replaced. A UTF-8 byte order mark at the start is ignored.
 *
 * <p>Missing values: an <em>unquoted</em> field equal to one of the {@link #nullTokens()} is null. By
 * default the only token is the empty string, so {@code a,,b} holds a null while {@code a,"",b}
 * holds an empty string. Quoted fields are never null.
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
    int maxFieldChars) {

  /** Default {@link #batchSize()}. */
  public static final int DEFAULT_BATCH_SIZE = 8192;
  /** Default {@link #inferenceRows()}. */
  public static final int DEFAULT_INFERENCE_ROWS = 1000;
  /** Default {@link #maxFieldChars()}: 16 Mi chars, so a 10 MB field reads fine. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 16 * 1024 * 1024;

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
  }

  private static void checkControl(String what, char c) {
    if (c == '\n' || c == '\r') {
      throw new IllegalArgumentException(what + " must not be a line break; use e.g. ',' or ';'");
    }
  }

  /**
   * Comma-separated, double-quoted, with a header, empty unquoted fields as null, failing on bad lines,
   * 8192-row batches, 1000 inference rows, 16 Mi chars per field.
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

    private Builder() {}

    /**
     * Sets the field separator.
     *
     * @param c the separator, not a line break
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
     * @param c the quote, not a line break
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
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException when delimiter and quote are equal or a null token cannot match
     */
    public CsvOptions build() {
      return new CsvOptions(delimiter, quote, header, nullTokens, badLinePolicy, batchSize, inferenceRows,
          schema, maxFieldChars);
    }
  }
}
