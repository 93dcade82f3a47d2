package dev.mlops.core.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent, deliberately plain reading of CSV text (RFC 4180 with {@code "} quotes and
 * {@code ,} separators, CRLF, LF or CR line ends, a leading byte order mark ignored), used as the
 * oracle of {@link CsvReaderFuzzTest}. It claims nothing about input it finds unusual: text after a
 * closing quote, or a quote inside an unquoted field.
 */
final class CsvText {
  /** One field as written: its text without quotes and escapes, and whether it was quoted. */
  record CsvField(String text, boolean quoted) {}

  /** One record: the physical line it starts on (1-based) and its fields; blank is an empty line. */
  record CsvRecord(long line, List<CsvField> fields) {
    boolean blank() {
      return fields.size() == 1 && !fields.get(0).quoted() && fields.get(0).text().isEmpty();
    }
  }

  /** Whether the text is valid UTF-8 (only then are field texts compared with values read). */
  final boolean validUtf8;
  /** A quoted field that is still open at the end of the input. */
  final boolean unterminatedQuote;
  /** A quoted field holding a line feed or carriage return. */
  final boolean lineBreakInQuotes;
  /** Quoting the oracle does not model; when set, it claims nothing. */
  final boolean unusual;
  /** The records, each starting on its own line, when nothing unusual was seen. */
  final List<CsvRecord> records = new ArrayList<>();
  /** Physical lines (ended by CRLF, LF or CR, inside quotes too): no reader can account for more. */
  long physicalLines;

  private CsvText(boolean validUtf8, boolean unterminatedQuote, boolean lineBreakInQuotes, boolean unusual) {
    this.validUtf8 = validUtf8;
    this.unterminatedQuote = unterminatedQuote;
    this.lineBreakInQuotes = lineBreakInQuotes;
    this.unusual = unusual;
  }

  static CsvText of(byte[] bytes) {
    boolean valid = true;
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      valid = false;
      s = new String(bytes, StandardCharsets.UTF_8);
    }
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1);
    }
    return scan(s, valid);
  }

  private static CsvText scan(String s, boolean valid) {
    boolean open = false;
    boolean breakInQuotes = false;
    boolean unusual = false;
    List<CsvRecord> out = new ArrayList<>();
    List<CsvField> fields = new ArrayList<>();
    long line = 1;
    long recordLine = 1;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        StringBuilder text = new StringBuilder();
        i++;
        while (true) {
          if (i == n) {
            open = true;
            break;
          }
          char q = s.charAt(i);
          if (q == '"') {
            if (i + 1 < n && s.charAt(i + 1) == '"') {
              text.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (q == '\n' || q == '\r') {
            breakInQuotes = true;
            if (q == '\n' || i + 1 >= n || s.charAt(i + 1) != '\n') {
              line++;
            }
          }
          text.append(q);
          i++;
        }
        if (open) {
          break;
        }
        fields.add(new CsvField(text.toString(), true));
        if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
          unusual = true; // text after a closing quote
          break;
        }
      } else {
        int start = i;
        while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
          if (s.charAt(i) == '"') {
            unusual = true; // a quote inside an unquoted field
          }
          i++;
        }
        fields.add(new CsvField(s.substring(start, i), false));
      }
      if (i == n) {
        out.add(new CsvRecord(recordLine, List.copyOf(fields)));
        break;
      }
      char end = s.charAt(i);
      if (end == ',') {
        i++;
        if (i == n) {
          fields.add(new CsvField("", false));
          out.add(new CsvRecord(recordLine, List.copyOf(fields)));
          break;
        }
        continue;
      }
      // a line end outside quotes: \r\n, \n or \r
      i += end == '\r' && i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 1;
      out.add(new CsvRecord(recordLine, List.copyOf(fields)));
      fields.clear();
      line++;
      recordLine = line;
    }
    CsvText t = new CsvText(valid, open, breakInQuotes, unusual);
    if (!open && !unusual) {
      t.records.addAll(out);
    }
    long lines = 0;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (c == '\n' || (c == '\r' && (k + 1 == n || s.charAt(k + 1) != '\n'))) {
        lines++;
      }
    }
    boolean unterminatedLast = n > 0 && s.charAt(n - 1) != '\n' && s.charAt(n - 1) != '\r';
    t.physicalLines = lines + (unterminatedLast ? 1 : 0);
    return t;
  }

  /** Whether the oracle models this input completely: balanced quotes, no line break inside them. */
  boolean plain() {
    return !unusual && !unterminatedQuote && !lineBreakInQuotes;
  }

  /** Whether the records are known: balanced quotes, but a quoted field may hold a line break. */
  boolean recordsKnown() {
    return !unusual && !unterminatedQuote;
  }
}
