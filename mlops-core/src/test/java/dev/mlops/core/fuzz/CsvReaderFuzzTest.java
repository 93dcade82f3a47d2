package dev.mlops.core.fuzz;

import dev.mlops.core.Batch;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReadReport;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes {@link CsvReader} with arbitrary bytes. Every input is read four times, under
 * {@link BadLinePolicy#FAIL} and {@link BadLinePolicy#SKIP}, with and without a header, with batch
 * size, inference sample, null tokens and field limit taken from the input's length and last byte. Each
 * read either refuses the input with an {@code MlopsException} or returns rows that
 * <ul>
 *   <li>hold no line break in any value (no quoted field may span lines under the default options, so
 *       a stray quote cannot swallow the lines after it),</li>
 *   <li>account for every line: rows read plus rows skipped equal the records a plain RFC 4180 reading
 *       ({@link CsvText}) finds, and a quote left open, or a line break inside quotes, is an error or a
 *       skipped line, never a row,</li>
 *   <li>equal the text of their fields: nulls only for null tokens, strings verbatim, numbers exact
 *       (no silent overflow to infinity, underflow to zero, or rounding of an integer column),</li>
 * </ul>
 * within a memory budget proportional to the input, with the allocator back at zero. An accepted file
 * read again with the inferred schema gives the same rows, and the rows written by {@link CsvWriter}
 * read back equal.
 */
class CsvReaderFuzzTest {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  /** Arrow bytes per input byte: each column buffer may be a few times the text it holds. */
  private static final long ARROW_PER_INPUT_BYTE = 256;

  /** One accepted read: the schema, every row in order, the report, and the size of each batch. */
  record Read(Schema schema, List<Row> rows, CsvReadReport report, List<Integer> batchSizes) {}

  @BoundedFuzzTest
  void readCsv(byte[] input) {
    CsvText text = CsvText.of(input);
    Read inferred = null;
    for (BadLinePolicy policy : BadLinePolicy.values()) {
      for (boolean header : new boolean[] {true, false}) {
        CsvOptions options = options(input, policy, header);
        Read r = read(input, options, "policy " + policy + ", header " + header);
        if (r != null) {
          check(r, options, text);
          if (policy == BadLinePolicy.FAIL && header) {
            inferred = r;
          }
        }
      }
    }
    if (inferred != null) {
      rereadWithInferredSchema(input, inferred);
      roundTrip(inferred);
    }
  }

  /** The options of one read; everything but the policy and the header is taken from the input. */
  static CsvOptions options(byte[] input, BadLinePolicy policy, boolean header) {
    int h = input.length == 0 ? 0 : (input[input.length - 1] & 0xFF) ^ input.length;
    CsvOptions.Builder b = CsvOptions.builder().badLinePolicy(policy).header(header)
        .batchSize(new int[] {CsvOptions.DEFAULT_BATCH_SIZE, 1, 2, 7}[h & 3])
        .inferenceRows(new int[] {CsvOptions.DEFAULT_INFERENCE_ROWS, 1, 3}[(h >> 2) % 3]);
    if ((h & 0x20) != 0) {
      b.nullTokens("", "NA");
    }
    if ((h & 0xC0) == 0xC0) {
      b.maxFieldChars(8);
    }
    return b.build();
  }

  private static @Nullable Read read(byte[] input, CsvOptions options, String label) {
    String what = "CsvReader (" + label + ")";
    try (RootAllocator allocator = new RootAllocator()) {
      long heapBefore = Verdicts.heapAllocated();
      Read r = Verdicts.parse(what, () -> readAll(input, options, allocator));
      long heap = Verdicts.heapAllocated() - heapBefore;
      if (allocator.getAllocatedMemory() != 0) {
        throw new AssertionError(what + " leaked " + allocator.getAllocatedMemory() + " bytes of Arrow memory"
            + (r == null ? " on the error path" : ""));
      }
      if (heap > Verdicts.BASE_BUDGET + Verdicts.HEAP_PER_INPUT_BYTE * input.length) {
        heap = Math.min(heap, Verdicts.heapOfRerun(() -> {
          try (RootAllocator again = new RootAllocator()) {
            return readAll(input, options, again);
          }
        }));
      }
      Verdicts.withinBudget(what, "heap", heap, input.length, Verdicts.HEAP_PER_INPUT_BYTE);
      Verdicts.withinBudget(what, "Arrow memory", allocator.getPeakMemoryAllocation(), input.length,
          ARROW_PER_INPUT_BYTE);
      return r;
    }
  }

  private static Read readAll(byte[] input, CsvOptions options, RootAllocator allocator) {
    List<Row> rows = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    try (CsvReader reader = CsvReader.open(new ByteArrayInputStream(input), "fuzz.csv", options, allocator)) {
      for (Batch b = reader.nextBatch(); b != null; b = reader.nextBatch()) {
        try (Batch batch = b) {
          sizes.add(batch.rowCount());
          rows.addAll(batch.toRows());
        }
      }
      return new Read(reader.schema(), rows, reader.report(), sizes);
    }
  }

  private static void check(Read r, CsvOptions options, CsvText text) {
    String what = "CsvReader (policy " + options.badLinePolicy() + ", header " + options.header() + ")";
    CsvReadReport report = r.report();
    long batched = 0;
    for (int size : r.batchSizes()) {
      if (size <= 0 || size > options.batchSize()) {
        throw new AssertionError(what + " returned a batch of " + size + " rows; batch size is " + options.batchSize());
      }
      batched += size;
    }
    if (batched != r.rows().size() || report.rowsRead() != r.rows().size()) {
      throw new AssertionError(what + " returned " + r.rows().size() + " rows in batches of " + batched
          + " but reports " + report.rowsRead() + " rows read");
    }
    if (options.badLinePolicy() == BadLinePolicy.FAIL && report.rowsSkipped() != 0) {
      throw new AssertionError(what + " skipped " + report.rowsSkipped() + " lines under FAIL");
    }
    if (report.badLines().size() != Math.min(report.rowsSkipped(), CsvReadReport.MAX_BAD_LINES)) {
      throw new AssertionError(what + " skipped " + report.rowsSkipped() + " lines but lists "
          + report.badLines().size() + " of them");
    }
    long last = 0;
    for (CsvReadReport.BadLine bad : report.badLines()) {
      if (bad.line() <= last) {
        throw new AssertionError(what + " lists skipped lines out of order or twice: " + report.badLines());
      }
      last = bad.line();
    }
    for (Row row : r.rows()) {
      for (int c = 0; c < row.size(); c++) {
        if (row.get(c) instanceof String s && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
          throw new AssertionError(what + " read a value holding a line break into column '"
              + r.schema().field(c).name() + "': " + shown(s) + "; a quoted field may not span lines by default,"
              + " so a stray quote must be an error naming the line where it opened");
        }
      }
    }
    if (text.unterminatedQuote || text.lineBreakInQuotes) {
      if (options.badLinePolicy() == BadLinePolicy.FAIL || report.rowsSkipped() == 0) {
        throw new AssertionError(what + " accepted a quoted field that "
            + (text.unterminatedQuote ? "runs to the end of the input" : "holds a line break")
            + " without an error or a skipped line (" + report.rowsRead() + " rows read, " + report.rowsSkipped()
            + " skipped)");
      }
    }
    if (text.recordsKnown()) {
      checkRecords(r, options, text, what);
    }
  }

  /** Accounting and values against the plain reading, for input it models completely. */
  private static void checkRecords(Read r, CsvOptions options, CsvText text, String what) {
    CsvReadReport report = r.report();
    int width = r.schema().size();
    List<CsvText.CsvRecord> records = new ArrayList<>(text.records);
    while (!records.isEmpty() && records.get(0).blank()) {
      records.remove(0); // blank lines before the first record are never rows
    }
    List<String> names = null;
    if (options.header() && !records.isEmpty()) {
      names = records.remove(0).fields().stream().map(CsvText.CsvField::text).toList();
    }
    List<CsvText.CsvRecord> data = records.stream().filter(rec -> !rec.blank() || width == 1).toList();
    long accounted = report.rowsRead() + report.rowsSkipped();
    if (!text.plain()) {
      // A record with a line break inside quotes is bad by default; a reader may count it as one skipped
      // line or as each line it spans, but no record may vanish and no line count twice.
      long lines = text.physicalLines - (names == null ? 0 : 1);
      if (accounted < data.size() || accounted > lines) {
        throw new AssertionError(what + " accounts for " + report.rowsRead() + " rows read and "
            + report.rowsSkipped() + " skipped, but the input holds " + data.size() + " data records on " + lines
            + " lines; every line must be read, skipped with a reason, or an error");
      }
      return;
    }
    if (accounted != data.size()) {
      throw new AssertionError(what + " accounts for " + report.rowsRead() + " rows read and " + report.rowsSkipped()
          + " skipped, but the input holds " + data.size() + " data records, one per line; every line must be read,"
          + " skipped with a reason, or an error");
    }
    if (!text.validUtf8 || report.rowsSkipped() > CsvReadReport.MAX_BAD_LINES) {
      return;
    }
    Set<Long> bad = new HashSet<>();
    report.badLines().forEach(b -> bad.add(b.line()));
    List<CsvText.CsvRecord> kept = data.stream().filter(rec -> !bad.contains(rec.line())).toList();
    if (kept.size() != r.rows().size()) {
      throw new AssertionError(what + " lists skipped lines " + bad + " that are not the lines it left out");
    }
    int[] index = new int[width];
    for (int c = 0; c < width; c++) {
      index[c] = names == null ? c : names.indexOf(r.schema().field(c).name());
      if (index[c] < 0) {
        return; // the header names differ from the plain reading (e.g. a BOM): the round trip judges it
      }
    }
    boolean[] integerTexts = new boolean[width];
    for (int c = 0; c < width; c++) {
      integerTexts[c] = options.schema() == null;
      for (CsvText.CsvRecord rec : kept) {
        CsvText.CsvField f = index[c] < rec.fields().size() ? rec.fields().get(index[c]) : null;
        if (f != null && !nullToken(f, options) && !INTEGER.matcher(f.text().strip()).matches()) {
          integerTexts[c] = false;
        }
      }
    }
    for (int i = 0; i < kept.size(); i++) {
      CsvText.CsvRecord rec = kept.get(i);
      Row row = r.rows().get(i);
      if (rec.fields().size() != (names == null ? width : names.size())) {
        throw new AssertionError(what + " read line " + rec.line() + " with " + rec.fields().size() + " fields as a"
            + " row of " + width + " columns");
      }
      for (int c = 0; c < width; c++) {
        checkValue(what, rec.line(), r.schema().field(c), rec.fields().get(index[c]), row.get(c), options,
            integerTexts[c]);
      }
    }
  }

  private static boolean nullToken(CsvText.CsvField f, CsvOptions options) {
    return !f.quoted() && options.nullTokens().contains(f.text());
  }

  private static void checkValue(String what, long line, Field field, CsvText.CsvField f, @Nullable Object v,
      CsvOptions options, boolean integerColumn) {
    String where = what + " line " + line + " column '" + field.name() + "' (" + field.type() + "): text "
        + shown(f.text()) + (f.quoted() ? " (quoted)" : "") + " read as " + (v instanceof String s ? shown(s) : v);
    if (nullToken(f, options)) {
      if (v != null) {
        throw new AssertionError(where + "; a null token must read as null");
      }
      return;
    }
    if (v == null) {
      throw new AssertionError(where + "; only an unquoted null token reads as null");
    }
    String t = f.text().strip();
    switch (field.type().kind()) {
      case STRING -> {
        if (!v.equals(f.text())) {
          throw new AssertionError(where + "; a string must read verbatim");
        }
      }
      case BOOLEAN -> {
        if (!t.equalsIgnoreCase(v.toString())) {
          throw new AssertionError(where);
        }
      }
      case INT64 -> {
        BigDecimal d = decimal(t);
        if (d == null || d.compareTo(BigDecimal.valueOf((Long) v)) != 0) {
          throw new AssertionError(where + "; an int64 must read exactly");
        }
      }
      case FLOAT64 -> checkDouble(where, t, (Double) v, integerColumn);
      default -> {
        // timestamps: the reader accepts several ISO-8601 forms; the round trip judges them
      }
    }
  }

  private static void checkDouble(String where, String t, double v, boolean integerColumn) {
    String word = t.toLowerCase(Locale.ROOT);
    boolean negative = word.startsWith("-");
    String unsigned = word.startsWith("-") || word.startsWith("+") ? word.substring(1) : word;
    boolean nanWord = unsigned.equals("nan");
    boolean infWord = unsigned.equals("inf") || unsigned.equals("infinity");
    if (Double.isNaN(v) != nanWord) {
      throw new AssertionError(where + "; only the text NaN reads as NaN");
    }
    if (Double.isInfinite(v) && !(infWord && negative == (v < 0))) {
      throw new AssertionError(where + "; a finite number that overflows must be an error (or an explicit option),"
          + " not a silent infinity");
    }
    if (nanWord || infWord || Double.isNaN(v)) {
      if (infWord && !Double.isInfinite(v)) {
        throw new AssertionError(where);
      }
      return;
    }
    BigDecimal d = decimal(t);
    if (d == null) {
      return; // a form Java reads (hex, a d suffix) that the plain reading does not model
    }
    if (v == 0 && d.signum() != 0) {
      throw new AssertionError(where + "; a non-zero number that underflows must be an error (or an explicit"
          + " option), not a silent zero");
    }
    BigDecimal exact = new BigDecimal(v);
    if (exact.subtract(d).abs().compareTo(new BigDecimal(Math.ulp(v))) > 0) {
      throw new AssertionError(where + "; not the nearest double");
    }
    if (integerColumn && exact.compareTo(d) != 0) {
      throw new AssertionError(where + "; a column of integers was inferred as float64 and a value lost digits:"
          + " infer such a column as string or decimal-safe, never lossy");
    }
  }

  private static @Nullable BigDecimal decimal(String t) {
    if (t.isEmpty() || !t.chars().allMatch(ch -> ch < 128)) {
      return null;
    }
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A file accepted under inference reads to the same rows with the inferred schema given. */
  private static void rereadWithInferredSchema(byte[] input, Read inferred) {
    CsvOptions given = options(input, BadLinePolicy.FAIL, true).toBuilder().schema(inferred.schema()).build();
    try (RootAllocator allocator = new RootAllocator()) {
      List<Row> rows = Verdicts.accepted("CsvReader with the schema it inferred", () -> {
        List<Row> out = new ArrayList<>();
        try (CsvReader reader = CsvReader.open(new ByteArrayInputStream(input), "fuzz.csv", given, allocator)) {
          for (Batch b = reader.nextBatch(); b != null; b = reader.nextBatch()) {
            try (Batch batch = b) {
              out.addAll(batch.toRows());
            }
          }
        }
        return out;
      });
      if (!rows.equals(inferred.rows())) {
        throw new AssertionError("CsvReader read other rows with the schema " + inferred.schema() + " it inferred");
      }
      if (allocator.getAllocatedMemory() != 0) {
        throw new AssertionError("CsvReader leaked " + allocator.getAllocatedMemory() + " bytes of Arrow memory");
      }
    }
  }

  /** Rows accepted from fuzz input, written by {@link CsvWriter}, read back equal. */
  private static void roundTrip(Read r) {
    try (RootAllocator allocator = new RootAllocator()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Verdicts.accepted("CsvWriter", () -> {
        try (Batch batch = Batch.fromRows(allocator, r.schema(), r.rows())) {
          CsvWriter.write(out, r.schema(), List.of(batch), CsvOptions.defaults());
        }
        return null;
      });
      CsvOptions back = CsvOptions.builder().schema(r.schema()).build();
      List<Row> rows = Verdicts.accepted("CsvReader on CsvWriter's output", () -> {
        List<Row> read = new ArrayList<>();
        try (CsvReader reader = CsvReader.open(new ByteArrayInputStream(out.toByteArray()), "written.csv", back,
            allocator)) {
          for (Batch b = reader.nextBatch(); b != null; b = reader.nextBatch()) {
            try (Batch batch = b) {
              read.addAll(batch.toRows());
            }
          }
        }
        return read;
      });
      if (!rows.equals(r.rows())) {
        throw new AssertionError("CSV written by CsvWriter reads back other rows: wrote " + r.rows() + ", read "
            + rows);
      }
      if (allocator.getAllocatedMemory() != 0) {
        throw new AssertionError("CSV round trip leaked " + allocator.getAllocatedMemory() + " bytes of Arrow memory");
      }
    }
  }

  static String shown(String s) {
    StringBuilder b = new StringBuilder("'");
    int n = Math.min(s.length(), 80);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > n ? "...' (" + s.length() + " chars)" : "'").toString();
  }
}
