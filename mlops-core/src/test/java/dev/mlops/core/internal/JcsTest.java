package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 golden vectors (test resources {@code jcs/}, see their README) and the edges around them. */
class JcsTest {
  private static String resource(String name) throws IOException {
    try (InputStream in = JcsTest.class.getResourceAsStream("jcs/" + name)) {
      assertThat(in).as("test resource jcs/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvFileSource(resources = "jcs/appendix-b-numbers.csv", numLinesToSkip = 1)
  void serializesAppendixBNumbers(String hex, String expected, String comment) {
    double v = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    if (expected.equals("error")) {
      assertThatThrownBy(() -> Jcs.number(v)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("store non-finite numbers as strings");
    } else {
      assertThat(Jcs.number(v)).isEqualTo(expected);
    }
  }

  @Test
  void canonicalizesTheSection322Example() throws IOException {
    JsonNode in = Json.parse(resource("sec-3.2.2-primitives-input.json"), "sec-3.2.2");
    assertThat(Jcs.bytes(in)).isEqualTo(resource("sec-3.2.2-primitives-output.json").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sortsTheSection323ExampleByUtf16CodeUnits() throws IOException {
    JsonNode in = Json.parse(resource("sec-3.2.3-sorting-input.json"), "sec-3.2.3");
    String canonical = Jcs.string(in);
    assertThat(canonical).isEqualTo(resource("sec-3.2.3-sorting-output.json"));
    // U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16, after it by code point.
    assertThat(canonical.indexOf("Grinning")).isLessThan(canonical.indexOf("Dalet"));
  }

  @ParameterizedTest
  @CsvSource({"0.1,0.1", "100,100", "1e21,1e+21", "1e20,100000000000000000000", "1e-6,0.000001",
      "1e-7,1e-7", "123e-9,1.23e-7", "-1.5,-1.5", "0.002,0.002", "5e-324,5e-324", "1.5e-323,1.5e-323", "2e23,2e+23", "8.41e21,8.41e+21", "5.0E-324,5e-324"})
  void writesEcmaScriptNumberForms(double v, String expected) {
    assertThat(Jcs.number(v)).isEqualTo(expected);
  }

  @Test
  void choosesTheShortestDigitsWhereJava17DoubleToStringIsLonger() {
    // JDK-4511638: before Java 19, Double.toString(2e23) is 1.9999999999999998E23, which reads back but is not
    // the shortest form.
    assertThat(Jcs.number(2e23)).isEqualTo("2e+23");
    assertThat(Jcs.number(Double.parseDouble("9.109e-31"))).isEqualTo("9.109e-31");
  }

  @Test
  void numbersReadBackToTheSameDoubleAndAreNeverLongerThanJavas() {
    qt().withFixedSeed(8785L).withExamples(20_000)
        .forAll(longs().all())
        .assuming(bits -> Double.isFinite(Double.longBitsToDouble(bits)))
        .check(bits -> {
          double v = Double.longBitsToDouble(bits);
          String s = Jcs.number(v);
          BigDecimal java = new BigDecimal(Double.toString(v)).stripTrailingZeros();
          BigDecimal ours = new BigDecimal(s).stripTrailingZeros();
          return Double.parseDouble(s) == (v == 0 ? 0.0 : v) && ours.precision() <= java.precision();
        });
    qt().withFixedSeed(8786L).withExamples(5_000)
        .forAll(doubles().between(-1e6, 1e6))
        .check(v -> Double.parseDouble(Jcs.number(v)) == (v == 0 ? 0.0 : v));
  }

  @Test
  void writesIntegersInTheSafeRangeAndRejectsLargerOnesThatCanonicalizationWouldChange() {
    assertThat(Jcs.string(LongNode.valueOf(Jcs.MAX_SAFE_INTEGER))).isEqualTo("9007199254740991");
    assertThat(Jcs.string(LongNode.valueOf(-Jcs.MAX_SAFE_INTEGER))).isEqualTo("-9007199254740991");
    assertThat(Jcs.string(LongNode.valueOf(1L << 53))).isEqualTo("9007199254740992");
    assertThat(Jcs.string(BigIntegerNode.valueOf(BigInteger.TEN.pow(20)))).isEqualTo("100000000000000000000");
    assertThatThrownBy(() -> Jcs.string(LongNode.valueOf((1L << 53) + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("integer 9007199254740993 is beyond +/-9007199254740991, the range JSON numbers carry exactly"
            + " (I-JSON, RFC 7493), and canonicalization would change it to 9007199254740992; store it as a string");
    assertThatThrownBy(() -> Jcs.string(BigIntegerNode.valueOf(BigInteger.TEN.pow(30))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would change it to 1e+30");
    assertThatThrownBy(() -> Jcs.string(BigIntegerNode.valueOf(BigInteger.TEN.pow(400))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would change it to infinity");
  }

  @Test
  void canonicalOutputCanonicalizesToItself() {
    qt().withFixedSeed(8787L).withExamples(5_000)
        .forAll(longs().all())
        .assuming(bits -> Double.isFinite(Double.longBitsToDouble(bits)))
        .check(bits -> {
          String once = Jcs.string(Json.parse("[" + Jcs.number(Double.longBitsToDouble(bits)) + "]", "n"));
          return Jcs.string(Json.parse(once, "n")).equals(once);
        });
  }

  @Test
  void escapesControlCharactersInLowerCaseHexAndLeavesOtherTextAlone() {
    assertThat(Jcs.string(TextNode.valueOf("\u0000\u001f\u007f\u0080\u2028/\"\\\b\f\n\r\t\uD83D\uDE00")))
        .isEqualTo("\"\\u0000\\u001f\u007f\u0080\u2028/\\\"\\\\\\b\\f\\n\\r\\t\uD83D\uDE00\"");
  }

  @Test
  void rejectsLoneSurrogates() {
    assertThatThrownBy(() -> Jcs.string(TextNode.valueOf("a\uD800b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("string has a lone surrogate U+D800 at index 1, which has no UTF-8 form; pass well-formed"
            + " Unicode text");
    assertThatThrownBy(() -> Jcs.string(JsonNodeFactory.instance.objectNode().put("\uDE00", 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonPlainNodes() {
    assertThatThrownBy(() -> Jcs.string(JsonNodeFactory.instance.binaryNode(new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot canonicalize JSON node of type BINARY; only plain JSON values are allowed");
  }
}
