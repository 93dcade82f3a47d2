package dev.mlops.stats.internal;

import static dev.mlops.core.Generators.doubles;
import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.lists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ExactMoments} against exact rational arithmetic (golden/make_moments.py, Python's
 * fractions), and the property that makes it worth having: the statistics depend only on the values,
 * never on their order or on how they were split and merged.
 */
class ExactMomentsTest {

  static Stream<JsonNode> golden() throws IOException {
    try (InputStream in = ExactMomentsTest.class.getResourceAsStream("/golden/moments.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<JsonNode> cases = new ArrayList<>();
      root.get("cases").forEach(cases::add);
      return cases.stream();
    }
  }

  @ParameterizedTest(name = "{index}")
  @MethodSource("golden")
  void matchesExactArithmeticToTheLastBit(JsonNode c) {
    ExactMoments m = new ExactMoments();
    c.get("values").forEach(v -> m.add(Double.parseDouble(v.asText())));
    String name = c.get("name").asText();
    assertThat(m.count()).as(name).isEqualTo(c.get("values").size());
    assertThat(m.mean()).as(name + " mean").isEqualTo(Double.parseDouble(c.get("mean").asText()));
    assertThat(m.stddev(0)).as(name + " std ddof=0").isEqualTo(Double.parseDouble(c.get("std_ddof0").asText()));
    JsonNode sd1 = c.get("std_ddof1");
    if (sd1.isNull()) {
      assertThat(m.stddev(1)).as(name + " std ddof=1 of one value").isNaN();
    } else {
      assertThat(m.stddev(1)).as(name + " std ddof=1").isEqualTo(Double.parseDouble(sd1.asText()));
    }
  }

  @Test
  void followsNumpyOnNanAndInfinities() {
    assertThat(of(1.0, Double.NaN).mean()).isNaN();
    assertThat(of(1.0, Double.POSITIVE_INFINITY).mean()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(of(1.0, Double.NEGATIVE_INFINITY).mean()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).mean()).isNaN();
    assertThat(of(1.0, 2.0, Double.POSITIVE_INFINITY).stddev(1)).isNaN();
    assertThat(of(1.0, 2.0, Double.NaN).count()).isEqualTo(3);
    assertThat(new ExactMoments().mean()).isNaN();
    assertThat(new ExactMoments().stddev(0)).isNaN();
    assertThat(of(5.0).stddev(0)).isZero();
  }

  @Test
  void sumsBeyondTheDoubleRangeWithoutOverflow() {
    ExactMoments m = new ExactMoments();
    for (int i = 0; i < 1000; i++) {
      m.add(Double.MAX_VALUE);
    }
    assertThat(m.mean()).isEqualTo(Double.MAX_VALUE);
    assertThat(m.stddev(1)).isZero();
    assertThat(m.finiteSum()).isEqualTo(Double.POSITIVE_INFINITY);
    m.add(-Double.MAX_VALUE);
    assertThat(m.mean()).isEqualTo(999.0 / 1001 * Double.MAX_VALUE);
  }

  @Test
  void carryPropagationKeepsTheValue() {
    // Carrying after every 1, 2 or 7 additions must give the same cells as the default (every 2^29),
    // which a 1.6-billion-value run would take seconds to cross.
    qt().withFixedSeed(0xE4AC_0002L).withExamples(100).forAll(lists(doubles(), 0, 80), integers(1, 7))
        .checkAssert((values, every) -> {
          ExactMoments often = new ExactMoments(every);
          ExactMoments rarely = new ExactMoments();
          values.forEach(often::add);
          values.forEach(rarely::add);
          assertThat(often).isEqualTo(rarely);
          assertThat(bits(often.stddev(1))).isEqualTo(bits(rarely.stddev(1)));
        });
  }

  @Test
  void cellsDoNotOverflowBetweenCarries() {
    // The largest digit a cell can take, 2^29 times, from the largest and the smallest magnitudes.
    ExactMoments m = new ExactMoments();
    double[] xs = {0x1.fffffffffffffp1023, -0x1.fffffffffffffp1023, 0x1.fffffffffffffp-1, Double.MIN_VALUE};
    for (double x : xs) {
      ExactMoments one = new ExactMoments();
      for (int i = 0; i < 1 << 20; i++) {
        one.add(x);
      }
      assertThat(one.mean()).as("mean of 2^20 copies of %s", x).isEqualTo(x);
      m.merge(one);
    }
    assertThat(m.count()).isEqualTo(4L << 20);
  }

  @Test
  void orderAndSplitDoNotChangeABit() {
    qt().withFixedSeed(0xE4AC_0001L).withExamples(300)
        .forAll(lists(doubles(), 0, 60), integers(0, 1 << 20), integers(1, 6))
        .checkAssert((values, seed, parts) -> {
          ExactMoments whole = new ExactMoments();
          values.forEach(whole::add);
          List<Double> shuffled = new ArrayList<>(values);
          Random r = new Random(seed);
          Collections.shuffle(shuffled, r);
          List<ExactMoments> pieces = new ArrayList<>();
          for (int i = 0; i < parts; i++) {
            pieces.add(new ExactMoments());
          }
          for (double v : shuffled) {
            pieces.get(r.nextInt(parts)).add(v);
          }
          ExactMoments merged = new ExactMoments();
          Collections.shuffle(pieces, r);
          pieces.forEach(merged::merge);
          assertThat(merged).isEqualTo(whole);
          assertThat(bits(merged.mean())).isEqualTo(bits(whole.mean()));
          assertThat(bits(merged.stddev(1))).isEqualTo(bits(whole.stddev(1)));
          assertThat(merged.count()).isEqualTo(values.size());
        });
  }

  @Test
  void mergeLeavesTheOtherUnchangedAndCopiesAreIndependent() {
    ExactMoments a = of(1.0, 2.0, 3.0);
    ExactMoments b = of(10.0, -4.5);
    ExactMoments bBefore = b.copy();
    a.merge(b);
    assertThat(b).isEqualTo(bBefore);
    assertThat(a).isEqualTo(of(1.0, 2.0, 3.0, 10.0, -4.5));
    ExactMoments c = a.copy();
    c.add(100.0);
    assertThat(a.count()).isEqualTo(5);
    assertThat(c.count()).isEqualTo(6);
  }

  private static long bits(double d) {
    return Double.doubleToRawLongBits(d);
  }

  private static ExactMoments of(double... xs) {
    ExactMoments m = new ExactMoments();
    for (double x : xs) {
      m.add(x);
    }
    return m;
  }
}
