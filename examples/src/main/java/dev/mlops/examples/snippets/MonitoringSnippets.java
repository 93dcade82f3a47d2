package dev.mlops.examples.snippets;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Profiler;
import dev.mlops.monitoring.WindowResult;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.drift.DriftTest;
import dev.mlops.monitoring.history.Anomaly;
import dev.mlops.monitoring.history.AnomalyCheck;
import dev.mlops.monitoring.history.AnomalyStrategy;
import dev.mlops.monitoring.history.JsonLinesMetricsRepository;
import dev.mlops.monitoring.history.MetricPoint;
import dev.mlops.monitoring.history.MetricPoints;
import dev.mlops.monitoring.history.MetricsRepository;
import dev.mlops.monitoring.performance.PerformanceMonitor;
import dev.mlops.monitoring.performance.PerformanceWindow;
import dev.mlops.monitoring.report.DriftReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The snippets of docs/monitoring.md, in the order they appear there. */
public final class MonitoringSnippets {
  private MonitoringSnippets() {}

  /**
   * The opening example: profiles two batches, tests them for drift and writes the HTML report.
   *
   * @param trainingBatch the reference data
   * @param todaysBatch the current data
   * @param reportFile where the HTML report goes
   * @return the drift result
   */
  public static DatasetDrift compareToTraining(Batch trainingBatch, Batch todaysBatch, Path reportFile) {
    DatasetProfile reference = DatasetProfile.of(trainingBatch);           // or Profiler, from many threads
    DatasetProfile current = DatasetProfile.of(todaysBatch);
    DatasetDrift drift = DriftDetector.withDefaults().compare(reference, current);
    DriftReport.of(reference, current, drift).writeHtml(reportFile);
    if (drift.drifted()) {                                                  // share of drifted columns >= 0.5
      System.out.println("drift: " + drift.driftedColumns() + " of " + drift.testedColumns() + " columns");
    }
    return drift;
  }

  /**
   * Live monitors: a time-windowed monitor of inputs and outputs with meters and a listener.
   *
   * @param trainingProfile the input reference
   * @param validationPredictionsProfile the output reference
   * @param clock the monitor's clock
   * @param registry where the monitor's meters go, until it closes
   * @param inputRow one request's input
   * @param outputRow the model's output for it
   * @return the window holding the one record, flushed before the monitor closes
   */
  public static WindowResult monitorLiveTraffic(DatasetProfile trainingProfile,
      DatasetProfile validationPredictionsProfile, Clock clock, MeterRegistry registry, Row inputRow, Row outputRow) {
    try (Monitor monitor = Monitor.builder(trainingProfile)
        .name("credit-risk")
        .outputReference(validationPredictionsProfile)   // optional
        .tumblingTime(Duration.ofMinutes(5))              // or .tumblingCount(10_000)
        .clock(clock)                                     // injected; tests move it by hand
        .meterRegistry(registry)
        .listener(w -> { if (w.drifted()) alert(w); })
        .build()) {
      monitor.record(inputRow, outputRow);                // any thread
      return monitor.flush();
    }
  }

  private static void alert(WindowResult w) {
    System.out.println("alert: monitor " + w.monitor() + " window " + w.index() + " drifted");
  }

  /**
   * Reads a drift result from profiles that says what the sketches could not decide.
   *
   * @param reference the reference profile
   * @param current the current profile
   * @param column a numeric column to test with Kolmogorov-Smirnov
   * @return the number of columns the sketches could not decide
   */
  public static int driftShownAndUndecided(DatasetProfile reference, DatasetProfile current, String column) {
    DriftDetector detector = DriftDetector.of(DriftOptions.builder()
        .test(column, DriftTest.KOLMOGOROV_SMIRNOV, 0.05).build());
    DatasetDrift drift = detector.compare(reference, current);
    for (ColumnDrift c : drift.columns()) {
      if (c.drifted()) {                                   // shown even allowing for the sketches' error
        System.out.println(c.column() + ": drift, p <= " + c.pValueHigh());
      } else if (c.inconclusive()) {                       // neither drift nor no drift: look closer
        System.out.println(c.column() + ": undecided, p in [" + c.pValueLow() + ", " + c.pValueHigh() + "]");
      }
    }
    return drift.inconclusiveColumns();
  }

