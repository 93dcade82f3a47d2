package dev.mlops.validation.fuzz;

import com.google.re2j.Pattern;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.fuzz.BoundedFuzzTest;
import dev.mlops.core.fuzz.Verdicts;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Validator;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@code regex} constraints: the input is a pattern, then values, separated by NUL bytes. The
 * constraint either is refused as a bad argument naming the column, or compiles to a validator that passes
 * each value exactly when RE2/J's {@code matcher(value).matches()} is true, whichever way the library
 * matches (its allocation-free automaton or RE2/J itself). One known exception is allowed: the
 * library may pass a value holding a cased letter above U+1044F that RE2/J drops from a merged
 * alternation.
 */
class ContractRegexFuzzTest {
  private static final Schema S = Schema.of(Field.of("s", DataType.STRING));

  @BoundedFuzzTest
  void matchesAsRe2j(byte[] input) {
    String[] parts = new String(input, StandardCharsets.UTF_8).split("\0", -1);
    String regex = parts[0];
    Constraint regexRule;
    try {
      regexRule = Constraint.regex("s", regex);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("regex on column 's': pattern '")) {
        throw new AssertionError("a refused pattern's message does not name the column and the pattern: "
            + e.getMessage(), e);
      }
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw Verdicts.untyped("Constraint.regex", e);
    }
    Validator v = Verdicts.accepted("Validator.compile of an accepted regex rule", () ->
        Validator.compile(DataContract.of("fuzz", S, regexRule)));
    Pattern pattern = Pattern.compile(regex);
    for (int i = 1; i < parts.length; i++) {
      boolean expected = pattern.matcher(parts[i]).matches();
      boolean passed = v.validate(Row.of(S, parts[i])).passed();
      if (passed && !expected && hasCasePartnerAboveRe2jsFoldTable(parts[i])) {
        // RE2/J loses such a letter from a two-letter class merged into an alternation; the library
        // answers as the pattern reads (FullMatchAutomatonTest, docs/validation.md)
        continue;
      }
      if (passed != expected) {
        throw new AssertionError("regex " + regex + " on value " + parts[i] + ": RE2/J says " + expected
            + ", the validator " + passed);
      }
    }
  }

  private static boolean hasCasePartnerAboveRe2jsFoldTable(String value) {
    return value.codePoints().anyMatch(c -> c > 0x1044F
        && (Character.toLowerCase(c) != c || Character.toUpperCase(c) != c || Character.toTitleCase(c) != c));
  }
}
