package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Row;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.Correction;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.drift.DriftTest;
import dev.mlops.monitoring.report.DriftReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Drift on the bundled real datasets (see data/README.md). */
class RealDataTest {
  static final Path TXHOUSING = Path.of("../data/txhousing.csv");
  static final Path CREDIT = Path.of("../data/credit-g.csv");

  static DatasetProfile[] txhousingEarlyVsLate() throws Exception {
    TestCsv.Table t = TestCsv.load(TXHOUSING);
    Profiler early = Profiler.create(t.schema());
    Profiler late = Profiler.create(t.schema());
    for (Row r : t.rows()) {
      double year = r.getDouble("year");
      if (year >= 2000 && year <= 2004) {
        early.record(r);
      } else if (year >= 2011 && year <= 2015) {
        late.record(r);
      }
    }
    return new DatasetProfile[] {early.snapshot(), late.snapshot()};
  }

  @Test
  void txhousingDriftsOnPriceLikeColumnsBetween2000sAnd2010s() throws Exception {
    DatasetProfile[] p = txhousingEarlyVsLate();
    assertThat(p[0].rowCount()).isEqualTo(2760);
    DatasetDrift d = DriftDetector.withDefaults().compare(p[0], p[1]);
    ColumnDrift median = d.column("median").orElseThrow();
    assertThat(median.test()).isEqualTo(DriftTest.WASSERSTEIN_NORMED);
    assertThat(median.drifted()).isTrue();
    assertThat(median.statistic()).isGreaterThan(0.5);
    assertThat(d.column("volume").orElseThrow().drifted()).isTrue();
    assertThat(d.column("year").orElseThrow().drifted()).isTrue();
    // The cities are the same in both periods: no drift in the categorical column.
    ColumnDrift city = d.column("city").orElseThrow();
    assertThat(city.test()).isEqualTo(DriftTest.JENSEN_SHANNON);
    assertThat(city.drifted()).isFalse();
    assertThat(d.byScore().get(0).drifted()).isTrue();
    // The walkthrough in docs/monitoring.md shows these files.
    java.nio.file.Files.createDirectories(Path.of("target"));
    DriftReport report = DriftReport.of(p[0], p[1], d).withTitle("txhousing: 2000-2004 vs 2011-2015");
    report.writeJson(Path.of("target", "txhousing-drift.json"));
    report.writeHtml(Path.of("target", "txhousing-drift.html"));
  }

  @Test
  void randomHalvesOfCreditGShowNoDriftAtDefaults() throws Exception {
    TestCsv.Table t = TestCsv.load(CREDIT);
    List<Row> rows = new ArrayList<>(t.rows());
    Collections.shuffle(rows, new Random(42));
    DatasetProfile a = DatasetProfile.of(t.schema(), rows.subList(0, 500));
    DatasetProfile b = DatasetProfile.of(t.schema(), rows.subList(500, 1000));
    DatasetDrift d = DriftDetector.withDefaults().compare(a, b);
    assertThat(d.testedColumns()).isEqualTo(21);
    assertThat(d.drifted()).isFalse();
    for (ColumnDrift c : d.columns()) {
      assertThat(c.test()).isIn(DriftTest.KOLMOGOROV_SMIRNOV, DriftTest.CHI_SQUARED, DriftTest.Z_TEST);
    }
    // 21 tests at alpha 0.05 make a false positive column likely (1 - 0.95^21 = 66%); the corrections exist
    // for that, and with either of them no column drifts.
    for (Correction corr : new Correction[] {Correction.BONFERRONI, Correction.BENJAMINI_HOCHBERG}) {
      DatasetDrift c = DriftDetector.of(DriftOptions.builder().correction(corr).build()).compare(a, b);
      assertThat(c.driftedColumns()).as(corr.name()).isZero();
    }
  }

  @Test
  void manyRandomHalvesOfCreditGNeverShowDatasetDriftAndFlagColumnsAtAboutAlpha() throws Exception {
    TestCsv.Table t = TestCsv.load(CREDIT);
    int splits = 30;
    int flagged = 0;
    int tested = 0;
    for (int seed = 0; seed < splits; seed++) {
      List<Row> rows = new ArrayList<>(t.rows());
      Collections.shuffle(rows, new Random(seed));
      DatasetDrift d = DriftDetector.withDefaults().compare(DatasetProfile.of(t.schema(), rows.subList(0, 500)),
          DatasetProfile.of(t.schema(), rows.subList(500, 1000)));
      assertThat(d.drifted()).as("split %s", seed).isFalse();
      flagged += d.driftedColumns();
      tested += d.testedColumns();
    }
    // Under no drift each p-value test fires with probability 0.05 (sketch KS is more conservative).
    assertThat((double) flagged / tested).isLessThan(0.08);
  }
}
