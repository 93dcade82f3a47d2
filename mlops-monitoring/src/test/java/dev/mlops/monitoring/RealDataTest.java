package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Row;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.Correction;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.drift.DriftTest;
import dev.mlops.monitoring.report.DriftReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** Drift on the bundled real datasets (see data/README.md), read with mlops-core's CSV reader. */
class RealDataTest {
  static final Path TXHOUSING = Path.of("../data/txhousing.csv");
  static final Path CREDIT = Path.of("../data/credit-g.csv");
  /** txhousing marks missing values with R's NA. */
  static final CsvOptions TX_OPTIONS = CsvOptions.builder().nullTokens("", "NA").build();

  static List<Row> rows(Path file, CsvOptions options) {
    try (RootAllocator alloc = new RootAllocator()) {
      List<Row> rows;
      try (Batch b = CsvReader.readAll(file, options, alloc)) {
        rows = b.toRows();
      }
      assertThat(alloc.getAllocatedMemory()).isZero();
      return rows;
    }
  }

  @Test
  void txhousingDriftsOnPriceLikeColumnsBetween2000sAnd2010s() throws Exception {
    List<Row> rows = rows(TXHOUSING, TX_OPTIONS);
    Profiler early = Profiler.create(rows.get(0).schema());
    Profiler late = Profiler.create(rows.get(0).schema());
    for (Row r : rows) {
      long year = r.getLong("year");
      if (year <= 2004) {
        early.record(r);
      } else if (year >= 2011) {
        late.record(r);
      }
    }
    DatasetProfile a = early.snapshot();
    DatasetProfile b = late.snapshot();
    assertThat(a.rowCount()).isEqualTo(2760);
    assertThat(a.schema().field("median").type()).isEqualTo(DataType.FLOAT64);
    assertThat(a.column("median").nullCount()).isPositive();
    DatasetDrift d = DriftDetector.withDefaults().compare(a, b);
    ColumnDrift median = d.column("median").orElseThrow();
    assertThat(median.test()).isEqualTo(DriftTest.WASSERSTEIN_NORMED);
    assertThat(median.drifted()).isTrue();
    assertThat(median.statistic()).isGreaterThan(0.5);
    // Sales volume is heavily skewed: its sketches' error bound (rank error x range, 0.29 sd) is larger
    // than the distance's margin over the threshold (0.24 against 0.1), so the sketches cannot tell.
    ColumnDrift volume = d.column("volume").orElseThrow();
    assertThat(volume.drifted()).isFalse();
    assertThat(volume.inconclusive()).isTrue();
    assertThat(volume.statisticError()).isGreaterThan(volume.statistic() - volume.threshold());
    assertThat(d.inconclusiveColumns()).isEqualTo(3); // volume, listings, sales
    assertThat(d.column("year").orElseThrow().drifted()).isTrue();
    // The cities are the same in both periods: no drift in the categorical column.
    ColumnDrift city = d.column("city").orElseThrow();
    assertThat(city.test()).isEqualTo(DriftTest.JENSEN_SHANNON);
    assertThat(city.drifted()).isFalse();
    assertThat(d.byScore().get(0).drifted()).isTrue();
    // 4 of 9 drift (year, date, median, inventory), 3 undecided: the share of drift shown, 0.44, is
    // below 0.5, so no dataset drift is claimed from these sketches.
    assertThat(d.driftedColumns()).isEqualTo(4);
    assertThat(d.drifted()).isFalse();
    // The walkthrough in docs/monitoring.md shows these files.
    Files.createDirectories(Path.of("target"));
    DriftReport report = DriftReport.of(a, b, d).withTitle("txhousing: 2000-2004 vs 2011-2015");
    report.writeJson(Path.of("target", "txhousing-drift.json"));
    report.writeHtml(Path.of("target", "txhousing-drift.html"));
  }

  @Test
  void randomHalvesOfCreditGShowNoDriftAtDefaults() {
    List<Row> rows = new ArrayList<>(rows(CREDIT, CsvOptions.defaults()));
    Collections.shuffle(rows, new Random(42));
    DatasetProfile a = DatasetProfile.of(rows.get(0).schema(), rows.subList(0, 500));
    DatasetProfile b = DatasetProfile.of(rows.get(0).schema(), rows.subList(500, 1000));
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
  void manyRandomHalvesOfCreditGNeverShowDatasetDriftAndFlagColumnsAtAboutAlpha() {
    List<Row> all = rows(CREDIT, CsvOptions.defaults());
    int splits = 30;
    int flagged = 0;
    int tested = 0;
    for (int seed = 0; seed < splits; seed++) {
      List<Row> rows = new ArrayList<>(all);
      Collections.shuffle(rows, new Random(seed));
      DatasetDrift d = DriftDetector.withDefaults().compare(DatasetProfile.of(rows.get(0).schema(),
          rows.subList(0, 500)), DatasetProfile.of(rows.get(0).schema(), rows.subList(500, 1000)));
      assertThat(d.drifted()).as("split %s", seed).isFalse();
      flagged += d.driftedColumns();
      tested += d.testedColumns();
    }
    // Under no drift each p-value test fires with probability 0.05 (KS between profiles included).
    assertThat((double) flagged / tested).isLessThan(0.08);
  }
}
