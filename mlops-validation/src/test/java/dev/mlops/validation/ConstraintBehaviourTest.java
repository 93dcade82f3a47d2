package dev.mlops.validation;

import static dev.mlops.validation.Runs.column;
import static dev.mlops.validation.Runs.exampleRows;
import static dev.mlops.validation.Runs.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.ConstraintResult.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every constraint on passing, failing, null, NaN, empty and single-row data. Each run also asserts
 * that the batch path, the session (row) path and per-row validation agree (see {@link Runs}).
 */
class ConstraintBehaviourTest {
  static final Schema X = Schema.of(Field.of("x", DataType.FLOAT64));
  static final Schema N = Schema.of(Field.of("n", DataType.INT64));
  static final Schema S = Schema.of(Field.of("s", DataType.STRING));
  static final Schema B = Schema.of(Field.of("b", DataType.BOOLEAN));
  static final Schema AB = Schema.of(Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64));

  static void passes(ConstraintResult r, long evaluated) {
    assertThat(r.status()).as(r.message()).isEqualTo(Status.PASSED);
    assertThat(r.evaluatedCount()).isEqualTo(evaluated);
  }

  static void fails(ConstraintResult r, long failing, Long... exampleRows) {
    assertThat(r.status()).as(r.message()).isEqualTo(Status.FAILED);
    assertThat(r.failingCount()).isEqualTo(failing);
    assertThat(exampleRows(r)).containsExactly(exampleRows);
  }

  @Nested
  class NotNullTests {
    final Constraint c = Constraint.notNull("x");

    @Test
    void passesWhenEveryValueIsPresent() {
      passes(one(X, c, column(X, 1.0, 2.0)), 2);
    }

    @Test
    void failsOnNullsWithRowIndexAndRatio() {
      ConstraintResult r = one(X, c, column(X, 1.0, null, 3.0, null));
      fails(r, 2, 1L, 3L);
      assertThat(r.failingRatio()).isEqualTo(0.5);
      assertThat(r.examples().get(0).value()).isEqualTo("null");
    }

    @Test
    void countsNaNAsAValue() {
      passes(one(X, c, column(X, Double.NaN)), 1);
    }

    @Test
    void mostlyIsACompletenessRatio() {
      Constraint c90 = new Constraint.NotNull("x", 0.75, Severity.ERROR);
      passes(one(X, c90, column(X, 1.0, 2.0, 3.0, null)), 4);
      assertThat(one(X, c90, column(X, 1.0, 2.0, null, null)).status()).isEqualTo(Status.FAILED);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(X, c, List.of()), 0);
    }

    @Test
    void decidesASingleRow() {
      passes(one(X, c, column(X, 7.0)), 1);
      fails(one(X, c, column(X, (Object) null)), 1, 0L);
    }
  }

  @Nested
  class RangeTests {
    final Constraint c = Constraint.range("x", 0.0, 10.0);

    @Test
    void passesInsideInclusiveBounds() {
      passes(one(X, c, column(X, 0.0, 10.0, 5.0)), 3);
    }

    @Test
    void failsOutsideBoundsWithExamples() {
      ConstraintResult r = one(X, c, column(X, -1.0, 5.0, 11.0));
      fails(r, 2, 0L, 2L);
      assertThat(r.examples()).extracting(FailingExample::value).containsExactly("-1.0", "11.0");
    }

    @Test
    void exclusiveBoundsRejectTheBoundItself() {
      Constraint ex = new Constraint.Range("x", 0.0, 10.0, true, true, 1.0, Severity.ERROR);
      fails(one(X, ex, column(X, 0.0, 5.0, 10.0)), 2, 0L, 2L);
    }

    @Test
    void skipsNulls() {
      passes(one(X, c, column(X, null, 5.0)), 1);
    }

    @Test
    void nanAlwaysFails() {
      fails(one(X, Constraint.range("x", null, null), column(X, Double.NaN, 1.0)), 1, 0L);
    }

    @Test
    void infinitiesCompareAsNumbers() {
      fails(one(X, c, column(X, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)), 2, 0L, 1L);
      passes(one(X, Constraint.range("x", 0.0, null), column(X, Double.POSITIVE_INFINITY)), 1);
      passes(one(X, Constraint.range("x", null, 0.0), column(X, Double.NEGATIVE_INFINITY)), 1);
    }

    @Test
    void appliesToInt64Columns() {
      fails(one(N, Constraint.range("n", 0.0, 10.0), column(N, 3L, 12L)), 1, 1L);
    }

    @Test
    void mostlyToleratesAShare() {
      Constraint m = new Constraint.Range("x", 0.0, 10.0, false, false, 0.5, Severity.ERROR);
      ConstraintResult r = one(X, m, column(X, 1.0, 20.0));
      assertThat(r.status()).isEqualTo(Status.PASSED);
      assertThat(r.failingCount()).isEqualTo(1);
    }

    @Test
    void aShareExactlyAtMostlyPasses() {
      // 7 of 100 pass and mostly is 0.07: 0.07 * 100 is 7.000000000000001 in doubles, 7 / 100 is 0.07.
      Object[] values = new Object[100];
      java.util.Arrays.fill(values, 50.0);
      java.util.Arrays.fill(values, 0, 7, 5.0);
      Constraint m = new Constraint.Range("x", 0.0, 10.0, false, false, 0.07, Severity.ERROR);
      ConstraintResult r = one(X, m, column(X, values));
      assertThat(r.status()).isEqualTo(Status.PASSED);
      assertThat(r.failingCount()).isEqualTo(93);
      values[0] = 50.0;
      assertThat(one(X, m, column(X, values)).status()).isEqualTo(Status.FAILED);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(X, c, List.of()), 0);
    }

    @Test
    void decidesASingleRow() {
      passes(one(X, c, column(X, 3.0)), 1);
      fails(one(X, c, column(X, 30.0)), 1, 0L);
    }
  }

  @Nested
  class AllowedValuesTests {
    final Constraint c = Constraint.allowedValues("s", "a", "b");

    @Test
    void passesOnAllowedValues() {
      passes(one(S, c, column(S, "a", "b", "a")), 3);
    }

    @Test
    void failsOnOtherValues() {
      fails(one(S, c, column(S, "a", "c", "A")), 2, 1L, 2L);
    }

    @Test
    void skipsNullsAndTreatsNaNTextAsAValue() {
      passes(one(S, c, column(S, null, "a")), 1);
      fails(one(S, c, column(S, "NaN")), 1, 0L);
    }

    @Test
    void appliesToInt64AndBooleanColumns() {
      fails(one(N, Constraint.allowedValues("n", "1", "2"), column(N, 1L, 3L, 2L)), 1, 1L);
      fails(one(B, Constraint.allowedValues("b", "true"), column(B, true, false, null)), 1, 1L);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(S, c, List.of()), 0);
    }

    @Test
    void largeDomainsOfEqualLengthAgreeOnBothPaths() {
      String[] codes = new String[200];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = String.format("C%03d", i);
      }
      Constraint big = Constraint.allowedValues("s", codes);
      fails(one(S, big, column(S, "C000", "C199", "C200", "c001", "C0001", "\u00e9\u00e9\u00e9", null)), 4, 2L, 3L, 4L,
          5L);
    }

    @Test
    void cutsLongExampleValues() {
      ConstraintResult r = one(S, c, column(S, "x".repeat(500)));
      assertThat(r.examples().get(0).value()).isEqualTo("x".repeat(120) + "... (500 chars)");
    }

    @Test
    void decidesASingleRow() {
      passes(one(S, c, column(S, "b")), 1);
      fails(one(S, c, column(S, "z")), 1, 0L);
    }
  }

  @Nested
  class RegexTests {
    final Constraint c = Constraint.regex("s", "[a-z]+");

    @Test
    void passesOnFullMatches() {
      passes(one(S, c, column(S, "abc", "z")), 2);
    }

    @Test
    void requiresTheWholeValueToMatch() {
      fails(one(S, c, column(S, "abc1", "ok", "")), 2, 0L, 2L);
    }

    @Test
    void skipsNulls() {
      passes(one(S, c, column(S, null, null)), 0);
      fails(one(S, c, column(S, "NaN")), 1, 0L);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(S, c, List.of()), 0);
    }

    @Test
    void decidesASingleRow() {
      fails(one(S, c, column(S, "A")), 1, 0L);
    }

    /**
     * Issue 8, H4: on java.util.regex this pattern took 6 s for one 29-character value, 1.7 times
     * longer per extra character. On RE2/J a row check is linear in the value: a 100 000-character
     * value is decided too. The timeout is only a safety net.
     */
    @Test
    void aCatastrophicBacktrackingPatternDecidesEveryValueInLinearTime() {
      Constraint redos = Constraint.regex("s", "^(\\w+\\s?){1,40}$");
      Validator v = Validator.compile(DataContract.of("redos", S, redos));
      String passing = "word ".repeat(39) + "word";
      List<RowResult> results = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> List.of(
          v.validate(Row.of(S, "a".repeat(28) + "!")),
          v.validate(Row.of(S, "a".repeat(100_000) + "!")),
          v.validate(Row.of(S, passing))));
      assertThat(results.get(0).violations()).extracting(x -> x.constraint().id()).containsExactly("s.regex");
      assertThat(results.get(1).violations()).extracting(x -> x.constraint().id()).containsExactly("s.regex");
      assertThat(results.get(2)).isSameAs(RowResult.PASS);
      fails(one(S, redos, column(S, "a".repeat(28) + "!", passing, "a".repeat(5_000) + "!")), 2, 0L, 2L);
    }

    @Test
    void aBackreferenceIsRefusedWhenTheConstraintIsMadeNamingColumnAndPattern() {
      assertThatThrownBy(() -> Constraint.regex("code", "(a)\\1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("regex on column 'code': pattern '(a)\\1' uses a backreference (\\1), which RE2/J,"
              + " the linear-time engine contract regexes run on, does not support");
    }

    /** RE2 syntax is not java.util.regex: these mean something else there, so they are refused, not reread. */
    @Test
    void javaOnlySyntaxThatRe2WouldReadDifferentlyIsRefused() {
      for (String pattern : List.of("[[a-z]0-9]", "[a-z&&[^x]]", "a\\vb", "x{,3}")) {
        assertThatThrownBy(() -> Constraint.regex("code", pattern)).as(pattern)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("regex on column 'code': pattern '" + pattern + "' uses ");
      }
      assertThat(Constraint.regex("code", "[[:alpha:]\\[\\]]+")).isNotNull();
    }
  }

  @Nested
  class LengthTests {
    final Constraint c = new Constraint.Length("s", 2, 3, 1.0, Severity.ERROR);

    @Test
    void countsCodePointsNotChars() {
      passes(one(S, c, column(S, "ab", "abc", "\uD83D\uDE00\uD83D\uDE00")), 3);
    }

    @Test
    void failsOutsideBounds() {
      fails(one(S, c, column(S, "a", "abcd", "ab")), 2, 0L, 1L);
    }

    @Test
    void skipsNullsAndMeasuresNaNTextLikeAnyString() {
      passes(one(S, c, column(S, null, "ab", "NaN")), 2);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(S, c, List.of()), 0);
    }

    @Test
    void decidesASingleRow() {
      fails(one(S, c, column(S, "")), 1, 0L);
    }
  }

  @Nested
  class UniqueTests {
    final Constraint c = Constraint.unique("n");

    @Test
    void passesOnDistinctValues() {
      passes(one(N, c, column(N, 1L, 2L, 3L)), 3);
    }

    @Test
    void countsRepeatsAfterTheFirstOccurrence() {
      ConstraintResult r = one(N, c, column(N, 1L, 2L, 1L, 1L, 2L));
      fails(r, 3, 2L, 3L, 4L);
      assertThat(r.examples()).extracting(FailingExample::value).containsExactly("1", "1", "2");
    }

    @Test
    void ignoresNulls() {
      passes(one(N, c, column(N, null, null, 1L)), 1);
    }

    @Test
    void nanEqualsNaN() {
      fails(one(X, Constraint.unique("x"), column(X, Double.NaN, Double.NaN, 0.0, -0.0)), 1, 1L);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(N, c, List.of()), 0);
    }

    @Test
    void passesOnASingleRow() {
      passes(one(N, c, column(N, 5L)), 1);
    }
  }

  @Nested
  class CompoundUniqueTests {
    final Schema keys = Schema.of(Field.of("customer", DataType.INT64), Field.of("day", DataType.STRING),
        Field.of("x", DataType.FLOAT64));
    final Constraint c = new Constraint.CompoundUnique(List.of("customer", "day"), 1.0, Severity.ERROR);

    @Test
    void passesWhenNoTwoRowsShareTheWholeKey() {
      // Each column repeats on its own; the pairs do not.
      passes(one(keys, c, Runs.rows(keys, Runs.arr(1L, "mon", 0.0), Runs.arr(1L, "tue", 0.0),
          Runs.arr(2L, "mon", 0.0))), 3);
    }

    @Test
    void failsOnEveryRowRepeatingAnEarlierKeyNamingBothValues() {
      ConstraintResult r = one(keys, c, Runs.rows(keys, Runs.arr(1L, "mon", 0.0), Runs.arr(2L, "mon", 0.0),
          Runs.arr(1L, "mon", 5.0), Runs.arr(1L, "mon", 6.0)));
      fails(r, 2, 2L, 3L);
      assertThat(r.examples().get(0).value()).isEqualTo("customer=1, day=mon");
      assertThat(r.message()).isEqualTo("2 of 4 rows repeat an earlier row's key (50.00%)");
    }

    @Test
    void skipsRowsWithANullInTheKey() {
      ConstraintResult r = one(keys, c, Runs.rows(keys, Runs.arr(1L, null, 0.0), Runs.arr(1L, null, 0.0),
          Runs.arr(null, "mon", 0.0), Runs.arr(1L, "mon", 0.0)));
      passes(r, 1);
    }

    @Test
    void nanKeysEqualNaNAndNegativeZeroDiffersFromZero() {
      Schema xy = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT64));
      Constraint k = new Constraint.CompoundUnique(List.of("x", "y"), 1.0, Severity.ERROR);
      fails(one(xy, k, Runs.rows(xy, Runs.arr(Double.NaN, 1.0), Runs.arr(Double.NaN, 1.0), Runs.arr(0.0, 1.0),
          Runs.arr(-0.0, 1.0))), 1, 1L);
    }

    @Test
    void passesVacuouslyOnEmptyDataAndOnASingleRow() {
      passes(one(keys, c, List.of()), 0);
      passes(one(keys, c, Runs.rows(keys, Runs.arr(1L, "mon", 0.0))), 1);
    }

    @Test
    void mostlyAllowsAShareOfRepeats() {
      Constraint lenient = new Constraint.CompoundUnique(List.of("customer", "day"), 0.5, Severity.ERROR);
      passes(one(keys, lenient, Runs.rows(keys, Runs.arr(1L, "mon", 0.0), Runs.arr(1L, "mon", 0.0))), 2);
    }

    @Test
    void refusesFewerThanTwoColumnsARepeatedColumnAndTensorColumns() {
      assertThatThrownBy(() -> new Constraint.CompoundUnique(List.of("customer"), 1.0, Severity.ERROR))
          .hasMessageContaining("at least two columns");
      assertThatThrownBy(() -> new Constraint.CompoundUnique(List.of("day", "day"), 1.0, Severity.ERROR))
          .hasMessageContaining("names column 'day' twice");
      Schema t = Schema.of(Field.of("v", DataType.floatTensor(2)), Field.of("day", DataType.STRING));
      assertThatThrownBy(() -> DataContract.of("t", t, new Constraint.CompoundUnique(List.of("v", "day"), 1.0,
          Severity.ERROR))).hasMessageContaining("does not apply to tensor column 'v'");
    }
  }

  @Nested
  class FormatTests {
    private ConstraintResult check(String format, String... values) {
      return one(S, new Constraint.Format("s", format, 1.0, Severity.ERROR), column(S, (Object[]) values));
    }

    @Test
    void emailFollowsTheHtmlStandard() {
      passes(check("email", "a@b.co", "first.last+tag@example.com", "x@localhost"), 3);
      fails(check("email", "a@b.co", "no-at-sign", "a@-bad.com", "a@b..c", "a b@c.d", "@c.d"), 5, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void uuidIsTheEightFourFourFourTwelveHexForm() {
      passes(check("uuid", "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000"), 2);
      fails(check("uuid", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
          "{123e4567-e89b-12d3-a456-426614174000}"), 3, 0L, 1L, 2L);
    }

    @Test
    void isoDatesMustExist() {
      passes(check("iso_date", "2026-12-01", "2024-02-29"), 2);
      fails(check("iso_date", "2026-02-30", "2023-02-29", "2026-1-01", "01/12/2026", "2026-12-01T00:00"), 5,
          0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void isoDateTimesTakeAnOptionalOffsetOrZone() {
      passes(check("iso_datetime", "2026-12-01T14:30:00", "2026-12-01T14:30:00.123Z", "2026-12-01T14:30+01:00",
          "2026-12-01T14:30:00+01:00[Europe/Paris]"), 4);
      fails(check("iso_datetime", "2026-12-01", "2026-12-01 14:30:00", "2026-02-30T00:00:00", "2026-12-01T25:00"), 4,
          0L, 1L, 2L, 3L);
    }

    @Test
    void urlsAreAbsoluteHttpOrHttpsWithAHost() {
      passes(check("url", "https://example.com/a?b=c#d", "http://localhost:8080", "HTTPS://EXAMPLE.COM"), 3);
      fails(check("url", "example.com", "ftp://example.com", "https://", "http://exa mple.com", "mailto:a@b.c"), 5,
          0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void skipsNullsAndPassesOnEmptyDataAndASingleRow() {
      passes(one(S, new Constraint.Format("s", "uuid", 1.0, Severity.ERROR), column(S, null, null)), 0);
      passes(check("email"), 0);
      passes(check("iso_date", "2026-12-01"), 1);
    }

    @Test
    void refusesAnUnknownFormatAndNonStringColumns() {
      assertThatThrownBy(() -> new Constraint.Format("s", "phone", 1.0, Severity.ERROR))
          .hasMessage("unknown format 'phone'; use one of email, uuid, iso_date, iso_datetime, url, or a regex");
      assertThatThrownBy(() -> DataContract.of("x", X, new Constraint.Format("x", "email", 1.0, Severity.ERROR)))
          .hasMessageContaining("x");
    }
  }

  @Nested
  class DistinctCountTests {
    final Constraint c = new Constraint.DistinctCount("n", 2L, 3L, Severity.ERROR);

    @Test
    void passesWithinTheBoundsCountingEachValueOnce() {
      ConstraintResult r = one(N, c, column(N, 1L, 2L, 1L, 2L, 2L, 3L));
      assertThat(r.status()).isEqualTo(Status.PASSED);
      assertThat(r.observed()).isEqualTo(3.0);
      assertThat(r.evaluatedCount()).isEqualTo(6);
    }

    @Test
    void failsAboveMaxAndBelowMin() {
      ConstraintResult above = one(N, c, column(N, 1L, 2L, 3L, 4L));
      assertThat(above.status()).isEqualTo(Status.FAILED);
      assertThat(above.message()).isEqualTo("observed distinct count 4.0 outside [2.0, 3.0]");
      assertThat(one(N, c, column(N, 7L, 7L, 7L)).status()).isEqualTo(Status.FAILED);
    }

    @Test
    void ignoresNullsAndCountsNaNOnceAndNegativeZeroApart() {
      assertThat(one(N, c, column(N, null, 1L, null, 2L)).observed()).isEqualTo(2.0);
      assertThat(one(X, new Constraint.DistinctCount("x", null, null, Severity.ERROR),
          column(X, Double.NaN, Double.NaN, 0.0, -0.0)).observed()).isEqualTo(3.0);
    }

    @Test
    void comparesZeroOnEmptyDataAndOneOnASingleRow() {
      ConstraintResult empty = one(N, c, List.of());
      assertThat(empty.observed()).isEqualTo(0.0);
      assertThat(empty.status()).isEqualTo(Status.FAILED);
      assertThat(one(N, new Constraint.DistinctCount("n", 0L, 1L, Severity.ERROR), List.of()).passed()).isTrue();
      assertThat(one(N, new Constraint.DistinctCount("n", 1L, 1L, Severity.ERROR), column(N, 5L)).passed()).isTrue();
    }

    @Test
    void countsStringsAndRefusesBadBounds() {
      assertThat(one(S, new Constraint.DistinctCount("s", null, 2L, Severity.ERROR), column(S, "a", "b", "a", "c"))
          .status()).isEqualTo(Status.FAILED);
      assertThatThrownBy(() -> new Constraint.DistinctCount("n", -1L, null, Severity.ERROR))
          .hasMessageContaining("negative");
      assertThatThrownBy(() -> new Constraint.DistinctCount("n", 5L, 2L, Severity.ERROR)).hasMessageContaining("> max");
    }
  }

  @Nested
  class FreshnessTests {
    final Schema t = Schema.of(Field.of("t", DataType.TIMESTAMP));
    final java.time.Instant now = java.time.Instant.parse("2026-12-01T12:00:00Z");
    final Validator v = Validator.compile(DataContract.of("fresh", t,
        new Constraint.Freshness("t", java.time.Duration.ofHours(24), Severity.ERROR)), java.util.Map.of(),
        java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));

    private ConstraintResult check(Object... times) {
      ValidationSession s = v.newSession(t);
      for (Object x : times) {
        s.accumulate(Row.of(t, x == null ? null : java.time.Instant.parse((String) x)));
      }
      ConstraintResult viaRows = s.report().results().get(0);
      try (org.apache.arrow.memory.RootAllocator a = new org.apache.arrow.memory.RootAllocator();
          dev.mlops.core.Batch b = dev.mlops.core.Batch.fromRows(a, t, column(t, java.util.Arrays.stream(times)
              .map(x -> x == null ? null : java.time.Instant.parse((String) x)).toArray()))) {
        assertThat(v.validate(b).results().get(0)).as("batch path").isEqualTo(viaRows);
      }
      return viaRows;
    }

    @Test
    void passesWhenTheLatestTimestampIsWithinMaxAgeOfTheClock() {
      ConstraintResult r = check("2026-11-20T00:00:00Z", "2026-11-30T13:00:00Z", "2026-11-01T00:00:00Z");
      assertThat(r.status()).isEqualTo(Status.PASSED);
      assertThat(r.observed()).isEqualTo(23 * 3600.0);
    }

    @Test
    void failsWhenEvenTheLatestIsOlder() {
      ConstraintResult r = check("2026-11-29T12:00:00Z", "2026-11-30T11:59:59Z");
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.message()).isEqualTo("observed age in seconds of the latest t (2026-11-30T11:59:59Z) 86401.0"
          + " outside [-inf, 86400.0]");
    }

    @Test
    void ignoresNullsFailsOnNoTimestampAndTakesAFutureOneAsFresh() {
      assertThat(check(null, "2026-12-01T11:00:00Z", null).passed()).isTrue();
      ConstraintResult none = check(null, null);
      assertThat(none.status()).isEqualTo(Status.FAILED);
      assertThat(none.message()).contains("nothing shows the data is recent");
      assertThat(check().passed()).isFalse();
      assertThat(check("2026-12-02T00:00:00Z").observed()).isEqualTo(-12 * 3600.0);
    }

    @Test
    void mergedSessionsTakeTheLatestOfBoth() {
      ValidationSession a = v.newSession(t, 0);
      ValidationSession b = v.newSession(t, 1);
      a.accumulate(Row.of(t, java.time.Instant.parse("2026-11-01T00:00:00Z")));
      b.accumulate(Row.of(t, java.time.Instant.parse("2026-12-01T00:00:00Z")));
      assertThat(a.report().results().get(0).passed()).isFalse();
      assertThat(a.merge(b).report().results().get(0).passed()).isTrue();
    }

    @Test
    void refusesANonTimestampColumnAndANonPositiveAge() {
      assertThatThrownBy(() -> DataContract.of("x", X, new Constraint.Freshness("x", java.time.Duration.ofHours(1),
          Severity.ERROR))).hasMessageContaining("needs a timestamp column");
      assertThatThrownBy(() -> new Constraint.Freshness("t", java.time.Duration.ZERO, Severity.ERROR))
          .hasMessageContaining("positive duration");
    }
  }

  @Nested
  class ShareTests {
    final Constraint atMostHalfCars = new Constraint.Share("s", "car", null, 0.5, Severity.ERROR);

    @Test
    void passesWithinTheBoundsOverNonNullValues() {
      ConstraintResult r = one(S, atMostHalfCars, column(S, "car", "tv", null, "car", "tv"));
      assertThat(r.status()).isEqualTo(Status.PASSED);
      assertThat(r.observed()).isEqualTo(0.5);
      assertThat(r.evaluatedCount()).isEqualTo(4);
    }

    @Test
    void failsOutsideTheBounds() {
      ConstraintResult r = one(S, atMostHalfCars, column(S, "car", "car", "tv"));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.message()).startsWith("observed share of 'car' 0.666");
      assertThat(one(S, new Constraint.Share("s", "tv", 0.5, null, Severity.ERROR), column(S, "car", "car", "tv"))
          .passed()).isFalse();
    }

    @Test
    void matchesInt64AndBooleanCellsByTheirText() {
      assertThat(one(N, new Constraint.Share("n", "5", 0.5, 0.5, Severity.ERROR), column(N, 5L, 6L)).passed()).isTrue();
      assertThat(one(B, new Constraint.Share("b", "true", null, 0.2, Severity.ERROR), column(B, true, false))
          .passed()).isFalse();
    }

    @Test
    void failsWithoutValuesAndPassesOnASingleMatchingRow() {
      assertThat(one(S, atMostHalfCars, List.of()).status()).isEqualTo(Status.FAILED);
      assertThat(one(S, atMostHalfCars, column(S, null, null)).message()).contains("no non-null values");
      assertThat(one(S, new Constraint.Share("s", "car", 1.0, 1.0, Severity.ERROR), column(S, "car")).passed()).isTrue();
      assertThat(one(S, atMostHalfCars, column(S, "NaN")).passed()).isTrue();
    }

    @Test
    void refusesBoundsOutsideZeroToOneNoBoundAndFloatColumns() {
      assertThatThrownBy(() -> new Constraint.Share("s", "car", null, 1.5, Severity.ERROR)).hasMessageContaining("[0, 1]");
      assertThatThrownBy(() -> new Constraint.Share("s", "car", null, null, Severity.ERROR)).hasMessageContaining("needs");
      assertThatThrownBy(() -> DataContract.of("x", X, new Constraint.Share("x", "1.0", 0.1, null, Severity.ERROR)))
          .hasMessageContaining("string, int64 or boolean");
    }
  }

  @Nested
  class WhenTests {
    final Schema loans = Schema.of(Field.of("country", DataType.STRING), Field.of("amount", DataType.FLOAT64));
    final Constraint c = new Constraint.When(Constraint.range("amount", 0.0, 100.0), "country", List.of("DE", "AT"));

    @Test
    void appliesTheRuleOnlyToTheSelectedRows() {
      ConstraintResult r = one(loans, c, Runs.rows(loans, Runs.arr("DE", 50.0), Runs.arr("FR", 5000.0),
          Runs.arr("AT", 500.0), Runs.arr(null, 9000.0)));
      fails(r, 1, 2L);
      assertThat(r.evaluatedCount()).as("FR and the null country are not evaluated").isEqualTo(2);
      assertThat(r.id()).isEqualTo("amount.range[when country in [DE, AT]]");
      assertThat(r.examples().get(0).value()).isEqualTo("500.0");
    }

    @Test
    void passesWhenEverySelectedRowPassesAndOnEmptyDataAndASingleRow() {
      passes(one(loans, c, Runs.rows(loans, Runs.arr("DE", 1.0), Runs.arr("FR", -1.0))), 1);
      passes(one(loans, c, List.of()), 0);
      passes(one(loans, c, Runs.rows(loans, Runs.arr("AT", 100.0))), 1);
    }

    @Test
    void aNullOrNanValueOfASelectedRowIsJudgedByTheRule() {
      ConstraintResult r = one(loans, c, Runs.rows(loans, Runs.arr("DE", null), Runs.arr("DE", Double.NaN)));
      fails(r, 1, 1L);
      Constraint required = new Constraint.When(Constraint.notNull("amount"), "country", List.of("DE"));
      fails(one(loans, required, Runs.rows(loans, Runs.arr("DE", null), Runs.arr("FR", null))), 1, 0L);
    }

    @Test
    void onTheRequestPathOnlySelectedRowsCanBreakIt() {
      Validator v = Validator.compile(DataContract.of("loans", loans, c));
      assertThat(v.validate(Row.of(loans, "FR", 5000.0))).isSameAs(RowResult.PASS);
      assertThat(v.validate(Row.of(loans, "DE", 5000.0)).violations()).hasSize(1);
    }

    @Test
    void refusesDatasetRulesNestedConditionsAndFloatConditionColumns() {
      assertThatThrownBy(() -> new Constraint.When(Constraint.unique("amount"), "country", List.of("DE")))
          .hasMessageContaining("row rules");
      assertThatThrownBy(() -> new Constraint.When(c, "country", List.of("DE"))).hasMessageContaining("row rules");
      assertThatThrownBy(() -> new Constraint.When(Constraint.notNull("amount"), "country", List.of()))
          .hasMessageContaining("at least one value");
      assertThatThrownBy(() -> DataContract.of("x", loans, new Constraint.When(Constraint.notNull("country"), "amount",
          List.of("1.0")))).hasMessageContaining("string, int64 or boolean");
    }
  }

  @Nested
  class RowCountTests {
    final Constraint c = new Constraint.RowCount(1L, 3L, Severity.ERROR);

    @Test
    void passesWithinBoundsCountingNullRows() {
      ConstraintResult r = one(X, c, column(X, null, 2.0));
      passes(r, 2);
      assertThat(r.observed()).isEqualTo(2.0);
    }

    @Test
    void failsAboveMax() {
      ConstraintResult r = one(X, c, column(X, 1.0, 2.0, 3.0, Double.NaN));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isEqualTo(4.0);
    }

    @Test
    void failsOnEmptyDataWhenAtLeastOneRowIsRequired() {
      ConstraintResult r = one(X, c, List.of());
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isEqualTo(0.0);
      passes(one(X, new Constraint.RowCount(0L, null, Severity.ERROR), List.of()), 0);
    }

    @Test
    void passesOnASingleRow() {
      passes(one(X, c, column(X, 1.0)), 1);
    }
  }

  @Nested
  class MeanTests {
    final Constraint c = new Constraint.Mean("x", 1.0, 3.0, Severity.ERROR);

    @Test
    void passesWithinBounds() {
      ConstraintResult r = one(X, c, column(X, 1.0, 2.0, 3.0));
      passes(r, 3);
      assertThat(r.observed()).isEqualTo(2.0);
    }

    @Test
    void failsOutsideBounds() {
      ConstraintResult r = one(X, c, column(X, 10.0, 20.0));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isEqualTo(15.0);
      assertThat(r.message()).contains("observed mean 15.0 outside [1.0, 3.0]");
    }

    @Test
    void skipsNulls() {
      ConstraintResult r = one(X, c, column(X, null, 2.0));
      passes(r, 1);
    }

    @Test
    void nanMakesTheMeanNaNAndFails() {
      ConstraintResult r = one(X, c, column(X, 2.0, Double.NaN));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isNaN();
    }

    @Test
    void failsOnEmptyData() {
      ConstraintResult r = one(X, c, List.of());
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isNull();
      assertThat(one(X, c, column(X, null, null)).status()).isEqualTo(Status.FAILED);
    }

    @Test
    void decidesASingleRow() {
      passes(one(X, c, column(X, 2.0)), 1);
    }
  }

  @Nested
  class StddevTests {
    final Constraint c = new Constraint.Stddev("x", 0.5, 1.5, Severity.ERROR);

    @Test
    void isTheSampleStandardDeviation() {
      ConstraintResult r = one(X, c, column(X, 1.0, 2.0, 3.0));
      passes(r, 3);
      assertThat(r.observed()).isEqualTo(1.0);
    }

    @Test
    void failsOutsideBounds() {
      ConstraintResult r = one(X, c, column(X, 1.0, 10.0));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isCloseTo(6.3639610306789, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void skipsNullsAndFailsOnNaN() {
      passes(one(X, c, column(X, 1.0, null, 2.0, 3.0)), 3);
      assertThat(one(X, c, column(X, 1.0, Double.NaN, 3.0)).observed()).isNaN();
    }

    @Test
    void failsOnEmptyData() {
      ConstraintResult r = one(X, c, List.of());
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isNull();
    }

    @Test
    void failsOnASingleRowBecauseDdofOneNeedsTwoValues() {
      ConstraintResult r = one(X, c, column(X, 2.0));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.message()).contains("at least 2 non-null values, got 1");
    }
  }

  @Nested
  class QuantileTests {
    @Test
    void interpolatesLinearlyAsNumpy() {
      // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 1.0]) == [1.75, 2.5, 4.0]
      List<Row> rows = column(X, 4.0, 1.0, 3.0, 2.0);
      assertThat(one(X, new Constraint.Quantile("x", 0.25, null, null, Severity.ERROR), rows).observed()).isEqualTo(1.75);
      assertThat(one(X, new Constraint.Quantile("x", 0.5, 2.0, 3.0, Severity.ERROR), rows).observed()).isEqualTo(2.5);
      assertThat(one(X, new Constraint.Quantile("x", 1.0, null, null, Severity.ERROR), rows).observed()).isEqualTo(4.0);
    }

    @Test
    void failsOutsideBounds() {
      ConstraintResult r = one(X, new Constraint.Quantile("x", 0.5, 0.0, 1.0, Severity.ERROR), column(X, 5.0, 6.0));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.observed()).isEqualTo(5.5);
    }

    @Test
    void skipsNullsAndFailsOnNaN() {
      Constraint q = new Constraint.Quantile("x", 0.5, 0.0, 10.0, Severity.ERROR);
      passes(one(X, q, column(X, null, 1.0, 3.0)), 2);
      assertThat(one(X, q, column(X, 1.0, Double.NaN)).observed()).isNaN();
    }

    @Test
    void failsOnEmptyData() {
      assertThat(one(X, new Constraint.Quantile("x", 0.5, null, null, Severity.ERROR), List.of()).status())
          .isEqualTo(Status.FAILED);
    }

    @Test
    void singleRowIsEveryQuantile() {
      passes(one(X, new Constraint.Quantile("x", 0.9, 2.0, 2.0, Severity.ERROR), column(X, 2.0)), 1);
    }
  }

  @Nested
  class CompareTests {
    final Constraint c = Constraint.compare("a", "<=", "b");

    @Test
    void passesWhenTheRelationHolds() {
      passes(one(AB, c, Runs.rows(AB, Runs.arr(1.0, 2.0), Runs.arr(2.0, 2.0))), 2);
    }

    @Test
    void failsWhenItDoesNotWithBothValuesInTheExample() {
      ConstraintResult r = one(AB, c, Runs.rows(AB, Runs.arr(1.0, 2.0), Runs.arr(3.0, 2.0)));
      fails(r, 1, 1L);
      assertThat(r.examples().get(0).value()).isEqualTo("a=3.0, b=2.0");
    }

    @Test
    void skipsRowsWithANullAndFailsOnNaN() {
      ConstraintResult r = one(AB, c, Runs.rows(AB, Runs.arr(null, 2.0), Runs.arr(1.0, null),
          Runs.arr(Double.NaN, 1.0)));
      fails(r, 1, 2L);
      assertThat(r.evaluatedCount()).isEqualTo(1);
    }

    @Test
    void comparesStringsAndTimestamps() {
      Schema st = Schema.of(Field.of("s", DataType.STRING), Field.of("t", DataType.STRING));
      fails(one(st, Constraint.compare("s", "<", "t"), Runs.rows(st, Runs.arr("a", "b"), Runs.arr("b", "a"))), 1, 1L);
      Schema ts = Schema.of(Field.of("start", DataType.TIMESTAMP), Field.of("end", DataType.TIMESTAMP));
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      fails(one(ts, Constraint.compare("start", "<=", "end"),
          Runs.rows(ts, Runs.arr(t0, t0.plusSeconds(1)), Runs.arr(t0.plusSeconds(2), t0))), 1, 1L);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(one(AB, c, List.of()), 0);
    }

    @Test
    void decidesASingleRow() {
      fails(one(AB, Constraint.compare("a", "!=", "b"), Runs.rows(AB, Runs.arr(1.0, 1.0))), 1, 0L);
    }
  }

  @Nested
  class CustomTests {
    final Constraint c = new Constraint.Custom("positive", List.of("x"), "x > 0 when present", 1.0, Severity.ERROR);
    final Map<String, Predicate<Row>> predicates = Map.of("positive", r -> r.isNull(0) || r.getDouble(0) > 0);

    ConstraintResult run(List<Row> rows) {
      return Runs.report(DataContract.of("t", X, c), predicates, rows).results().get(0);
    }

    @Test
    void passesWhenThePredicateHolds() {
      passes(run(column(X, 1.0, 2.0)), 2);
    }

    @Test
    void failsWhenItDoesNotNamingItsColumns() {
      ConstraintResult r = run(column(X, 1.0, -2.0));
      fails(r, 1, 1L);
      assertThat(r.examples().get(0).value()).isEqualTo("x=-2.0");
    }

    @Test
    void seesNullsAndNaN() {
      fails(run(column(X, null, Double.NaN)), 1, 1L);
    }

    @Test
    void passesVacuouslyOnEmptyData() {
      passes(run(List.of()), 0);
    }

    @Test
    void decidesASingleRow() {
      fails(run(column(X, 0.0)), 1, 0L);
    }

    @Test
    void mustBeBoundWhenCompiled() {
      DataContract contract = DataContract.of("t", X, c);
      assertThatThrownBy(() -> Validator.compile(contract))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("custom constraints [positive] without a predicate");
      assertThatThrownBy(() -> Validator.compile(contract, Map.of("positive", r -> true, "postive", r -> true)))
          .hasMessageContaining("Predicates [postive] match no custom constraint");
    }
  }
}
