package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exponent of a float64 field: a complete one is read, one cut short or followed by anything is
 * refused (never read as the number before it), whether the field fills its buffer or sits in a line.
 */
class NumberFormsTest {
  /** Parses {@code s} alone in an array of its exact size, then inside a line; both must agree. */
  private static Double parse(String s) {
    ValueParser p = new ValueParser();
    char[] exact = s.toCharArray();
    Double alone = p.parseDouble(exact, 0, exact.length) ? p.doubleValue : null;
    char[] line = ("x," + s + "5,").toCharArray();
    Double inLine = p.parseDouble(line, 2, s.length()) ? p.doubleValue : null;
    assertThat(inLine).as("'%s' inside a line", s).isEqualTo(alone);
    return alone;
  }

  @ParameterizedTest
  @CsvSource({"1e-5, 1e-5", "1E+5, 1e5", "-0.5e1, -5", "+2.5E-1, 0.25", "7e0, 7", "1e-0, 1"})
  void readsACompleteExponent(String text, double value) {
    assertThat(parse(text)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e", "1e-", "1e+", "1E-", "1ex", "1e5x", "1e+x", "1.5e-x", "-e5", "e", "1e--5", "1e5.0"})
  void refusesAnExponentCutShortOrFollowedByAnything(String text) {
    assertThat(parse(text)).as("'%s'", text).isNull();
  }
}
