package dev.mlops.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * QuickTheories generators for the property tests of the project. Each one mixes the edge cases of
 * its domain (range ends, zero, the empty and the longest size, the special floating-point values)
 * into its draws, so that a property reaches them within its fixed number of examples rather than
 * only values from the middle of the range. A failing case shrinks towards small values: zero or
 * the minimum, the shortest size, null.
 */
public final class Generators {
  /** Percent of draws of a number that take one of the edge cases of its range. */
  private static final int EDGE_PERCENT = 20;
  /** Percent of draws of a size that take the shortest, the next or the longest size. */
  private static final int SIZE_EDGE_PERCENT = 25;
  private static final List<Double> SPECIAL_DOUBLES = List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
      -Double.MAX_VALUE, 1.0, -1.0, 0.01, -0.01);
  private static final List<Float> SPECIAL_FLOATS = List.of(0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
      -Float.MAX_VALUE, 1.0f, -1.0f, 0.01f, -0.01f);

  private Generators() {}

  /** {@code gen}, except that {@code percent} percent of the draws pick one of {@code edges}. */
  public static <T> Gen<T> withEdges(Gen<T> gen, int percent, List<T> edges) {
    // mix draws its choice in [0, 99] and takes the second generator below percent: shrinking that
    // choice to 0 leads to the edges, and the edge index to edges.get(0).
    return gen.mix(Generate.pick(edges), percent);
  }

  /** One of {@code values}, each as likely, shrinking towards the first. */
  @SafeVarargs
  public static <T> Gen<T> pick(T... values) {
    // Copied element by element: handing the varargs array itself on is what -Xlint:varargs flags.
    List<T> list = new ArrayList<>(values.length);
    for (T v : values) {
      list.add(v);
    }
    return Generate.pick(list);
  }

  /** {@code gen}, or null in {@code percentNull} percent of the draws (shrinking towards null). */
  public static <T> Gen<T> orNull(Gen<T> gen, int percentNull) {
    return gen.mix(Generate.constant(() -> null), percentNull);
  }

  /** Integers in [min, max], with min, max, their neighbours, 0, ±1 and ±2 (where inside) as edge cases. */
  public static Gen<Integer> integers(int min, int max) {
    List<Long> edges = integralEdges(min, max);
    return withEdges(SourceDSL.integers().between(min, max), EDGE_PERCENT,
        edges.stream().map(Long::intValue).toList());
  }

  /** Longs in [min, max], with min, max, their neighbours, 0, ±1 and ±2 (where inside) as edge cases. */
  public static Gen<Long> longs(long min, long max) {
    return withEdges(SourceDSL.longs().between(min, max), EDGE_PERCENT, integralEdges(min, max));
  }

  /** Every long, with 0, ±1, ±2, MIN_VALUE, MAX_VALUE and their neighbours as edge cases. */
  public static Gen<Long> longs() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private static List<Long> integralEdges(long min, long max) {
    Set<Long> edges = new LinkedHashSet<>();
    // The first edge is the shrink target: 0 where the range holds it, else the end nearer to it.
    edges.add(Math.max(min, Math.min(max, 0L)));
    for (long e : new long[] {min, max, -2, -1, 1, 2}) {
      if (e >= min && e <= max) {
        edges.add(e);
      }
    }
    if (min < max) {
      edges.add(min + 1);
      edges.add(max - 1);
    }
    return List.copyOf(edges);
  }

  /**
   * Every double: uniform over the bit patterns (every exponent, subnormals, both zeros and both
   * infinities), decimals with two fraction digits (the short texts people write), and NaN, the
   * infinities, ±0.0, ±MIN_VALUE, MIN_NORMAL, ±MAX_VALUE, ±1 and ±0.01 as edge cases.
   */
  public static Gen<Double> doubles() {
    return Generate.frequency(List.of(
        Pair.of(8, twoDecimals(-Double.MAX_VALUE, Double.MAX_VALUE)),
        Pair.of(8, SourceDSL.doubles().any()),
        Pair.of(2, Generate.pick(SPECIAL_DOUBLES))));
  }

  /**
   * Doubles in [min, max]: uniform, decimals with two fraction digits, and min, max and 0 (where
   * inside) as edge cases.
   */
  public static Gen<Double> doubles(double min, double max) {
    Set<Double> edges = new LinkedHashSet<>();
    edges.add(Math.max(min, Math.min(max, 0.0)));
    edges.add(min);
    edges.add(max);
    Gen<Double> values = SourceDSL.doubles().between(min, max).mix(twoDecimals(min, max));
    return withEdges(values, EDGE_PERCENT, List.copyOf(edges));
  }

  /**
   * Decimals with two fraction digits in [min, max], of every magnitude up to the range's: a
   * uniform power of ten picks the magnitude, so that small values are as common as large ones.
   * Beyond 1e15 a double has no fraction digits left, so there the value is just scaled.
   */
  private static Gen<Double> twoDecimals(double min, double max) {
    double largest = Math.max(Math.max(Math.abs(min), Math.abs(max)), 1.0);
    // 1e308 is the largest power of ten a double holds.
    int maxExponent = Math.min(308, (int) Math.ceil(Math.log10(largest)));
    return SourceDSL.integers().between(0, maxExponent).zip(SourceDSL.doubles().between(-1.0, 1.0), (e, u) -> {
      double v = e <= 15 ? Math.rint(u * Math.pow(10, e + 2)) / 100 : u * Math.pow(10, e);
      // + 0.0 turns the -0.0 that rounding a small negative gives into 0.0: -0.0 is a special value.
      return Math.max(min, Math.min(max, v + 0.0));
    });
  }

  /**
   * Every float: uniform over the bit patterns, decimals with two fraction digits, and NaN, the
   * infinities, ±0.0, ±MIN_VALUE, MIN_NORMAL, ±MAX_VALUE, ±1 and ±0.01 as edge cases.
   */
  public static Gen<Float> floats() {
    return Generate.frequency(List.of(
        Pair.of(8, twoDecimals(-Float.MAX_VALUE, Float.MAX_VALUE).map(Double::floatValue)),
        Pair.of(8, SourceDSL.floats().any()),
        Pair.of(2, Generate.pick(SPECIAL_FLOATS))));
  }

  /**
   * Sizes in [min, max], with min, min + 1 and max as edge cases. A size is one draw, so that it
   * shrinks like a number towards min: the draws past max (a quarter of them) stand for the edge
   * cases, and a shrink from there lands back inside the range. (With a separate choice of "edge
   * case or not", an edge-case size could only ever shrink to another edge case, and a list that
   * fails from five elements on would stay at its longest.)
   */
  public static Gen<Integer> sizes(int min, int max) {
    List<Integer> edges = List.copyOf(new LinkedHashSet<>(List.of(min, Math.min(min + 1, max), max)));
    int span = max - min + 1;
    int extra = Math.max(edges.size(), span * SIZE_EDGE_PERCENT / (100 - SIZE_EDGE_PERCENT));
    return Generate.range(min, max + extra, min).map(u -> u <= max ? u : edges.get((u - max - 1) % edges.size()));
  }

  /** Lists of {@code minSize} to {@code maxSize} elements, the shortest and longest as edge cases. */
  public static <T> Gen<List<T>> lists(Gen<T> elements, int minSize, int maxSize) {
    return SourceDSL.lists().of(elements).ofSizes(sizes(minSize, maxSize));
  }

  /** Strings of {@code minLength} to {@code maxLength} chars drawn from {@code chars}. */
  public static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
    Gen<Integer> lengths = sizes(minLength, maxLength);
    return in -> {
      int n = lengths.generate(in);
      StringBuilder s = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        s.append(chars.generate(in).charValue());
      }
      return s.toString();
    };
  }

  /**
   * Chars in [first, last], with first and last as edge cases; with {@code extras}, half of the
   * draws pick one of them instead, so that the awkward chars are common, not one in a hundred.
   */
  public static Gen<Character> chars(char first, char last, Character... extras) {
    Gen<Character> range = withEdges(SourceDSL.integers().between(first, last).map(i -> (char) i.intValue()),
        EDGE_PERCENT, List.of(first, last));
    return extras.length == 0 ? range : range.mix(Generate.pick(List.of(extras)), 50);
  }

  /**
   * Every char: printable ASCII for half of the draws, the whole range (controls, surrogates,
   * noncharacters) for the other half.
   */
  public static Gen<Character> anyChars() {
    return chars(' ', '~').mix(chars(Character.MIN_VALUE, Character.MAX_VALUE), 50);
  }

  /**
   * Maps of at most {@code maxSize} entries with distinct keys, in the order drawn; the empty map
   * and the largest as edge cases. A key space too small to fill the drawn size gives a smaller map.
   */
  public static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int maxSize) {
    Gen<Integer> sizes = sizes(0, maxSize);
    return in -> {
      int n = sizes.generate(in);
      Map<K, V> map = new LinkedHashMap<>();
      for (int attempt = 0; map.size() < n && attempt < 10 * n; attempt++) {
        K k = keys.generate(in);
        if (!map.containsKey(k)) {
          map.put(k, values.generate(in));
        }
      }
      return map;
    };
  }

  /**
   * Rows of {@code schema}, each value drawn by {@code values} for its field; a nullable field is
   * null in {@code percentNull} percent of the rows.
   */
  public static Gen<Row> rows(Schema schema, Function<Field, Gen<Object>> values, int percentNull) {
    List<Gen<Object>> cols = new ArrayList<>();
    for (Field f : schema.fields()) {
      Gen<Object> v = values.apply(f);
      cols.add(f.nullable() ? orNull(v, percentNull) : v);
    }
    return in -> {
      Object[] vals = new Object[cols.size()];
      for (int i = 0; i < vals.length; i++) {
        vals[i] = cols.get(i).generate(in);
      }
      return Row.of(schema, vals);
    };
  }

  /** A list of {@code n} values of {@code gen}, for fixed-size arrays and tuples. */
  public static <T> Gen<List<T>> exactly(Gen<T> gen, int n) {
    return in -> {
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(gen.generate(in));
      }
      return out;
    };
  }
}
