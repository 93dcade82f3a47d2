package dev.mlops.monitoring.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every strategy on a synthetic series with planted anomalies and on the bundled txhousing series
 * (Houston's monthly sales, 2000-01 to 2015-07) with two planted: found and missed counted, and
 * every other flag accounted for.
 */
class AnomalyStrategyTest {
  static final Path TXHOUSING = Path.of("../data/txhousing.csv");

  /** 50 + N(0, 1), seed 7, 120 points; planted: 80 -> 70, 95 -> 25. */
  static double[] flat() {
    Random r = new Random(7);
    double[] x = new double[120];
    for (int i = 0; i < x.length; i++) {
      x[i] = 50 + r.nextGaussian();
    }
    x[80] = 70;
    x[95] = 25;
    return x;
  }

  /** 100 + 10 sin(2 pi i / 12) + 0.5 i + N(0, 1), seed 11, 120 points; planted +25 at 80, -30 at 95, +20 at 110. */
  static double[] seasonal() {
    Random r = new Random(11);
    double[] x = new double[120];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100 + 10 * Math.sin(2 * Math.PI * i / 12) + 0.5 * i + r.nextGaussian();
    }
    x[80] += 25;
    x[95] -= 30;
    x[110] += 20;
    return x;
  }

  /** Houston's monthly sales from the bundled txhousing data, 187 months. */
  static double[] houston() throws IOException {
    List<Double> v = new ArrayList<>();
    for (String line : Files.readAllLines(TXHOUSING)) {
      if (line.startsWith("\"Houston\",")) {
        v.add(Double.parseDouble(line.split(",")[3]));
      }
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Houston's series with month 160 doubled and month 175 cut to a quarter. */
  static double[] houstonPlanted() throws IOException {
    double[] x = houston();
    x[160] *= 2;
    x[175] *= 0.25;
    return x;
  }

  static List<Integer> flagged(AnomalyStrategy s, double[] x, int from, int to) {
    return s.detect(x, from, to).stream().map(Anomaly::index).toList();
  }

  @Test
  void simpleThresholds() throws IOException {
    assertThat(flagged(AnomalyStrategy.simpleThresholds(40, 60), flat(), 0, 120)).containsExactly(80, 95);
    // Houston's real months lie in [2653, 8945]: both planted found, nothing else.
    assertThat(flagged(AnomalyStrategy.simpleThresholds(2500, 10000), houstonPlanted(), 0, 187)).containsExactly(160,
        175);
    assertThat(flagged(AnomalyStrategy.simpleThresholds(2500, 10000), houston(), 0, 187)).isEmpty();
  }

  @Test
  void absoluteChange() throws IOException {
    // A spike is a jump and a return: both changes are anomalies.
    assertThat(flagged(AnomalyStrategy.absoluteChange(-8, 8, 1), flat(), 0, 120)).containsExactly(80, 81, 95, 96);
    // Second differences of the trending season: each planted point moves three of them.
    assertThat(flagged(AnomalyStrategy.absoluteChange(-15, 15, 2), seasonal(), 0, 120))
        .containsExactly(80, 81, 82, 95, 96, 97, 110, 111, 112);
    assertThat(flagged(AnomalyStrategy.absoluteChange(-3000, 3000, 1), houstonPlanted(), 0, 187))
        .containsExactly(160, 161, 175, 176);
    assertThat(flagged(AnomalyStrategy.absoluteChange(-3000, 3000, 1), houston(), 0, 187)).isEmpty();
    Anomaly a = AnomalyStrategy.absoluteChange(-8, 8, 1).detect(flat(), 80, 81).get(0);
    assertThat(a.expectedHigh() - a.expectedLow()).isEqualTo(16.0);
  }

  @Test
  void relativeRateOfChange() throws IOException {
    // 50 -> 70 is 1.4; 70 -> 50 is 0.714, inside [0.7, 1.3]; 25 is half and its return double.
    assertThat(flagged(AnomalyStrategy.relativeRateOfChange(0.7, 1.3, 1), flat(), 0, 120)).containsExactly(80, 95, 96);
    // Year over year (order 12): the doubled month, the month a year after it (compared with the
    // doubled value) and the quartered month; Houston's real year-over-year rates lie in [0.68, 1.36].
    assertThat(flagged(AnomalyStrategy.relativeRateOfChange(0.6, 1.5, 12), houstonPlanted(), 0, 187))
        .containsExactly(160, 172, 175);
    assertThat(flagged(AnomalyStrategy.relativeRateOfChange(0.6, 1.5, 12), houston(), 0, 187)).isEmpty();
    assertThat(flagged(AnomalyStrategy.relativeRateOfChange(0.5, 2, 1), new double[] {0, 0, 3}, 0, 3))
        .containsExactly(2);
  }

  @Test
  void onlineNormal() throws IOException {
    assertThat(flagged(AnomalyStrategy.onlineNormal(4, 4, 0.1, true), flat(), 0, 120)).containsExactly(80, 95);
    // Three running standard deviations: the doubled month found; the quartered one (2,042 against a
    // running mean of about 5,400, 2.4 standard deviations) missed; one real month (77, the 2006 peak)
    // flagged in the raw series too.
    assertThat(flagged(AnomalyStrategy.onlineNormal(3, 3, 0.2, true), houstonPlanted(), 0, 187))
        .containsExactly(77, 160);
    assertThat(flagged(AnomalyStrategy.onlineNormal(3, 3, 0.2, true), houston(), 0, 187)).containsExactly(77);
    // Learning from anomalies widens the statistics: with ignoreAnomalies false the flat series
    // still flags its two planted points, each judged before it enters the statistics.
    assertThat(flagged(AnomalyStrategy.onlineNormal(4, 4, 0.1, false), flat(), 0, 120)).containsExactly(80, 95);
  }

  @Test
  void batchNormal() throws IOException {
    assertThat(flagged(AnomalyStrategy.batchNormal(4, 4, false), flat(), 60, 120)).containsExactly(80, 95);
    // The 2012-2015 interval against 2000-2011: the doubled month found, the quartered one missed.
    assertThat(flagged(AnomalyStrategy.batchNormal(3, 3, false), houstonPlanted(), 144, 187)).containsExactly(160);
    assertThat(flagged(AnomalyStrategy.batchNormal(3, 3, false), houston(), 144, 187)).isEmpty();
  }

  @Test
  void holtWinters() throws IOException {
    assertThat(flagged(AnomalyStrategy.holtWinters(12), seasonal(), 72, 120)).containsExactly(80, 95, 110);
    // Both planted months found; the 95% band also flags real months (166, 178, 186: three of 43, about
    // the one in twenty the band lets through; the raw series flags 160, 166, 178, 180 and 186).
    assertThat(flagged(AnomalyStrategy.holtWinters(12), houstonPlanted(), 144, 187))
        .containsExactly(160, 166, 175, 178, 186);
    assertThat(flagged(AnomalyStrategy.holtWinters(12), houston(), 144, 187)).containsExactly(160, 166, 178, 180, 186);
    Anomaly a = AnomalyStrategy.holtWinters(12).detect(houstonPlanted(), 144, 187).get(0);
    assertThat(a.value()).isEqualTo(16878.0);
    assertThat(a.reason()).startsWith("value 16878.0 outside the Holt-Winters forecast").contains("+- 1.96 x");
  }

  @Test
  void refusals() {
    double[] x = flat();
    assertThatThrownBy(() -> AnomalyStrategy.holtWinters(12).detect(x, 20, 30)).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("needs at least 24 points before the interval, got 20");
    assertThatThrownBy(() -> AnomalyStrategy.simpleThresholds(0, 1).detect(x, 100, 130))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not within the series of 120 points");
    assertThatThrownBy(() -> AnomalyStrategy.simpleThresholds(0, 1).detect(new double[] {1, Double.NaN}, 0, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point 1 of the series is NaN");
    assertThatThrownBy(() -> AnomalyStrategy.batchNormal(3, 3, false).detect(new double[] {1, 2}, 0, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 points outside the interval");
    assertThatThrownBy(() -> AnomalyStrategy.absoluteChange(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnomalyStrategy.onlineNormal(0, 3, 0, true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnomalyStrategy.relativeRateOfChange(1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @TempDir
  Path dir;

  @Test
  void aCheckJudgesANewPointAgainstTheSeriesWithTheSameTagsOnly() {
    try (MetricsRepository repo = JsonLinesMetricsRepository.open(dir.resolve("h.jsonl"))) {
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      double[] x = flat();
      List<MetricPoint> history = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        history.add(new MetricPoint(t0.plusSeconds(3600L * i), "mean", x[i], Map.of("column", "a")));
        history.add(new MetricPoint(t0.plusSeconds(3600L * i), "mean", 1000 + i, Map.of("column", "b")));
      }
      repo.append(history);
      AnomalyCheck check = AnomalyCheck.of(repo, AnomalyStrategy.batchNormal(4, 4, false));
      Instant next = t0.plusSeconds(3600L * 80);
      assertThat(check.check(new MetricPoint(next, "mean", 50.5, Map.of("column", "a")))).isEmpty();
      assertThat(check.checkAndStore(new MetricPoint(next, "mean", 70, Map.of("column", "a")))).get()
          .satisfies(a -> assertThat(a.index()).isEqualTo(80));
      assertThat(repo.load(MetricQuery.of("mean", Map.of("column", "a")))).hasSize(81);
    }
  }
}
