package dev.mlops.serving;

import dev.mlops.core.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The compatibility kit on the ONNX Runtime backend (a tabular classifier from the repository). */
class OnnxPredictorCompatibilityTest extends PredictorCompatibilityKit {
  @TempDir
  Path tmp;
  private VerifiedModel model;

  @Override
  Predictor newPredictor(BatchingOptions batching) {
    if (model == null) {
      try {
        ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
        repo.publish("toy", "1", ModelRepositoryTest.toyModelFile(Files.createDirectories(tmp.resolve("src")), 1),
            ModelRepositoryTest.toyManifest());
        model = repo.load(ModelRef.parse("toy/1"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Predictor.builder(model).batching(batching).build();
  }

  @Override
  List<Row> rows(int n) {
    return OnnxRunnerTest.rows(n, 17);
  }
}
