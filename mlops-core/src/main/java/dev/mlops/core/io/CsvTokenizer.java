package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits decoded CSV text into records and fields and hands each field to a {@link CsvRecordSink}
 * straight from its char buffer.
 *
 * <p>The grammar is RFC 4180's. A line ends with LF, CRLF or a lone CR, inside a quoted field as
 * outside; each counts as one line, so line numbers are those an editor shows. A field that starts
 * with the quote is quoted: a doubled quote in it is one quote, and it ends at a quote followed by
 * the delimiter, a line end or the end of the input. A quote inside an unquoted field is an ordinary
 * char ({@code 5'11"} reads as written).
 *
 * <p>Under {@code FAIL}, and in the header, three things stop reading, because after them no record
 * boundary can be trusted: a quoted field that the input ends inside, text after a closing quote,
 * and a quoted field with more line breaks than its column allows. Under {@code SKIP} a quoted field
 * with too many line breaks is read on, raw, to its closing quote; when it closes properly (a
 * multi-line value in the wrong column) the whole record is left out as one bad record, its line
 * span in the reason. When it does not (the input ends inside it, or text follows its closing quote:
 * an unbalanced, stray quote), only the lines up to the line break where it broke its limit are left
 * out, as one bad record, and reading resumes on the next line: the text from there is kept while it
 * is read ahead, up to {@code maxFieldChars} chars, and read again. Beyond that bound, and in a
 * multi-line column (which has no limit to break), an unbalanced quote still stops the read. A field
 * longer than {@code maxFieldChars} is not kept: its chars are dropped as they are read, so memory
 * stays bounded by the limit whatever its length.
 */
final class CsvTokenizer {
  private static final int INITIAL_BUFFER = 1 << 16;
  /** Fewest free chars to read into; the buffer grows when a field leaves less. */
  private static final int MIN_READ = 1 << 13;
  private static final int DELIMITER = 0;
  private static final int LINE_END = 1;
  private static final int INPUT_END = 2;

  private final Reader in;
  private final CsvRecordSink sink;
  private final char delimiter;
  private final char quote;
  private final int maxFieldChars;

  private char[] buf = new char[INITIAL_BUFFER];
  private int pos;
  private int end;
  private boolean eof;
  /** The line {@link #pos} is on, 1-based. */
  private long line = 1;
  /** The line of the last char of the record just read, before its line end. */
  private long recordEndLine;

  // State of the quoted field being read, kept in fields only across refills.
  private int fieldStart;
  private int fieldWrite;
  private long fieldDiscarded;
  private long fieldMarkers;
  private boolean fieldOverLimit;

  // Read-ahead of a bad quoted field under SKIP (skipRestOfQuoted): where reading resumes if the field
  // never closes properly (-1 once given up), and the chars and decoder markers counted past it.
  private int skipResume;
  private int skipCounted;
  private long skipDiscarded;
  private long skipMarkers;

  CsvTokenizer(Reader in, CsvRecordSink sink, CsvOptions options) {
    this.in = in;
    this.sink = sink;
    this.delimiter = options.delimiter();
    this.quote = options.quote();
    this.maxFieldChars = options.maxFieldChars();
  }

  /**
   * Reads records until the sink keeps one.
   *
   * @return false at the end of the input
   * @throws IOException when the input fails
   */
  boolean nextKept() throws IOException {
    while (true) {
      if (pos == end && !fill()) {
        return false;
      }
      long first = line;
      sink.beginRecord(first);
      char c = buf[pos];
      boolean kept;
      if (c == '\n' || c == '\r') {
        lineEnd();
        kept = sink.endRecord(true, first);
      } else {
        int i = 0;
        while (field(i++) == DELIMITER) {
          // next field
        }
        kept = sink.endRecord(false, recordEndLine);
      }
      if (kept) {
        return true;
      }
    }
  }

  private int field(int i) throws IOException {
    if (pos == end && !fill()) {
      sink.addField(buf, pos, 0, false); // a delimiter ended the input: one more, empty field
      recordEndLine = line;
      return INPUT_END;
    }
    return buf[pos] == quote ? quoted(i) : unquoted();
  }

  private int unquoted() throws IOException {
    int start = pos;
    long discarded = 0;
    long markers = 0;
    char d = delimiter;
    while (true) {
      char[] b = buf;
      int p = pos;
      int e = end;
      while (p < e) {
        char c = b[p];
        if (c == d || c == '\n' || c == '\r') {
          break;
        }
        p++;
      }
      pos = p;
      if (p < e) {
        break;
      }
      if (discarded > 0 || p - start > maxFieldChars) {
        markers += Utf8.markerBalance(b, start, p);
        discarded += p - start;
        start = p;
      }
      boolean more = refill(start, p);
      start = 0;
      if (!more) {
        break;
      }
    }
    int len = pos - start;
    if (discarded > 0 || len > maxFieldChars) {
      sink.addDiscardedField(discarded + len, markers + Utf8.markerBalance(buf, start, pos), false);
    } else {
      sink.addField(buf, start, len, false);
    }
    if (pos == end) {
      recordEndLine = line;
      return INPUT_END;
    }
    if (buf[pos] == d) {
      pos++;
      return DELIMITER;
    }
    recordEndLine = line;
    lineEnd();
    return LINE_END;
  }

  private int quoted(int i) throws IOException {
    long opened = line;
    int allowed = sink.allowedLineBreaks(i);
    long breaks = 0;
    char q = quote;
    fieldDiscarded = 0;
    fieldMarkers = 0;
    fieldOverLimit = false;
    int start = ++pos;
    int w = start;
    while (true) {
      char[] b = buf;
      int p = pos;
      int e = end;
      char c = 0;
      while (p < e) {
        c = b[p];
        if (c == q || c == '\n' || c == '\r') {
          break;
        }
        b[w++] = c;
        p++;
      }
      pos = p;
      if (p == e) {
        fieldStart = start;
        fieldWrite = w;
        if (!refillField()) {
          throw unterminated(i, opened);
        }
        start = fieldStart;
        w = fieldWrite;
        continue;
      }
      pos = p + 1;
      if (c == q) {
        if (pos == end) {
          fieldStart = start;
          fieldWrite = w;
          boolean more = refillField();
          start = fieldStart;
          w = fieldWrite;
          if (!more) {
            break; // closed by the last char of the input
          }
        }
        if (buf[pos] != q) {
          break;
        }
        buf[w++] = q;
        pos++;
        continue;
      }
      buf[w++] = c;
      if (c == '\r') {
        if (pos == end) {
          fieldStart = start;
          fieldWrite = w;
          refillField();
          start = fieldStart;
          w = fieldWrite;
        }
        if (pos < end && buf[pos] == '\n') {
          buf[w++] = '\n';
          pos++;
        }
      }
      line++;
      if (++breaks > allowed && !fieldOverLimit) {
        sink.tooManyLineBreaks(i, opened, allowed); // throws but under SKIP
        fieldOverLimit = true;
        return skipRestOfQuoted(i, opened, fieldDiscarded + (w - start),
            fieldMarkers + Utf8.markerBalance(buf, start, w));
      }
    }
    int len = w - start;
    if (fieldDiscarded > 0 || fieldOverLimit || len > maxFieldChars) {
      sink.addDiscardedField(fieldDiscarded + len, fieldMarkers + Utf8.markerBalance(buf, start, w), true);
    } else {
      sink.addField(buf, start, len, true);
    }
    if (pos == end && !fill()) {
      recordEndLine = line;
      return INPUT_END;
    }
    char next = buf[pos];
    if (next == delimiter) {
      pos++;
      return DELIMITER;
    }
    if (next == '\n' || next == '\r') {
      recordEndLine = line;
      lineEnd();
      return LINE_END;
    }
    throw textAfterQuote(i, opened, next);
  }

  /**
   * Under SKIP, the rest of a quoted field that broke its line-break limit at the line break just
   * read ({@link #pos} is at the start of the next line): read raw, nothing written, so the text from
   * that line on stays as it was in the buffer while it is kept (up to {@code maxFieldChars} chars).
   * A proper close skips the whole record; an improper one (the input ends, or text follows the
   * closing quote) skips only the lines up to the break and resumes after it.
   *
   * @param i the field's index in the record
   * @param opened the line of its opening quote
   * @param discardedBefore the field's chars before the break
   * @param markersBefore the decoder's error markers among them
   * @return how the field ended: {@link #DELIMITER}, {@link #LINE_END} or {@link #INPUT_END}
   */
  private int skipRestOfQuoted(int i, long opened, long discardedBefore, long markersBefore) throws IOException {
    long resumeLine = line;
    skipResume = pos;
    skipCounted = pos;
    skipDiscarded = 0;
    skipMarkers = 0;
    char q = quote;
    while (true) {
      if (pos == end && !skipRefill()) {
        return resumeAfterBreak(i, opened, resumeLine, discardedBefore, markersBefore, (char) 0);
      }
      char c = buf[pos++];
      if (c == '\n') {
        line++;
      } else if (c == '\r') {
        line++;
        if ((pos < end || skipRefill()) && pos < end && buf[pos] == '\n') {
          pos++;
        }
      } else if (c == q) {
        if (pos == end && !skipRefill()) {
          countSkipped();
          sink.addDiscardedField(discardedBefore + skipDiscarded, markersBefore + skipMarkers, true);
          recordEndLine = line;
          return INPUT_END; // closed by the last char of the input
        }
        char next = buf[pos];
        if (next == q) {
          pos++; // a doubled quote
          continue;
        }
        if (next != delimiter && next != '\n' && next != '\r') {
          return resumeAfterBreak(i, opened, resumeLine, discardedBefore, markersBefore, next);
        }
        countSkipped();
        sink.addDiscardedField(discardedBefore + skipDiscarded, markersBefore + skipMarkers, true);
        if (next == delimiter) {
          pos++;
          return DELIMITER;
        }
        recordEndLine = line;
        lineEnd();
        return LINE_END;
      }
    }
  }

  /**
   * The bad quoted field never closes properly: resumes at the line after the break where it broke
   * its limit, the record ending before it, or fails when that text was not kept.
   */
  private int resumeAfterBreak(int i, long opened, long resumeLine, long discardedBefore, long markersBefore,
      char after) throws IOException {
    if (skipResume < 0) {
      throw after == 0 ? unterminated(i, opened) : textAfterQuote(i, opened, after);
    }
    sink.addDiscardedField(discardedBefore, markersBefore, true);
    pos = skipResume;
    line = resumeLine;
    recordEndLine = resumeLine - 1;
    return LINE_END;
  }

  /** Counts the chars read ahead since the last count into the skipped field. */
  private void countSkipped() {
    int from = skipResume >= 0 ? skipResume : skipCounted;
    skipMarkers += Utf8.markerBalance(buf, from, pos);
    skipDiscarded += pos - from;
    skipCounted = pos;
    skipResume = -1;
  }

  /**
   * Refills while a bad quoted field is read ahead: keeps the text from the resume point while it is
   * within {@code maxFieldChars}, else gives the resume point up and keeps nothing.
   */
  private boolean skipRefill() throws IOException {
    if (skipResume >= 0 && end - skipResume <= maxFieldChars) {
      boolean more = refill(skipResume, end);
      skipResume = 0;
      skipCounted = 0;
      return more;
    }
    countSkipped();
    boolean more = fill();
    skipCounted = pos;
    return more;
  }

  /** Refills inside a quoted field, dropping its chars once they are not needed. */
  private boolean refillField() throws IOException {
    int start = fieldStart;
    int w = fieldWrite;
    if (fieldDiscarded > 0 || fieldOverLimit || w - start > maxFieldChars) {
      fieldMarkers += Utf8.markerBalance(buf, start, w);
      fieldDiscarded += w - start;
      w = start;
    }
    boolean more = refill(start, w);
    fieldStart = 0;
    fieldWrite = pos;
    return more;
  }

  private DataFormatException unterminated(int i, long opened) {
    return new DataFormatException("malformed CSV: a quoted field opened at line " + opened + " is never closed,"
        + " the input ends inside it " + (line - opened) + " line(s) later; end the field with a quote and double"
        + " every quote inside it (a stray quote at line " + opened + " turns the rest of the input into one"
        + " field, so nothing after it can be read or skipped safely)", sink.source, opened, sink.columnName(i));
  }

  private DataFormatException textAfterQuote(int i, long opened, char found) {
    return new DataFormatException("malformed CSV: the quoted field opened at line " + opened + " is followed by '"
        + CsvMessages.printable(String.valueOf(found)) + "' after its closing quote"
        + (line > opened ? " at line " + line : "") + "; a quoted field must end with the quote followed by the"
        + " delimiter or a line end, and quotes inside it must be doubled (the record's end cannot be found,"
        + " so it cannot be skipped)", sink.source, opened, sink.columnName(i));
  }

  /** Consumes the line end at {@link #pos}: LF, CR or CRLF. */
  private void lineEnd() throws IOException {
    char c = buf[pos++];
    if (c == '\r') {
      if (pos == end) {
        fill();
      }
      if (pos < end && buf[pos] == '\n') {
        pos++;
      }
    }
    line++;
  }

  private boolean fill() throws IOException {
    return refill(pos, pos);
  }

  /**
   * Moves chars {@code [from, to)} to the front of the buffer, then reads more after them; the
   * caller has read everything up to {@link #end}. Afterwards {@link #pos} is just after the kept
   * chars.
   *
   * @return false at the end of the input
   */
  private boolean refill(int from, int to) throws IOException {
    int keep = to - from;
    if (keep > 0 && from > 0) {
      System.arraycopy(buf, from, buf, 0, keep);
    }
    pos = keep;
    end = keep;
    if (eof) {
      return false;
    }
    if (buf.length - keep < MIN_READ) {
      // A kept field is at most maxFieldChars long, so the buffer stays within about twice that.
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(2L * buf.length, keep + 2L * MIN_READ)));
    }
    if (end == buf.length) {
      // only reachable with maxFieldChars near Integer.MAX_VALUE: no array holds a longer field
      throw new DataFormatException("a field is longer than " + end + " chars, more than a Java array holds;"
          + " lower CsvOptions.maxFieldChars so such fields are skipped instead", sink.source, line, null);
    }
    int n;
    do {
      n = in.read(buf, end, buf.length - end);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      return false;
    }
    end += n;
    return true;
  }
}
