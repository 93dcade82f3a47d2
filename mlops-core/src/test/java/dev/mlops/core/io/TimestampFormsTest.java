package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every timestamp form the CSV reader documents, and the near misses it must refuse, parsed from the
 * char buffer both as a whole buffer (a read past the field fails) and inside a longer line whose
 * next characters would complete a near miss (a read past the field would accept it).
 */
class TimestampFormsTest {
  /** Digits and a zone after the field: a parser that reads on completes a truncated time with them. */
  private static final String AFTER = "59:59:59Z";

  private static long micros(String iso) {
    Instant i = Instant.parse(iso);
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  /** Parses {@code s} alone in an array of its exact size, then inside a longer line; both must agree. */
  private static Long parse(String s) {
    ValueParser p = new ValueParser();
    char[] exact = s.toCharArray();
    Long alone = p.parseTimestamp(exact, 0, exact.length) ? p.longValue : null;
    char[] line = ("x," + s + AFTER).toCharArray();
    Long inLine = p.parseTimestamp(line, 2, s.length()) ? p.longValue : null;
    assertThat(inLine).as("'%s' inside a line", s).isEqualTo(alone);
    return alone;
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "2024-03-01T10:20:30Z      | 2024-03-01T10:20:30Z",
      "2024-03-01t10:20:30z      | 2024-03-01T10:20:30Z",
      "2024-03-01 10:20:30Z      | 2024-03-01T10:20:30Z",
      "'2024-03-01 10:20'        | 2024-03-01T10:20:00Z",
      "2024-03-01T10:20+02       | 2024-03-01T08:20:00Z",
      "2024-03-01T10:20-02       | 2024-03-01T12:20:00Z",
      "2024-03-01T10:20+0230     | 2024-03-01T07:50:00Z",
      "2024-03-01T10:20-0130     | 2024-03-01T11:50:00Z",
      "2024-03-01T10:20:30.5-01:00 | 2024-03-01T11:20:30.500Z",
      "2024-03-01T00:30+18:00    | 2024-02-29T06:30:00Z",
      "2024-03-01T10:20:30.123456789Z | 2024-03-01T10:20:30.123456Z",
      "1969-12-31T23:59:59.25Z   | 1969-12-31T23:59:59.250Z",
      "2024-02-29                | 2024-02-29T00:00:00Z",
      "2000-02-29                | 2000-02-29T00:00:00Z",
      "1600-02-29                | 1600-02-29T00:00:00Z",
      "2023-12-31                | 2023-12-31T00:00:00Z",
      "+10000-01-01              | +10000-01-01T00:00:00Z",
      "-0001-03-01               | -0001-03-01T00:00:00Z"})
  void acceptsEveryDocumentedFormAtItsInstant(String text, String instant) {
    assertThat(parse(text)).isEqualTo(micros(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // not leap years: divisible by 100 but not by 400, or not by 4
      "1900-02-29", "2100-02-29", "2023-02-29", "2024-02-30", "2024-04-31", "2024-06-31", "2024-00-10",
      "2024-01-00", "2024-01-32",
      // a non-digit where a two-digit number belongs
      "2024-0a-01", "2024-01-0b", "2024-01-01T1x:00", "2024-01-01T10:2x", "2024-01-01T10:20:3x",
      "2024-01-01T10:20+0x", "2024-01-01T10:20+1x:00", "2024-01-01T10:20+01:x0", "2024-01-01T10:20+010x",
      // fields cut short: a parser reading past the field would complete them from what follows
      "2024-01-01T10:20:", "2024-01-01T10:2", "2024-01-01T1", "2024-01-01T10:20+1", "2024-01-01T10:20+012",
      "+12345-01-0", "2024-01-01T10:20:30.",
      // a wrong separator or sign, or an offset out of range
      "2024-01-01x10:20", "2024/01/01", "2024-01-01T10:20+19", "2024-01-01T10:20-25", "2024-01-01T10:20+05:60",
      "2024-01-01T10:20+0560", "2024-01-01T10:20Z+01", "2024-01-01T10:20+01:00Z",
      // an unsigned year needs exactly four digits; a signed one at least four
      "+123-01-01", "20240-01-01", "+123456789", "+1234567890",
      // beyond the int64 range of epoch microseconds
      "+294247-01-10T04:00:54.775808Z", "-290308-12-21T19:59:05.224191Z", "+999999999-01-01"})
  void refusesNearMisses(String text) {
    assertThat(parse(text)).as("'%s'", text).isNull();
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE})
  void readsBackTheWholeRangeOfEpochMicros(long value) {
    // Instant.toString writes the form the reader takes back, signed years beyond 9999 included.
    String text = Instant.EPOCH.plus(value, ChronoUnit.MICROS).toString();
    assertThat(parse(text)).as(text).isEqualTo(value);
  }
}
