package dev.mlops.core.io;

import de.siegmar.fastcsv.reader.CsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordType;
import dev.mlops.core.DataFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Receives FastCSV's fields straight from its char buffer. In {@link Mode#DATA} every field is parsed
 * into its {@link ColumnBuffer} at once; a bad line is rolled back when its record ends and then
 * failed or skipped by the {@link BadLinePolicy}. {@link #buildRecord()} returns {@link #RECORD} for
 * a row kept (or a header/sample row collected) and {@code null} for a line left out, which makes
 * FastCSV move on to the next record without surfacing it.
 */
final class CsvRecordSink extends CsvCallbackHandler<Object> {
  /** What the reader is doing. */
  enum Mode {
    /** Collecting the header names. */
    HEADER,
    /** Collecting raw rows for type inference. */
    SAMPLE,
    /** Parsing rows into column buffers. */
    DATA
  }

  /** Returned for every record kept. */
  static final Object RECORD = new Object();

  private static final char[] NO_CHARS = new char[0];
  private static final int MAX_SHOWN_CHARS = 40;

  private final String source;
  private final StrictUtf8Reader utf8;
  private final BadLinePolicy policy;
  private final int maxFieldChars;
  private final boolean emptyIsNull;
  private final char[][] otherNullTokens;
  private final ValueParser parser = new ValueParser();

  Mode mode = Mode.HEADER;
  /** Fields every record must have; -1 until known. */
  int expectedFields = -1;
  /** Column names by field position, for messages. */
  String[] fieldNames = new String[0];
  /** For each CSV field position, the index of its column buffer. */
  int[] columnOfField = new int[0];
  ColumnBuffer[] columns = new ColumnBuffer[0];
  /** Rows in the column buffers. */
  int rows;

  final List<String> header = new ArrayList<>();
  final ArrayDeque<SampleRow> samples = new ArrayDeque<>();
  private final List<String> sampleTexts = new ArrayList<>();
  private final List<Boolean> sampleQuoted = new ArrayList<>();

  private long line;
  private int fieldCount;
  private boolean empty;
  private @Nullable String badReason;
  private @Nullable String badColumn;

  private long rowsRead;
  private long rowsSkipped;
  private final List<CsvReadReport.BadLine> badLines = new ArrayList<>();

  /** A raw row kept for type inference, replayed into the first batches afterwards. */
  record SampleRow(long line, String[] texts, boolean[] quoted) {}

  CsvRecordSink(String source, StrictUtf8Reader utf8, CsvOptions options) {
    this.source = source;
    this.utf8 = utf8;
    this.policy = options.badLinePolicy();
    this.maxFieldChars = options.maxFieldChars();
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

  @Override
  protected RecordType getRecordType() {
    return RecordType.DATA;
  }

  @Override
  protected int getFieldCount() {
    return fieldCount;
  }

  @Override
  protected void beginRecord(long startingLineNumber) {
    line = startingLineNumber;
    fieldCount = 0;
    empty = false;
    badReason = null;
    badColumn = null;
    if (mode == Mode.SAMPLE) {
      sampleTexts.clear();
      sampleQuoted.clear();
    }
  }

  @Override
  protected void addField(char[] buf, int offset, int len, boolean quoted) {
    int i = fieldCount++;
    switch (mode) {
      case DATA -> dataField(i, buf, offset, len, quoted);
      case SAMPLE -> sampleField(i, buf, offset, len, quoted);
      case HEADER -> headerField(i, buf, offset, len);
      default -> throw new IllegalStateException(mode.name());
    }
  }

  private void dataField(int i, char[] b, int off, int len, boolean quoted) {
    if (badReason != null || i >= expectedFields) {
      consumeMarkers(i, b, off, len);
      return;
    }
    if (len > maxFieldChars) {
      tooLong(i, b, off, len);
      return;
    }
    ColumnBuffer col = columns[columnOfField[i]];
    if (!quoted && isNullToken(b, off, len)) {
      if (col.field.nullable()) {
        col.appendNull();
      } else {
        bad(i, "missing value in a non-nullable column; supply a value or declare the field nullable");
      }
      return;
    }
    if (!append(col, b, off, len)) {
      if (!consumeMarkers(i, b, off, len)) {
        bad(i, "cannot parse " + shown(b, off, len) + " as " + col.field.type()
            + "; fix the value, add it to CsvOptions.nullTokens if it means missing, or read the column as string");
      }
    }
  }

  /** Calls the exact column class so the JIT can inline it (one call site per type, not one for all). */
  private boolean append(ColumnBuffer col, char[] b, int off, int len) {
    ValueParser p = parser;
    return switch (col.field.type().kind()) {
      case INT64, TIMESTAMP -> ((ColumnBuffer.Longs) col).append(b, off, len, p);
      case FLOAT64 -> ((ColumnBuffer.Doubles) col).append(b, off, len, p);
      case STRING -> ((ColumnBuffer.Strings) col).append(b, off, len, p);
      case BOOLEAN -> ((ColumnBuffer.Bools) col).append(b, off, len, p);
      default -> col.append(b, off, len, p);
    };
  }

  private void sampleField(int i, char[] b, int off, int len, boolean quoted) {
    if (badReason != null) {
      consumeMarkers(i, b, off, len);
    } else if (len > maxFieldChars) {
      tooLong(i, b, off, len);
    } else if (!consumeMarkers(i, b, off, len)) {
      sampleTexts.add(new String(b, off, len));
      sampleQuoted.add(quoted);
    }
  }

  private void headerField(int i, char[] b, int off, int len) {
    if (len > maxFieldChars || Utf8.countLoneSurrogates(b, off, len) > 0) {
      long at = utf8.takeErrors(Utf8.countLoneSurrogates(b, off, len));
      String what = len > maxFieldChars ? "is " + len + " chars long, more than maxFieldChars=" + maxFieldChars
          : "holds invalid UTF-8 at byte offset " + at;
      throw new DataFormatException("header field " + (i + 1) + " " + what
          + "; fix the header line (the file must be UTF-8 with a header naming each column)", source, line, null);
    }
    header.add(new String(b, off, len));
  }

  private void tooLong(int i, char[] b, int off, int len) {
    consumeMarkers(i, b, off, len);
    bad(i, "field of " + len + " chars exceeds CsvOptions.maxFieldChars=" + maxFieldChars
        + "; raise the limit or look for an unclosed quote before this field");
  }

  /** Takes the decoder errors marked in a field; true (and the line bad) when there were any. */
  private boolean consumeMarkers(int i, char[] b, int off, int len) {
    int n = Utf8.countLoneSurrogates(b, off, len);
    if (n == 0) {
      return false;
    }
    long at = utf8.takeErrors(n);
    bad(i, "invalid UTF-8 at byte offset " + at + "; re-encode the file as UTF-8");
    return true;
  }

  private void bad(int i, String reason) {
    if (badReason == null) {
      badReason = reason;
      badColumn = i < fieldNames.length ? fieldNames[i] : Integer.toString(i + 1);
    }
  }

  private static String shown(char[] b, int off, int len) {
    if (len <= MAX_SHOWN_CHARS) {
      return "'" + new String(b, off, len) + "'";
    }
    return "'" + new String(b, off, MAX_SHOWN_CHARS) + "...' (" + len + " chars)";
  }

  @Override
  protected void setComment(char[] buf, int offset, int len) {
    throw new IllegalStateException("comments are disabled");
  }

  @Override
  protected void setEmpty() {
    empty = true;
  }

  @Override
  protected @Nullable Object buildRecord() {
    if (empty) {
      if (mode == Mode.HEADER || expectedFields != 1) {
        return null; // blank lines are ignored, except as an empty field of a one-column file
      }
      addField(NO_CHARS, 0, 0, false);
    }
    if (expectedFields < 0) {
      expectedFields = fieldCount;
    }
    if (mode == Mode.HEADER) {
      return RECORD;
    }
    if (fieldCount != expectedFields) {
      badReason = "expected " + expectedFields + " fields as in the header, found " + fieldCount
          + "; quote fields that contain the delimiter, or fix the line";
      badColumn = null;
    }
    if (badReason != null) {
      truncate();
      return reject(badReason, badColumn);
    }
    if (mode == Mode.SAMPLE) {
      boolean[] q = new boolean[sampleQuoted.size()];
      for (int k = 0; k < q.length; k++) {
        q[k] = sampleQuoted.get(k);
      }
      samples.add(new SampleRow(line, sampleTexts.toArray(new String[0]), q));
      return RECORD;
    }
    rows++;
    rowsRead++;
    return RECORD;
  }

  private void truncate() {
    for (ColumnBuffer c : columns) {
      c.truncate(rows);
    }
  }

  private @Nullable Object reject(String reason, @Nullable String column) {
    if (policy == BadLinePolicy.FAIL) {
      throw new DataFormatException(reason + " (or read with BadLinePolicy.SKIP to skip such lines)",
          source, line, column);
    }
    rowsSkipped++;
    if (badLines.size() < CsvReadReport.MAX_BAD_LINES) {
      badLines.add(new CsvReadReport.BadLine(line, column == null ? reason : "column '" + column + "': " + reason));
    }
    return null;
  }

  /** Feeds a sample row, collected before the types were known, through the data path. */
  @Nullable Object replay(SampleRow r) {
    beginRecord(r.line());
    for (int i = 0; i < r.texts().length; i++) {
      char[] c = r.texts()[i].toCharArray();
      addField(c, 0, c.length, r.quoted()[i]);
    }
    return buildRecord();
  }

  /** Empties the column buffers for the next batch. */
  void resetColumns() {
    rows = 0;
    truncate();
  }
}
