package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DatasetProfile;
import java.util.Random;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kolmogorov-Smirnov between profiles: exact from value counts, approximate from KLL sketches, and
 * bounded in memory for large sides.
 */
class KolmogorovSmirnovFromProfilesTest {
  static final DriftDetector DETECTOR = DriftDetector.withDefaults();

  static double[] integers(int n, int values, int offset, long seed) {
    Random r = new Random(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = offset + r.nextInt(values);
    }
    return a;
  }

  static ColumnProfile profile(double[] a) {
    return DriftDetectorTest.numbers(a.length, i -> a[i]).column(0);
  }

  static ColumnDrift ks(ColumnProfile a, ColumnProfile b) {
    return DETECTOR.compare(a, b, DriftTest.KOLMOGOROV_SMIRNOV);
  }

  @ParameterizedTest(name = "n={0} m={1}")
  @CsvSource({"400, 350", "30, 3000", "20000, 15000"})
  void exactValueCountsGiveTheRawSamplesDAndPValueWithTies(int n, int m) {
    // 12 and 13 distinct integers: heavy ties; 20000 values on a side use the asymptotic p-value.
    double[] a = integers(n, 12, 1, n);
    double[] b = integers(m, 13, 1, m + 7);
    ColumnDrift fromCounts = ks(profile(a), profile(b));
    ColumnDrift raw = DETECTOR.compareSamples("x", a, b, DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(fromCounts.note()).startsWith("exact from value counts");
    assertThat(fromCounts.pValue()).isCloseTo(raw.pValue(), within(1e-12)).isEqualTo(raw.pValue());
    assertThat(fromCounts.statistic()).isEqualTo(raw.statistic());
    assertThat(fromCounts.drifted()).isEqualTo(raw.drifted());
    assertThat(fromCounts.threshold()).isEqualTo(0.05);
  }

  @Test
  void sketchesThatStillHoldEveryValueAreExact() {
    double[] a = DriftDetectorTest.gaussian(150, 0, 31);
    double[] b = DriftDetectorTest.gaussian(180, 0.4, 32);
    ColumnDrift fromSketches = ks(profile(a), profile(b));
    ColumnDrift raw = DETECTOR.compareSamples("x", a, b);
    assertThat(fromSketches.note()).startsWith("exact: the sketches still hold every value");
    assertThat(fromSketches.pValue()).isEqualTo(raw.pValue());
    assertThat(fromSketches.statistic()).isEqualTo(raw.statistic());
  }

  /**
   * The sketch p-value is the exact p-value of the sketches' D, which is within eps = the two sketches'
   * rank error (2 x 1.33% at k = 200) of the raw data's D. So the stated tolerance is: the p-value lies
   * between the exact p-values of D + eps and D - eps for samples of the same sizes (computed here by
   * Commons Statistics on two shifted grids whose D brackets those values), and the verdict is the
   * raw data's wherever that whole interval is on one side of alpha. Near the threshold the note says
   * that the verdict could go either way.
   */
  @ParameterizedTest(name = "n={0} m={1} shift={2}")
  @CsvSource({"700, 300, 0.0, false", "700, 300, 0.2, true", "10000, 10000, 0.0, true", "10000, 10000, 0.2, false"})
  void sketchPValueIsWithinTheRankErrorOfTheExactOne(int n, int m, double shift, boolean nearThreshold) {
    double[] a = DriftDetectorTest.gaussian(n, 0, 101);
    double[] b = DriftDetectorTest.gaussian(m, shift, 202);
    ColumnProfile pa = profile(a);
    ColumnProfile pb = profile(b);
    ColumnDrift sketch = ks(pa, pb);
    ColumnDrift exact = DETECTOR.compareSamples("x", a, b, DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(pa.quantileSketch().isEstimationMode()).isTrue();
    assertThat(pb.quantileSketch().isEstimationMode()).isTrue();
    double eps = pa.quantileRankError() + pb.quantileRankError();
    assertThat(sketch.note()).startsWith("from KLL sketches").contains(String.format(java.util.Locale.ROOT,
        "the raw data's D is within %.3g of it", eps));
    assertThat(sketch.referenceCount()).isEqualTo(n);
    assertThat(sketch.currentCount()).isEqualTo(m);
    assertThat(Math.abs(sketch.statistic() - exact.statistic())).isLessThanOrEqualTo(eps);
    double pLow = gridPValue(n, m, exact.statistic() + eps, true);
    double pHigh = gridPValue(n, m, exact.statistic() - eps, false);
    assertThat(sketch.pValue()).isBetween(pLow, pHigh);
    boolean oneSide = pHigh < 0.05 || pLow >= 0.05;
    assertThat(oneSide).as("interval [%s, %s] is away from alpha", pLow, pHigh).isEqualTo(!nearThreshold);
    // Sound: the raw data's p-value is inside the interval the sketches state.
    assertThat(exact.pValue()).isBetween(sketch.pValueLow(), sketch.pValueHigh());
    if (oneSide) {
      assertThat(sketch.drifted()).isEqualTo(exact.drifted()).isEqualTo(shift > 0);
    }
    assertThat(sketch.note().contains("within the sketch error of the critical D")).isEqualTo(nearThreshold);
    // Near the threshold it decides nothing: neither drift nor no drift.
    assertThat(sketch.inconclusive()).isEqualTo(nearThreshold);
    if (nearThreshold) {
      assertThat(sketch.drifted()).isFalse();
      assertThat(sketch.score()).isLessThan(1);
    }
  }

  /**
   * The exact p-value of a D at least (or at most) {@code target} for samples of sizes n and m: two
   * evenly spaced grids, the second shifted until its D passes the target.
   */
  static double gridPValue(int n, int m, double target, boolean atLeast) {
    if (!atLeast && target <= 0) {
      return 1;
    }
    double lo = 0;
    double hi = 2;
    if (!atLeast && gridTest(n, m, lo).getStatistic() > target) {
      return 1;
    }
    for (int i = 0; i < 50; i++) {
      double mid = (lo + hi) / 2;
      if (gridTest(n, m, mid).getStatistic() >= target) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    KolmogorovSmirnovTest.TwoResult r = gridTest(n, m, atLeast ? hi : lo);
    assertThat(atLeast ? r.getStatistic() >= target : r.getStatistic() <= target).isTrue();
    return r.getPValue();
  }

  static KolmogorovSmirnovTest.TwoResult gridTest(int n, int m, double shift) {
    double[] x = new double[n];
    double[] y = new double[m];
    for (int i = 0; i < n; i++) {
      x[i] = (i + 0.5) / n;
    }
    for (int j = 0; j < m; j++) {
      y[j] = (j + 0.5) / m + shift;
    }
    return KolmogorovSmirnovTest.withDefaults().test(x, y);
  }

  @Test
  void largeSidesAreQuantileSampledWithDWithinOneMillionth() {
    // 1000 rows of 10 values doubled 11 times: 2,048,000 exact counts against 1,024,000 shifted ones.
    DatasetProfile a = DriftDetectorTest.numbers(1000, i -> (double) (i % 10));
    DatasetProfile b = DriftDetectorTest.numbers(1000, i -> (double) ((i + i / 97) % 10));
    for (int i = 0; i < 11; i++) {
      a = a.merge(a);
      if (i < 10) {
        b = b.merge(b);
      }
    }
    ColumnProfile pa = a.column(0);
    ColumnProfile pb = b.column(0);
    assertThat(pa.validCount()).isEqualTo(2_048_000);
    Side.OfProfile sa = new Side.OfProfile(pa);
    Side.OfProfile sb = new Side.OfProfile(pb);
    double exactD = DriftStatistics.ksDistanceSorted(sa.cdfPoints(), sa.cdfValues(), sb.cdfPoints(), sb.cdfValues());
    ColumnDrift c = ks(pa, pb);
    assertThat(c.note()).startsWith("exact from value counts").contains("quantile samples of 1000000 and 1000000");
    assertThat(c.statistic()).isCloseTo(exactD, within(1.0 / DriftStatistics.KS_SAMPLE_MAX));
    assertThat(c.referenceCount()).isEqualTo(2_048_000);
    assertThat(c.pValue()).isBetween(0.0, 1.0);
  }

  @Test
  void quantileSampleTracksTheCdfToHalfOverItsSize() {
    double[] values = {1, 2, 3, 5, 8};
    long[] cumulative = {7, 1000, 1001, 123_456, 200_003};
    int max = 997;
    double[] s = DriftStatistics.weightedSample(values, cumulative, max, "reference");
    assertThat(s).hasSize(max);
    assertThat(s).isSorted();
    assertThat(DriftStatistics.weightedSample(values, cumulative, max, "reference")).isEqualTo(s);
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      long below = java.util.Arrays.stream(s).filter(x -> x <= v).count();
      assertThat((double) below / max).as("CDF at %s", v)
          .isCloseTo((double) cumulative[i] / cumulative[values.length - 1], within(0.5 / max + 1e-15));
    }
    double[] small = DriftStatistics.weightedSample(values, new long[] {1, 1, 3, 3, 4}, max, "current");
    assertThat(small).containsExactly(1, 3, 3, 8);
  }

  @Test
  void weightedInputIsValidated() {
    assertThatThrownBy(() -> DriftStatistics.kolmogorovSmirnovWeighted(new double[] {1, 2}, new long[] {3},
        new double[] {1}, new long[] {1}))
        .hasMessage("The reference side has 2 values but 1 cumulative counts; give one cumulative count per value");
    assertThatThrownBy(() -> DriftStatistics.kolmogorovSmirnovWeighted(new double[] {1}, new long[] {3},
        new double[] {1, 2}, new long[] {4, 2}))
        .hasMessage("Cumulative counts of the current side must not decrease, but index 1 has 2 after 4; pass "
            + "running totals, not counts");
  }

  @Test
  void aSingleValueOnASideGivesDButNoPValueAndNoDrift() {
    ColumnDrift raw = DETECTOR.compareSamples("x", new double[] {1.5}, new double[] {1, 2, 3, 4},
        DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(raw.statistic()).isEqualTo(0.75);
    assertThat(raw.hasPValue()).isFalse();
    assertThat(raw.drifted()).isFalse();
    assertThat(raw.note()).isEqualTo("no p-value: Kolmogorov-Smirnov needs at least 2 values on each side");
    ColumnDrift fromProfiles = ks(profile(new double[] {1.5}), profile(new double[] {1, 2, 3, 4}));
    assertThat(fromProfiles.statistic()).isEqualTo(0.75);
    assertThat(fromProfiles.hasPValue()).isFalse();
    assertThat(fromProfiles.drifted()).isFalse();
    assertThat(fromProfiles.note()).endsWith("no p-value: Kolmogorov-Smirnov needs at least 2 values on each side");
  }
}
