package dev.mlops.validation.internal;

import dev.mlops.core.internal.Printable;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Compiles the patterns of {@code regex} constraints with RE2/J, whose matching time is linear in
 * the input (at most the program size per character), so no value can make a row check
 * super-linear. A pattern is refused, naming its column, when it uses a construct RE2/J lacks
 * (backreferences, lookaround, atomic groups, possessive quantifiers, java.util.regex-only classes
 * and flags), a construct RE2/J accepts but reads differently from java.util.regex (nested classes,
 * class intersections, {@code \v}, {@code {,n}}), or when its compiled program would exceed
 * {@link #MAX_PROGRAM_SIZE} instructions: RE2/J has no size limit of its own and runs out of memory
 * compiling {@code ((a{1000}){1000}){1000}}; or when it folds case on one of the letters RE2/J loops
 * forever on ({@link #foldsUnfoldable}). Checks match through {@link FullMatcher}, which uses an
 * allocation-free automaton where the pattern allows one.
 */
public final class ContractRegex {
  /**
   * The most instructions a contract pattern may compile to, estimated from the pattern text from
   * above (every counted repetition copies its operand). The largest pattern therefore costs at most
   * this many steps per character of a value.
   */
  public static final int MAX_PROGRAM_SIZE = 100_000;

  /**
   * The code points whose case-fold orbit never closes in RE2/J 1.8 on JDK 17: its own orbit table and
   * the JDK's newer case mappings disagree, so case folding one of them loops forever.
   */
  static final int UNFOLDABLE_FIRST = 0x1C80;
  static final int UNFOLDABLE_LAST = 0x1C88;
  /** RE2/J folds a class range that covers this whole span without visiting its code points. */
  private static final int MIN_FOLD = 0x41;
  private static final int MAX_FOLD = 0x1E943;

  private static final long CAP = 1L << 40;
  private static final int MAX_SHOWN = 200;
  private static final String UNSUPPORTED = ", which RE2/J, the linear-time engine contract regexes run on, does not"
      + " support (no backreferences, lookaround, atomic groups or possessive quantifiers); rewrite the pattern"
      + " without it, see docs/validation.md";

  private ContractRegex() {}

  /**
   * Compiles a contract pattern.
   *
   * @param column the column the pattern checks, for messages
   * @param regex the pattern
   * @return the compiled pattern; {@code matcher(s).matches()} is a full match
   * @throws ConstraintArgumentException on property {@code pattern}, naming the column and the
   *     pattern, when the pattern is refused
   */
  public static Pattern compile(String column, String regex) {
    String problem = scan(regex).problem();
    if (problem == null && foldsUnfoldable(regex)) {
      problem = "folds case ((?i)) on one of U+" + Integer.toHexString(UNFOLDABLE_FIRST).toUpperCase(Locale.ROOT)
          + " to U+" + Integer.toHexString(UNFOLDABLE_LAST).toUpperCase(Locale.ROOT) + " (Cyrillic Extended-C,"
          + " such as \\u1C80), on which RE2/J loops forever compiling the pattern (RE2/J issue 168); drop (?i)"
          + " and list the cases of those letters, e.g. [\\x{412}\\x{432}\\x{1C80}] for the rounded ve";
    }
    if (problem != null) {
      throw new ConstraintArgumentException("pattern", prefix(column, regex) + problem);
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConstraintArgumentException("pattern", prefix(column, regex) + explain(e), e);
    }
  }

  private static String prefix(String column, String regex) {
    String shown = regex.length() <= MAX_SHOWN ? regex : regex.substring(0, MAX_SHOWN) + "... (" + regex.length()
        + " chars)";
    return "regex on column '" + Printable.of(column) + "': pattern '" + Printable.of(shown) + "' ";
  }

  private static String explain(PatternSyntaxException e) {
    String what = e.getDescription();
    String at = e.getPattern();
    if (what.equals("invalid escape sequence") && at.length() >= 2 && at.charAt(1) >= '1' && at.charAt(1) <= '9') {
      return "uses a backreference (" + at + ")" + UNSUPPORTED;
    }
    if (what.equals("invalid or unsupported Perl syntax") && (at.startsWith("(?=") || at.startsWith("(?!"))) {
      return "uses lookaround (" + at.substring(0, 3) + ")" + UNSUPPORTED;
    }
    if (what.equals("invalid named capture") && (at.startsWith("(?<=") || at.startsWith("(?<!"))) {
      return "uses lookaround (" + at.substring(0, 4) + ")" + UNSUPPORTED;
    }
    if (what.equals("invalid or unsupported Perl syntax") && at.startsWith("(?>")) {
      return "uses an atomic group ((?>)" + UNSUPPORTED;
    }
    if (what.equals("invalid nested repetition operator") && at.endsWith("+")) {
      return "uses a possessive quantifier (" + at + ")" + UNSUPPORTED;
    }
    if (what.equals("invalid or unsupported Perl syntax")) {
      return "uses unsupported group or flag syntax (" + at + "); RE2/J knows the flags i, m, s and U and the"
          + " groups (?:...), (?P<name>...) and (?<name>...), see docs/validation.md";
    }
    if (what.equals("invalid character class range") && (at.startsWith("\\p") || at.startsWith("\\P"))) {
      return "uses an unknown character class (" + at + "); RE2/J knows Unicode categories and scripts such as"
          + " \\p{L}, \\p{Lu} and \\p{Greek} and POSIX classes such as [[:alpha:]], not java.util.regex names such"
          + " as \\p{Alpha} or \\p{javaLowerCase}";
    }
    String message = e.getMessage();
    String detail = message.startsWith("error parsing regexp: ") ? message.substring(22) : message;
    return "does not compile: " + Printable.of(detail) + "; fix it (RE2 syntax, see docs/validation.md)";
  }

  /**
   * An upper bound of the number of instructions RE2/J compiles a pattern to.
   *
   * @param regex the pattern
   * @return the bound, at most 2^40
   */
  static long programSizeBound(String regex) {
    return scan(regex).size();
  }

  /**
   * What one pass over a pattern found.
   *
   * @param problem a construct RE2/J reads differently from java.util.regex, or a program over the
   *     limit; null when RE2/J may compile the pattern
   * @param size the upper bound of the program size so far
   */
  private record Scan(@Nullable String problem, long size) {}

  /**
   * One pass over the pattern: the constructs RE2/J reads differently from java.util.regex, and an
   * upper bound of the compiled program size (a literal, class or escape is one instruction, a group
   * adds two and at least one for its content, {@code *}, {@code +}, {@code ?} and {@code |} add up
   * to two, {@code x{n,m}} is {@code max(n, m)} copies of {@code x} with two instructions each to
   * spare, and the program itself adds two).
   */
  private static Scan scan(String re) {
    Deque<long[]> open = new ArrayDeque<>();
    long size = 0;
    long last = 0;
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && re.charAt(i + 1) == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          int stop = end < 0 ? n : end;
          size = add(size, stop - i - 2);
          last = stop > i + 2 ? 1 : 0;
          i = end < 0 ? n : end + 2;
          continue;
        }
        if (i + 1 < n && re.charAt(i + 1) == 'v') {
          return new Scan("uses \\v, a vertical tab to RE2/J but any vertical whitespace to java.util.regex;"
              + " write \\x0B for the tab or [\\n\\x0B\\f\\r] for vertical whitespace", size);
        }
        i = afterEscape(re, i);
        size = add(size, 1);
        last = 1;
      } else if (c == '[') {
        int end = i + 1;
        if (end < n && re.charAt(end) == '^') {
          end++;
        }
        if (end < n && re.charAt(end) == ']') {
          end++;
        }
        while (end < n && re.charAt(end) != ']') {
          char d = re.charAt(end);
          if (d == '\\') {
            end = afterEscape(re, end);
          } else if (d == '[' && end + 1 < n && re.charAt(end + 1) == ':') {
            int close = re.indexOf(":]", end + 2);
            end = close < 0 ? n : close + 2;
          } else if (d == '[') {
            return new Scan("uses a nested character class ([[), a union to java.util.regex but a literal '['"
                + " to RE2/J; write the union out as one class, e.g. [a-z0-9], or escape the bracket as \\[", size);
          } else if (d == '&' && end + 1 < n && re.charAt(end + 1) == '&') {
            return new Scan("uses a class intersection (&&), which RE2/J reads as the character '&'; write the"
                + " resulting class out, e.g. [a-wyz] for [a-z&&[^x]]", size);
          } else {
            end++;
          }
        }
        i = Math.min(n, end + 1);
        size = add(size, 1);
        last = 1;
      } else if (c == '(') {
        int j = i + 1;
        if (j < n && re.charAt(j) == '?') {
          while (j < n && ":)>".indexOf(re.charAt(j)) < 0) {
            j++;
          }
          if (j < n && re.charAt(j) == ')') {
            // flags only, (?i): no group, nothing to repeat
            i = j + 1;
            last = 0;
            continue;
          }
        } else {
          j = i;
        }
        open.push(new long[] {size});
        size = 0;
        last = 0;
        i = Math.min(n, j + 1);
      } else if (c == ')' && !open.isEmpty()) {
        long group = add(Math.max(size, 1), 2);
        size = add(open.pop()[0], group);
        last = group;
        i++;
      } else if (c == '|') {
        size = add(size, 2);
        last = 0;
        i++;
      } else if (c == '*' || c == '+' || c == '?') {
        size = add(size, 2);
        last = add(last, 2);
        i++;
      } else if (c == '{') {
        int j = i + 1;
        int loStart = j;
        while (j < n && Character.isDigit(re.charAt(j))) {
          j++;
        }
        long lo = count(re, loStart, j);
        boolean comma = j < n && re.charAt(j) == ',';
        int hiStart = comma ? j + 1 : j;
        int k = hiStart;
        while (k < n && Character.isDigit(re.charAt(k))) {
          k++;
        }
        boolean closed = k < n && re.charAt(k) == '}';
        if (closed && comma && j == loStart && k > hiStart) {
          return new Scan("uses {,n}, which RE2/J reads as the literal text, not as up to n repetitions; write"
              + " {0,n}", size);
        }
        if (closed && j > loStart) {
          long times = Math.max(1, k > hiStart ? Math.max(lo, count(re, hiStart, k)) : comma ? lo + 1 : lo);
          long repeated = mul(add(last, 2), times);
          size = add(Math.max(0, size - last), repeated);
          last = repeated;
          i = k + 1;
        } else {
          size = add(size, 1);
          last = 1;
          i++;
        }
      } else {
        size = add(size, 1);
        last = 1;
        i += Character.charCount(re.codePointAt(i));
      }
    }
    while (!open.isEmpty()) {
      size = add(open.pop()[0], size);
    }
    // the program's own FAIL and MATCH instructions
    size = add(size, 2);
    if (size > MAX_PROGRAM_SIZE) {
      return new Scan("expands to " + (size >= CAP ? "more than 2^40" : "about " + size) + " instructions,"
          + " over the limit of " + MAX_PROGRAM_SIZE + ": nested counted repetitions multiply"
          + " ((x{1000}){1000} is a million copies of x); shrink the counts or use * and +", size);
    }
    return new Scan(null, size);
  }

  /**
   * Whether RE2/J would fold the case of a code point in {@code [UNFOLDABLE_FIRST, UNFOLDABLE_LAST]}:
   * the pattern turns {@code i} on somewhere, and names such a code point as a literal, an escape or
   * inside a class range. Errs on the side of yes: it ignores where {@code (?-i)} turns folding off.
   */
  static boolean foldsUnfoldable(String re) {
    if (!turnsOnFolding(re)) {
      return false;
    }
    int n = re.length();
    int i = 0;
    while (i < n) {
      if (re.startsWith("\\Q", i)) {
        int end = re.indexOf("\\E", i + 2);
        int stop = end < 0 ? n : end;
        if (re.substring(i + 2, stop).codePoints().anyMatch(ContractRegex::unfoldable)) {
          return true;
        }
        i = end < 0 ? n : end + 2;
      } else if (re.charAt(i) == '[') {
        // members, and ranges between two of them; after [ or [^ a ] is a member
        i++;
        if (i < n && re.charAt(i) == '^') {
          i++;
        }
        int lo = -1;
        boolean dash = false;
        boolean first = true;
        while (i < n && (re.charAt(i) != ']' || first)) {
          first = false;
          int next = re.charAt(i) == '\\' ? afterEscape(re, i) : i + Character.charCount(re.codePointAt(i));
          int value = valueAt(re, i, next);
          if (value == '-' && re.charAt(i) == '-' && lo >= 0 && !dash) {
            dash = true;
          } else if (dash && value >= 0) {
            if (value >= lo && rangeLoops(lo, value)) {
              return true;
            }
            dash = false;
            lo = -1;
          } else {
            if (value >= 0 && unfoldable(value)) {
              return true;
            }
            lo = value;
            dash = false;
          }
          i = next;
        }
        i++;
      } else {
        int next = re.charAt(i) == '\\' ? afterEscape(re, i) : i + Character.charCount(re.codePointAt(i));
        int value = valueAt(re, i, next);
        if (value >= 0 && unfoldable(value)) {
          return true;
        }
        i = next;
      }
    }
    return false;
  }

  /** Whether a flag group, such as {@code (?i)}, {@code (?si:} or {@code (?m-s)}, sets {@code i}. */
  private static boolean turnsOnFolding(String re) {
    for (int at = re.indexOf("(?"); at >= 0; at = re.indexOf("(?", at + 2)) {
      for (int j = at + 2; j < re.length() && "imsU".indexOf(re.charAt(j)) >= 0; j++) {
        if (re.charAt(j) == 'i') {
          return true;
        }
      }
    }
    return false;
  }

  /** The code point the literal or escape in {@code [from, to)} stands for, or -1 for a class escape. */
  private static int valueAt(String re, int from, int to) {
    if (re.charAt(from) != '\\') {
      return re.codePointAt(from);
    }
    if (from + 1 >= to) {
      return -1;
    }
    char e = re.charAt(from + 1);
    if (e == 'x') {
      String hex = re.substring(from + 2, to);
      if (hex.startsWith("{") && hex.endsWith("}")) {
        hex = hex.substring(1, hex.length() - 1);
      }
      try {
        return hex.isEmpty() || hex.length() > 8 ? -1 : Integer.parseInt(hex, 16);
      } catch (NumberFormatException ex) {
        return -1;
      }
    }
    // \p{..} and the like stand for classes, folded from tables; other escapes are ASCII
    return Character.isLetterOrDigit(e) ? -1 : re.codePointAt(from + 1);
  }

  private static boolean unfoldable(int cp) {
    return cp >= UNFOLDABLE_FIRST && cp <= UNFOLDABLE_LAST;
  }

  private static boolean rangeLoops(int lo, int hi) {
    boolean coversAllFolds = lo <= MIN_FOLD && hi >= MAX_FOLD;
    return !coversAllFolds && lo <= UNFOLDABLE_LAST && hi >= UNFOLDABLE_FIRST;
  }

  /** The index after the escape sequence at {@code i}, such as {@code \p{L}}, {@code \x{263A}}, {@code \pL}. */
  private static int afterEscape(String re, int i) {
    int n = re.length();
    if (i + 1 >= n) {
      return n;
    }
    char e = re.charAt(i + 1);
    if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < n && re.charAt(i + 2) == '{') {
      int close = re.indexOf('}', i + 3);
      return close < 0 ? n : close + 1;
    }
    if (e == 'p' || e == 'P') {
      return Math.min(n, i + 3);
    }
    if (e == 'x') {
      return Math.min(n, i + 4);
    }
    return i + 1 + Character.charCount(re.codePointAt(i + 1));
  }

  private static long count(String re, int from, int to) {
    return to - from > 9 ? CAP : to == from ? 0 : Long.parseLong(re, from, to, 10);
  }

  private static long add(long a, long b) {
    return Math.min(CAP, a + b);
  }

  private static long mul(long a, long b) {
    return a != 0 && b > CAP / a ? CAP : Math.min(CAP, a * b);
  }
}
