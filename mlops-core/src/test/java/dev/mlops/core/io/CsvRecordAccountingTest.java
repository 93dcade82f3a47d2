package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Every record of random CSV text (quotes, doubled and stray quotes, CR, LF, CRLF, commas, blank
 * lines, ragged rows, multi-line fields) is accounted for: read, skipped with its line, or the
 * reason the reader stopped. The expected outcome comes from {@link Reference}, a plain
 * char-by-char RFC 4180 splitter written apart from {@link CsvTokenizer}, with the reader's
 * documented rules on top.
 */
class CsvRecordAccountingTest {
  private static final List<String> SOUP = List.of("a", "b7", "x y", "é", "😀", ",", ",", "\"", "\"\"", "\"q\"",
      "\"a,b\"", "\"l1\nl2\"", "\"c\r\"", "\"crlf\r\nz\"", "x\"y", "\"open", "\"shut\"tail", "\n", "\n", "\r",
      "\r\n", "\r\n", "");
  private static final List<String> PLAIN = List.of("", "a", "b7", "x y", "é", "x\"y", "-0", "true");
  private static final List<String> QUOTED_PIECES = List.of("", "a", ",", "\"\"", "\n", "\r", "\r\n", "é", " ");
  private static final List<String> LINE_ENDS = List.of("\n", "\r", "\r\n");

  /** One generated input and the options to read it with. */
  record Case(int columns, String text, BadLinePolicy policy, boolean givenSchema, int maxLineBreaks,
      @Nullable Set<String> multiLine, int batchSize, int inferenceRows) {
    CsvOptions options() {
      CsvOptions.Builder b = CsvOptions.builder().badLinePolicy(policy).maxLineBreaksPerField(maxLineBreaks)
          .batchSize(batchSize).inferenceRows(inferenceRows);
      if (givenSchema) {
        b.schema(schema());
      }
      if (multiLine != null) {
        b.multiLineColumns(multiLine.toArray(new String[0]));
      }
      return b.build();
    }

    Schema schema() {
      List<Field> fields = new ArrayList<>();
      for (int c = 1; c <= columns; c++) {
        fields.add(Field.of("c" + c, DataType.STRING));
      }
      return Schema.of(fields);
    }

    /** Line breaks a quoted field at this position may hold, by the rules of {@link CsvOptions}. */
    int allowed(int field) {
      if (field >= columns) {
        return maxLineBreaks;
      }
      boolean multi = multiLine != null ? multiLine.contains("c" + (field + 1)) : givenSchema;
      return multi ? Integer.MAX_VALUE : maxLineBreaks;
    }

    @Override
    public String toString() {
      return "columns=" + columns + " policy=" + policy + " schema=" + givenSchema + " maxLineBreaks="
          + maxLineBreaks + " multiLine=" + multiLine + " batch=" + batchSize + " sample=" + inferenceRows
          + " text=" + CsvMessages.printable(text);
    }
  }

  @Test
  void everyRecordIsReadSkippedOrTheReasonTheReaderStopped() {
    qt().withFixedSeed(20_260_608L).withExamples(3000).forAll(cases()).checkAssert(this::check);
  }

  private void check(Case c) {
    Reference.Outcome expected = Reference.read(c);
    try (BufferAllocator allocator = new RootAllocator()) {
      if (expected.errorLine() >= 0 && c.givenSchema()) {
        assertThatThrownBy(() -> CsvTestSupport.read(c.text(), c.options(), allocator)).as("%s", c)
            .isInstanceOf(DataFormatException.class)
            .satisfies(e -> assertThat(((DataFormatException) e).line()).as("%s%n%s", c, e.getMessage())
                .isEqualTo(expected.errorLine()));
      } else if (c.givenSchema()) {
        CsvTestSupport.ReadResult r = CsvTestSupport.read(c.text(), c.options(), allocator);
        assertThat(r.rows()).as("%s", c).extracting(CsvRecordAccountingTest::values)
            .containsExactlyElementsOf(expected.rows());
        assertThat(r.report().rowsSkipped()).as("%s", c).isEqualTo(expected.skippedLines().size());
        assertThat(r.report().badLines()).as("%s", c).extracting(CsvReadReport.BadLine::line)
            .containsExactlyElementsOf(expected.skippedLines());
      } else {
        checkInferred(c, expected, allocator);
      }
      assertThat(allocator.getAllocatedMemory()).as("%s", c).isZero();
    }
  }

