package dev.mlops.consumers.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.spi.ModelBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ONNX-only consumer serves ONNX models and has no Tribuo class on its class path. */
class OnnxOnlyConsumerTest {
  static final Schema SCHEMA = Schema.of(Field.of("age", DataType.FLOAT64), Field.of("amount", DataType.FLOAT64),
      Field.of("duration", DataType.FLOAT64));

  @TempDir
  Path tmp;

  private ModelRepository publish(String format) throws IOException {
    Path file = tmp.resolve("model.onnx");
    try (InputStream in = getClass().getResourceAsStream("/softmax-3x2.onnx")) {
      Files.write(file, in.readAllBytes());
    }
    ModelManifestBuilder m = ModelManifest.builder().format(format).modelSignature(ModelSignature.of(SCHEMA,
        Schema.of(Field.of("probabilities", DataType.floatTensor(2))), List.of(FeatureEncoding.numeric("age"),
            FeatureEncoding.numeric("amount"), FeatureEncoding.numeric("duration"))));
    ServingTags.classification("probabilities", List.of("bad", "good")).forEach(m::tag);
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    repo.publish("credit-risk", "1", file, m);
    repo.setAlias("credit-risk", "champion", "1");
    return repo;
  }

  @Test
  void scoresWithTheOnnxBackendFoundOnTheClassPath() throws IOException {
    try (RiskScorer scorer = new RiskScorer(publish(ModelFormats.ONNX), "credit-risk@champion")) {
      Prediction p = scorer.score(Row.of(SCHEMA, 0.3, -1.2, 0.5));
      assertEquals("1", p.modelVersion());
      assertEquals(Prediction.Kind.CLASSIFICATION, p.kind());
      assertTrue(p.finite());
    }
  }

  @Test
  void hasNoTribuoOnItsClassPath() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.tribuo.Model"));
    List<String> backends = ServiceLoader.load(ModelBackend.class).stream().map(b -> b.type().getName()).toList();
    assertEquals(List.of("dev.mlops.serving.onnx.OnnxBackend"), backends);
  }

  @Test
  void aTribuoModelNamesTheArtifactToAdd() throws IOException {
    ModelRepository repo = publish(ModelFormats.TRIBUO_PROTOBUF);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> Predictor.builder(repo.load(ModelRef.parse("credit-risk/1"))).build());
    assertTrue(e.getMessage().contains("add the dependency dev.mlops:mlops-serving-tribuo"), e.getMessage());
  }
}
