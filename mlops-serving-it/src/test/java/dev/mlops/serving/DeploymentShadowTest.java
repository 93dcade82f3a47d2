package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.test.onnx.OnnxModels;

/**
 * H8 and the shadow meters: shadow agreement is counted whether or not a registry is given, two
 * identical versions agree on every request whatever the task, and closing a deployment removes
 * every meter it registered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeploymentShadowTest {
  @TempDir
  Path tmp;

  /** The three ways a manifest tells serving to decode outputs. */
  enum Task {
    CLASSIFICATION, REGRESSION, RAW;

    byte[] model() {
      return this == REGRESSION ? OnnxModels.linearRegression(3, 5) : OnnxModels.softmaxClassifier(3, 2, 5);
    }

    Map<String, String> tags() {
      return switch (this) {
        case CLASSIFICATION -> ServingTags.classification("probabilities", List.of("bad", "good"));
        case REGRESSION -> ServingTags.regression("y");
        case RAW -> ServingTags.raw();
      };
    }
  }

  /** Publishes the same model bytes as versions 1 and 2. */
  private ModelRepository twoIdenticalVersions(Task task) throws IOException {
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo-" + task));
    Path file = Files.write(Files.createDirectories(tmp.resolve("src-" + task)).resolve("model.onnx"), task.model());
    for (String v : List.of("1", "2")) {
      ModelManifestBuilder m = ModelManifest.builder().format(ModelFormats.ONNX)
          .modelSignature(ModelSignature.of(MissingAndNonFiniteValuesTest.SCHEMA,
              Schema.of(Field.of("out", DataType.floatTensor(2), false, Role.PREDICTION)),
              MissingAndNonFiniteValuesTest.ENCODING));
      task.tags().forEach(m::tag);
      repo.publish("toy", v, file, m);
    }
    return repo;
  }

  private static void predict200(Deployment d) {
    for (int i = 0; i < 200; i++) {
      d.predict(Row.of(MissingAndNonFiniteValuesTest.SCHEMA, 0.01 * i, 0.5, -0.25));
    }
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void identicalVersionsAgreeOnEveryRequestWithoutARegistry(Task task) throws IOException {
    ModelRepository repo = twoIdenticalVersions(task);
    Deployment d = Deployment.builder("toy", Deployment.VersionLoader.fromRepository(repo, "toy", vm -> Predictor.builder(vm).build())).start("1");
    d.startShadow("2");
    predict200(d);
    d.close();
    assertThat(d.shadowStats()).isEqualTo(new Deployment.ShadowStats(200, 0, 0, 0));
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void theRegistryShowsTheSameCountsAsTheStats(Task task) throws Exception {
    ModelRepository repo = twoIdenticalVersions(task);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Deployment d = Deployment.builder("toy", Deployment.VersionLoader.fromRepository(repo, "toy", vm -> Predictor.builder(vm).build()))
        .meterRegistry(registry).start("1");
    d.startShadow("2");
    predict200(d);
    d.stopShadow();
    // stopShadow does not wait for queued shadow work; closing does, and the meters go with it.
    Deployment.ShadowStats stats;
    double agreements;
    double disagreements;
    do {
      stats = d.shadowStats();
      agreements = count(registry, "mlops.serving.shadow.agreements");
      disagreements = count(registry, "mlops.serving.shadow.disagreements");
      Thread.sleep(1);
    } while (stats.agreements() + stats.disagreements() + stats.errors() < 200);
    assertThat(stats).isEqualTo(new Deployment.ShadowStats(200, 0, 0, 0));
    assertThat(agreements).isEqualTo(200.0);
    assertThat(disagreements).isZero();
    d.close();
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    return registry.get(name).tag("model", "toy").meter().measure().iterator().next().getValue();
  }

  @Test
  void closeRemovesEveryMeterTheDeploymentRegistered() throws IOException {
    ModelRepository repo = twoIdenticalVersions(Task.CLASSIFICATION);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Deployment d = Deployment.builder("toy", Deployment.VersionLoader.fromRepository(repo, "toy", vm -> Predictor.builder(vm).meterRegistry(registry)
        .build())).meterRegistry(registry).start("1");
    d.startShadow("2");
    d.startCanary("2", 0.5);
    predict200(d);
    assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
        .contains("mlops.serving.shadow.agreements", "mlops.serving.shadow.latency", "mlops.serving.predictions");
    d.close();
    assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
    assertThat(d.shadowStats().agreements()).isEqualTo(200);
  }
}
