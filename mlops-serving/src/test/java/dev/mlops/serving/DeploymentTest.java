package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.mlops.serving.spi.ModelRunner;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeploymentTest {
  private static final Schema SCHEMA = Schema.of(List.of(Field.of("x", DataType.FLOAT64)));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, CountingRunner> loaded = new ConcurrentHashMap<>();
  private final List<CountingRunner> all = new CopyOnWriteArrayList<>();

  /** A runner whose regression value is the version number, or which throws for version "boom". */
  private final class VersionRunner implements ModelRunner {
    final String version;
    final List<String> threads = new CopyOnWriteArrayList<>();

    VersionRunner(String version) {
      this.version = version;
    }

    @Override
    public Schema inputSchema() {
      return SCHEMA;
    }

    @Override
    public Device device() {
      return Device.cpu();
    }

    @Override
    public List<Prediction> run(List<Row> rows) {
      threads.add(Thread.currentThread().getName());
      if (version.equals("flaky")) {
        throw new IllegalStateException("shadow failure");
      }
      return rows.stream().map(r -> Prediction.regression(version, version.equals("flaky") ? 0 : Double.parseDouble(
          version))).toList();
    }

    @Override
    public List<Prediction> run(dev.mlops.core.Batch batch) {
      return run(batch.toRows());
    }

    @Override
    public void close() {}
  }

  private Predictor load(String version) {
    if (version.equals("broken")) {
      throw new ModelLoadException("Model m/broken: corrupt artifact");
    }
    CountingRunner r = new CountingRunner(new VersionRunner(version));
    loaded.put(version, r);
    all.add(r);
    return new DefaultPredictor(r, "m", version, false, BatchingOptions.disabled(), registry,
        ForkJoinPool.commonPool(), System::nanoTime);
  }

  private static Row row() {
    return Row.of(SCHEMA, 1.0);
  }

  @Test
  void swapClosesTheOldVersionOnceAndFailedLoadKeepsTheOldServing() {
    try (Deployment d = Deployment.start("m", this::load, "1")) {
      assertThat(d.predict(row()).modelVersion()).isEqualTo("1");
      d.swapTo("2");
      assertThat(d.predict(row()).modelVersion()).isEqualTo("2");
      assertThat(loaded.get("1").closes.get()).isEqualTo(1);
      assertThatThrownBy(() -> d.swapTo("broken")).isInstanceOf(ModelLoadException.class)
          .hasMessage("Model m/broken: corrupt artifact");
      assertThat(d.activeVersion()).isEqualTo("2");
      assertThat(d.predict(row()).modelVersion()).isEqualTo("2");
      d.rollback();
      assertThat(d.activeVersion()).isEqualTo("1");
      assertThat(d.previousVersion()).contains("2");
      assertThat(d.predict(row()).modelVersion()).isEqualTo("1");
    }
    assertThat(all).allSatisfy(r -> assertThat(r.closes.get()).isEqualTo(1));
  }

  @Test
  void canaryIsStickyPerKeyAndTakesItsWeight() {
    try (Deployment d = Deployment.start("m", this::load, "1")) {
      d.startCanary("2", 0.3);
      int canary = 0;
      for (int i = 0; i < 10_000; i++) {
        String key = "user-" + i;
        String v = d.predict(key, row()).modelVersion();
        assertThat(d.predict(key, row()).modelVersion()).isEqualTo(v);
        canary += v.equals("2") ? 1 : 0;
      }
      assertThat(canary).isBetween(2_700, 3_300);
      assertThat(d.predict(row()).modelVersion()).isEqualTo("1");
      d.promoteCanary();
      assertThat(d.activeVersion()).isEqualTo("2");
      assertThat(d.canaryVersion()).isEmpty();
      assertThat(d.predict("user-1", row()).modelVersion()).isEqualTo("2");
      assertThat(loaded.get("1").closes.get()).isEqualTo(1);
      d.rollback();
      assertThat(d.activeVersion()).isEqualTo("1");
    }
  }

  @Test
  void shadowRunsOffTheCallersThreadAndItsFailuresNeverReachTheCaller() throws Exception {
    Deployment d = Deployment.builder("m", this::load).meterRegistry(registry).start("1");
    {
      d.startShadow("1");
      for (int i = 0; i < 20; i++) {
        assertThat(d.predict(row()).asRegression().value()).isEqualTo(1.0);
      }
      d.startShadow("flaky");
      for (int i = 0; i < 5; i++) {
        assertThat(d.predict(row()).asRegression().value()).isEqualTo(1.0);
      }
      d.stopShadow();
      d.close();
      Deployment.ShadowStats stats = d.shadowStats();
      assertThat(stats.agreements() + stats.dropped()).isEqualTo(20);
      assertThat(stats.errors() + stats.dropped()).isGreaterThanOrEqualTo(5);
      assertThat(stats.disagreements()).isZero();
      VersionRunner flaky = (VersionRunner) loaded.get("flaky").delegate;
      assertThat(flaky.threads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("mlops-shadow-m"));
    }
    assertThat(all).allSatisfy(r -> assertThat(r.closes.get()).isEqualTo(1));
  }

  @Test
  void reloadingTheActiveVersionKeepsItsMetersRegistered() {
    try (Deployment d = Deployment.start("m", this::load, "1")) {
      d.swapTo("1");
      d.predict(row());
      assertThat(registry.get("mlops.serving.predictions").tag("version", "1").counter().count()).isEqualTo(1.0);
    }
    assertThat(registry.find("mlops.serving.predictions").counters()).isEmpty();
  }

  @Test
  void aDeploymentIsAPredictorOfItsActiveVersion() throws Exception {
    try (Deployment d = Deployment.start("m", this::load, "1")) {
      Predictor p = d;
      assertThat(p.modelName()).isEqualTo("m");
      assertThat(p.modelVersion()).isEqualTo("1");
      assertThat(p.inputSchema()).isEqualTo(SCHEMA);
      assertThat(p.device()).isEqualTo(Device.cpu());
      assertThat(p.predictAsync(row()).get().modelVersion()).isEqualTo("1");
      assertThat(p.predictAsync(row(), java.time.Duration.ofSeconds(5)).get().modelVersion()).isEqualTo("1");
      d.swapTo("2");
      assertThat(p.modelVersion()).isEqualTo("2");
      assertThat(p.predictAsync(row()).get().modelVersion()).isEqualTo("2");
      // the retired version closed once its async calls completed
      assertThat(loaded.get("1").closes.get()).isEqualTo(1);
      assertThatThrownBy(() -> p.predictAsync(Row.of(Schema.of(Field.of("other", DataType.FLOAT64)), 1.0)))
          .isInstanceOf(dev.mlops.core.SchemaMismatchException.class);
      assertThatThrownBy(() -> p.predictAsync(row(), java.time.Duration.ZERO))
          .isInstanceOf(dev.mlops.core.DeadlineExceededException.class);
    }
    assertThat(all).allSatisfy(r -> assertThat(r.closes.get()).isEqualTo(1));
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void rollbackWithoutHistoryIsRefused() {
    try (Deployment d = Deployment.start("m", this::load, "1")) {
      assertThatThrownBy(d::rollback).isInstanceOf(IllegalStateException.class)
          .hasMessage("Deployment of m has no previous version to roll back to");
    }
  }

  @Test
  void stableBucketsSpreadKeys() {
    assertThat(Deployment.bucket("alice")).isEqualTo(Deployment.bucket("alice")).isBetween(0, 9_999);
  }
}
