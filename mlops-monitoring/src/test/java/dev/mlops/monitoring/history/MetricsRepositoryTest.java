package dev.mlops.monitoring.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both repositories round-trip points, select by metric, tags and time, keep them across reopening,
 * and refuse what they cannot store; the JDBC one against a real embedded H2 database (a file).
 */
class MetricsRepositoryTest {
  @TempDir
  static Path dir;

  static Stream<Arguments> repositories() {
    Function<String, MetricsRepository> jsonLines = name -> JsonLinesMetricsRepository.open(dir.resolve(name + ".jsonl"));
    Function<String, MetricsRepository> jdbc = name -> JdbcMetricsRepository.open("jdbc:h2:file:"
        + dir.resolve(name).toAbsolutePath());
    return Stream.of(Arguments.of("json-lines", jsonLines), Arguments.of("jdbc (H2)", jdbc));
  }

  private static Instant day(int d) {
    return Instant.parse("2026-11-01T06:00:00Z").plusSeconds(86_400L * d).plusNanos(d * 1_000L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("repositories")
  void roundTripsPointsAndSelectsByMetricTagsAndTime(String kind, Function<String, MetricsRepository> open) {
    String name = "rt-" + kind.replaceAll("\\W", "");
    List<MetricPoint> points = new ArrayList<>();
    for (int d = 9; d >= 0; d--) { // stored newest first: loading orders by time
      points.add(new MetricPoint(day(d), "mean", 40.0 + d, Map.of("column", "age", "dataset", "loans")));
      points.add(new MetricPoint(day(d), "mean", -d, Map.of("column", "income", "dataset", "loans")));
      points.add(new MetricPoint(day(d), "row_count", 1000 + d, Map.of("dataset", "loans")));
    }
    try (MetricsRepository repo = open.apply(name)) {
      repo.append(points.subList(0, 15));
      repo.append(points.subList(15, 30));
      repo.append(List.of());
    }
    try (MetricsRepository repo = open.apply(name)) { // reopened: what append returned for is there
      List<MetricPoint> age = repo.load(MetricQuery.of("mean", Map.of("column", "age")));
      assertThat(age).hasSize(10);
      assertThat(age).extracting(MetricPoint::value).containsExactly(40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0,
          48.0, 49.0);
      assertThat(age.get(3)).isEqualTo(new MetricPoint(day(3), "mean", 43.0, Map.of("dataset", "loans", "column",
          "age")));
      assertThat(age.get(3).time().getNano()).isEqualTo(3000);
      assertThat(repo.load(MetricQuery.of("mean", Map.of("dataset", "loans")))).hasSize(20);
      assertThat(repo.load(MetricQuery.of("mean", Map.of("column", "none")))).isEmpty();
      List<MetricPoint> window = repo.load(new MetricQuery("row_count", Map.of(), day(2), day(5)));
      assertThat(window).extracting(MetricPoint::value).containsExactly(1002.0, 1003.0, 1004.0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("repositories")
  void storesTheMetricsOfAProfileAndADriftResult(String kind, Function<String, MetricsRepository> open) {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("c", DataType.STRING));
    List<Row> a = new ArrayList<>();
    List<Row> b = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      a.add(Row.of(s, i % 10 == 0 ? null : (double) i, "k" + (i % 3)));
      b.add(Row.of(s, (double) i + 50, "k" + (i % 4)));
    }
    DatasetProfile pa = DatasetProfile.of(s, a);
    DatasetDrift drift = DriftDetector.withDefaults().compare(pa, DatasetProfile.of(s, b));
    List<MetricPoint> points = new ArrayList<>(MetricPoints.of(pa, day(1), Map.of("dataset", "d")));
    points.addAll(MetricPoints.of(drift, day(1), Map.of("dataset", "d")));
    String name = "pd-" + kind.replaceAll("\\W", "");
    try (MetricsRepository repo = open.apply(name)) {
      repo.append(points);
      assertThat(repo.load(MetricQuery.of("row_count", Map.of())).get(0).value()).isEqualTo(300);
      assertThat(repo.load(MetricQuery.of("null_fraction", Map.of("column", "x"))).get(0).value()).isEqualTo(0.1);
      assertThat(repo.load(MetricQuery.of("mean", Map.of("column", "x"))).get(0).value())
          .isEqualTo(pa.column("x").mean());
      assertThat(repo.load(MetricQuery.of("mean", Map.of("column", "c")))).isEmpty();
      assertThat(repo.load(MetricQuery.of("drift.share", Map.of())).get(0).value()).isEqualTo(drift.driftShare());
      assertThat(repo.load(MetricQuery.of("drift.score", Map.of("column", "x"))).get(0).tags())
          .containsEntry("test", drift.column("x").orElseThrow().test().id());
    }
  }

  @Test
  void aJsonLinesFileWithABadLineNamesTheFileAndLine() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    try (MetricsRepository repo = JsonLinesMetricsRepository.open(f)) {
      repo.append(List.of(new MetricPoint(day(0), "m", 1, Map.of())));
    }
    Files.writeString(f, "{\"time\":\"yesterday\",\"metric\":\"m\",\"value\":1,\"tags\":{}}\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    try (MetricsRepository repo = JsonLinesMetricsRepository.open(f)) {
      assertThatThrownBy(() -> repo.load(MetricQuery.of("m", Map.of()))).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("bad.jsonl:2: metric history: time 'yesterday' is not an ISO-8601 instant");
    }
    Files.writeString(f, "{\"time\":\"2026-11-01T00:00:00Z\",\"metric\":\"m\",\"value\":1,\"tags\":{}}\n"
        + "{\"time\":\"2026-11-02T00:00:00Z\",\"metric\":\"m\",\"valu", StandardCharsets.UTF_8);
    try (MetricsRepository repo = JsonLinesMetricsRepository.open(f)) {
      assertThatThrownBy(() -> repo.load(MetricQuery.of("m", Map.of()))).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("bad.jsonl:2: the last line is incomplete").hasMessageContaining("delete that line");
    }
    Files.writeString(f, "{\"time\":\"2026-11-01T00:00:00Z\",\"metric\":\"m\",\"value\":1,\"tags\":{},\"x\":2}\n",
        StandardCharsets.UTF_8);
    try (MetricsRepository repo = JsonLinesMetricsRepository.open(f)) {
      assertThatThrownBy(() -> repo.load(MetricQuery.of("m", Map.of()))).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("bad.jsonl:1: metric history: unknown member 'x'");
    }
    assertThat(JsonLinesMetricsRepository.open(dir.resolve("absent.jsonl")).load(MetricQuery.of("m", Map.of())))
        .isEmpty();
  }

  @Test
  void refusesWhatItCannotStore() throws Exception {
    assertThatThrownBy(() -> new MetricPoint(day(0), "mean", Double.NaN, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only finite values are stored");
    assertThatThrownBy(() -> new MetricPoint(day(0), " ", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetricQuery("m", Map.of(), day(2), day(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
    var connection = DriverManager.getConnection("jdbc:h2:mem:refusals");
    assertThatThrownBy(() -> JdbcMetricsRepository.open(connection, "points; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a plain SQL identifier");
    try (JdbcMetricsRepository repo = JdbcMetricsRepository.open(connection, "points")) {
      assertThatThrownBy(() -> repo.append(List.of(new MetricPoint(day(0), "m", 1, Map.of()),
          new MetricPoint(day(0), "m".repeat(600), 1, Map.of())))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("longer than the table holds");
      // the batch was one transaction: nothing of it was stored
      assertThat(repo.load(MetricQuery.of("m", Map.of()))).isEmpty();
    }
    assertThatThrownBy(() -> JdbcMetricsRepository.open("jdbc:nosuchdb:x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("check the URL and that its JDBC driver is on the class path");
  }
}
