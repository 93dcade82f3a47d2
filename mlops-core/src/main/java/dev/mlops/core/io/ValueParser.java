package dev.mlops.core.io;

import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigDecimal;

/**
 * Parses CSV field text straight from the parser's char buffer, without creating strings on the
 * common paths. Each method returns whether the text is valid and leaves the value in
 * {@link #longValue} or {@link #doubleValue}. Not thread-safe: one instance per reader.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>int64: optional sign and decimal digits, within the 64-bit range;
 *   <li>float64: optional sign, digits with an optional fraction and exponent ({@code 1}, {@code -0.0},
 *       {@code .5}, {@code 1.5E-7}), and, case-insensitively, {@code NaN}, {@code Inf}, {@code Infinity}
 *       with an optional sign;
 *   <li>boolean: {@code true} or {@code false}, case-insensitive;
 *   <li>timestamp: {@code yyyy-MM-dd}, optionally followed by {@code T} (or a space) and
 *       {@code HH:mm[:ss[.fraction]]}, optionally followed by {@code Z} or an offset {@code +HH:mm},
 *       {@code +HHmm}, {@code +HH}. Without a zone the time is taken as UTC; a date alone is midnight
 *       UTC. Fractions beyond microseconds are truncated. Years beyond 9999 or before 0 need a sign and
 *       at least four digits, as {@link java.time.Instant#toString()} writes them.
 * </ul>
 * Surrounding whitespace is not accepted anywhere. An integer beyond int64 fails with
 * {@link #failure} {@link #OVERFLOW}. A decimal is parsed as the JDK parses it, so a non-zero one whose
 * magnitude rounds to infinity or to zero ({@code 1e400}, {@code 1e-400}) gives that value, and
 * {@link #range} says so: the CSV columns refuse such values rather than read {@code Infinity} or
 * {@code 0.0} for a number that is neither. {@code 0e400} is zero and subnormals are in range.
 */
