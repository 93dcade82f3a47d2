package dev.mlops.test.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.test.PredictorCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A backend that knows only {@code dev.mlops.serving.spi} passes the compatibility kit, found through
 * {@link java.util.ServiceLoader} with no change to serving; and a format no backend serves fails
 * naming the format and the artifacts that provide backends.
 */
class InMemoryBackendCompatibilityTest extends PredictorCompatibilityKit {
  static final Schema SCHEMA = Schema.of(Field.of("age", DataType.FLOAT64), Field.of("amount", DataType.FLOAT64),
      Field.of("purpose", DataType.STRING));
  static final List<FeatureEncoding> ENCODING = List.of(FeatureEncoding.numeric("age"),
      FeatureEncoding.numeric("amount"), FeatureEncoding.oneHot("purpose", "car"),
      FeatureEncoding.oneHot("purpose", "education"));

  static ModelManifestBuilder manifest(String format) {
    ModelManifestBuilder b = ModelManifest.builder().format(format)
        .modelSignature(ModelSignature.of(SCHEMA, Schema.of(Field.of("scores", DataType.floatTensor(2))), ENCODING));
    ServingTags.classification("scores", List.of("bad", "good")).forEach(b::tag);
    return b;
  }

  @Override
  protected VerifiedModel publish(ModelRepository repo, Path scratch) throws IOException {
    Path file = Files.writeString(scratch.resolve("model.txt"), "0.2 -0.03 0.0004 0.8 -0.5\n");
    repo.publish("logistic", "1", file, manifest(LogisticTextBackend.FORMAT));
    return repo.load(ModelRef.parse("logistic/1"));
  }

  @Override
  protected List<Row> rows(int n) {
    Random rnd = new Random(7);
    String[] purposes = {"car", "education", "furniture"};
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(Row.of(SCHEMA, 20.0 + rnd.nextInt(50), 250.0 + rnd.nextInt(10_000), purposes[i % 3]));
    }
    return rows;
  }

  @Override
  protected Optional<Row> unscorableRow() {
    return Optional.of(Row.of(SCHEMA, Double.NaN, 1000.0, "car"));
  }

  @Test
  void predictsWhatItsArtifactSays() throws IOException {
    try (Predictor p = newPredictor(dev.mlops.serving.BatchingOptions.disabled())) {
      Prediction.Classification pr = p.predict(Row.of(SCHEMA, 30.0, 1000.0, "car")).asClassification();
      double z = 0.2 - 0.03 * 30 + 0.0004 * 1000 + 0.8;
      assertThat(pr.scores().get("good")).isCloseTo(1 / (1 + Math.exp(-z)), org.assertj.core.data.Offset.offset(1e-12));
      assertThat(pr.label()).contains("good");
    }
  }

  @Test
  void aFormatNoBackendServesNamesTheFormatAndTheBackendArtifacts(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    ModelRepository repo = ModelRepository.open(dir.resolve("repo"));
    Path file = Files.writeString(Files.createDirectories(dir.resolve("src")).resolve("m.bin"), "x");
    repo.publish("m", "1", file, manifest("onnx"));
    VerifiedModel m = repo.load(ModelRef.parse("m/1"));
    assertThatThrownBy(() -> Predictor.builder(m).build()).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("format 'onnx'").hasMessageContaining("no backend on the class path")
        .hasMessageContaining("logistic-text").hasMessageContaining("dev.mlops:mlops-serving-onnx");
  }
}
