package dev.mlops.stats;

import static dev.mlops.core.Generators.doubles;
import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.lists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ColumnStatistics}: exact quantiles against NumPy (golden/make_quantiles.py), moments that do
 * not depend on how the rows were split, the KLL interval's coverage under its stated error, and the
 * refusals.
 */
class ColumnStatisticsTest {
  private static final Field X = Field.of("x", DataType.FLOAT64);
  private static final ProfileOptions DEFAULTS = ProfileOptions.defaults();

  private static ColumnStatistics of(double... values) {
    ColumnStatistics s = ColumnStatistics.of(X, DEFAULTS);
    for (double v : values) {
      s.addDouble(v);
    }
    return s;
  }

  private static double decode(JsonNode n) {
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
  }

  @Test
  void exactQuantilesMatchNumpyOnEveryPath() throws IOException {
    JsonNode golden;
    try (InputStream in = ColumnStatisticsTest.class.getResourceAsStream("/golden/quantiles.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    int checked = 0;
    for (JsonNode c : golden.get("cases")) {
      double[] values = new double[c.get("values").size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = decode(c.get("values").get(i));
      }
      ColumnStatistics whole = of(values);
      // The same values in two parts, merged: the exact path must not depend on the split.
      ColumnStatistics split = of(Arrays.copyOfRange(values, 0, values.length / 2));
      split.merge(of(Arrays.copyOfRange(values, values.length / 2, values.length)));
      for (int k = 0; k < c.get("q").size(); k++) {
        double q = c.get("q").get(k).asDouble();
        double expected = decode(c.get("quantiles").get(k));
        for (ColumnStatistics s : List.of(whole, split)) {
          QuantileEstimate e = s.quantile(q);
          assertThat(e.exact()).as(c.get("name").asText()).isTrue();
          assertThat(e.value()).as(c.get("name").asText() + " q=" + q).isEqualTo(expected);
          assertThat(e.lower()).isEqualTo(e.value());
          assertThat(e.upper()).isEqualTo(e.value());
          assertThat(e.rankError()).isZero();
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(4 * 9 * 2);
  }

  @Test
  void infinitiesTakeTheirRankAndNanMakesTheQuantileNan() {
    ColumnStatistics s = of(Double.NEGATIVE_INFINITY, -1.5, 0.0, 2.25, 3.0, Double.POSITIVE_INFINITY, 7.0);
    assertThat(s.quantile(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.quantile(0.5).value()).isEqualTo(2.25);
    assertThat(s.quantile(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(s.validCount()).isEqualTo(5);
    assertThat(s.mean()).isEqualTo((-1.5 + 0.0 + 2.25 + 3.0 + 7.0) / 5);

    ColumnStatistics withNan = of(1.0, Double.NaN, 2.0);
    assertThat(withNan.quantile(0.5).value()).isNaN();
    assertThat(withNan.nanCount()).isEqualTo(1);
    assertThat(of().quantile(0.5).value()).isNaN();
  }

  @Test
  void momentsAreExactWhateverTheSplitAndMergeOrder() {
    qt().withFixedSeed(20261201L).withExamples(300)
        .forAll(lists(doubles(), 0, 3000), integers(1, 7), integers(0, Integer.MAX_VALUE))
        .checkAssert((values, parts, seed) -> {
          double[] all = values.stream().mapToDouble(Double::doubleValue).toArray();
          ColumnStatistics whole = of(all);
          List<ColumnStatistics> pieces = new ArrayList<>();
          int step = Math.max(1, (all.length + parts - 1) / parts);
          for (int from = 0; from < all.length; from += step) {
            pieces.add(of(Arrays.copyOfRange(all, from, Math.min(all.length, from + step))));
          }
          Collections.shuffle(pieces, new Random(seed));
          ColumnStatistics merged = ColumnStatistics.of(X, DEFAULTS);
          for (ColumnStatistics p : pieces) {
            merged.merge(p);
          }
          assertThat(merged.count()).isEqualTo(whole.count());
          assertThat(merged.validCount()).isEqualTo(whole.validCount());
          assertThat(merged.nanCount()).isEqualTo(whole.nanCount());
          assertThat(merged.positiveInfinityCount() + merged.negativeInfinityCount())
              .isEqualTo(whole.positiveInfinityCount() + whole.negativeInfinityCount());
          assertThat(merged.momentsExact()).isTrue();
          assertThat(Double.doubleToLongBits(merged.mean())).isEqualTo(Double.doubleToLongBits(whole.mean()));
          assertThat(Double.doubleToLongBits(merged.m2())).isEqualTo(Double.doubleToLongBits(whole.m2()));
          assertThat(Double.doubleToLongBits(merged.stddev(1))).isEqualTo(Double.doubleToLongBits(whole.stddev(1)));
          assertThat(Double.doubleToLongBits(merged.min())).isEqualTo(Double.doubleToLongBits(whole.min()));
          assertThat(Double.doubleToLongBits(merged.max())).isEqualTo(Double.doubleToLongBits(whole.max()));
        });
  }

  @Test
  void aSummaryCarriesRoundedMomentsAndSaysSo() {
    Random r = new Random(7);
    double[] a = r.doubles(5000).map(v -> 100 + 20 * v).toArray();
    double[] b = r.doubles(3000).map(v -> 50 * v).toArray();
    ColumnStatistics exactA = of(a);
    ColumnStatistics summaryA = ColumnStatistics.ofSummary(X, DEFAULTS, exactA.count(), 0, 0, 0, 0,
        exactA.validCount(), exactA.mean(), exactA.m2(), exactA.min(), exactA.max(), exactA.quantileSketch(),
        exactA.distinctSketch(), null, exactA.exactValueCounts());
    ColumnStatistics mixed = of(b);
    mixed.merge(summaryA);
    ColumnStatistics exact = of(b);
    exact.merge(exactA);
    assertThat(mixed.momentsExact()).isFalse();
    assertThat(exact.momentsExact()).isTrue();
    assertThat(mixed.count()).isEqualTo(8000);
    assertThat(mixed.mean()).isCloseTo(exact.mean(), org.assertj.core.data.Percentage.withPercentage(1e-10));
    assertThat(mixed.stddev(1)).isCloseTo(exact.stddev(1), org.assertj.core.data.Percentage.withPercentage(1e-9));
    assertThat(mixed.min()).isEqualTo(exact.min());
    assertThat(mixed.max()).isEqualTo(exact.max());
  }

  /**
   * Coverage of the KLL interval: the exact q-quantile of the values (sorted, NumPy's rule) lies in
   * [lower, upper] in at least 99% of sketches by the stated error; over 200 sketches of 20,000
   * normal values and 3 probabilities, more than 12 misses of 600 would be far outside it (expected
   * at most 6; P(X > 12) under 0.01 for a binomial of p = 0.01).
   */
  @Test
  void theEstimatedIntervalCoversTheExactQuantileAtItsStatedConfidence() {
    Random r = new Random(42);
    double[] qs = {0.1, 0.5, 0.9};
    int misses = 0;
    int trials = 0;
    for (int t = 0; t < 200; t++) {
      double[] v = new double[20_000];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextGaussian();
      }
      ColumnStatistics s = of(v);
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      for (double q : qs) {
        QuantileEstimate e = s.quantile(q);
        assertThat(e.exact()).isFalse();
        assertThat(e.rankError()).isEqualTo(DEFAULTS.rankError());
        assertThat(e.lower()).isLessThanOrEqualTo(e.value());
        assertThat(e.upper()).isGreaterThanOrEqualTo(e.value());
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        double truth = sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
        if (truth < e.lower() || truth > e.upper()) {
          misses++;
        }
        trials++;
      }
    }
    assertThat(trials).isEqualTo(600);
    assertThat(misses).isLessThanOrEqualTo(12);
  }

  @Test
  void aStringColumnCountsItsValues() {
    ColumnStatistics s = ColumnStatistics.of(Field.of("c", DataType.STRING), DEFAULTS);
    s.addString("a");
    s.addString("b", 3);
    s.addNull();
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.validCount()).isEqualTo(4);
    assertThat(s.nullCount()).isEqualTo(1);
    assertThat(s.frequentItemsSketch().getEstimate("b")).isEqualTo(3);
    assertThat(s.distinctSketch().getEstimate()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(s.mean()).isNaN();
    assertThatThrownBy(() -> s.quantile(0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'c' is string: quantiles exist only for numeric columns");
  }

  @Test
  void refusesWhatItCannotAnswerOrMerge() {
    ColumnStatistics s = of(1, 2, 3);
    assertThatThrownBy(() -> s.quantile(1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantile probability must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> s.quantile(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    ColumnStatistics other = ColumnStatistics.of(X, new ProfileOptions(100, 12, 1024, 32));
    assertThatThrownBy(() -> s.merge(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merge statistics of the same column type built with the same ProfileOptions");
    ColumnStatistics strings = ColumnStatistics.of(Field.of("c", DataType.STRING), DEFAULTS);
    assertThatThrownBy(() -> s.merge(strings)).isInstanceOf(IllegalArgumentException.class);
    assertThat(s.count()).isEqualTo(3);
  }

  @Test
  void aCopyChangesIndependently() {
    ColumnStatistics s = of(1, 2, 3);
    ColumnStatistics c = s.copy();
    c.addDouble(100);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.max()).isEqualTo(3);
    assertThat(c.max()).isEqualTo(100);
    assertThat(c.mean()).isEqualTo(26.5);
  }
}