final class ValueParser {
  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22
  };
  private static final long TWO_53 = 1L << 53;
  private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /** Result of the last successful {@link #parseLong} or {@link #parseTimestamp} (epoch micros). */
  long longValue;
  /** Result of the last successful {@link #parseDouble}. */
  double doubleValue;
  /** Result of the last successful {@link #parseFloat}. */
  float floatValue;
  /** Result of the last successful {@link #parseBoolean}. */
  boolean booleanValue;
  /**
   * Whether the last successful {@link #parseTimestamp} dropped non-zero digits beyond microseconds.
   */
  boolean truncatedFraction;

  /** {@link #failure}: the text is not a value of the type at all. {@link #range}: in range. */
  static final int SYNTAX = 0;
  /** {@link #failure}: a well-formed number too large in magnitude for the type. */
  static final int OVERFLOW = 1;
  /** {@link #failure}: a well-formed non-zero number too small in magnitude, which would read as zero. */
  static final int UNDERFLOW = 2;
  /**
   * {@link #failure}, set by the CSV reader: a value of the type, but one a column whose type
   * was inferred would hold only approximately (see {@link #holdsExactly}), which inference refuses.
   */
  static final int INEXACT = 3;

  /**
   * Why the last failed {@link #parseLong} or {@link #parseDouble} failed: {@link #SYNTAX},
   * {@link #OVERFLOW} or {@link #UNDERFLOW}; {@link #parseFloat} sets it for float32 ranges, and the CSV
   * reader sets {@link #INEXACT}.
   */
  int failure;
  /**
   * After a successful {@link #parseDouble}: {@link #SYNTAX} (0) when the value is the literal's, else
   * {@link #OVERFLOW} or {@link #UNDERFLOW} when a finite non-zero literal became infinite or zero.
   */
  int range;

  boolean parseLong(char[] b, int off, int len) {
    failure = SYNTAX;
    if (len == 0) {
      return false;
    }
    int i = off;
    int end = off + len;
    boolean neg = false;
    char c = b[i];
    if (c == '-' || c == '+') {
      neg = c == '-';
      if (++i == end) {
        return false;
      }
    }
    // Accumulate negatively, as Long.parseLong does, so Long.MIN_VALUE fits.
    long limit = neg ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multmin = limit / 10;
    long acc = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (acc < multmin || acc * 10 < limit + d) {
        return overflowsLong(b, i, end);
      }
      acc = acc * 10 - d;
    }
    longValue = neg ? acc : -acc;
    return true;
  }

  /** Rest of an integer that no longer fits: an overflow if it is all digits, else not a number. */
  private boolean overflowsLong(char[] b, int i, int end) {
    for (; i < end; i++) {
      if (!isDigit(b[i])) {
        return false;
      }
    }
    failure = OVERFLOW;
    return false;
  }

  /**
   * Parses a float64 value of a column: the literal must not overflow or underflow, and when
   * {@code exact} (the column's type was inferred from a sample) an integer literal must be held
   * exactly, as inference required ({@link #INEXACT} otherwise).
   */
  boolean parseFloat64(char[] b, int off, int len, boolean exact) {
    if (!parseDouble(b, off, len)) {
      return false;
    }
    if (range != SYNTAX) {
      failure = range;
      return false;
    }
    if (exact && !holdsExactly(b, off, len)) {
      failure = INEXACT;
      return false;
    }
    return true;
  }

  /**
   * Parses a timestamp value of a column: when {@code exact} (the column's type was inferred from a
   * sample), digits beyond microseconds must be zero, as inference required ({@link #INEXACT}
   * otherwise).
   */
  boolean parseTimestamp(char[] b, int off, int len, boolean exact) {
    if (!parseTimestamp(b, off, len)) {
      return false;
    }
    if (exact && truncatedFraction) {
      failure = INEXACT;
      return false;
    }
    return true;
  }

  /**
   * Parses a float32: the float64 grammar, then one rounding from the text (not via double). A finite
   * non-zero literal that would read as infinite or zero fails with {@link #OVERFLOW} or
   * {@link #UNDERFLOW}.
   */
  boolean parseFloat(char[] b, int off, int len) {
    if (!parseDouble(b, off, len)) {
      return false;
    }
    if (range != SYNTAX) {
      failure = range;
      return false;
    }
    double d = doubleValue;
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      floatValue = (float) d;
      return true;
    }
    float f = NumberInput.parseFloat(b, off, len, true);
    if (Float.isInfinite(f) || (f == 0 && d != 0)) {
      failure = Float.isInfinite(f) ? OVERFLOW : UNDERFLOW;
      return false;
    }
    floatValue = f;
    return true;
  }

  boolean parseDouble(char[] b, int off, int len) {
    failure = SYNTAX;
    range = SYNTAX;
    if (len == 0) {
      return false;
    }
    int i = off;
    int end = off + len;
    boolean neg = false;
    char c = b[i];
    if (c == '-' || c == '+') {
      neg = c == '-';
      if (++i == end) {
        return false;
      }
      c = b[i];
    }
    if (c == 'n' || c == 'N' || c == 'i' || c == 'I') {
      return special(b, i, end, neg);
    }
    long mant = 0;
    int digits = 0;
    long exp10 = 0;
    boolean any = false;
    boolean inexact = false;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      any = true;
      if (mant == 0 && d == 0) {
        continue;
      }
      if (digits < 18) {
        mant = mant * 10 + d;
        digits++;
      } else {
        exp10++;
        inexact |= d != 0;
      }
    }
    if (i < end && b[i] == '.') {
      for (i++; i < end; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        any = true;
        if (mant == 0 && d == 0) {
          exp10--;
        } else if (digits < 18) {
          mant = mant * 10 + d;
          digits++;
          exp10--;
        } else {
          inexact |= d != 0;
        }
      }
    }
    if (!any) {
      return false;
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      if (++i == end) {
        return false;
      }
      boolean eneg = false;
      if (b[i] == '-' || b[i] == '+') {
        eneg = b[i] == '-';
        if (++i == end) {
          return false;
        }
      }
      long e = 0;
      for (; i < end; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          return false;
        }
        if (e < 1_000_000) {
          e = e * 10 + d;
        }
      }
      exp10 += eneg ? -e : e;
    }
    if (i != end) {
      return false;
    }
    if (mant == 0) {
      doubleValue = neg ? -0.0 : 0.0;
      return true;
    }
    if (!inexact && mant < TWO_53 && exp10 >= -22 && exp10 <= 22) {
      double v = mant;
      v = exp10 >= 0 ? v * POW10[(int) exp10] : v / POW10[(int) -exp10];
      doubleValue = neg ? -v : v;
      return true;
    }
    // Syntax checked above. Long mantissas (full-precision doubles have 17 digits) need correct
    // rounding: Jackson's bundled FastDoubleParser does that from the char buffer, several times
    // faster than Double.parseDouble and without creating a String.
    double v = NumberInput.parseDouble(b, off, len, true);
    if (Double.isInfinite(v)) {
      range = OVERFLOW;
    } else if (v == 0) {
      range = UNDERFLOW; // the mantissa is not zero, so the literal is not
    }
    doubleValue = v;
    return true;
  }

  /**
   * Whether the double from the last successful {@link #parseDouble} of this text equals the text
   * whenever the text is a plain integer (digits with an optional sign): below 2^53 every integer
   * is a float64 exactly; above, {@code 9007199254740993} would read as {@code ...992}. Decimal
   * fractions and exponent forms are read as the nearest float64, as in any float64 column, so they
   * always pass.
   *
   * @param b the chars just parsed
   * @param off first char
   * @param len number of chars
   * @return false when the text is an integer the double does not hold exactly
   */
  boolean holdsExactly(char[] b, int off, int len) {
    double v = Math.abs(doubleValue);
    if (v < TWO_53 || Double.isNaN(v) || Double.isInfinite(v)) {
      return true;
    }
    int end = off + len;
    int i = off;
    if (b[i] == '-' || b[i] == '+') {
      i++;
    }
    for (int k = i; k < end; k++) {
      if (!isDigit(b[k])) {
        return true; // a fraction or an exponent: rounding is what a float64 column means
      }
    }
    while (i < end - 1 && b[i] == '0') {
      i++;
    }
    // at most 309 digits remain: anything longer overflowed in parseDouble
    return new BigDecimal(v).compareTo(new BigDecimal(b, i, end - i)) == 0;
  }

  private boolean special(char[] b, int i, int end, boolean neg) {
    int n = end - i;
    if (n == 3 && eq(b, i, "nan")) {
      doubleValue = Double.NaN;
      return true;
    }
    if ((n == 3 && eq(b, i, "inf")) || (n == 8 && eq(b, i, "infinity"))) {
      doubleValue = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return true;
    }
    return false;
  }

  private static boolean eq(char[] b, int off, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      if (Character.toLowerCase(b[off + k]) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  boolean parseBoolean(char[] b, int off, int len) {
    failure = SYNTAX;
    if (len == 4 && eq(b, off, "true")) {
      booleanValue = true;
      return true;
    }
    if (len == 5 && eq(b, off, "false")) {
      booleanValue = false;
      return true;
    }
    return false;
  }

  boolean parseTimestamp(char[] b, int off, int len) {
    failure = SYNTAX;
    truncatedFraction = false;
    int end = off + len;
    int i = off;
    if (len < 10) {
      return false;
    }
    boolean signed = b[i] == '+' || b[i] == '-';
    boolean negYear = b[i] == '-';
    if (signed) {
      i++;
    }
    int yStart = i;
    long year = 0;
    while (i < end && isDigit(b[i]) && i - yStart < 10) {
      year = year * 10 + (b[i++] - '0');
    }
    int yDigits = i - yStart;
    if (yDigits < 4 || (!signed && yDigits != 4) || i >= end || b[i] != '-') {
      return false;
    }
    year = negYear ? -year : year;
    i++;
    if (end - i < 5 || b[i + 2] != '-') {
      return false;
    }
    int month = two(b, i);
    int day = two(b, i + 3);
    i += 5;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return false;
    }
    int hour = 0;
    int minute = 0;
    int second = 0;
    long fracMicros = 0;
    long offsetSeconds = 0;
    if (i < end) {
      char sep = b[i];
      if (sep != 'T' && sep != 't' && sep != ' ') {
        return false;
      }
      i++;
      if (end - i < 5 || b[i + 2] != ':') {
        return false;
      }
      hour = two(b, i);
      minute = two(b, i + 3);
      i += 5;
      if (i < end && b[i] == ':') {
        if (end - i < 3) {
          return false;
        }
        second = two(b, i + 1);
        i += 3;
        if (i < end && b[i] == '.') {
          i++;
          int fStart = i;
          long frac = 0;
          while (i < end && isDigit(b[i])) {
            if (i - fStart < 6) {
              frac = frac * 10 + (b[i] - '0');
            } else if (b[i] != '0') {
              truncatedFraction = true;
            }
            i++;
          }
          int fDigits = i - fStart;
          if (fDigits == 0 || fDigits > 9) {
            return false;
          }
          for (int k = fDigits; k < 6; k++) {
            frac *= 10;
          }
          fracMicros = frac;
        }
      }
      if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
        return false;
      }
      if (i < end) {
        char z = b[i];
        if ((z == 'Z' || z == 'z') && i + 1 == end) {
          i++;
        } else if (z == '+' || z == '-') {
          int rest = end - i - 1;
          int oh;
          int om = 0;
          if (rest == 2) {
            oh = two(b, i + 1);
          } else if (rest == 4) {
            oh = two(b, i + 1);
            om = two(b, i + 3);
          } else if (rest == 5 && b[i + 3] == ':') {
            oh = two(b, i + 1);
            om = two(b, i + 4);
          } else {
            return false;
          }
          if (oh < 0 || oh > 18 || om < 0 || om > 59) {
            return false;
          }
          offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
          i = end;
        } else {
          return false;
        }
      }
    }
    if (i != end) {
      return false;
    }
    long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    if (seconds < 0 && fracMicros > 0) {
      // keep the intermediate product in range near Long.MIN_VALUE micros
      seconds++;
      fracMicros -= 1_000_000L;
    }
    try {
      longValue = Math.addExact(Math.multiplyExact(seconds, 1_000_000L), fracMicros);
    } catch (ArithmeticException e) {
      return false;
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Two decimal digits, or -1 when either is not a digit. */
  private static int two(char[] b, int i) {
    char a = b[i];
    char c = b[i + 1];
    if (!isDigit(a) || !isDigit(c)) {
      return -1;
    }
    return (a - '0') * 10 + (c - '0');
  }

  private static int daysInMonth(long year, int month) {
    if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) {
      return 29;
    }
    return DAYS_IN_MONTH[month - 1];
  }

  /** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
  private static long epochDay(long y, int m, int d) {
    long yy = m <= 2 ? y - 1 : y;
    long era = Math.floorDiv(yy, 400);
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
