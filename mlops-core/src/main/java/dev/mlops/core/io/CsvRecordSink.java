package dev.mlops.core.io;

import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Receives the {@link CsvTokenizer}'s fields straight from its char buffer. In {@link Mode#DATA}
 * every field is parsed into the batch's {@link BatchBuilder} at once; a bad line is rolled back when its
 * record ends and then failed or skipped by the {@link BadLinePolicy}. {@link #endRecord} says
 * whether the record was kept (a row, or a header or sample row collected); a record left out is
 * counted, never dropped silently. Everything it puts into a message from the data goes through
 * {@link CsvMessages#printable}.
 */
final class CsvRecordSink {
  /** What the reader is doing. */
  enum Mode {
    /** Collecting the header names. */
    HEADER,
    /** Collecting raw rows for type inference. */
    SAMPLE,
    /** Parsing rows into the batch builder. */
    DATA
  }

  private static final char[] NO_CHARS = new char[0];
  private static final int MAX_SHOWN_CHARS = 40;

  /** The source name as messages show it. */
  final String source;
  private final StrictUtf8Reader utf8;
  private final BadLinePolicy policy;
  private final int maxFieldChars;
  private final int maxColumns;
  private final boolean emptyIsNull;
  private final char[][] otherNullTokens;
  private final ValueParser parser = new ValueParser();

  Mode mode = Mode.HEADER;
  /** Fields every record must have; -1 until known. */
  int expectedFields = -1;
  /** Column names by field position, printable, for messages. */
  String[] fieldNames = new String[0];
  /** For each CSV field position, the index of its column in the batch. */
  int[] columnOfField = new int[0];
  /** The batch's columns. */
  Field[] fields = new Field[0];
  /** The batch's column types, by column. */
  DataType.Kind[] kinds = new DataType.Kind[0];
  /**
   * True when the types were inferred from a sample: then a later value the type would change (an
   * integer float64 rounds, a timestamp fraction beyond microseconds) is refused as inference refused
   * it, instead of being read lossily.
   */
  boolean inferredTypes;
  /** The rows of the batch being read; null until the schema is known, and when no batch is built. */
  @Nullable BatchBuilder batch;
  /** Line breaks a quoted field may hold, by field position; {@link #defaultLineBreaks} beyond. */
  int[] lineBreaksAllowed = new int[0];
  /** Line breaks a quoted field may hold where {@link #lineBreaksAllowed} says nothing. */
  final int defaultLineBreaks;

  final List<String> header = new ArrayList<>();
  final ArrayDeque<SampleRow> samples = new ArrayDeque<>();
  // The sample row being collected: its fields' chars end to end, where each ends, which were quoted.
  private char[] sampleChars = new char[256];
  private int sampleLength;
  private int[] sampleEnds = new int[16];
  private boolean[] sampleQuoted = new boolean[16];
  private int sampleFields;

  private long line;
  /** Every line skipped since the reader last handed them out (uncapped, unlike the report's). */
  final List<CsvReadReport.BadLine> pendingBadLines = new ArrayList<>();
  /** The first line of each row of the batch being read, by row. */
  long[] rowLines = new long[64];
  private int fieldCount;
  private @Nullable String badReason;
  /** Whether the record is bad first for a quoted field over its line-break limit (kept over a field count). */
  private boolean quoteIsTheReason;
  private @Nullable String badColumn;

  private long rowsRead;
  private long rowsSkipped;
  private final List<CsvReadReport.BadLine> badLines = new ArrayList<>();

  /**
   * A raw row kept for type inference, replayed into the first batches afterwards. Its fields lie
   * end to end in one char array, so a wide sample costs about its text, not an object per cell.
   *
   * @param line the line the record starts on
   * @param lastLine the line it ends on
   * @param chars the fields' chars, end to end
   * @param ends where each field ends in {@code chars}; field {@code k} starts at {@code ends[k - 1]}
   * @param quoted whether each field was quoted
   */
  record SampleRow(long line, long lastLine, char[] chars, int[] ends, boolean[] quoted) {
    int fields() {
      return ends.length;
    }

    int start(int field) {
      return field == 0 ? 0 : ends[field - 1];
    }

    int length(int field) {
      return ends[field] - start(field);
    }
  }

  CsvRecordSink(String source, StrictUtf8Reader utf8, CsvOptions options) {
    this.source = source;
    this.utf8 = utf8;
    this.policy = options.badLinePolicy();
    this.maxFieldChars = options.maxFieldChars();
    this.maxColumns = options.maxColumns();
    this.defaultLineBreaks = options.maxLineBreaksPerField();
    this.emptyIsNull = options.nullTokens().contains("");
    this.otherNullTokens = options.nullTokens().stream().filter(t -> !t.isEmpty()).map(String::toCharArray)
        .toArray(char[][]::new);
  }

  /** Line where the current (or last) record starts. */
  long line() {
    return line;
  }

  CsvReadReport report() {
    return new CsvReadReport(rowsRead, rowsSkipped, badLines);
  }

  boolean isNullToken(char[] b, int off, int len) {
    if (len == 0) {
      return emptyIsNull;
    }
    for (char[] t : otherNullTokens) {
      if (t.length == len && regionEquals(t, b, off)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionEquals(char[] t, char[] b, int off) {
    for (int k = 0; k < t.length; k++) {
      if (t[k] != b[off + k]) {
        return false;
      }
    }
    return true;
  }

  /** Line breaks a quoted field at this position may hold. */
  int allowedLineBreaks(int field) {
    return field < lineBreaksAllowed.length ? lineBreaksAllowed[field] : defaultLineBreaks;
  }

  /** The printable name of the column at a field position, or null while reading the header. */
  @Nullable String columnName(int field) {
    if (mode == Mode.HEADER) {
      return null;
    }
    return field < fieldNames.length ? fieldNames[field] : Integer.toString(field + 1);
  }

  void beginRecord(long startingLine) {
    line = startingLine;
    fieldCount = 0;
    badReason = null;
    badColumn = null;
    quoteIsTheReason = false;
    sampleLength = 0;
    sampleFields = 0;
  }

  /** A field of at most {@code maxFieldChars} chars. */
  void addField(char[] buf, int offset, int len, boolean quoted) {
    int i = fieldCount++;
    switch (mode) {
      case DATA -> dataField(i, buf, offset, len, quoted);
      case SAMPLE -> sampleField(i, buf, offset, len, quoted);
      case HEADER -> headerField(i, buf, offset, len);
      default -> throw new IllegalStateException(mode.name());
    }
  }

  /**
   * A field the tokenizer did not keep: longer than {@code maxFieldChars}, or in a record already
   * bad for too many line breaks.
   *
   * @param len its length in chars
   * @param markers the invalid UTF-8 sequences in it, which are taken from the decoder's queue
   */
  void addDiscardedField(long len, long markers, boolean quoted) {
    int i = fieldCount++;
    long at = utf8.takeErrors(markers);
    if (len <= maxFieldChars) {
      return; // the record is bad for its line breaks already
    }
    if (mode == Mode.HEADER) {
      throw new DataFormatException("header field " + (i + 1) + " is " + len + " chars long, more than"
          + " CsvOptions.maxFieldChars=" + maxFieldChars + "; fix the header line (the file must be UTF-8"
          + " with a header naming each column)", source, line, null);
    }
    if (markers > 0) {
      invalidUtf8(i, at);
    }
    bad(i, "field of " + len + " chars exceeds CsvOptions.maxFieldChars=" + maxFieldChars
        + "; raise the limit or look for an unclosed quote before this field");
  }

  /**
   * A quoted field opened at {@code opened} has more line breaks than its column allows: an error
   * under {@link BadLinePolicy#FAIL} or in the header, else the record is bad.
   */
  void tooManyLineBreaks(int field, long opened, int allowed) {
    String column = columnName(field);
    String what = mode == Mode.HEADER ? "a quoted header field" : "a quoted field";
    String reason = what + " opened at line " + opened
        + (allowed == 0 ? " holds a line break, and the column allows none"
            : " holds more than " + allowed + " line breaks, the most the column allows")
        + "; if it holds multi-line text, name the column in CsvOptions.multiLineColumns (or raise"
        + " CsvOptions.maxLineBreaksPerField), otherwise look for a stray quote at line " + opened;
    if (mode == Mode.HEADER) {
      throw new DataFormatException(reason, source, opened, null);
    }
    if (policy == BadLinePolicy.FAIL) {
      if (badReason != null) {
        throw failure(badReason, badColumn, line, opened);
      }
      throw failure(reason, column, opened, opened);
    }
    quoteIsTheReason |= badReason == null;
    bad(field, reason);
  }

  private void dataField(int i, char[] b, int off, int len, boolean quoted) {
    if (badReason != null || i >= expectedFields) {
      consumeMarkers(i, b, off, len);
      return;
    }
    int c = columnOfField[i];
    if (!quoted && isNullToken(b, off, len)) {
      if (!fields[c].nullable()) {
        bad(i, "missing value in a non-nullable column; supply a value or declare the field nullable");
      }
      return; // a column left unset in a row is null
    }
    if (!append(c, b, off, len)) {
      if (!consumeMarkers(i, b, off, len)) {
        bad(i, cannotParse(fields[c], b, off, len));
      }
    }
  }

  private String cannotParse(Field field, char[] b, int off, int len) {
    String type = field.type().toString();
    String value = shown(b, off, len);
    return switch (parser.failure) {
      case ValueParser.OVERFLOW -> value + " is out of the " + type + " range: its magnitude is too large;"
          + " fix the value, or read the column as " + (type.equals("int64") ? "float64 or " : "") + "string";
      case ValueParser.UNDERFLOW -> value + " is out of the " + type + " range: it is not zero but would read"
          + " as zero; fix the value, or read the column as string";
      case ValueParser.INEXACT -> value + " cannot be held exactly by the " + type + " type inferred for the"
          + " column from the sampled rows (" + (type.equals("timestamp") ? "digits beyond microseconds would"
              + " be dropped" : "an integer beyond 2^53 would be rounded") + "); give CsvOptions.schema with"
          + " the column as string, or sample more rows with CsvOptions.inferenceRows";
      default -> "cannot parse " + value + " as " + type
          + "; fix the value, add it to CsvOptions.nullTokens if it means missing, or read the column as string";
    };
  }

  /**
   * Parses a field and sets it in the current row of the batch.
   *
   * @return false, setting nothing, when the text is not a value of the column's type (the parser's
   *     {@link ValueParser#failure} says why)
   */
  private boolean append(int c, char[] b, int off, int len) {
    BatchBuilder out = dataBatch();
    DataType.Kind kind = kinds[c];
    if (kind == DataType.Kind.STRING) {
      return out.trySetString(c, b, off, len);
    }
    ValueParser p = parser;
    boolean parsed = switch (kind) {
      case INT64 -> p.parseLong(b, off, len);
      case FLOAT64 -> p.parseFloat64(b, off, len, inferredTypes);
      case FLOAT32 -> p.parseFloat(b, off, len);
      case BOOLEAN -> p.parseBoolean(b, off, len);
      case TIMESTAMP -> p.parseTimestamp(b, off, len, inferredTypes);
      case STRING, FLOAT_TENSOR -> throw new IllegalStateException("no parser for " + kind);
    };
    if (!parsed) {
      return false;
    }
    switch (kind) {
      case INT64 -> out.setLong(c, p.longValue);
      case FLOAT64 -> out.setDouble(c, p.doubleValue);
      case FLOAT32 -> out.setFloat(c, p.floatValue);
      case BOOLEAN -> out.setBoolean(c, p.booleanValue);
      case TIMESTAMP -> out.setTimestampMicros(c, p.longValue);
      case STRING, FLOAT_TENSOR -> throw new IllegalStateException("no column setter for " + kind);
    }
    return true;
  }

  private void sampleField(int i, char[] b, int off, int len, boolean quoted) {
    boolean beyond = expectedFields >= 0 ? i >= expectedFields : i >= maxColumns;
    if (badReason != null || beyond) {
      consumeMarkers(i, b, off, len); // a ragged or too wide record: its fields are not needed
    } else if (!consumeMarkers(i, b, off, len)) {
      if (sampleLength + len > sampleChars.length) {
        sampleChars = Arrays.copyOf(sampleChars, Math.max(sampleLength + len, 2 * sampleChars.length));
      }
      System.arraycopy(b, off, sampleChars, sampleLength, len);
      sampleLength += len;
      if (sampleFields == sampleEnds.length) {
        sampleEnds = Arrays.copyOf(sampleEnds, 2 * sampleFields);
        sampleQuoted = Arrays.copyOf(sampleQuoted, 2 * sampleFields);
      }
      sampleEnds[sampleFields] = sampleLength;
      sampleQuoted[sampleFields++] = quoted;
    }
  }

  private void headerField(int i, char[] b, int off, int len) {
    int invalid = Utf8.countLoneSurrogates(b, off, len);
    if (invalid > 0) {
      long at = utf8.takeErrors(invalid);
      throw new DataFormatException("header field " + (i + 1) + " holds invalid UTF-8" + atOffset(at)
          + "; fix the header line (the file must be UTF-8 with a header naming each column)", source, line, null);
    }
    if (i < maxColumns) {
      header.add(new String(b, off, len));
    }
  }

  /** Takes the decoder errors marked in a field; true (and the line bad) when there were any. */
  private boolean consumeMarkers(int i, char[] b, int off, int len) {
    int n = Utf8.countLoneSurrogates(b, off, len);
    if (n == 0) {
      return false;
    }
    invalidUtf8(i, utf8.takeErrors(n));
    return true;
  }

  private void invalidUtf8(int i, long at) {
    bad(i, "invalid UTF-8" + atOffset(at) + "; re-encode the file as UTF-8");
  }

  private static String atOffset(long at) {
    return at >= 0 ? " at byte offset " + at
        : " (byte offset not kept: more than " + StrictUtf8Reader.MAX_QUEUED + " invalid sequences were pending)";
  }

  private void bad(int i, String reason) {
    if (badReason == null) {
      badReason = reason;
      badColumn = i < fieldNames.length ? fieldNames[i] : Integer.toString(i + 1);
    }
  }

  private static String shown(char[] b, int off, int len) {
    if (len <= MAX_SHOWN_CHARS) {
      return "'" + CsvMessages.printable(b, off, len) + "'";
    }
    return "'" + CsvMessages.printable(b, off, MAX_SHOWN_CHARS) + "...' (" + len + " chars)";
  }

  /**
   * Ends the record the tokenizer read.
   *
   * @param empty the record was a blank line
   * @param lastLine the line its last char is on
   * @return true when it was kept: a row appended, or a header or sample row collected
   */
  boolean endRecord(boolean empty, long lastLine) {
    if (empty) {
      if (mode == Mode.HEADER || expectedFields != 1) {
        return false; // blank lines are ignored, except as an empty field of a one-column file
      }
      addField(NO_CHARS, 0, 0, false);
    }
    if (expectedFields < 0) {
      if (fieldCount > maxColumns) {
        throw new DataFormatException((mode == Mode.HEADER ? "the header has " : "the first line has ")
            + fieldCount + " columns, more than CsvOptions.maxColumns=" + maxColumns + "; if the file really is"
            + " this wide, raise the limit with CsvOptions.builder().maxColumns(" + fieldCount + ")", source, line,
            null);
      }
      expectedFields = fieldCount;
    }
    if (mode == Mode.HEADER) {
      return true;
    }
    // A quote over its line-break limit swallows the fields after it: the quote, not their count, is
    // what to fix.
    if (fieldCount != expectedFields && !quoteIsTheReason) {
      badReason = "expected " + expectedFields + " fields as in the header, found " + fieldCount
          + "; quote fields that contain the delimiter, or fix the line";
      badColumn = null;
    }
    if (badReason != null) {
      if (mode == Mode.DATA) {
        dataBatch().discardRow();
      }
      reject(badReason, badColumn, lastLine);
      return false;
    }
    if (mode == Mode.SAMPLE) {
      samples.add(new SampleRow(line, lastLine, Arrays.copyOf(sampleChars, sampleLength),
          Arrays.copyOf(sampleEnds, sampleFields), Arrays.copyOf(sampleQuoted, sampleFields)));
      return true;
    }
    BatchBuilder b = dataBatch();
    b.endRow();
    int row = b.rowCount() - 1;
    if (row >= rowLines.length) {
      rowLines = Arrays.copyOf(rowLines, Math.max(row + 1, rowLines.length * 2));
    }
    rowLines[row] = line;
    rowsRead++;
    return true;
  }

  private BatchBuilder dataBatch() {
    BatchBuilder b = batch;
    if (b == null) {
      throw new IllegalStateException("CSV rows are parsed only by a reader that builds batches");
    }
    return b;
  }

  /** Rows finished in the batch being read. */
  int rows() {
    BatchBuilder b = batch;
    return b == null ? 0 : b.rowCount();
  }

  private void reject(String reason, @Nullable String column, long lastLine) {
    if (policy == BadLinePolicy.FAIL) {
      throw failure(reason, column, line, lastLine);
    }
    rowsSkipped++;
    String where = column == null ? "" : "column '" + column + "': ";
    CsvReadReport.BadLine bad = new CsvReadReport.BadLine(line, where + reason + span(lastLine));
    if (badLines.size() < CsvReadReport.MAX_BAD_LINES) {
      badLines.add(bad);
    }
    pendingBadLines.add(bad);
  }

  private DataFormatException failure(String reason, @Nullable String column, long at, long lastLine) {
    return new DataFormatException(reason + span(lastLine) + " (or read with BadLinePolicy.SKIP to skip such lines)",
        source, at, column);
  }

  /** Where a record spans several lines, says which, so every line skipped is accounted for. */
  private String span(long lastLine) {
    return lastLine > line ? " (the record spans lines " + line + " to " + lastLine + ")" : "";
  }

  /** Feeds a sample row, collected before the types were known, through the data path. */
  boolean replay(SampleRow r) {
    beginRecord(r.line());
    for (int i = 0; i < r.fields(); i++) {
      addField(r.chars(), r.start(i), r.length(i), r.quoted()[i]);
    }
    return endRecord(false, r.lastLine());
  }

  /** Drops what a record that failed halfway left in the batch's current row. */
  void resetRow() {
    BatchBuilder b = batch;
    if (b != null) {
      b.discardRow();
    }
  }
}
