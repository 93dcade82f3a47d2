package dev.mlops.serving;

import dev.mlops.core.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.test.PredictorCompatibilityKit;

/** The compatibility kit on the ONNX Runtime backend (a tabular classifier from the repository). */
class OnnxPredictorCompatibilityTest extends PredictorCompatibilityKit {

  @Override
  protected VerifiedModel publish(ModelRepository repo, Path scratch) throws IOException {
    repo.publish("toy", "1", ModelRepositoryTest.toyModelFile(scratch, 1), ModelRepositoryTest.toyManifest());
    return repo.load(ModelRef.parse("toy/1"));
  }

  @Override
  protected List<Row> rows(int n) {
    return OnnxRunnerTest.rows(n, 17);
  }
}
