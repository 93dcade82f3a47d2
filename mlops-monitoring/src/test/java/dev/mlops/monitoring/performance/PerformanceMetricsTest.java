package dev.mlops.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model-quality metrics against scikit-learn 1.2 (golden/make_performance.py), and the delayed-label
 * monitor on a stream whose labels arrive out of order and partly never: its windows' metrics equal
 * the metrics of the same joined pairs, and its store stays within its cap.
 */
class PerformanceMetricsTest {
  static JsonNode golden;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = PerformanceMetricsTest.class.getResourceAsStream("/golden/performance.json")) {
      golden = new ObjectMapper().readTree(in);
    }
  }

  record Case(List<String> classes, int[] actual, int[] predicted, double[][] probabilities) {}

  static Case classification(String which) {
    JsonNode c = golden.get(which);
    List<String> classes = new ArrayList<>();
    c.get("classes").forEach(n -> classes.add(n.asText()));
    int n = c.get("actual").size();
    int[] actual = new int[n];
    int[] predicted = new int[n];
    double[][] p = new double[n][];
    for (int i = 0; i < n; i++) {
      actual[i] = c.get("actual").get(i).asInt();
      JsonNode row = c.get("probabilities").get(i);
      p[i] = new double[row.size()];
      int best = 0;
      for (int k = 0; k < row.size(); k++) {
        p[i][k] = row.get(k).asDouble();
        if (p[i][k] > p[i][best]) {
          best = k;
        }
      }
      predicted[i] = best;
    }
    return new Case(classes, actual, predicted, p);
  }

  private static void assertList(List<Double> got, JsonNode expected) {
    assertThat(got).hasSize(expected.size());
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).isCloseTo(expected.get(i).asDouble(), within(1e-12));
    }
  }

  @Test
  void binaryMetricsMatchScikitLearn() {
    Case c = classification("binary");
    JsonNode g = golden.get("binary");
    ClassificationMetrics m = ClassificationMetrics.of(c.classes(), c.actual(), c.predicted(), c.probabilities());
    assertThat(m.count()).isEqualTo(400);
    assertThat(m.accuracy()).isCloseTo(g.get("accuracy").asDouble(), within(1e-12));
    assertList(m.precision(), g.get("precision"));
    assertList(m.recall(), g.get("recall"));
    assertList(m.f1(), g.get("f1"));
    assertThat(m.macroF1()).isCloseTo(g.get("macroF1").asDouble(), within(1e-12));
    assertThat(m.rocAuc()).isCloseTo(g.get("rocAuc").asDouble(), within(1e-12));
    assertThat(m.logLoss()).isCloseTo(g.get("logLoss").asDouble(), within(1e-12));
    assertThat(m.brier()).isCloseTo(g.get("brier").asDouble(), within(1e-12));
    assertThat(m.expectedCalibrationError()).isCloseTo(g.get("ece").asDouble(), within(1e-12));
    assertThat(m.reliability()).hasSize(g.get("reliabilityCounts").size());
    for (int b = 0; b < m.reliability().size(); b++) {
      ClassificationMetrics.ReliabilityBin bin = m.reliability().get(b);
      assertThat(bin.count()).isEqualTo(g.get("reliabilityCounts").get(b).asInt());
      assertThat(bin.observed()).isCloseTo(g.get("reliabilityTrue").get(b).asDouble(), within(1e-12));
      assertThat(bin.meanPredicted()).isCloseTo(g.get("reliabilityPredicted").get(b).asDouble(), within(1e-12));
    }
  }

  @Test
  void multiclassMetricsMatchScikitLearn() {
    Case c = classification("multiclass");
    JsonNode g = golden.get("multiclass");
    ClassificationMetrics m = ClassificationMetrics.of(c.classes(), c.actual(), c.predicted(), c.probabilities());
    assertThat(m.accuracy()).isCloseTo(g.get("accuracy").asDouble(), within(1e-12));
    assertList(m.precision(), g.get("precision"));
    assertList(m.recall(), g.get("recall"));
    assertList(m.f1(), g.get("f1"));
    assertThat(m.rocAuc()).isCloseTo(g.get("rocAuc").asDouble(), within(1e-12));
    assertThat(m.logLoss()).isCloseTo(g.get("logLoss").asDouble(), within(1e-12));
    assertThat(m.brier()).isNaN();
    assertThat(m.asMap()).containsKeys("accuracy", "roc_auc", "log_loss", "f1.c").doesNotContainKey("brier");
  }

  @Test
  void regressionMetricsMatchScikitLearn() {
    JsonNode g = golden.get("regression");
    int n = g.get("actual").size();
    double[] y = new double[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = g.get("actual").get(i).asDouble();
      p[i] = g.get("predicted").get(i).asDouble();
    }
    RegressionMetrics m = RegressionMetrics.of(y, p);
    assertThat(m.mae()).isCloseTo(g.get("mae").asDouble(), within(1e-12));
    assertThat(m.rmse()).isCloseTo(g.get("rmse").asDouble(), within(1e-12));
    // an actual of 0 meets sklearn's epsilon guard: a huge MAPE, as sklearn's
    assertThat(m.mape()).isCloseTo(g.get("mape").asDouble(), org.assertj.core.data.Percentage.withPercentage(1e-10));
    assertThat(m.r2()).isCloseTo(g.get("r2").asDouble(), within(1e-12));
    assertThat(RegressionMetrics.of(new double[] {2, 2}, new double[] {2, 2}).r2()).isEqualTo(1.0);
    assertThat(RegressionMetrics.of(new double[] {2, 2}, new double[] {2, 3}).r2()).isEqualTo(0.0);
  }

  /**
   * 2,000 binary predictions; labels for 1,700 of them arrive shuffled (out of order), 300 never;
   * 50 labels name no prediction. Window size 500, store cap 1,500 predictions, so the oldest are
   * evicted while labels lag.
   */
  @Test
  void theDelayedLabelMonitorJoinsOutOfOrderLabelsAndStaysWithinItsCap() {
    Case c = classification("binary");
    Random r = new Random(3);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<PerformanceWindow> windows = new ArrayList<>();
    List<Integer> joinedOrder = new ArrayList<>();
    try (PerformanceMonitor monitor = PerformanceMonitor.classification("churn", c.classes()).maxPending(1500)
        .windowSize(500).baseline(Map.of("accuracy", 0.95, "log_loss", 0.3, "roc_auc", 0.8)).tolerance(0.02)
        .registry(registry).listener(windows::add).build()) {
      int n = 2000;
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        int k = i % c.actual().length;
        ids[i] = "p" + i;
        monitor.recordPrediction(ids[i], c.classes().get(c.predicted()[k]), c.probabilities()[k]);
        assertThat(monitor.pendingCount()).isLessThanOrEqualTo(1500);
      }
      assertThat(monitor.evictedCount()).isEqualTo(500);
      // labels of predictions 0..499 were evicted before they came: 300 of them come anyway
      List<Integer> labelled = new ArrayList<>();
      for (int i = 200; i < n; i++) {
        labelled.add(i);
      }
      Collections.shuffle(labelled, r);
      int joinedCount = 0;
      for (int i : labelled) {
        int k = i % c.actual().length;
        if (monitor.recordLabel(ids[i], c.classes().get(c.actual()[k]))) {
          joinedOrder.add(k);
          joinedCount++;
        }
      }
      for (int i = 0; i < 50; i++) {
        assertThat(monitor.recordLabel("unknown-" + i, "yes")).isFalse();
      }
      assertThat(joinedCount).isEqualTo(1500);
      assertThat(monitor.unmatchedLabelCount()).isEqualTo(300 + 50);
      assertThat(monitor.pendingCount()).isZero();
      assertThat(windows).hasSize(3);
      // each window equals the metrics of its joined pairs, computed directly
      for (int w = 0; w < 3; w++) {
        List<Integer> pairs = joinedOrder.subList(500 * w, 500 * (w + 1));
        int[] a = pairs.stream().mapToInt(k -> c.actual()[k]).toArray();
        int[] p = pairs.stream().mapToInt(k -> c.predicted()[k]).toArray();
        double[][] pr = pairs.stream().map(k -> c.probabilities()[k]).toArray(double[][]::new);
        assertThat(windows.get(w).classification()).isEqualTo(ClassificationMetrics.of(c.classes(), a, p, pr));
        assertThat(windows.get(w).pairs()).isEqualTo(500);
        // accuracy about 0.8 against a baseline of 0.95: an alert; log loss about 0.45 against 0.3 too
        assertThat(windows.get(w).alerts()).anySatisfy(s -> assertThat(s).startsWith("accuracy "))
            .anySatisfy(s -> assertThat(s).startsWith("log_loss "))
            .noneSatisfy(s -> assertThat(s).startsWith("roc_auc "));
      }
      assertThat(monitor.flush()).isEmpty();
      assertThat(registry.get("mlops.performance.metric").tags("monitor", "churn", "metric", "accuracy").gauge().value())
          .isEqualTo(windows.get(2).metrics().get("accuracy"));
      assertThat(registry.get("mlops.performance.predictions.evicted").counter().count()).isEqualTo(500);
      assertThat(registry.get("mlops.performance.labels.unmatched").counter().count()).isEqualTo(350);
      assertThat(registry.get("mlops.performance.alerts").tags("metric", "accuracy").counter().count()).isEqualTo(3);
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void aRegressionMonitorFlushesAPartialWindowAndRefusesWhatItCannotJudge() {
    try (PerformanceMonitor m = PerformanceMonitor.regression("price").windowSize(10)
        .baseline(Map.of("mae", 1.0)).tolerance(0.5).build()) {
      for (int i = 0; i < 4; i++) {
        m.recordPrediction("r" + i, 10.0 + i);
      }
      m.recordPrediction("r0", 99); // duplicate id: counted, first kept
      assertThat(m.duplicatePredictionCount()).isEqualTo(1);
      for (int i = 0; i < 4; i++) {
        assertThat(m.recordLabel("r" + i, 12.0 + i)).isTrue();
      }
      PerformanceWindow w = m.flush().orElseThrow();
      assertThat(w.regression().mae()).isEqualTo(2.0);
      assertThat(w.alerts()).containsExactly("mae 2.0 against the baseline 1.0 (tolerance 0.5)");
      assertThatThrownBy(() -> m.recordPrediction("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("record finite predictions");
      assertThatThrownBy(() -> m.recordLabel("x", "yes")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("watches a regression model");
    }
    try (PerformanceMonitor m = PerformanceMonitor.classification("c", List.of("no", "yes")).build()) {
      assertThatThrownBy(() -> m.recordPrediction("a", "maybe", null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("predicted class 'maybe' is not one of [no, yes]");
      assertThatThrownBy(() -> m.recordPrediction("a", "yes", new double[] {1})).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("has 1 probabilities for 2 classes");
      String id = m.recordPrediction("yes", null);
      assertThat(m.recordLabel(id, "yes")).isTrue();
      PerformanceWindow w = m.flush().orElseThrow();
      assertThat(w.classification().accuracy()).isEqualTo(1.0);
      assertThat(w.classification().rocAuc()).isNaN();
    }
    assertThatThrownBy(() -> PerformanceMonitor.classification("c", List.of("a"))).isInstanceOf(
        IllegalArgumentException.class);
  }
}
