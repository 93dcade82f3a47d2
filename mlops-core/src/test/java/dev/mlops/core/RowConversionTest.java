package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A row never changes a value silently when it converts it to its column's type. */
class RowConversionTest {
  private static final Schema SCHEMA = Schema.of(
      Field.of("f32", DataType.FLOAT32), Field.of("f64", DataType.FLOAT64), Field.of("s", DataType.STRING));

  static Stream<Arguments> lossyConversions() {
    return Stream.of(
        Arguments.of("f32", Double.MAX_VALUE, "beyond float32's range"),
        Arguments.of("f32", -1e39, "beyond float32's range"),
        Arguments.of("f32", new BigDecimal("1e400"), "beyond float32's range"),
        Arguments.of("f64", 9_007_199_254_740_993L, "cannot hold 9007199254740993 exactly"),
        Arguments.of("f64", Long.MAX_VALUE, "cannot hold 9223372036854775807 exactly"),
        Arguments.of("f64", Long.MIN_VALUE + 1, "exactly"),
        Arguments.of("f64", new BigDecimal("0.1"), "exactly"),
        Arguments.of("f64", new BigDecimal("1e400"), "exactly"),
        Arguments.of("f64", BigInteger.TWO.pow(53).add(BigInteger.ONE), "exactly"));
  }

  @ParameterizedTest
  @MethodSource("lossyConversions")
  void refusesAConversionThatWouldOverflowOrRound(String column, Number value, String message) {
    assertThatThrownBy(() -> Row.fromMap(SCHEMA, java.util.Map.of(column, value)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Field '" + column + "'")
        .hasMessageContaining(message);
  }

  @Test
  void keepsConversionsThatAreExactOrAreTheColumnsOwnRounding() {
    Row r = Row.of(SCHEMA, 0.1, 9_007_199_254_740_992L, "x");
    assertThat(r.get("f32")).isEqualTo(0.1f);
    assertThat(r.get("f64")).isEqualTo(9.007199254740992E15);
    assertThat(Row.of(SCHEMA, Double.POSITIVE_INFINITY, Long.MIN_VALUE, "x").get("f32"))
        .as("an infinite input stays infinite; it is not an overflow").isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Row.of(SCHEMA, Float.NaN, new BigDecimal("0.5"), "x").get("f64")).isEqualTo(0.5);
    assertThat(Row.of(SCHEMA, 1, BigInteger.TWO.pow(60), "x").get("f64")).isEqualTo(0x1p60);
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsControlCharactersEscaped() {
    assertThatThrownBy(() -> Row.of(SCHEMA, "1\nFAKE LOG LINE", 1.0, "x"))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("(1\\nFAKE LOG LINE)")
        .hasMessageNotContaining("\n");
  }
}
