package dev.mlops.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The library's first canonical JSON, frozen: the rule that manifest format version 1 digests and
 * signatures cover (new manifests use RFC 8785, {@link Jcs}), and the number form of monitoring's
 * category keys. Changing its output breaks every stored v1 digest and signature.
 *
 * <p>UTF-8, no insignificant whitespace, object keys sorted by UTF-16 code unit
 * ({@link String#compareTo}), strings escaped minimally (only {@code "}, {@code \}, and control
 * characters, as {@code \\uXXXX} except the short forms {@code \b \f \n \r \t}), and numbers in
 * one fixed form.
 *
 * <p>Number form: integers (any JSON integer, and floating values that are mathematically integral
 * with magnitude below 2^53) are written as plain digits; other finite doubles as the shortest decimal
 * that reads back to the same double, in {@link BigDecimal#toString()} notation of the stripped value.
 * The rule does not depend on {@link Double#toString(double)}, whose output changed in Java 19, so the
 * same manifest has the same digest on every JVM. Non-finite numbers are rejected: JSON has none.
 */
public final class CanonicalJson {
  private static final double TWO_53 = 9007199254740992d;

  private static final CanonicalTreeWriter WRITER = new CanonicalTreeWriter() {
    @Override
    void number(JsonNode node, StringBuilder sb) {
      sb.append(CanonicalJson.number(node));
    }

    @Override
    void string(String s, StringBuilder sb) {
      writeString(s, sb);
    }
  };

  private CanonicalJson() {}

  /**
   * Canonical UTF-8 bytes of a tree.
   *
   * @param node the tree
   * @return the canonical bytes
   */
  public static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Canonical text of a tree.
   *
   * @param node the tree
   * @return the canonical text
   */
  public static String string(JsonNode node) {
    return WRITER.write(node);
  }

  /**
   * The canonical text of a number node.
   *
   * @param node a numeric node
   * @return its canonical form
   */
  static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    if (node.isBigDecimal()) {
      BigDecimal d = node.decimalValue().stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigIntegerExact().toString() : d.toString();
    }
    return formatDouble(node.doubleValue());
  }

  /**
   * The canonical text of a double: plain digits when integral and below 2^53 in magnitude, else the
   * shortest round-tripping decimal.
   *
   * @param v a finite double
   * @return its canonical form
   * @throws IllegalArgumentException for NaN and infinities, which JSON cannot represent
   */
  public static String formatDouble(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("JSON has no representation for " + v
          + "; store non-finite numbers as strings");
    }
    if (v == Math.rint(v) && Math.abs(v) < TWO_53) {
      return Long.toString((long) v);
    }
    BigDecimal exact = new BigDecimal(v);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == v) {
        return render(rounded.stripTrailingZeros());
      }
    }
    return render(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros());
  }

  private static String render(BigDecimal d) {
    if (d.scale() <= 0 && d.precision() - d.scale() <= 21) {
      return new BigInteger(d.toPlainString()).toString();
    }
    return d.toString();
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!CanonicalTreeWriter.appendEscape(c, sb)) {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
