package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

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

  @Property(tries = 2000)
  void everyDoubleSurvivesItsJavaText(@ForAll double d) {
    assertThat(parseDouble(Double.toString(d))).isTrue();
    assertThat(Double.doubleToLongBits(p.doubleValue)).isEqualTo(Double.doubleToLongBits(d));
  }

  @Property(tries = 2000)
  void everyDoubleBitPatternSurvivesItsJavaText(@ForAll long bits) {
    double d = Double.longBitsToDouble(bits);
    assertThat(parseDouble(Double.toString(d))).isTrue();
    assertThat(Double.doubleToLongBits(p.doubleValue)).isEqualTo(Double.doubleToLongBits(d));
  }

  @Provide
  Arbitrary<String> decimals() {
    Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(25);
    Arbitrary<String> sign = Arbitraries.of("", "-", "+");
    Arbitrary<String> exp = Arbitraries.oneOf(Arbitraries.just(""),
        Combinators.combine(Arbitraries.of("e", "E"), sign, Arbitraries.integers().between(0, 400))
            .as((e, s, n) -> e + s + n));
    return Combinators.combine(sign, digits, Arbitraries.of("", "."), digits, exp)
        .as((s, a, dot, b, e) -> s + a + dot + b + e);
  }

  @Property(tries = 3000)
  void decimalTextParsesExactlyAsTheJdkDoes(@ForAll("decimals") String s) {
    boolean jdkAccepts = s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    assertThat(parseDouble(s)).as(s).isEqualTo(jdkAccepts);
    if (jdkAccepts) {
      assertThat(p.doubleValue).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Property(tries = 2000)
  void longsParseAsTheJdkDoes(@ForAll("longTexts") String s) {
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
  }

  @Provide
  Arbitrary<String> longTexts() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(String::valueOf),
        Combinators.combine(Arbitraries.of("", "-", "+"), Arbitraries.strings().withCharRange('0', '9')
            .ofMinLength(0).ofMaxLength(21)).as((a, b) -> a + b),
        Arbitraries.of("9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "00000000000000000000001"));
  }

  @Property(tries = 2000)
  void instantTextParsesToItsMicros(@ForAll @LongRange(min = Long.MIN_VALUE + 1_000_000L) long micros) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    assertThat(parseTimestamp(t.toString())).as(t.toString()).isTrue();
    assertThat(p.longValue).isEqualTo(micros);
  }

  @Property(tries = 1000)
  void localAndOffsetForms(@ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long seconds,
      @ForAll @LongRange(min = 0, max = 999_999_999) long nanos,
      @ForAll @LongRange(min = -18 * 60, max = 18 * 60) long offsetMinutes) {
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

  @Example
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
