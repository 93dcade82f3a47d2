package dev.mlops.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Canonicalization Scheme of <a href="https://www.rfc-editor.org/rfc/rfc8785">RFC 8785</a>
 * (JCS): UTF-8, no whitespace, object members sorted by the UTF-16 code units of their names,
 * strings escaped as ECMAScript's {@code JSON.stringify} does, numbers in ECMAScript's
 * Number-to-String form. Any JCS implementation (the RFC's reference code, Python's {@code rfc8785}
 * package, ...) gives the same bytes for the same document.
 *
 * <p>Numbers. A number is an IEEE-754 double: a floating node's double is written as the shortest
 * decimal that reads back to it (derived here with {@link BigDecimal} arithmetic, because Java 17's
 * {@link Double#toString(double)} is not always shortest), laid out by the ECMAScript rules
 * ({@code 1e+21}, {@code 0.000001}, {@code 1e-7}, {@code -0} as {@code 0}). NaN and infinities are
 * rejected, as the RFC requires.
 *
 * <p>Integers beyond 2<sup>53</sup>. RFC 8785 reads every number as a double, so an integer beyond the
 * I-JSON range &plusmn;(2<sup>53</sup>&minus;1) (RFC 7493 section 2.2) would be rounded silently:
 * {@code 9007199254740993} canonicalizes as {@code 9007199254740992}, and two different integers
 * would share one digest. Here an integer node beyond that range is accepted only when its digits are
 * already the canonical form of its double ({@code 9007199254740992}, {@code 100000000000000000000}),
 * so canonicalization changes no digit and canonical output canonicalizes to itself; any other is
 * rejected with the advice to store it as a JSON string, as the RFC recommends. Arbitrary-precision
 * decimal nodes are read as doubles, as the RFC does.
 *
 * <p>Strings are written with their UTF-16 text unchanged except {@code "}, {@code \}, and the
 * control characters below U+0020: {@code \b \t \n \f \r} in short form, the others as
 * {@code \\u00xx} in lower-case hex. Lone surrogates are rejected (they have no UTF-8 form).
 */
public final class Jcs {
  /** The largest integer magnitude I-JSON promises to carry exactly: 2^53 - 1. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final CanonicalTreeWriter WRITER = new CanonicalTreeWriter() {
    @Override
    void number(JsonNode node, StringBuilder sb) {
      sb.append(numberNode(node));
    }

    @Override
    void string(String s, StringBuilder sb) {
      Jcs.string(s, sb);
    }
  };

  private Jcs() {}

  /**
   * Whether a long lies in the I-JSON range that canonical JSON carries exactly.
   *
   * @param value the value
   * @return whether its magnitude is at most {@value #MAX_SAFE_INTEGER}
   */
  public static boolean isSafeInteger(long value) {
    return value >= -MAX_SAFE_INTEGER && value <= MAX_SAFE_INTEGER;
  }

  /**
   * The canonical UTF-8 bytes of a tree.
   *
   * @param node the tree
   * @return the bytes
   * @throws IllegalArgumentException for a non-finite number, an integer beyond
   *     &plusmn;{@value #MAX_SAFE_INTEGER} not in canonical double form, a lone surrogate, or a node
   *     that is not plain JSON
   */
  public static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The canonical text of a tree (its UTF-8 encoding is {@link #bytes}).
   *
   * @param node the tree
   * @return the text
   * @throws IllegalArgumentException as {@link #bytes} does
   */
  public static String string(JsonNode node) {
    return WRITER.write(node);
  }

  private static String numberNode(JsonNode node) {
    if (node.isIntegralNumber()) {
      BigInteger v = node.bigIntegerValue();
      if (v.abs().compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) <= 0) {
        return v.toString();
      }
      double d = v.doubleValue();
      String canonical = Double.isFinite(d) ? number(d) : null;
      if (!v.toString().equals(canonical)) {
        throw new IllegalArgumentException("integer " + v + " is beyond +/-" + MAX_SAFE_INTEGER
            + ", the range JSON numbers carry exactly (I-JSON, RFC 7493), and canonicalization would change it"
            + (canonical == null ? " to infinity" : " to " + canonical) + "; store it as a string");
      }
      return canonical;
    }
    return number(node.doubleValue());
  }

  /**
   * A double in ECMAScript Number-to-String form (ECMA-262, Number::toString), as RFC 8785 section
   * 3.2.2.3 prescribes: the shortest digits that read back to the same double (the one closest to
   * the exact value when two are equally short, the even one on a tie), in plain notation for
   * decimal exponents from -6 to 20 and in {@code d.ddde+n} notation otherwise.
   *
   * @param v the value
   * @return its canonical text
   * @throws IllegalArgumentException for NaN and infinities, which JSON cannot carry
   */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("JSON has no representation for " + v
          + "; store non-finite numbers as strings");
    }
    if (v == 0) {
      return "0"; // and -0
    }
    if (v < 0) {
      return "-" + number(-v);
    }
    BigDecimal shortest = shortest(v);
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // v = digits * 10^(n - k)
    StringBuilder sb = new StringBuilder(k + 8);
    if (k <= n && n <= 21) {
      sb.append(digits);
      sb.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      int e = n - 1;
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }

  /**
   * The shortest decimal, trailing zeros stripped, that reads back to a positive finite double.
   * At each precision both neighbours of the exact value are tried, because the rounding interval
   * of a power of two is lopsided and the nearer neighbour may miss it while the farther one hits.
   */
  private static BigDecimal shortest(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == v;
      boolean upOk = up.doubleValue() == v;
      if (downOk && upOk && down.compareTo(up) != 0) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp == 0) {
          return (down.unscaledValue().testBit(0) ? up : down).stripTrailingZeros();
        }
        return (cmp < 0 ? down : up).stripTrailingZeros();
      }
      if (downOk) {
        return down.stripTrailingZeros();
      }
      if (upOk) {
        return up.stripTrailingZeros();
      }
    }
    // 17 significant digits always identify a double; not reached.
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (CanonicalTreeWriter.appendEscape(c, sb)) {
        continue;
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException("string has a lone surrogate U+"
              + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
              + ", which has no UTF-8 form; pass well-formed Unicode text");
        }
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