  /**
   * Small samples decided by the rules for them, printing each result: five reference prices
   * against five larger current prices (ten distinct values, so Kolmogorov-Smirnov, exact: D = 1,
   * p = 2/252), one reference value against many (KS needs two values a side: no p-value, no
   * verdict), and categories too sparse for chi-squared even once grouped (no verdict, "too few
   * values").
   *
   * @param manyValues the current values of the second case
   * @return the three results
   */
  public static List<ColumnDrift> smallSamples(double[] manyValues) {
    DriftDetector detector = DriftDetector.withDefaults();
    List<ColumnDrift> out = List.of(
        detector.compareSamples("price", new double[] {10, 11, 12, 13, 14}, new double[] {20, 21, 22, 23, 24}),
        detector.compareSamples("score", new double[] {0.5}, manyValues),
        detector.compareSamples("region", new String[] {"north", "south"}, new String[] {"north", "east"}));
    for (ColumnDrift c : out) {
      System.out.println(c.column() + ": " + c.test().id() + ", p " + c.pValue() + ", "
          + (c.drifted() ? "drift" : decided(c) ? "no drift" : "no verdict") + (c.note().isEmpty() ? ""
          : " (" + c.note() + ")"));
    }
    return out;
  }

  /** Whether a test decided: it ran, and a p-value test gave a p-value. */
  private static boolean decided(ColumnDrift c) {
    return c.computed() && (c.hasPValue() || !c.test().hasPValue());
  }

  /**
   * A scheduled job's last step: judges today's row count against its history, then stores today's
   * metrics for the next run.
   *
   * @param historyFile the metric history (JSON lines)
   * @param todaysProfile the profile of today's data
   * @param today when today's data was measured
   * @return the anomalies found
   */
  public static List<Anomaly> checkAgainstHistory(Path historyFile, DatasetProfile todaysProfile, Instant today) {
    try (MetricsRepository history = JsonLinesMetricsRepository.open(historyFile)) {
      List<MetricPoint> points = MetricPoints.of(todaysProfile, today, Map.of("dataset", "loans"));
      AnomalyCheck rowCount = AnomalyCheck.of(history, AnomalyStrategy.relativeRateOfChange(0.5, 2.0, 1));
      List<Anomaly> found = new ArrayList<>();
      for (MetricPoint p : points) {
        if (p.metric().equals("row_count")) {
          rowCount.check(p).ifPresent(found::add);          // halved or doubled since the last run
        }
      }
      history.append(points);                               // durable when this returns
      return found;
    }
  }

  /**
   * Model quality with labels that arrive later: predictions recorded as they are served, labels
   * when they come (in any order), quality per window against the model's evaluation metrics.
   *
   * @param ids the predictions' ids
   * @param predicted the predicted classes
   * @param probabilities the class probabilities of each prediction
   * @param labelledIds ids of the predictions whose label came, in the order they came
   * @param actual their actual classes
   * @param registry where the meters go
   * @return the last, partial window
   */
  public static Optional<PerformanceWindow> qualityWithDelayedLabels(String[] ids, String[] predicted,
      double[][] probabilities, String[] labelledIds, String[] actual, MeterRegistry registry) {
    try (PerformanceMonitor quality = PerformanceMonitor.classification("churn", List.of("stay", "leave"))
        .baseline(Map.of("accuracy", 0.9, "roc_auc", 0.85)).tolerance(0.02)   // or .baseline(manifest)
        .windowSize(500).maxPending(100_000).registry(registry)
        .listener(w -> { if (w.degraded()) System.out.println("quality alert: " + w.alerts()); })
        .build()) {
      for (int i = 0; i < ids.length; i++) {
        quality.recordPrediction(ids[i], predicted[i], probabilities[i]);
      }
      for (int i = 0; i < labelledIds.length; i++) {
        quality.recordLabel(labelledIds[i], actual[i]);           // later, in any order
      }
      return quality.flush();
    }
  }

  /**
   * Walkthrough: Texas housing sales of 2000-2004 against those of 2011-2015.
   *
   * @param txhousing the data, {@code data/txhousing.csv}
   * @param reportFile where the HTML report goes
   * @return the drift result
   */
  public static DatasetDrift texasHousing(Path txhousing, Path reportFile) {
    CsvOptions csv = CsvOptions.builder().nullTokens("", "NA").build();
    List<Row> rows;
    try (BufferAllocator alloc = new RootAllocator(); Batch all = CsvReader.readAll(txhousing, csv, alloc)) {
      rows = all.toRows();
    }
    Profiler early = Profiler.create(rows.get(0).schema());
    Profiler late = Profiler.create(rows.get(0).schema());
    for (Row r : rows) {
      long year = r.getLong("year");
      if (year <= 2004) early.record(r); else if (year >= 2011) late.record(r);
    }
    DatasetDrift d = DriftDetector.withDefaults().compare(early.snapshot(), late.snapshot());
    DriftReport.of(early.snapshot(), late.snapshot(), d).writeHtml(reportFile);
    return d;
  }
}
