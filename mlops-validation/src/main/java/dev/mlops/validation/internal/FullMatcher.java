package dev.mlops.validation.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Full matches of one compiled pattern, thread-safe: through a {@link FullMatchAutomaton}, which
 * allocates nothing, where one can be built for the pattern, and otherwise through one RE2/J matcher
 * per thread, which allocates RE2/J's per-call input wrappers and result array (64 bytes on JDK 17).
 * Both give RE2/J's {@code matcher(s).matches()}, but for the one RE2/J defect that
 * {@link FullMatchAutomaton} describes and does not copy.
 */
final class FullMatcher {
  private final Pattern pattern;
  private final @Nullable FullMatchAutomaton automaton;
  private final @Nullable ThreadLocal<Matcher> matchers;

  private FullMatcher(Pattern pattern) {
    this.pattern = pattern;
    this.automaton = FullMatchAutomaton.of(pattern.pattern());
    this.matchers = automaton == null ? ThreadLocal.withInitial(() -> pattern.matcher("")) : null;
  }

  /**
   * The full matcher of a compiled pattern.
   *
   * @param pattern a pattern RE2/J compiled with no flags
   * @return its matcher
   */
  static FullMatcher of(Pattern pattern) {
    if (pattern.flags() != 0) {
      throw new IllegalArgumentException("pattern " + pattern + " has flags " + pattern.flags()
          + "; contract patterns carry their flags inline, e.g. (?i)");
    }
    return new FullMatcher(pattern);
  }

  /**
   * Whether the whole value matches.
   *
   * @param s the value
   * @return true on a full match
   */
  boolean matches(CharSequence s) {
    FullMatchAutomaton a = automaton;
    if (a != null) {
      return a.matches(s);
    }
    return matchers.get().reset(s).matches();
  }

  /** Whether matching goes through the automaton, so allocates nothing. */
  boolean allocationFree() {
    return automaton != null;
  }

  @Override
  public String toString() {
    return pattern.pattern() + (automaton != null ? " (automaton, " + automaton.states() + " states)" : " (RE2/J)");
  }
}