  /**
   * With inferred types a value may also fail its column's type after the sample, so under FAIL the
   * reader may stop earlier than the reference; it still names a line where a record or a quote
   * starts, and under SKIP the count of records is exact.
   */
  private static void checkInferred(Case c, Reference.Outcome expected, BufferAllocator allocator) {
    CsvTestSupport.ReadResult r;
    try {
      r = CsvTestSupport.read(c.text(), c.options(), allocator);
    } catch (DataFormatException e) {
      assertThat(e.line()).as("%s%n%s", c, e.getMessage()).isIn(expected.linesThatMayBeNamed());
      if (c.policy() == BadLinePolicy.SKIP) {
        assertThat(e.line()).as("%s%n%s", c, e.getMessage()).isEqualTo(expected.errorLine());
      } else if (expected.errorLine() >= 0) {
        assertThat(e.line()).as("%s%n%s", c, e.getMessage()).isLessThanOrEqualTo(expected.errorLine());
      } else {
        assertThat(c.policy()).as("%s%n%s", c, e.getMessage()).isEqualTo(BadLinePolicy.FAIL);
      }
      return;
    }
    assertThat(expected.errorLine()).as("the reader stopped nowhere, the reference did: %s", c).isNegative();
    assertThat(r.report().rowsRead() + r.report().rowsSkipped()).as("%s", c)
        .isEqualTo(expected.rows().size() + expected.skippedLines().size());
    if (c.policy() == BadLinePolicy.FAIL) {
      assertThat(r.report().rowsSkipped()).as("%s", c).isZero();
    }
  }

  private static List<@Nullable String> values(Row row) {
    List<@Nullable String> v = new ArrayList<>();
    for (int i = 0; i < row.schema().size(); i++) {
      v.add(row.isNull(i) ? null : row.getString(i));
    }
    return v;
  }

  private static Gen<Case> cases() {
    return rs -> {
      int columns = draw(rs, 1, 3);
      StringBuilder text = new StringBuilder();
      for (int k = 1; k <= columns; k++) {
        text.append(k == 1 ? "" : ",").append('c').append(k);
      }
      text.append(pick(rs, LINE_ENDS));
      if (draw(rs, 0, 2) == 0) {
        soup(rs, text);
      } else {
        records(rs, text, columns);
      }
      BadLinePolicy policy = draw(rs, 0, 1) == 0 ? BadLinePolicy.SKIP : BadLinePolicy.FAIL;
      boolean givenSchema = draw(rs, 0, 3) > 0;
      Set<String> multi = null;
      if (draw(rs, 0, 2) == 0) {
        multi = new LinkedHashSet<>();
        for (int k = 1; k <= columns; k++) {
          if (draw(rs, 0, 1) == 0) {
            multi.add("c" + k);
          }
        }
      }
      return new Case(columns, text.toString(), policy, givenSchema, draw(rs, 0, 2), multi, draw(rs, 1, 5),
          draw(rs, 1, 5));
    };
  }

  /** Arbitrary pieces: most such texts break the quoting somewhere. */
  private static void soup(RandomnessSource rs, StringBuilder text) {
    int n = draw(rs, 0, 30);
    for (int i = 0; i < n; i++) {
      text.append(pick(rs, SOUP));
    }
  }

  /** Records of 1 to 4 fields, ragged now and then, with blank lines and now and then a stray piece. */
  private static void records(RandomnessSource rs, StringBuilder text, int columns) {
    int n = draw(rs, 0, 12);
    for (int r = 0; r < n; r++) {
      if (draw(rs, 0, 9) == 0) {
        text.append(pick(rs, LINE_ENDS)); // blank line
        continue;
      }
      int fields = draw(rs, 0, 4) == 0 ? draw(rs, 1, 4) : columns;
      for (int f = 0; f < fields; f++) {
        if (f > 0) {
          text.append(',');
        }
        if (draw(rs, 0, 1) == 0) {
          text.append(pick(rs, PLAIN));
        } else {
          text.append('"');
          int pieces = draw(rs, 0, 3);
          for (int p = 0; p < pieces; p++) {
            text.append(pick(rs, QUOTED_PIECES));
          }
          text.append('"');
        }
      }
      if (draw(rs, 0, 19) == 0) {
        text.append(pick(rs, SOUP));
      }
      if (r < n - 1 || draw(rs, 0, 1) == 0) {
        text.append(pick(rs, LINE_ENDS));
      }
    }
  }

  private static int draw(RandomnessSource rs, int min, int max) {
    return Generate.range(min, max).generate(rs);
  }

  private static String pick(RandomnessSource rs, List<String> options) {
    return options.get(draw(rs, 0, options.size() - 1));
  }

  /** What the reader must make of a text, worked out one char at a time without the tokenizer. */
  static final class Reference {
    /** Rows read (values, null for an unquoted empty field), lines skipped, and where it stops. */
    record Outcome(List<List<@Nullable String>> rows, List<Long> skippedLines, long errorLine,
        Set<Long> linesThatMayBeNamed) {}

    private final Case c;
    private final String s;
    private int i;
    private long line = 1;
    private final List<List<@Nullable String>> rows = new ArrayList<>();
    private final List<Long> skipped = new ArrayList<>();
    private final Set<Long> starts = new HashSet<>();
    private boolean header = true;

