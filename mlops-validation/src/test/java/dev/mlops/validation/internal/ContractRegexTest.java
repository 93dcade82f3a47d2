package dev.mlops.validation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.impl.Constraint.between;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * The work a contract pattern can cost is bounded before it is compiled: RE2/J matches in at most
 * (program size) steps per character, and the program size is bounded from above by the estimate
 * that {@link ContractRegex#MAX_PROGRAM_SIZE} is checked against.
 */
class ContractRegexTest {
  static final List<String> PATTERNS = List.of("[a-z]+", "[A-Z]{2}[0-9]{3}", "^(\\w+\\s?){1,40}$", "\\p{L}+", ".?",
      "[^1]+", "a.*", "(a{2,5}){3}", "(?i)k+", "\\p{Greek}{1,100}", "((((a{10}){10}){10}){10})", "(?P<x>a|b|c){0,50}",
      "\\Qa.b*\\E+", "[[:alpha:]]{3,}", "(?:ab|cd)*?e", "x{1000}", "\\x{263A}+", "(a|)+", "()", "(?s:.)");

  @Test
  void theBoundIsAtLeastTheCompiledProgramSize() {
    for (String p : PATTERNS) {
      assertThat(ContractRegex.programSizeBound(p)).as(p)
          .isGreaterThanOrEqualTo(ContractRegex.compile("c", p).programSize());
    }
  }

  /** The pattern of issue 8, H4: its program is small, so a value costs at most a few hundred steps per character. */
  @Test
  void theRedosPatternCompilesToASmallProgram() {
    String redos = "^(\\w+\\s?){1,40}$";
    assertThat(ContractRegex.compile("s", redos).programSize()).isLessThanOrEqualTo(
        (int) ContractRegex.programSizeBound(redos));
    assertThat(ContractRegex.programSizeBound(redos)).isLessThan(500);
  }

  /** Random patterns of atoms, classes, groups, alternations and every quantifier. */
  @Test
  void theBoundHoldsForRandomPatterns() {
    qt().withFixedSeed(20240605L).withExamples(1000).forAll(patterns(3)).checkAssert(p ->
        assertThat(ContractRegex.programSizeBound(p)).as(p)
            .isGreaterThanOrEqualTo(ContractRegex.compile("c", p).programSize()));
  }

  @Test
  void aPatternOverTheLimitIsRefusedBeforeRe2jCompilesIt() {
    assertThatThrownBy(() -> ContractRegex.compile("c", "(((a{1000}){1000}){1000})"))
        .isInstanceOf(ConstraintArgumentException.class)
        .hasMessageStartingWith("regex on column 'c': pattern '(((a{1000}){1000}){1000})' expands to about"
            + " 3004004004 instructions, over the limit of 100000");
    assertThatThrownBy(() -> ContractRegex.compile("c", "((((((a{1000}){1000}){1000}){1000}){1000}){1000})"))
        .hasMessageContaining("expands to more than 2^40 instructions");
    assertThat(ContractRegex.programSizeBound("a{100}{100}")).isLessThanOrEqualTo(ContractRegex.MAX_PROGRAM_SIZE);
  }

  @Test
  void aLongPatternIsShownCutInMessages() {
    String p = "(".repeat(300);
    assertThatThrownBy(() -> ContractRegex.compile("c", p))
        .hasMessageStartingWith("regex on column 'c': pattern '" + "(".repeat(200) + "... (300 chars)' does not"
            + " compile: missing closing )");
  }

  /**
   * RE2/J 1.8 loops forever compiling {@code (?i)\u1C80} (its issue 168): the pattern is refused
   * instead, wherever the code point appears; the same letters without (?i), and (?i) elsewhere, compile.
   */
  @ParameterizedTest
  @ValueSource(strings = {"(?i)\u1C80", "(?i)\\x{1C80}", "(?i)\\x{1c88}+", "(?i:[\\x{1C00}-\\x{1CFF}])",
      "(?mi)[a\u1C84]", "(?i)[\u10D0-\u1C82]", "x(?i)\\Qa\u1C81\\E", "(?si)[^\\x{1C85}]",
      "(?i)[^]!-\uFFFD]", "(?i)[]-\u1C80]"})
  void caseFoldingTheLettersRe2jLoopsOnIsRefused(String regex) {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        assertThatThrownBy(() -> ContractRegex.compile("name", regex))
            .isInstanceOf(ConstraintArgumentException.class)
            .hasMessageContaining("regex on column 'name': pattern '")
            .hasMessageContaining("folds case ((?i)) on one of U+1C80 to U+1C88 (Cyrillic Extended-C, such as"
                + " \\u1C80), on which RE2/J loops forever compiling the pattern (RE2/J issue 168); drop (?i) and"
                + " list the cases of those letters, e.g. [\\x{412}\\x{432}\\x{1C80}] for the rounded ve"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u1C80", "[\\x{412}\\x{432}\\x{1C80}]", "(?i)[a-z]", "(?i)\u0432", "(?m)\u1C80",
      "(?i)[\\x00-\\x{10FFFF}]", "(?i)[\\x{1C89}-\\x{1CFF}]", "(?i)\\p{Cyrillic}"})
  void theSameLettersWithoutFoldingAndFoldingElsewhereCompile(String regex) {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ContractRegex.compile("name", regex));
  }

  /**
   * The refused span is exactly the code points whose fold orbit does not close in RE2/J on the JVM the
   * tests run on; on another JDK this test names the code points to add.
   */
  @Test
  void theRefusedSpanIsWhereRe2jsFoldOrbitsDoNotClose() throws Exception {
    Method simpleFold = Class.forName("com.google.re2j.Unicode").getDeclaredMethod("simpleFold", int.class);
    simpleFold.setAccessible(true);
    List<String> open = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int r = cp;
      boolean closed = false;
      for (int step = 0; step < 8 && !closed; step++) {
        r = (int) simpleFold.invoke(null, r);
        closed = r == cp;
      }
      if (!closed) {
        open.add(Integer.toHexString(cp));
      }
    }
    List<String> refused = new ArrayList<>();
    for (int cp = ContractRegex.UNFOLDABLE_FIRST; cp <= ContractRegex.UNFOLDABLE_LAST; cp++) {
      refused.add(Integer.toHexString(cp));
    }
    assertThat(open).as("code points whose RE2/J fold orbit does not close on Java %s",
        System.getProperty("java.version")).isEqualTo(refused);
  }

  static Gen<String> patterns(int depth) {
    return in -> pattern(in, depth);
  }

  private static final String[] ATOMS = {"a", "b", ".", "\\d", "\\w", "\\s", "[a-z]", "[^x]", "\\p{L}", "[[:digit:]]",
      "\\x41", "k", "\\b", "^", "$"};
  private static final String[] QUANTIFIERS = {"", "", "*", "+", "?", "*?", "{2}", "{0,3}", "{3,}", "{1,7}", "{5}"};

  private static String pattern(RandomnessSource in, int depth) {
    StringBuilder sb = new StringBuilder();
    int parts = (int) in.next(between(1, 4));
    for (int i = 0; i < parts; i++) {
      int kind = (int) in.next(between(0, depth > 0 ? 3 : 1));
      String atom = switch (kind) {
        case 0, 1 -> ATOMS[(int) in.next(between(0, ATOMS.length - 1))];
        case 2 -> "(" + pattern(in, depth - 1) + ")";
        default -> "(?:" + pattern(in, depth - 1) + "|" + pattern(in, depth - 1) + ")";
      };
      boolean assertion = atom.equals("\\b") || atom.equals("^") || atom.equals("$");
      sb.append(atom).append(assertion ? "" : QUANTIFIERS[(int) in.next(between(0, QUANTIFIERS.length - 1))]);
    }
    return sb.toString();
  }
}
