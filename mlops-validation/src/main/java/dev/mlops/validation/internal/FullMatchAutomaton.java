package dev.mlops.validation.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic automaton that answers RE2/J's {@code matcher(s).matches()} for a pattern without
 * allocating: one table lookup per character, thread-safe, immutable.
 *
 * <p>A full match asks only whether the whole value is in the pattern's language, so leftmost-first
 * preference, greediness and capture groups do not change the answer, and a DFA built from the
 * pattern gives RE2/J's answer (but for one RE2/J defect, below). RE2/J stays the engine of record:
 * every pattern is compiled by RE2/J first (so syntax errors and the program-size limit are RE2/J's
 * and {@link ContractRegex}'s),
 * and {@link #of} builds an automaton only for the part of RE2 syntax whose meaning is plain ASCII or
 * code-point ranges: literals and escapes ({@code \.}, {@code \n}, {@code \x41}, {@code \x{1F600}},
 * octal {@code \012}, {@code \Q...\E}), {@code .}, classes with ranges and negation, {@code \d \s \w}
 * and their negations, groups (capturing, {@code (?:)}, named), alternation, every quantifier, and the
 * text anchors {@code ^ $ \A \z}. Anything else (flags such as {@code (?i)}, Unicode classes
 * {@code \p{..}}, POSIX classes, word boundaries) returns null, as does a pattern whose automaton would
 * pass {@link #MAX_NFA_STATES}, {@link #MAX_DFA_STATES} or {@link #MAX_CELLS}; the caller then matches
 * with RE2/J. Characters are read as RE2/J reads UTF-16 input ({@link Character#codePointAt}: a
 * surrogate pair is one code point, a lone surrogate is its own code point).
 *
 * <p>One answer differs from RE2/J's, on purpose: RE2/J rewrites a class of two case partners into
 * a case-folded literal and, when an alternation merges it with another branch, folds it again with
 * a table that stops at U+1044F, losing the second partner ({@code [\x{104B0}\x{104D8}]|b} no longer
 * matches U+104D8 on RE2/J). The automaton keeps the class as written.
 */
final class FullMatchAutomaton {
  /** The most NFA states a pattern may expand to (counted repetitions copy their operand). */
  static final int MAX_NFA_STATES = 4_000;
  /** The most DFA states. */
  static final int MAX_DFA_STATES = 4_000;
  /** The most transition-table cells (DFA states times character classes), 512 KiB of ints. */
  static final int MAX_CELLS = 1 << 17;
  /** The most steps the construction may take (NFA states visited, class targets listed). */
  static final long MAX_WORK = 20_000_000L;

  private static final int MAX_RUNE = 0x10FFFF;
  private static final int MAX_DEPTH = 100;
  private static final int DEAD = -1;

  /** Class {@code c} holds code points {@code lowerBounds[c]} to {@code lowerBounds[c + 1] - 1}. */
  private final int[] lowerBounds;
  private final int[] asciiClass;
  private final int classes;
  /**
   * {@code next[state * classes + class]}: the next state times {@code classes} (the offset of its
   * row, so a step is one addition), or {@link #DEAD}. State 0 is the start.
   */
  private final int[] next;
  private final boolean[] accepting;

  private FullMatchAutomaton(int[] lowerBounds, int[] next, boolean[] accepting) {
    this.lowerBounds = lowerBounds;
    this.classes = lowerBounds.length;
    this.next = next;
    this.accepting = accepting;
    this.asciiClass = new int[128];
    for (int cp = 0; cp < 128; cp++) {
      asciiClass[cp] = classOf(cp);
    }
  }

  /**
   * Builds the automaton of a pattern that RE2/J compiles.
   *
   * @param regex a pattern that {@code com.google.re2j.Pattern.compile} accepts
   * @return the automaton, or null when the pattern is outside the supported syntax or over a limit
   */
  static @Nullable FullMatchAutomaton of(String regex) {
    try {
      Node root = new Parser(regex).parse();
      Nfa nfa = new Nfa();
      int start = nfa.build(root, nfa.add(Nfa.MATCH, DEAD, DEAD, null), 0);
      return determinize(nfa, start);
    } catch (Unsupported e) {
      return null;
    }
  }

  /**
   * Whether the whole value is in the pattern's language, as RE2/J's {@code matches()} says.
   *
   * @param s the value
   * @return true on a full match
   */
  boolean matches(CharSequence s) {
    int[] table = next;
    int n = s.length();
    int state = 0;
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      int cls;
      if (c < 128) {
        cls = asciiClass[c];
        i++;
      } else {
        int cp = Character.codePointAt(s, i);
        i += Character.charCount(cp);
        cls = classOf(cp);
      }
      state = table[state + cls];
      if (state < 0) {
        return false;
      }
    }
    return accepting[state / classes];
  }

  /** The number of DFA states, for tests. */
  int states() {
    return accepting.length;
  }

  private int classOf(int cp) {
    return classIndex(lowerBounds, cp);
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing: RE2/J's parser (com.google.re2j.Parser, Perl flags) for the supported subset. The input
  // has compiled under RE2/J, so every error branch here only refuses; none decides a meaning.

  /** Thrown where the pattern leaves the supported subset; {@link #of} then returns null. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super(null, null, false, false);
    }
  }

  private sealed interface Node permits Chars, Concat, Alt, Repeat, Anchor {}

  /** A set of code points as sorted, disjoint, non-adjacent inclusive ranges {@code lo0, hi0, lo1, ...}. */
  private record Chars(int[] ranges) implements Node {}

  private record Concat(List<Node> items) implements Node {}

  private record Alt(List<Node> branches) implements Node {}

  /** {@code max == -1}: no upper bound. */
  private record Repeat(Node sub, int min, int max) implements Node {}

  private enum Anchor implements Node {
    BEGIN_TEXT,
    END_TEXT
  }

  private static final int[] DIGIT = {'0', '9'};
  private static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};
  private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
  private static final int[] ANY_BUT_NEWLINE = {0, '\n' - 1, '\n' + 1, MAX_RUNE};

  private static final class Parser {
    private final String re;
    private final int n;
    private int pos;
    private int depth;

    Parser(String re) {
      this.re = re;
      this.n = re.length();
    }

    Node parse() {
      Node root = alternation();
      if (pos != n) {
        throw Unsupported.INSTANCE;
      }
      return root;
    }

    private Node alternation() {
      List<Node> branches = new ArrayList<>();
      branches.add(concatenation());
      while (pos < n && re.charAt(pos) == '|') {
        pos++;
        branches.add(concatenation());
      }
      return branches.size() == 1 ? branches.get(0) : new Alt(branches);
    }

    private Node concatenation() {
      List<Node> items = new ArrayList<>();
      while (pos < n && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
        if (re.startsWith("\\Q", pos)) {
          // every character up to \E is a literal; a quantifier after it repeats the last one only
          int end = re.indexOf("\\E", pos + 2);
          String literal = re.substring(pos + 2, end < 0 ? n : end);
          pos = end < 0 ? n : end + 2;
          if (literal.isEmpty()) {
            throw Unsupported.INSTANCE;
          }
          int last = literal.offsetByCodePoints(literal.length(), -1);
          for (int i = 0; i < last; i += Character.charCount(literal.codePointAt(i))) {
            items.add(single(literal.codePointAt(i)));
          }
          items.add(quantified(single(literal.codePointAt(last))));
        } else {
          items.add(quantified(atom()));
        }
      }
      return items.size() == 1 ? items.get(0) : new Concat(items);
    }

    private Node quantified(Node atom) {
      if (pos >= n) {
        return atom;
      }
      Node repeated;
      char c = re.charAt(pos);
      if (c == '*') {
        repeated = new Repeat(atom, 0, -1);
        pos++;
      } else if (c == '+') {
        repeated = new Repeat(atom, 1, -1);
        pos++;
      } else if (c == '?') {
        repeated = new Repeat(atom, 0, 1);
        pos++;
      } else if (c == '{') {
        int[] minMax = repeatAt(pos);
        if (minMax == null) {
          return atom;
        }
        repeated = new Repeat(atom, minMax[0], minMax[1]);
        pos = minMax[2];
      } else {
        return atom;
      }
      if (pos < n && re.charAt(pos) == '?') {
        // non-greedy: the same language
        pos++;
      }
      if (pos < n && ("*+?".indexOf(re.charAt(pos)) >= 0 || re.charAt(pos) == '{' && repeatAt(pos) != null)) {
        // RE2/J refuses stacked repetition; never reached for a compiled pattern
        throw Unsupported.INSTANCE;
      }
      return repeated;
    }

    /** {@code {min}}, {@code {min,}} or {@code {min,max}} at {@code at}: {min, max or -1, end}; null if not one. */
    private int @Nullable [] repeatAt(int at) {
      int i = at + 1;
      int minEnd = digits(i);
      int min = number(i, minEnd);
      if (min == -1 || minEnd >= n) {
        return null;
      }
      i = minEnd;
      int max;
      if (re.charAt(i) != ',') {
        max = min;
      } else {
        i++;
        if (i >= n) {
          return null;
        }
        if (re.charAt(i) == '}') {
          max = -1;
        } else {
          int maxEnd = digits(i);
          max = number(i, maxEnd);
          if (max == -1) {
            return null;
          }
          i = maxEnd;
        }
      }
      if (i >= n || re.charAt(i) != '}') {
        return null;
      }
      if (min < 0 || min > 1000 || max == -2 || max > 1000 || max >= 0 && min > max) {
        throw Unsupported.INSTANCE;
      }
      return new int[] {min, max, i + 1};
    }

    private int digits(int from) {
      int i = from;
      while (i < n && re.charAt(i) >= '0' && re.charAt(i) <= '9') {
        i++;
      }
      return i;
    }

    /** As RE2/J's parseInt: -1 for no digits or a leading zero, -2 for more than eight digits. */
    private int number(int from, int to) {
      if (to == from || to - from > 1 && re.charAt(from) == '0') {
        return -1;
      }
      return to - from > 8 ? -2 : Integer.parseInt(re, from, to, 10);
    }

    private Node atom() {
      int c = re.codePointAt(pos);
      switch (c) {
        case '(' -> {
          return group();
        }
        case '[' -> {
          return charClass();
        }
        case '.' -> {
          pos++;
          return new Chars(ANY_BUT_NEWLINE);
        }
        case '^' -> {
          pos++;
          return Anchor.BEGIN_TEXT;
        }
        case '$' -> {
          pos++;
          return Anchor.END_TEXT;
        }
        case '*', '+', '?' -> throw Unsupported.INSTANCE;
        case '{' -> {
          if (repeatAt(pos) != null) {
            throw Unsupported.INSTANCE;
          }
          pos++;
          return single('{');
        }
        case '\\' -> {
          return escape();
        }
        default -> {
          pos += Character.charCount(c);
          return single(c);
        }
      }
    }

    private Node group() {
      if (re.startsWith("(?:", pos)) {
        pos += 3;
      } else if (re.startsWith("(?P<", pos) || re.startsWith("(?<", pos)) {
        int close = re.indexOf('>', pos);
        if (close < 0) {
          throw Unsupported.INSTANCE;
        }
        pos = close + 1;
      } else if (re.startsWith("(?", pos)) {
        // flags: (?i), (?m), (?s), (?U), (?i:...)
        throw Unsupported.INSTANCE;
      } else {
        pos++;
      }
      if (++depth > MAX_DEPTH) {
        throw Unsupported.INSTANCE;
      }
      Node inner = alternation();
      if (pos >= n || re.charAt(pos) != ')') {
        throw Unsupported.INSTANCE;
      }
      pos++;
      depth--;
      return inner;
    }

    private Node escape() {
      if (pos + 1 >= n) {
        throw Unsupported.INSTANCE;
      }
      char e = re.charAt(pos + 1);
      switch (e) {
        case 'A' -> {
          pos += 2;
          return Anchor.BEGIN_TEXT;
        }
        case 'z' -> {
          pos += 2;
          return Anchor.END_TEXT;
        }
        case 'd', 'D', 's', 'S', 'w', 'W' -> {
          pos += 2;
          return new Chars(perlClass(e));
        }
        default -> {
          // \b, \B, \C, \p, \P fall to escapeChar, which refuses letters it does not know
          return single(escapeChar());
        }
      }
    }

    /** RE2/J's parseEscape: the code point of the escape at {@code pos}, which is a backslash. */
    private int escapeChar() {
      pos++;
      if (pos >= n) {
        throw Unsupported.INSTANCE;
      }
      int c = re.codePointAt(pos);
      pos += Character.charCount(c);
      if (c >= '1' && c <= '7' && (pos >= n || re.charAt(pos) < '0' || re.charAt(pos) > '7')) {
        // a backreference, which RE2/J refuses
        throw Unsupported.INSTANCE;
      }
      if (c >= '0' && c <= '7') {
        int r = c - '0';
        for (int i = 1; i < 3 && pos < n && re.charAt(pos) >= '0' && re.charAt(pos) <= '7'; i++) {
          r = r * 8 + re.charAt(pos) - '0';
          pos++;
        }
        return r;
      }
      switch (c) {
        case 'x' -> {
          return hexEscape();
        }
        case 'a' -> {
          return 7;
        }
        case 'f' -> {
          return '\f';
        }
        case 'n' -> {
          return '\n';
        }
        case 'r' -> {
          return '\r';
        }
        case 't' -> {
          return '\t';
        }
        case 'v' -> {
          return 11;
        }
        default -> {
          if (c < 128 && Character.isLetterOrDigit(c)) {
            throw Unsupported.INSTANCE;
          }
          return c;
        }
      }
    }

    private int hexEscape() {
      if (pos >= n) {
        throw Unsupported.INSTANCE;
      }
      if (re.charAt(pos) == '{') {
        int close = re.indexOf('}', pos + 1);
        if (close < 0 || close == pos + 1 || close - pos - 1 > 6) {
          throw Unsupported.INSTANCE;
        }
        int r = 0;
        for (int i = pos + 1; i < close; i++) {
          r = r * 16 + hexDigit(re.charAt(i));
        }
        if (r > MAX_RUNE) {
          throw Unsupported.INSTANCE;
        }
        pos = close + 1;
        return r;
      }
      if (pos + 1 >= n) {
        throw Unsupported.INSTANCE;
      }
      int x = hexDigit(re.charAt(pos));
      int y = hexDigit(re.charAt(pos + 1));
      pos += 2;
      return x * 16 + y;
    }

    /** As RE2/J's unhex: ASCII hexadecimal digits only. */
    private static int hexDigit(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
        return (c | 0x20) - 'a' + 10;
      }
      throw Unsupported.INSTANCE;
    }

    /** RE2/J's parseClass, Perl flags: {@code [^...]} may match a newline. */
    private Node charClass() {
      int open = pos;
      pos++;
      boolean negated = pos < n && re.charAt(pos) == '^';
      if (negated) {
        pos++;
      }
      RangeBuilder ranges = new RangeBuilder();
      boolean first = true;
      while (pos >= n || re.charAt(pos) != ']' || first) {
        if (pos >= n) {
          throw Unsupported.INSTANCE;
        }
        first = false;
        char c = re.charAt(pos);
        if (c == '[' || re.startsWith("\\p", pos) || re.startsWith("\\P", pos)) {
          // POSIX classes and Unicode groups
          throw Unsupported.INSTANCE;
        }
        if (c == '\\' && pos + 1 < n && "dDsSwW".indexOf(re.charAt(pos + 1)) >= 0) {
          ranges.addAll(perlClass(re.charAt(pos + 1)));
          pos += 2;
          continue;
        }
        int lo = classChar();
        int hi = lo;
        if (pos < n && re.charAt(pos) == '-') {
          pos++;
          if (pos < n && re.charAt(pos) == ']') {
            // [a-] is a or '-': read the '-' again as a character
            pos--;
          } else {
            hi = classChar();
            if (hi < lo) {
              throw Unsupported.INSTANCE;
            }
          }
        }
        ranges.add(lo, hi);
      }
      pos++;
      if (pos - open > 10_000) {
        throw Unsupported.INSTANCE;
      }
      int[] set = ranges.build();
      return new Chars(negated ? negate(set) : set);
    }

    private int classChar() {
      if (re.charAt(pos) == '\\') {
        return escapeChar();
      }
      int c = re.codePointAt(pos);
      pos += Character.charCount(c);
      return c;
    }

    private static Chars single(int cp) {
      return new Chars(new int[] {cp, cp});
    }

    private static int[] perlClass(char name) {
      int[] set = switch (Character.toLowerCase(name)) {
        case 'd' -> DIGIT;
        case 's' -> SPACE;
        default -> WORD;
      };
      return Character.isUpperCase(name) ? negate(set) : set;
    }
  }

  /** Collects ranges in any order and returns them sorted and merged. */
  private static final class RangeBuilder {
    private int[] pairs = new int[16];
    private int size;

    void add(int lo, int hi) {
      if (size + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      pairs[size++] = lo;
      pairs[size++] = hi;
    }

    void addAll(int[] ranges) {
      for (int i = 0; i < ranges.length; i += 2) {
        add(ranges[i], ranges[i + 1]);
      }
    }

    int[] build() {
      int count = size / 2;
      long[] packed = new long[count];
      for (int i = 0; i < count; i++) {
        packed[i] = (long) pairs[2 * i] << 32 | pairs[2 * i + 1];
      }
      Arrays.sort(packed);
      int[] out = new int[size];
      int m = 0;
      for (long p : packed) {
        int lo = (int) (p >>> 32);
        int hi = (int) p;
        if (m > 0 && lo <= out[m - 1] + 1) {
          out[m - 1] = Math.max(out[m - 1], hi);
        } else {
          out[m++] = lo;
          out[m++] = hi;
        }
      }
      return Arrays.copyOf(out, m);
    }
  }

  private static int[] negate(int[] set) {
    int[] out = new int[set.length + 2];
    int m = 0;
    int from = 0;
    for (int i = 0; i < set.length; i += 2) {
      if (set[i] > from) {
        out[m++] = from;
        out[m++] = set[i] - 1;
      }
      from = set[i + 1] + 1;
    }
    if (from <= MAX_RUNE) {
      out[m++] = from;
      out[m++] = MAX_RUNE;
    }
    return Arrays.copyOf(out, m);
  }

  // ---------------------------------------------------------------------------------------------
  // Thompson NFA, then the subset construction.

  private static final class Nfa {
    static final int CHARS = 0;
    static final int SPLIT = 1;
    static final int BEGIN = 2;
    static final int END = 3;
    static final int MATCH = 4;

    int size;
    int[] kind = new int[64];
    int[] out = new int[64];
    int[] out1 = new int[64];
    int[][] ranges = new int[64][];

    int add(int k, int o, int o1, int @Nullable [] r) {
      if (size == MAX_NFA_STATES) {
        throw Unsupported.INSTANCE;
      }
      if (size == kind.length) {
        int grown = size * 2;
        kind = Arrays.copyOf(kind, grown);
        out = Arrays.copyOf(out, grown);
        out1 = Arrays.copyOf(out1, grown);
        ranges = Arrays.copyOf(ranges, grown);
      }
      kind[size] = k;
      out[size] = o;
      out1[size] = o1;
      ranges[size] = r;
      return size++;
    }

    /** The start state of {@code node} followed by state {@code next}. */
    int build(Node node, int next, int depth) {
      if (depth > 4 * MAX_DEPTH) {
        throw Unsupported.INSTANCE;
      }
      if (node instanceof Chars c) {
        return add(CHARS, next, DEAD, c.ranges());
      }
      if (node instanceof Anchor a) {
        return add(a == Anchor.BEGIN_TEXT ? BEGIN : END, next, DEAD, null);
      }
      if (node instanceof Concat c) {
        int start = next;
        for (int i = c.items().size() - 1; i >= 0; i--) {
          start = build(c.items().get(i), start, depth + 1);
        }
        return start;
      }
      if (node instanceof Alt a) {
        List<Node> branches = a.branches();
        int start = build(branches.get(branches.size() - 1), next, depth + 1);
        for (int i = branches.size() - 2; i >= 0; i--) {
          start = add(SPLIT, build(branches.get(i), next, depth + 1), start, null);
        }
        return start;
      }
      Repeat r = (Repeat) node;
      int tail = next;
      if (r.max() == -1) {
        int loop = add(SPLIT, DEAD, next, null);
        // build first: it may grow the arrays, and out[loop] = build(...) would write the old one
        int body = build(r.sub(), loop, depth + 1);
        out[loop] = body;
        tail = loop;
      } else {
        for (int i = r.min(); i < r.max(); i++) {
          tail = add(SPLIT, build(r.sub(), tail, depth + 1), next, null);
        }
      }
      for (int i = 0; i < r.min(); i++) {
        tail = build(r.sub(), tail, depth + 1);
      }
      return tail;
    }
  }

  /** An NFA state set as a map key. */
  private record StateSet(int[] members) {
    @Override
    public boolean equals(Object o) {
      return o instanceof StateSet s && Arrays.equals(members, s.members);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(members);
    }

    @Override
    public String toString() {
      return Arrays.toString(members);
    }
  }

  /** Follows splits, the begin anchor only at the start, the end anchor only at the end. */
  private static final class Closure {
    private final Nfa nfa;
    private final int[] mark;
    private final int[] stack;
    private final int[] found;
    private int generation;

    Closure(Nfa nfa) {
      this.nfa = nfa;
      this.mark = new int[nfa.size];
      // every state is pushed once as a seed and at most twice by a split that is visited once
      this.stack = new int[nfa.size * 3 + 2];
      this.found = new int[nfa.size];
    }

    /** The CHARS, END and MATCH states reachable from the seeds without reading a character, sorted. */
    int[] of(int[] seeds, int seedCount, boolean atBegin, boolean atEnd) {
      generation++;
      int top = 0;
      int count = 0;
      for (int i = 0; i < seedCount; i++) {
        stack[top++] = seeds[i];
      }
      while (top > 0) {
        int s = stack[--top];
        if (mark[s] == generation) {
          continue;
        }
        mark[s] = generation;
        switch (nfa.kind[s]) {
          case Nfa.SPLIT -> {
            stack[top++] = nfa.out1[s];
            stack[top++] = nfa.out[s];
          }
          case Nfa.BEGIN -> {
            if (atBegin) {
              stack[top++] = nfa.out[s];
            }
          }
          case Nfa.END -> {
            found[count++] = s;
            if (atEnd) {
              stack[top++] = nfa.out[s];
            }
          }
          default -> found[count++] = s;
        }
      }
      int[] set = Arrays.copyOf(found, count);
      Arrays.sort(set);
      return set;
    }
  }

  private static FullMatchAutomaton determinize(Nfa nfa, int start) {
    int[] bounds = classBounds(nfa);
    int k = bounds.length;
    Closure closure = new Closure(nfa);
    List<int[]> sets = new ArrayList<>();
    Map<StateSet, Integer> index = new HashMap<>();
    sets.add(closure.of(new int[] {start}, 1, true, false));
    int[] table = new int[Math.min(MAX_CELLS, 64 * k)];
    // per state, the targets of each class as linked lists: head[class] -> entry -> link[entry]
    int[] head = new int[k];
    int[] link = new int[64];
    int[] target = new int[64];
    int[] targets = new int[nfa.size];
    long work = 0;
    for (int d = 0; d < sets.size(); d++) {
      int[] set = sets.get(d);
      if ((long) (d + 1) * k > MAX_CELLS) {
        throw Unsupported.INSTANCE;
      }
      if ((d + 1) * k > table.length) {
        table = Arrays.copyOf(table, Math.min(MAX_CELLS, Math.max((d + 1) * k, table.length * 2)));
      }
      Arrays.fill(head, -1);
      int entries = 0;
      for (int s : set) {
        if (nfa.kind[s] != Nfa.CHARS) {
          continue;
        }
        int[] r = nfa.ranges[s];
        for (int i = 0; i < r.length; i += 2) {
          int to = classIndex(bounds, r[i + 1]);
          for (int c = classIndex(bounds, r[i]); c <= to; c++) {
            if (entries == link.length) {
              link = Arrays.copyOf(link, entries * 2);
              target = Arrays.copyOf(target, entries * 2);
            }
            link[entries] = head[c];
            target[entries] = nfa.out[s];
            head[c] = entries++;
          }
        }
      }
      work += entries + k;
      for (int c = 0; c < k; c++) {
        int count = 0;
        for (int e = head[c]; e >= 0; e = link[e]) {
          targets[count++] = target[e];
        }
        int next = DEAD;
        if (count > 0) {
          int[] moved = closure.of(targets, count, false, false);
          work += count + moved.length;
          if (moved.length > 0) {
            StateSet key = new StateSet(moved);
            Integer known = index.get(key);
            if (known == null) {
              if (sets.size() == MAX_DFA_STATES) {
                throw Unsupported.INSTANCE;
              }
              known = sets.size();
              sets.add(moved);
              index.put(key, known);
            }
            next = known;
          }
        }
        table[d * k + c] = next;
      }
      if (work > MAX_WORK) {
        throw Unsupported.INSTANCE;
      }
    }
    boolean[] accepting = new boolean[sets.size()];
    for (int d = 0; d < accepting.length; d++) {
      int[] set = sets.get(d);
      int[] atEnd = closure.of(set, set.length, d == 0, true);
      for (int s : atEnd) {
        if (nfa.kind[s] == Nfa.MATCH) {
          accepting[d] = true;
          break;
        }
      }
    }
    int[] rows = Arrays.copyOf(table, sets.size() * k);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rows[i] == DEAD ? DEAD : rows[i] * k;
    }
    return new FullMatchAutomaton(bounds, rows, accepting);
  }

  private static int classIndex(int[] bounds, int cp) {
    int i = Arrays.binarySearch(bounds, cp);
    return i >= 0 ? i : -i - 2;
  }

  /** The lower bounds of the code-point classes no range of the NFA splits, starting at 0. */
  private static int[] classBounds(Nfa nfa) {
    int[] bounds = new int[16];
    int m = 0;
    bounds[m++] = 0;
    for (int s = 0; s < nfa.size; s++) {
      int[] r = nfa.ranges[s];
      if (r == null) {
        continue;
      }
      for (int i = 0; i < r.length; i += 2) {
        if (m + 2 > bounds.length) {
          bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[m++] = r[i];
        if (r[i + 1] < MAX_RUNE) {
          bounds[m++] = r[i + 1] + 1;
        }
      }
    }
    int[] sorted = Arrays.copyOf(bounds, m);
    Arrays.sort(sorted);
    int u = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (u == 0 || sorted[i] != sorted[u - 1]) {
        sorted[u++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, u);
  }

  private static boolean contains(int[] ranges, int cp) {
    for (int i = 0; i < ranges.length; i += 2) {
      if (cp < ranges[i]) {
        return false;
      }
      if (cp <= ranges[i + 1]) {
        return true;
      }
    }
    return false;
  }
}