    private Reference(Case c) {
      this.c = c;
      this.s = c.text();
    }

    static Outcome read(Case c) {
      Reference r = new Reference(c);
      long error = r.run();
      return new Outcome(r.rows, r.skipped, error, r.starts);
    }

    /** Splits records until the end, or returns the line the reader must name when it stops. */
    private long run() {
      records:
      while (i < s.length()) {
        long first = line;
        starts.add(first);
        List<@Nullable String> values = new ArrayList<>();
        boolean overLimit = false;
        if (isBreak(i)) {
          skipBreak();
          if (header || c.columns() != 1) {
            continue; // blank lines are not records, except in a one-column file
          }
          values.add(null);
        } else {
          while (true) {
            int field = values.size();
            if (i < s.length() && s.charAt(i) == '"') {
              long opened = line;
              starts.add(opened);
              int breaks = 0;
              // Under SKIP, where reading resumes if an over-limit field never closes properly.
              int resumeAt = -1;
              long resumeLine = -1;
              StringBuilder sb = new StringBuilder();
              i++;
              while (true) {
                if (i >= s.length()) {
                  if (resumeAt >= 0) { // an unbalanced quote: its lines up to the break are one bad record
                    skipped.add(first);
                    i = resumeAt;
                    line = resumeLine;
                    continue records;
                  }
                  return opened; // the input ends inside the quotes
                }
                char ch = s.charAt(i);
                if (ch == '"') {
                  if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    sb.append('"');
                    i += 2;
                    continue;
                  }
                  i++;
                  break;
                }
                if (isBreak(i)) {
                  int from = i;
                  skipBreak();
                  sb.append(s, from, i);
                  breaks++;
                  if (breaks > c.allowed(field) && resumeAt < 0) {
                    // this field broke its limit (a record may hold several such fields)
                    overLimit = true;
                    if (c.policy() == BadLinePolicy.FAIL) {
                      return opened;
                    }
                    resumeAt = i;
                    resumeLine = line;
                  }
                  continue;
                }
                sb.append(ch);
                i++;
              }
              values.add(sb.toString());
              if (i < s.length() && s.charAt(i) != ',' && !isBreak(i)) {
                if (resumeAt >= 0) {
                  skipped.add(first);
                  i = resumeAt;
                  line = resumeLine;
                  continue records;
                }
                return opened; // text after the closing quote
              }
            } else {
              int j = i;
              while (j < s.length() && s.charAt(j) != ',' && !isBreak(j)) {
                j++;
              }
              values.add(j == i ? null : s.substring(i, j));
              i = j;
            }
            if (i >= s.length()) {
              break;
            }
            if (s.charAt(i) == ',') {
              i++;
              continue;
            }
            skipBreak();
            break;
          }
        }
        if (header) {
          header = false;
          continue;
        }
        if (overLimit || values.size() != c.columns()) {
          if (c.policy() == BadLinePolicy.FAIL) {
            return first;
          }
          skipped.add(first);
        } else {
          rows.add(values);
        }
      }
      return -1;
    }

    private boolean isBreak(int at) {
      char ch = s.charAt(at);
      return ch == '\n' || ch == '\r';
    }

    private void skipBreak() {
      if (s.charAt(i) == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
        i++;
      }
      i++;
      line++;
    }
  }

  @Test
  void theReferenceAgreesWithTheRulesOnKnownTexts() {
    Case skip = new Case(2, "c1,c2\n1,\"x\r\"\n2,y\n3,z\n", BadLinePolicy.SKIP, true, 0, Set.of(), 8, 5);
    assertThat(Reference.read(skip).skippedLines()).containsExactly(2L);
    assertThat(Reference.read(skip).rows()).containsExactly(List.of("2", "y"), List.of("3", "z"));
    Case stray = new Case(2, "c1,c2\n1,a\n2,\"oops\n3,c\n", BadLinePolicy.SKIP, true, 0, null, 8, 5);
    assertThat(Reference.read(stray).errorLine()).isEqualTo(3); // a given schema's columns are multi-line
    Case strayInferred = new Case(2, "c1,c2\n1,a\n2,\"oops\n3,c\n", BadLinePolicy.SKIP, false, 0, null, 8, 5);
    assertThat(Reference.read(strayInferred).errorLine()).isEqualTo(-1);
    assertThat(Reference.read(strayInferred).skippedLines()).containsExactly(3L);
    assertThat(Reference.read(strayInferred).rows()).containsExactly(List.of("1", "a"), List.of("3", "c"));
    Case blank = new Case(1, "c1\n\n\"\"\n", BadLinePolicy.FAIL, true, 0, null, 8, 5);
    assertThat(Reference.read(blank).rows()).containsExactly(Collections.singletonList(null), List.of(""));
  }
}
