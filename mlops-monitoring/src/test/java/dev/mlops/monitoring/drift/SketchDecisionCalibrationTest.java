package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.monitoring.ColumnProfile;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Calibration and power of Kolmogorov-Smirnov decided from profiles (KLL sketches in estimation
 * mode, k = 200), D1 of the monitoring issue. Under the null (two disjoint samples of one normal
 * distribution) drift from profiles is flagged in at most alpha plus two standard errors of the
 * trials (INCONCLUSIVE is not drift); before the fix, 37-44 of 50 pairs at 26,970 x 26,970 were.
 * Seeded; trial counts in the parameters. Measured with these seeds: 0 of 200, 0 of 100 and 0 of 30
 * flagged; inconclusive 135 of 200 at 1,000 and all at 5,000 and 27,000, where the sketches' error
 * (0.0266 at k = 200) exceeds the critical D (0.027 and 0.0117): there a "no drift" needs a larger
 * kllK. The shift below is found in 10 of 10 trials from profiles and exactly.
 */
class SketchDecisionCalibrationTest {
  private static final DriftDetector DETECTOR = DriftDetector.withDefaults();
  private static final double ALPHA = 0.05;

  private static double[] normal(Random r, int n, double shift) {
    double[] v = new double[n];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian() + shift;
    }
    return v;
  }

  private static ColumnProfile profile(double[] v) {
    return KolmogorovSmirnovFromProfilesTest.profile(v);
  }

  @ParameterizedTest(name = "n = m = {0}, {1} trials")
  @CsvSource({"1000, 200", "5000, 100", "27000, 30"})
  void underTheNullDriftIsFlaggedAtMostAtAlphaPlusTwoStandardErrors(int n, int trials) {
    Random r = new Random(1000L + n);
    int flagged = 0;
    int inconclusive = 0;
    for (int t = 0; t < trials; t++) {
      double[] a = normal(r, n, 0);
      double[] b = normal(r, n, 0);
      ColumnDrift d = DETECTOR.compare(profile(a), profile(b), DriftTest.KOLMOGOROV_SMIRNOV);
      assertThat(d.note()).startsWith("from KLL sketches");
      flagged += d.drifted() ? 1 : 0;
      inconclusive += d.inconclusive() ? 1 : 0;
      assertThat(d.drifted() && d.inconclusive()).isFalse();
    }
    double bound = trials * (ALPHA + 2 * Math.sqrt(ALPHA * (1 - ALPHA) / trials));
    assertThat(flagged).as("drift flagged from profiles in %d trials (%d inconclusive)", trials, inconclusive)
        .isLessThanOrEqualTo((int) Math.floor(bound));
  }

  /**
   * Under the null, the other tests from profiles: chi-squared on a 5-category column (exact counts
   * from the frequent-items sketch, so an exact p-value), Wasserstein-normed on a continuous column
   * (sketch bound: rank error times range), PSI on reference-quantile bins read from the sketches
   * (no bound derived: never drift). Each flags drift in at most alpha (0.05) plus two standard
   * errors of the trials; INCONCLUSIVE is not drift.
   */
  @ParameterizedTest(name = "n = m = {0}, {1} trials")
  @CsvSource({"1000, 200", "5000, 100", "27000, 30"})
  void chiSquaredWassersteinAndPsiFromProfilesStayCalibrated(int n, int trials) {
    Random r = new Random(2000L + n);
    dev.mlops.core.Schema schema = dev.mlops.core.Schema.of(dev.mlops.core.Field.of("x", dev.mlops.core.DataType.FLOAT64),
        dev.mlops.core.Field.of("c", dev.mlops.core.DataType.STRING));
    String[] cats = {"a", "b", "c", "d", "e"};
    double[] weights = {0.4, 0.25, 0.15, 0.12, 0.08};
    int chi = 0;
    int wasserstein = 0;
    int psi = 0;
    int wassersteinInconclusive = 0;
    for (int t = 0; t < trials; t++) {
      dev.mlops.monitoring.Profiler a = dev.mlops.monitoring.Profiler.create(schema);
      dev.mlops.monitoring.Profiler b = dev.mlops.monitoring.Profiler.create(schema);
      for (dev.mlops.monitoring.Profiler p : new dev.mlops.monitoring.Profiler[] {a, b}) {
        for (int i = 0; i < n; i++) {
          double u = r.nextDouble();
          int k = 0;
          for (double acc = weights[0]; u > acc && k < 4; acc += weights[++k]) {
            // pick category k
          }
          p.record(dev.mlops.core.Row.of(schema, r.nextGaussian(), cats[k]));
        }
      }
      dev.mlops.monitoring.DatasetProfile pa = a.snapshot();
      dev.mlops.monitoring.DatasetProfile pb = b.snapshot();
      ColumnDrift c = DETECTOR.compare(pa.column("c"), pb.column("c"), DriftTest.CHI_SQUARED);
      ColumnDrift w = DETECTOR.compare(pa.column("x"), pb.column("x"), DriftTest.WASSERSTEIN_NORMED);
      ColumnDrift q = DETECTOR.compare(pa.column("x"), pb.column("x"), DriftTest.PSI);
      assertThat(c.hasPValue()).isTrue();
      chi += c.drifted() ? 1 : 0;
      wasserstein += w.drifted() ? 1 : 0;
      wassersteinInconclusive += w.inconclusive() ? 1 : 0;
      psi += q.drifted() ? 1 : 0;
      assertThat(q.inconclusive()).isTrue();
      if (n > 200) {
        assertThat(w.note()).startsWith("from KLL sketches");
      }
    }
    int bound = (int) Math.floor(trials * (ALPHA + 2 * Math.sqrt(ALPHA * (1 - ALPHA) / trials)));
    assertThat(chi).as("chi-squared flagged").isLessThanOrEqualTo(bound);
    assertThat(wasserstein).as("wasserstein flagged (%d inconclusive)", wassersteinInconclusive)
        .isLessThanOrEqualTo(bound);
    assertThat(psi).as("psi flagged").isZero();
  }

  /**
   * D3: random halves of a column with a few far outliers. Before, the sketch distance (median 0.016
   * against an exact 0.006) crossed 0.1 in 4 of 100 rebuilds; the bound now includes the outliers'
   * range, so none is flagged, and a half-sigma shift of the body is still shown from profiles.
   */
  @Test
  void outliersNoLongerTurnSketchNoiseIntoWassersteinDrift() {
    Random r = new Random(33);
    int flagged = 0;
    for (int t = 0; t < 100; t++) {
      double[] all = normal(r, 20_000, 0);
      for (int i = 0; i < 10; i++) {
        all[r.nextInt(all.length)] = 1e4 * (i + 1);
      }
      double[] a = java.util.Arrays.copyOfRange(all, 0, 10_000);
      double[] b = java.util.Arrays.copyOfRange(all, 10_000, 20_000);
      flagged += DETECTOR.compare(profile(a), profile(b), DriftTest.WASSERSTEIN_NORMED).drifted() ? 1 : 0;
    }
    assertThat(flagged).isZero();
    double[] a = normal(r, 27_000, 0);
    double[] b = normal(r, 27_000, 0.5);
    ColumnDrift shifted = DETECTOR.compare(profile(a), profile(b), DriftTest.WASSERSTEIN_NORMED);
    assertThat(shifted.drifted()).as(shifted.note()).isTrue();
    assertThat(shifted.score()).isGreaterThanOrEqualTo(1);
  }

  /**
   * A string column with more distinct values than the frequent-items sketch keeps exactly (768 at
   * the default map size): its counts are estimates, so a test over them shows nothing, whichever
   * way the data moved, and says why.
   */
  @Test
  void estimatedCategoryCountsDecideNothing() {
    dev.mlops.core.Schema s = dev.mlops.core.Schema.of(dev.mlops.core.Field.of("city", dev.mlops.core.DataType.STRING));
    Random r = new Random(8);
    java.util.List<dev.mlops.core.Row> a = new java.util.ArrayList<>();
    java.util.List<dev.mlops.core.Row> b = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      a.add(dev.mlops.core.Row.of(s, "c" + r.nextInt(3000)));
      b.add(dev.mlops.core.Row.of(s, "c" + (i % 3 == 0 ? r.nextInt(100) : r.nextInt(3000))));
    }
    var pa = dev.mlops.monitoring.DatasetProfile.of(s, a).column("city");
    var pb = dev.mlops.monitoring.DatasetProfile.of(s, b).column("city");
    assertThat(pa.hasExactCategoryCounts()).isFalse();
    for (DriftTest t : new DriftTest[] {DriftTest.CHI_SQUARED, DriftTest.JENSEN_SHANNON, DriftTest.PSI}) {
      ColumnDrift d = DETECTOR.compare(pa, pb, t);
      assertThat(d.drifted()).as(t.id()).isFalse();
      assertThat(d.inconclusive()).as(t.id()).isTrue();
      assertThat(d.score()).as(t.id()).isLessThan(1);
      assertThat(d.note()).as(t.id()).contains("category counts of a side with more distinct values");
    }
    // from the raw values the shift is shown
    String[] ra = a.stream().map(x -> x.getString(0)).toArray(String[]::new);
    String[] rb = b.stream().map(x -> x.getString(0)).toArray(String[]::new);
    assertThat(DETECTOR.compareSamples("city", ra, rb, DriftTest.CHI_SQUARED).drifted()).isTrue();
  }

  /** A 0.1-sigma mean shift at 27,000 x 27,000 (true D about 0.04, critical D 0.0117) is still found. */
  @Test
  void aTenthOfASigmaShiftAt27000IsDetectedFromProfilesAndExactly() {
    Random r = new Random(27);
    int trials = 10;
    int fromProfiles = 0;
    int exact = 0;
    for (int t = 0; t < trials; t++) {
      double[] a = normal(r, 27_000, 0);
      double[] b = normal(r, 27_000, 0.1);
      fromProfiles += DETECTOR.compare(profile(a), profile(b), DriftTest.KOLMOGOROV_SMIRNOV).drifted() ? 1 : 0;
      exact += DETECTOR.compareSamples("x", a, b, DriftTest.KOLMOGOROV_SMIRNOV).drifted() ? 1 : 0;
    }
    assertThat(exact).isEqualTo(trials);
    // The margin is thin at k = 200 (D about 0.045 against a critical D plus sketch error of 0.038), and
    // the sketches are not seeded: measured 10 of 10 in several runs; at least 8 is asserted.
    assertThat(fromProfiles).as("detected from profiles in %d trials", trials).isGreaterThanOrEqualTo(trials - 2);
  }

  @Test
  void theKolmogorovSurvivalFunctionMatchesScipy() throws Exception {
    com.fasterxml.jackson.databind.JsonNode golden;
    try (var in = SketchDecisionCalibrationTest.class.getResourceAsStream("/golden/kolmogorov.json")) {
      golden = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    }
    int n = 0;
    for (var c : golden.get("cases")) {
      double expected = c.get("sf").asDouble();
      double got = DriftStatistics.kolmogorovSurvival(c.get("lambda").asDouble());
      assertThat(got).as("lambda %s", c.get("lambda")).isCloseTo(expected,
          org.assertj.core.data.Offset.offset(Math.max(1e-14, 1e-12 * expected)));
      n++;
    }
    assertThat(n).isEqualTo(17);
  }
}
