package dev.mlops.core.io;

import static dev.mlops.core.Generators.chars;
import static dev.mlops.core.Generators.doubles;
import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.longs;
import static dev.mlops.core.Generators.pick;
import static dev.mlops.core.Generators.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The char-buffer parsers agree with the JDK on every value they accept. */
class ValueParserProperties {
  private final ValueParser p = new ValueParser();

  private boolean parseDouble(String s) {
    char[] c = ("##" + s + "##").toCharArray();
    return p.parseDouble(c, 2, s.length());
  }

  private boolean parseLong(String s) {
    char[] c = ("#" + s + "#").toCharArray();
    return p.parseLong(c, 1, s.length());
  }

  private boolean parseTimestamp(String s) {
    char[] c = ("@" + s).toCharArray();
    return p.parseTimestamp(c, 1, s.length());
  }

  @Test
  void everyDoubleSurvivesItsJavaText() {
    qt().withFixedSeed(0x7A25_0001L).withExamples(2000).forAll(doubles()).checkAssert(d -> {
      assertThat(parseDouble(Double.toString(d))).isTrue();
      assertThat(Double.doubleToLongBits(p.doubleValue)).isEqualTo(Double.doubleToLongBits(d));
    });
  }

  @Test
  void everyDoubleBitPatternSurvivesItsJavaText() {
    qt().withFixedSeed(0x7A25_0002L).withExamples(2000).forAll(longs()).checkAssert(bits -> {
      double d = Double.longBitsToDouble(bits);
      assertThat(parseDouble(Double.toString(d))).isTrue();
      assertThat(Double.doubleToLongBits(p.doubleValue)).isEqualTo(Double.doubleToLongBits(d));
    });
  }

  /** Signs, digits (none to 25), a point or not, more digits and an exponent up to 400 or none. */
  static Gen<String> decimals() {
    Gen<String> digits = strings(chars('0', '9'), 0, 25);
    Gen<String> sign = pick("", "-", "+");
    Gen<String> exp = Generate.oneOf(Generate.constant(""),
        pick("e", "E").zip(sign, integers(0, 400), (e, s, n) -> e + s + n));
    return sign.zip(digits, pick("", "."), digits, exp, (s, a, dot, b, e) -> s + a + dot + b + e);
  }

  @Test
  void decimalTextParsesExactlyAsTheJdkDoes() {
    qt().withFixedSeed(0x7A25_0003L).withExamples(3000).forAll(decimals()).checkAssert(s -> {
      boolean jdkAccepts = s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
      assertThat(parseDouble(s)).as(s).isEqualTo(jdkAccepts);
      if (jdkAccepts) {
        assertThat(p.doubleValue).as(s).isEqualTo(Double.parseDouble(s));
      }
    });
  }

  @Test
  void longsParseAsTheJdkDoes() {
    qt().withFixedSeed(0x7A25_0004L).withExamples(2000).forAll(longTexts()).checkAssert(s -> {
      Long expected;
      try {
        expected = Long.parseLong(s);
      } catch (NumberFormatException e) {
        expected = null;
      }
      assertThat(parseLong(s)).as(s).isEqualTo(expected != null);
      if (expected != null) {
        assertThat(p.longValue).isEqualTo(expected);
      }
    });
  }

  /** Texts of longs, signed digit strings of none to 21 digits, and the texts just past the range. */
  static Gen<String> longTexts() {
    return Generate.oneOf(
        longs().map(l -> Long.toString(l)),
        pick("", "-", "+").zip(strings(chars('0', '9'), 0, 21), (a, b) -> a + b),
        pick("9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "00000000000000000000001"));
  }

  @Test
  void instantTextParsesToItsMicros() {
    qt().withFixedSeed(0x7A25_0005L).withExamples(2000).forAll(longs(Long.MIN_VALUE + 1_000_000L, Long.MAX_VALUE))
        .checkAssert(micros -> {
          Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
              Math.floorMod(micros, 1_000_000L) * 1000L);
          assertThat(parseTimestamp(t.toString())).as(t.toString()).isTrue();
          assertThat(p.longValue).isEqualTo(micros);
        });
  }

  @Test
  void localAndOffsetForms() {
    qt().withFixedSeed(0x7A25_0006L).withExamples(1000)
        .forAll(longs(-62_135_596_800L, 253_402_300_799L), longs(0, 999_999_999), longs(-18 * 60, 18 * 60))
        .checkAssert(this::localAndOffsetFormsOf);
  }

  private void localAndOffsetFormsOf(long seconds, long nanos, long offsetMinutes) {
    LocalDateTime local = LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
    long micros = Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000);
    assertThat(parseTimestamp(local.toString())).as(local.toString()).isTrue();
    assertThat(p.longValue).isEqualTo(
        local.toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).getEpochSecond() * 1_000_000L
            + local.getNano() / 1000);
    assertThat(p.longValue).isEqualTo(micros);
    ZoneOffset offset = ZoneOffset.ofTotalSeconds((int) offsetMinutes * 60);
    OffsetDateTime odt = local.atOffset(offset);
    assertThat(parseTimestamp(odt.toString())).as(odt.toString()).isTrue();
    Instant expected = odt.toInstant();
    assertThat(p.longValue).isEqualTo(expected.getEpochSecond() * 1_000_000L + expected.getNano() / 1000);
    assertThat(parseTimestamp(local.toLocalDate().toString())).isTrue();
    assertThat(p.longValue).isEqualTo(local.toLocalDate().toEpochDay() * 86_400_000_000L);
  }

  @Test
  void rejectsWhatIsNotExactlyAValue() {
    for (String s : new String[] {"", " 1", "1 ", "1e", "e1", "--1", "0x10", "1d", "1f", ".", "-", "+", "1.2.3",
        "NaNa", "infinit", "1,5", "١٢"}) {
      assertThat(parseDouble(s)).as("double '%s'", s).isFalse();
    }
    for (String s : new String[] {"NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "-inf", "+INF", "-0.0",
        "1.", ".5", "1E5"}) {
      assertThat(parseDouble(s)).as("double '%s'", s).isTrue();
    }
    for (String s : new String[] {"2024-02-30", "2023-02-29", "2024-13-01", "2024-1-01", "24-01-01",
        "2024-01-01T24:00", "2024-01-01T00:60", "2024-01-01T00:00:60", "2024-01-01T00:00:00.", "2024-01-01T",
        "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00Zx", "2024-01-01T00:00+19:00", "12024-01-01",
        "2024-01-01 ", " 2024-01-01", "2024-01-01T00:00:00+0"}) {
      assertThat(parseTimestamp(s)).as("timestamp '%s'", s).isFalse();
    }
    for (String s : new String[] {"TRUE", "false", "True"}) {
      assertThat(p.parseBoolean(s.toCharArray(), 0, s.length())).isTrue();
    }
    for (String s : new String[] {"1", "yes", "t", "truee", ""}) {
      assertThat(p.parseBoolean(s.toCharArray(), 0, s.length())).isFalse();
    }
  }
}
