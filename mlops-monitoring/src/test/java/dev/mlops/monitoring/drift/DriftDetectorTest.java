package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.stats.ProfileOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DriftDetectorTest {
  static final Schema NUM = Schema.of(Field.of("x", DataType.FLOAT64));
  static final Schema CAT = Schema.of(Field.of("c", DataType.STRING));

  static DatasetProfile numbers(int n, IntFunction<Object> value) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Row.of(NUM, value.apply(i)));
    }
    return DatasetProfile.of(NUM, rows);
  }

  static DatasetProfile categories(int n, IntFunction<String> value) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Row.of(CAT, value.apply(i)));
    }
    return DatasetProfile.of(CAT, rows);
  }

  static double[] gaussian(int n, double mean, long seed) {
    Random r = new Random(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = mean + r.nextGaussian();
    }
    return a;
  }

  @Test
  void defaultRuleFollowsTypeUniqueCountAndSize() {
    DriftDetector d = DriftDetector.withDefaults();
    Random r = new Random(1);
    assertThat(d.defaultTest(numbers(500, i -> r.nextGaussian()).column(0), numbers(500, i -> 0.0).column(0)))
        .isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(d.defaultTest(numbers(5000, i -> r.nextGaussian()).column(0), numbers(50, i -> 0.0).column(0)))
        .isEqualTo(DriftTest.WASSERSTEIN_NORMED);
    assertThat(d.defaultTest(numbers(500, i -> (double) (i % 2)).column(0), numbers(50, i -> 1.0).column(0)))
        .isEqualTo(DriftTest.Z_TEST);
    assertThat(d.defaultTest(numbers(500, i -> (double) (i % 4)).column(0), numbers(50, i -> 1.0).column(0)))
        .isEqualTo(DriftTest.CHI_SQUARED);
    assertThat(d.defaultTest(categories(500, i -> "v" + i % 3).column(0), categories(50, i -> "v1").column(0)))
        .isEqualTo(DriftTest.CHI_SQUARED);
    assertThat(d.defaultTest(categories(500, i -> "v" + i % 2).column(0), categories(50, i -> "v1").column(0)))
        .isEqualTo(DriftTest.Z_TEST);
    assertThat(d.defaultTest(categories(5000, i -> "v" + i % 2).column(0), categories(50, i -> "v1").column(0)))
        .isEqualTo(DriftTest.JENSEN_SHANNON);
  }

  @Test
  void everyResultCarriesRawScoresEvenWhenNothingFires() {
    DriftDetector d = DriftDetector.withDefaults();
    ColumnDrift same = d.compareSamples("x", gaussian(300, 0, 1), gaussian(300, 0, 2));
    assertThat(same.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(same.drifted()).isFalse();
    assertThat(same.statistic()).isPositive();
    assertThat(same.pValue()).isBetween(0.05, 1.0);
    assertThat(same.threshold()).isEqualTo(0.05);
    ColumnDrift shifted = d.compareSamples("x", gaussian(300, 0, 1), gaussian(300, 1, 2));
    assertThat(shifted.drifted()).isTrue();
    assertThat(shifted.pValue()).isLessThan(1e-10);
    assertThat(shifted.score()).isGreaterThan(1);
  }

  @Test
  void sketchKolmogorovSmirnovAgreesWithExactOnClearCases() {
    Random r = new Random(3);
    double[] a = gaussian(800, 0, 4);
    double[] b = gaussian(900, 0.5, 5);
    DatasetProfile pa = numbers(a.length, i -> a[i]);
    DatasetProfile pb = numbers(b.length, i -> b[i]);
    ColumnDrift exact = DriftDetector.withDefaults().compareSamples("x", a, b);
    ColumnDrift sketch = DriftDetector.withDefaults().compare(pa, pb).columns().get(0);
    assertThat(sketch.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(sketch.hasPValue()).isTrue();
    assertThat(Math.abs(sketch.statistic() - exact.statistic()))
        .isLessThanOrEqualTo(2 * pa.options().rankError());
    assertThat(exact.pValue()).isLessThan(1e-15);
    assertThat(sketch.pValue()).isLessThan(1e-10);
    assertThat(sketch.threshold()).isEqualTo(0.05);
    assertThat(sketch.drifted()).isTrue().isEqualTo(exact.drifted());
    assertThat(sketch.note()).startsWith("from KLL sketches").doesNotContain("within the sketch error");
    assertThat(r).isNotNull();
  }

  @Test
  void wassersteinFromSketchesIsCloseToExact() {
    double[] a = gaussian(20000, 0, 5);
    double[] b = gaussian(20000, 0.3, 6);
    ColumnDrift exact = DriftDetector.withDefaults().compareSamples("x", a, b);
    DatasetProfile pa = numbers(a.length, i -> a[i]);
    DatasetProfile pb = numbers(b.length, i -> b[i]);
    ColumnDrift sketch = DriftDetector.withDefaults().compare(pa, pb).columns().get(0);
    assertThat(exact.test()).isEqualTo(DriftTest.WASSERSTEIN_NORMED);
    assertThat(sketch.test()).isEqualTo(DriftTest.WASSERSTEIN_NORMED);
    // Documented bound: each CDF is off by at most its rank error, over the range of both samples.
    double range = Math.max(pa.column(0).max(), pb.column(0).max()) - Math.min(pa.column(0).min(), pb.column(0).min());
    double bound = 2 * pa.options().rankError() * range / pa.column(0).stddev();
    assertThat(sketch.statistic()).isCloseTo(exact.statistic(), org.assertj.core.api.Assertions.within(bound));
    assertThat(exact.drifted()).isTrue();
  }

  @Test
  void lowCardinalityNumericColumnsAreComparedExactlyFromValueCounts() {
    Random r = new Random(8);
    double[] a = new double[5000];
    double[] b = new double[4000];
    for (int i = 0; i < a.length; i++) {
      a[i] = 1 + r.nextInt(12);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = 1 + Math.min(11, r.nextInt(13));
    }
    DatasetProfile pa = numbers(a.length, i -> a[i]);
    DatasetProfile pb = numbers(b.length, i -> b[i]);
    DriftDetector d = DriftDetector.withDefaults();
    for (DriftTest t : new DriftTest[] {DriftTest.WASSERSTEIN_NORMED, DriftTest.PSI, DriftTest.JENSEN_SHANNON,
        DriftTest.HELLINGER, DriftTest.L_INFINITY}) {
      // Equal up to the rounding of the profile's standard deviation (Chan merge vs two passes).
      assertThat(d.compare(pa.column(0), pb.column(0), t).statistic()).as(t.id())
          .isCloseTo(d.compareSamples("x", a, b, t).statistic(), org.assertj.core.api.Assertions.within(1e-12));
    }
    assertThat(d.compare(pa.column(0), pb.column(0), DriftTest.KOLMOGOROV_SMIRNOV).statistic())
        .isCloseTo(DriftStatistics.kolmogorovSmirnov(a, b).statistic(), org.assertj.core.api.Assertions.within(1e-12));
  }

  @ParameterizedTest
  @EnumSource(DriftTest.class)
  void emptyReferenceOrCurrentGivesDefinedNotComputedResult(DriftTest test) {
    DriftOptions o = DriftOptions.builder().test("x", test).build();
    DatasetProfile empty = DatasetProfile.empty(NUM, ProfileOptions.defaults());
    DatasetProfile some = numbers(100, i -> (double) i);
    for (DatasetProfile[] pair : new DatasetProfile[][] {{empty, some}, {some, empty}, {empty, empty}}) {
      DatasetDrift d = DriftDetector.of(o).compare(pair[0], pair[1]);
      ColumnDrift c = d.columns().get(0);
      assertThat(c.computed()).isFalse();
      assertThat(c.drifted()).isFalse();
      assertThat(c.note()).contains("no valid values");
      assertThat(d.testedColumns()).isZero();
      assertThat(d.drifted()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(DriftTest.class)
  void constantColumnsGiveFiniteScores(DriftTest test) {
    DriftOptions o = DriftOptions.builder().test("x", test).build();
    DatasetProfile sevens = numbers(200, i -> 7.0);
    DatasetProfile eights = numbers(200, i -> 8.0);
    ColumnDrift same = DriftDetector.of(o).compare(sevens, sevens).columns().get(0);
    assertThat(same.computed()).isTrue();
    assertThat(same.statistic()).isFinite();
    assertThat(same.drifted()).isFalse();
    ColumnDrift diff = DriftDetector.of(o).compare(sevens, eights).columns().get(0);
    assertThat(diff.statistic()).isFinite();
    assertThat(diff.drifted()).isTrue();
  }

  @Test
  void allNullColumnIsNotComputedAndNaNInfAreIgnored() {
    DatasetProfile nulls = numbers(100, i -> null);
    DatasetProfile weird = numbers(100, i -> i % 3 == 0 ? Double.NaN : i % 3 == 1 ? Double.POSITIVE_INFINITY
        : (double) i);
    DatasetProfile plain = numbers(100, i -> (double) i);
    ColumnDrift c = DriftDetector.withDefaults().compare(nulls, plain).columns().get(0);
    assertThat(c.computed()).isFalse();
    assertThat(c.note()).isEqualTo("reference has no valid values (empty, all null or all NaN/Inf)");
    ColumnDrift w = DriftDetector.withDefaults().compare(plain, weird).columns().get(0);
    assertThat(w.computed()).isTrue();
    assertThat(w.currentCount()).isEqualTo(33);
    double[] withNaN = {1, 2, Double.NaN, 3, Double.POSITIVE_INFINITY};
    assertThat(DriftStatistics.wasserstein(withNaN, new double[] {1, 2, 3})).isZero();
    assertThat(DriftStatistics.kolmogorovSmirnov(withNaN, new double[] {1, 2, 3}).statistic()).isZero();
  }

  @Test
  void categorySeenOnlyInCurrentCountsAsDrift() {
    DatasetProfile ref = categories(600, i -> "v" + i % 3);
    DatasetProfile cur = categories(600, i -> i % 4 == 0 ? "new" : "v" + i % 3);
    for (DriftTest t : new DriftTest[] {DriftTest.CHI_SQUARED, DriftTest.JENSEN_SHANNON, DriftTest.PSI,
        DriftTest.HELLINGER, DriftTest.L_INFINITY, DriftTest.Z_TEST}) {
      ColumnDrift c = DriftDetector.of(DriftOptions.builder().test("c", t).build()).compare(ref, cur).columns().get(0);
      assertThat(c.statistic()).as(t.id()).isFinite();
      assertThat(c.drifted()).as(t.id()).isTrue();
    }
  }

  @Test
  void scoreAgreesWithTheVerdictForEveryTestAndIsZeroWithoutAResult() {
    Random r = new Random(11);
    // Numeric pairs from the same and from shifted distributions, and category pairs alike and not.
    List<DatasetProfile[]> numeric = new ArrayList<>();
    List<DatasetProfile[]> categorical = new ArrayList<>();
    for (double shift : new double[] {0.0, 0.05, 0.2, 1.0}) {
      numeric.add(new DatasetProfile[] {numbers(400, i -> r.nextGaussian()), numbers(300, i -> r.nextGaussian() + shift)});
      int cut = (int) (shift * 10);
      categorical.add(new DatasetProfile[] {categories(500, i -> "v" + r.nextInt(4)),
          categories(500, i -> "v" + (r.nextInt(10) < cut ? 0 : r.nextInt(4)))});
    }
    for (DriftTest t : DriftTest.values()) {
      List<DatasetProfile[]> pairs = new ArrayList<>();
      if (t.appliesToNumeric()) {
        pairs.addAll(numeric);
      }
      if (t.appliesToCategorical() && t != DriftTest.Z_TEST) {
        pairs.addAll(categorical);
      }
      for (DatasetProfile[] pair : pairs) {
        String col = pair[0].columns().get(0).field().name();
        ColumnDrift c = DriftDetector.of(DriftOptions.builder().test(col, t).build()).compare(pair[0], pair[1])
            .columns().get(0);
        assertThat(c.computed()).as("%s ran", t.id()).isTrue();
        // A p-value result is drift when p < alpha, so its score log(p)/log(alpha) exceeds 1; a
        // distance is drift when it reaches its threshold, score 1.
        assertThat(t.hasPValue() ? c.score() > 1 : c.score() >= 1).as("%s: score %s, drifted %s", t.id(), c.score(),
            c.drifted()).isEqualTo(c.drifted());
      }
    }
    // KS with a single value on a side has a statistic but no p-value and no verdict: score 0, not
    // D / alpha (it was 20 and ranked first).
    ColumnDrift one = DriftDetector.of(DriftOptions.builder().test("x", DriftTest.KOLMOGOROV_SMIRNOV).build())
        .compare(numbers(1, i -> 5.0), numbers(40, i -> (double) i)).columns().get(0);
    assertThat(one.hasPValue()).as(one.toString()).isFalse();
    assertThat(one.drifted()).isFalse();
    assertThat(one.score()).isZero();
  }

  @Test
  void distinctValuesAreCountedOverBothSidesSoFivePricesAgainstFiveOthersAreComparedAsNumbers() {
    // The report's case: chi-squared over 10 one-count "categories" said p = 0.265, no drift.
    DatasetProfile ref = numbers(5, i -> 10.0 + i);
    DatasetProfile cur = numbers(5, i -> 20.0 + i);
    ColumnDrift c = DriftDetector.withDefaults().compare(ref, cur).columns().get(0);
    assertThat(c.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(c.statistic()).isEqualTo(1.0);
    // scipy.stats.ks_2samp([10..14], [20..24]).pvalue = 2/252
    assertThat(c.pValue()).isCloseTo(0.007936507936507936, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.drifted()).isTrue();
    // One reference value against 1,000: KS has no p-value, so no verdict (it was chi-squared, p = 0.485).
    Random r = new Random(4);
    ColumnDrift one = DriftDetector.withDefaults().compare(numbers(1, i -> 0.5), numbers(1000, i -> r.nextGaussian()))
        .columns().get(0);
    assertThat(one.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(one.drifted()).isFalse();
    assertThat(one.score()).isZero();
    assertThat(one.note()).contains("at least 2 values on each side");
  }

  @Test
  void chiSquaredGroupsTheRarestCategoriesUntilCochransRuleHoldsAndOtherwiseGivesNoVerdict() throws Exception {
    com.fasterxml.jackson.databind.JsonNode golden = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        DriftDetectorTest.class.getResourceAsStream("/golden/chi2_grouped.json"));
    DatasetProfile ref = categories(105, i -> i < 50 ? "a" : i < 100 ? "b" : i < 103 ? "c" : "d");
    DatasetProfile cur = categories(105, i -> i < 50 ? "a" : i < 95 ? "b" : i < 99 ? "c" : "d");
    ColumnDrift c = DriftDetector.of(DriftOptions.builder().test("c", DriftTest.CHI_SQUARED).build())
        .compare(ref, cur).columns().get(0);
    assertThat(c.statistic()).isCloseTo(golden.get("statistic").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.pValue()).isCloseTo(golden.get("pvalue").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.note()).isEqualTo("the 2 rarest categories were tested as one, so that every expected count"
        + " meets Cochran's rule");
    // Four values in three categories: no grouping reaches expected counts of 5.
    ColumnDrift tiny = DriftDetector.of(DriftOptions.builder().test("c", DriftTest.CHI_SQUARED).build())
        .compare(categories(2, i -> i == 0 ? "a" : "b"), categories(2, i -> i == 0 ? "a" : "c")).columns().get(0);
    assertThat(tiny.computed()).isFalse();
    assertThat(tiny.drifted()).isFalse();
    assertThat(tiny.note()).startsWith("too few values for chi-squared");
    // Adequate counts are tested as they are, without a note.
    ColumnDrift plenty = DriftDetector.of(DriftOptions.builder().test("c", DriftTest.CHI_SQUARED).build())
        .compare(categories(300, i -> "v" + i % 3), categories(300, i -> "v" + i % 3)).columns().get(0);
    assertThat(plenty.note()).isEmpty();
    assertThat(plenty.pValue()).isEqualTo(1.0);
  }

  @Test
  void excludedColumnsAreNotComparedAndLeaveTheDriftShare() {
    Schema schema = Schema.of(Field.of("group", DataType.STRING), Field.of("x", DataType.FLOAT64));
    Random r = new Random(8);
    // Split by group: the group column differs completely, x does not.
    List<Row> a = new ArrayList<>();
    List<Row> b = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      a.add(Row.of(schema, "north", r.nextGaussian()));
      b.add(Row.of(schema, "south", r.nextGaussian()));
    }
    DatasetProfile north = DatasetProfile.of(schema, a);
    DatasetProfile south = DatasetProfile.of(schema, b);
    DatasetDrift all = DriftDetector.withDefaults().compare(north, south);
    assertThat(all.columns()).extracting(ColumnDrift::column).containsExactly("group", "x");
    assertThat(all.columns().get(0).drifted()).isTrue();
    DatasetDrift withoutGroup = DriftDetector.of(DriftOptions.builder().exclude("group").build()).compare(north, south);
    assertThat(withoutGroup.columns()).extracting(ColumnDrift::column).containsExactly("x");
    assertThat(withoutGroup.drifted()).isFalse();
    DatasetDrift onlyX = DriftDetector.of(DriftOptions.builder().include("x").build()).compare(north, south);
    assertThat(onlyX.columns()).extracting(ColumnDrift::column).containsExactly("x");
    assertThat(DriftOptions.builder().include("x", "group").exclude("group").build().compares("group")).isFalse();
  }

  @Test
  void testsThatDoNotFitTheColumnSaySo() {
    DatasetProfile cat = categories(100, i -> "a" + i % 3);
    ColumnDrift c = DriftDetector.of(DriftOptions.builder().test("c", DriftTest.KOLMOGOROV_SMIRNOV).build())
        .compare(cat, cat).columns().get(0);
    assertThat(c.computed()).isFalse();
    assertThat(c.note()).contains("needs numeric values");
    Random r = new Random(2);
    DatasetProfile num = numbers(100, i -> r.nextGaussian());
    ColumnDrift n = DriftDetector.of(DriftOptions.builder().test("x", DriftTest.CHI_SQUARED).build())
        .compare(num, num).columns().get(0);
    assertThat(n.note()).contains("needs category counts");
  }

  @Test
  void missingColumnAndTypeChangeAreReported() {
    DatasetProfile a = numbers(10, i -> (double) i);
    DatasetProfile b = categories(10, i -> "x");
    DatasetDrift d = DriftDetector.withDefaults().compare(a, b);
    assertThat(d.columns().get(0).note()).isEqualTo("column missing from the current data");
    Schema sx = Schema.of(Field.of("x", DataType.STRING));
    DatasetProfile c = DatasetProfile.of(sx, List.of(Row.of(sx, "q")));
    assertThat(DriftDetector.withDefaults().compare(a, c).columns().get(0).note())
        .isEqualTo("column type differs: reference float64, current string");
  }

  @Test
  void correctionsChangeThresholdsAndVerdicts() {
    Schema s = Schema.of(Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64),
        Field.of("c", DataType.FLOAT64), Field.of("d", DataType.FLOAT64));
    Random r = new Random(11);
    List<Row> ref = new ArrayList<>();
    List<Row> cur = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ref.add(Row.of(s, r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()));
      cur.add(Row.of(s, r.nextGaussian() + 1, r.nextGaussian() + 0.25, r.nextGaussian(), r.nextGaussian()));
    }
    DatasetProfile pr = DatasetProfile.of(s, ref);
    DatasetProfile pc = DatasetProfile.of(s, cur);
    DatasetDrift none = DriftDetector.withDefaults().compare(pr, pc);
    DatasetDrift bonf = DriftDetector.of(DriftOptions.builder().correction(Correction.BONFERRONI).build())
        .compare(pr, pc);
    assertThat(none.column("a").orElseThrow().drifted()).isTrue();
    assertThat(bonf.column("a").orElseThrow().drifted()).isTrue();
    assertThat(bonf.correction()).isEqualTo(Correction.BONFERRONI);
    assertThat(bonf.driftedColumns()).isLessThanOrEqualTo(none.driftedColumns());
    // KS from the sketches has a p-value, so Bonferroni divides alpha by the 4 tests.
    for (ColumnDrift c : bonf.columns()) {
      ColumnDrift raw = none.column(c.column()).orElseThrow();
      assertThat(c.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
      assertThat(c.note()).startsWith("from KLL sketches");
      assertThat(c.hasPValue()).isTrue();
      assertThat(c.pValue()).isEqualTo(raw.pValue());
      assertThat(raw.threshold()).isEqualTo(0.05);
      assertThat(raw.drifted()).isEqualTo(raw.pValue() < 0.05);
      assertThat(c.threshold()).isEqualTo(0.05 / 4);
      assertThat(c.drifted()).as(c.column()).isEqualTo(c.pValue() < 0.05 / 4);
    }
  }

  @Test
  void benjaminiHochbergRanksKolmogorovSmirnovFromSketchesWithTheOtherPValues() {
    Schema s = Schema.of(Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64),
        Field.of("c", DataType.FLOAT64), Field.of("d", DataType.STRING), Field.of("e", DataType.STRING),
        Field.of("f", DataType.STRING));
    Random r = new Random(12);
    List<Row> ref = new ArrayList<>();
    List<Row> cur = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      ref.add(Row.of(s, r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextDouble() < 0.3 ? "p" : "q",
          r.nextDouble() < 0.3 ? "p" : "q", r.nextDouble() < 0.3 ? "p" : "q"));
      cur.add(Row.of(s, r.nextGaussian() + 0.5, r.nextGaussian() + 0.18, r.nextGaussian(),
          r.nextDouble() < 0.45 ? "p" : "q", r.nextDouble() < 0.36 ? "p" : "q", r.nextDouble() < 0.3 ? "p" : "q"));
    }
    DatasetProfile pr = DatasetProfile.of(s, ref);
    DatasetProfile pc = DatasetProfile.of(s, cur);
    DatasetDrift raw = DriftDetector.withDefaults().compare(pr, pc);
    DatasetDrift bh = DriftDetector.of(DriftOptions.builder().correction(Correction.BENJAMINI_HOCHBERG).build())
        .compare(pr, pc);
    assertThat(raw.columns()).extracting(ColumnDrift::test).containsExactly(DriftTest.KOLMOGOROV_SMIRNOV,
        DriftTest.KOLMOGOROV_SMIRNOV, DriftTest.KOLMOGOROV_SMIRNOV, DriftTest.Z_TEST, DriftTest.Z_TEST,
        DriftTest.Z_TEST);
    assertThat(raw.columns()).allMatch(ColumnDrift::hasPValue);
    double cutoff = benjaminiHochbergCutoff(raw);
    assertThat(cutoff).as("the data gives BH something to reject").isPositive();
    for (ColumnDrift c : bh.columns()) {
      assertThat(c.pValue()).isEqualTo(raw.column(c.column()).orElseThrow().pValue());
      assertThat(c.threshold()).as(c.column()).isEqualTo(cutoff);
      // a sketch's error never turns into a discovery: BH ranks the largest p-values the sketches allow
      assertThat(c.drifted()).as(c.column()).isEqualTo(c.pValueHigh() <= cutoff);
    }
    assertThat(bh.column("a").orElseThrow().drifted()).isTrue();
    assertThat(bh.column("c").orElseThrow().drifted()).isFalse();
  }

  @Test
  void benjaminiHochbergRejectsUpToTheLargestPassingRank() {
    Schema s = Schema.of(Field.of("a", DataType.STRING), Field.of("b", DataType.STRING),
        Field.of("c", DataType.STRING), Field.of("d", DataType.STRING), Field.of("e", DataType.STRING));
    Random r = new Random(21);
    double[] shift = {0.3, 0.12, 0.1, 0.0, 0.0};
    List<Row> ref = new ArrayList<>();
    List<Row> cur = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Object[] x = new Object[5];
      Object[] y = new Object[5];
      for (int k = 0; k < 5; k++) {
        x[k] = r.nextDouble() < 0.3 ? "p" : r.nextDouble() < 0.5 ? "q" : "r";
        y[k] = r.nextDouble() < 0.3 + shift[k] ? "p" : r.nextDouble() < 0.5 ? "q" : "r";
      }
      ref.add(Row.of(s, x));
      cur.add(Row.of(s, y));
    }
    DatasetProfile pr = DatasetProfile.of(s, ref);
    DatasetProfile pc = DatasetProfile.of(s, cur);
    DatasetDrift raw = DriftDetector.withDefaults().compare(pr, pc);
    DatasetDrift bh = DriftDetector.of(DriftOptions.builder().correction(Correction.BENJAMINI_HOCHBERG).build())
        .compare(pr, pc);
    double cutoff = benjaminiHochbergCutoff(raw);
    assertThat(cutoff).as("the data gives BH something to reject").isPositive();
    for (ColumnDrift c : bh.columns()) {
      assertThat(c.test()).isEqualTo(DriftTest.CHI_SQUARED);
      assertThat(c.pValue()).isEqualTo(raw.column(c.column()).orElseThrow().pValue());
      assertThat(c.threshold()).isEqualTo(cutoff);
      assertThat(c.drifted()).as(c.column()).isEqualTo(c.pValue() <= cutoff);
    }
    DatasetDrift bonf = DriftDetector.of(DriftOptions.builder().correction(Correction.BONFERRONI).build())
        .compare(pr, pc);
    for (ColumnDrift c : bonf.columns()) {
      assertThat(c.threshold()).isEqualTo(0.05 / 5);
      assertThat(c.drifted()).isEqualTo(c.pValue() < 0.01);
    }
  }

  /** The Benjamini-Hochberg cutoff at alpha 0.05 over all p-values of an uncorrected comparison, -1 when none. */
  /** BH at 0.05 over the largest p-value each result allows (its p-value on exact paths). */
  static double benjaminiHochbergCutoff(DatasetDrift raw) {
    double[] ps = raw.columns().stream().mapToDouble(ColumnDrift::pValueHigh).sorted().toArray();
    for (int k = ps.length; k >= 1; k--) {
      if (ps[k - 1] <= k * 0.05 / ps.length) {
        return k * 0.05 / ps.length;
      }
    }
    return -1;
  }

  @Test
  void datasetVerdictUsesShareOfTestedColumns() {
    Schema s = Schema.of(Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64));
    Random r = new Random(5);
    List<Row> ref = new ArrayList<>();
    List<Row> cur = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ref.add(Row.of(s, r.nextGaussian(), r.nextGaussian()));
      cur.add(Row.of(s, r.nextGaussian() + 2, r.nextGaussian()));
    }
    DatasetDrift d = DriftDetector.withDefaults().compare(DatasetProfile.of(s, ref), DatasetProfile.of(s, cur));
    assertThat(d.testedColumns()).isEqualTo(2);
    assertThat(d.driftedColumns()).isEqualTo(1);
    assertThat(d.driftShare()).isEqualTo(0.5);
    assertThat(d.drifted()).isTrue();
    assertThat(d.byScore().get(0).column()).isEqualTo("a");
    DatasetDrift strict = DriftDetector.of(DriftOptions.builder().driftShare(0.75).build())
        .compare(DatasetProfile.of(s, ref), DatasetProfile.of(s, cur));
    assertThat(strict.drifted()).isFalse();
  }

  @Test
  void optionsRejectNonsense() {
    assertThatThrownBy(() -> DriftOptions.builder().threshold(DriftTest.KOLMOGOROV_SMIRNOV, 1.5))
        .hasMessage("Threshold of ks must be an alpha in (0, 1), got 1.5");
    assertThatThrownBy(() -> DriftOptions.builder().driftShare(0)).hasMessageContaining("driftShare");
    assertThatThrownBy(() -> DriftStatistics.psi(new double[] {1}, new double[] {1, 2}))
        .hasMessageContaining("same length");
  }

  @Test
  void degenerateVectorsGiveZeroNotNaN() {
    double[] zero = {0, 0, 0};
    double[] p = {1, 2, 3};
    assertThat(DriftStatistics.jensenShannon(zero, p)).isZero();
    assertThat(DriftStatistics.psi(zero, p)).isZero();
    assertThat(DriftStatistics.hellinger(zero, p)).isZero();
    assertThat(DriftStatistics.lInfinity(zero, p)).isZero();
    assertThat(DriftStatistics.chiSquared(new long[] {0, 5}, new long[] {0, 7})).isEqualTo(new DriftStatistics.Result(0, 1));
    assertThat(DriftStatistics.zTest(0, 10, 0, 10)).isEqualTo(new DriftStatistics.Result(0, 1));
    assertThat(DriftStatistics.kolmogorovSmirnov(new double[0], p)).isEqualTo(new DriftStatistics.Result(0, 1));
    assertThat(DriftStatistics.wasserstein(new double[0], p)).isZero();
  }
}
