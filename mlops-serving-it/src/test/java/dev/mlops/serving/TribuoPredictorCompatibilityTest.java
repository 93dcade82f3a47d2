package dev.mlops.serving;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.serving.tribuo.TribuoModels;
import dev.mlops.test.PredictorCompatibilityKit;

/** The compatibility kit on the Tribuo backend (the credit-g classifier, protobuf format). */
class TribuoPredictorCompatibilityTest extends PredictorCompatibilityKit {
  private static final CreditG.Data DATA = CreditG.load();
  private static final LinearSGDModel MODEL = CreditG.train(DATA);

  @Override
  protected VerifiedModel publish(ModelRepository repo, Path scratch) throws IOException {
    Path file = Files.write(scratch.resolve("model.tribuo"), TribuoModels.toProtobuf(MODEL));
    List<String> labels = TribuoModels.labels(MODEL);
    ModelManifestBuilder b = ModelManifest.builder().format(ModelFormats.TRIBUO_PROTOBUF)
        .modelSignature(ModelSignature.of(DATA.schema(), Schema.of(Field.of("output",
            DataType.floatTensor(labels.size()), false, Role.PREDICTION)), CreditG.encoding(MODEL, DATA)));
    repo.publish("credit-g", "1", file, b);
    return repo.load(ModelRef.parse("credit-g/1"));
  }

  @Override
  protected List<Row> rows(int n) {
    return DATA.rows().subList(0, n);
  }
}
