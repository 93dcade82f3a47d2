package dev.mlops.serving;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

/** The compatibility kit on the Tribuo backend (the credit-g classifier, protobuf format). */
class TribuoPredictorCompatibilityTest extends PredictorCompatibilityKit {
  private static final CreditG.Data DATA = CreditG.load();
  private static final LinearSGDModel MODEL = CreditG.train(DATA);
  @TempDir
  Path tmp;
  private VerifiedModel model;

  @Override
  Predictor newPredictor(BatchingOptions batching) {
    if (model == null) {
      try {
        Path file = Files.write(Files.createDirectories(tmp.resolve("src")).resolve("model.tribuo"),
            TribuoModels.toProtobuf(MODEL));
        List<String> labels = TribuoModels.labels(MODEL);
        ModelManifest.Builder b = ModelManifest.builder().format(ModelFormats.TRIBUO_PROTOBUF)
            .modelSignature(ModelSignature.of(DATA.schema(), Schema.of(Field.of("output",
                DataType.floatTensor(labels.size()), false, Role.PREDICTION)), CreditG.encoding(MODEL, DATA)));
        ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
        repo.publish("credit-g", "1", file, b);
        model = repo.load(ModelRef.parse("credit-g/1"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Predictor.builder(model).batching(batching).build();
  }

  @Override
  List<Row> rows(int n) {
    return DATA.rows().subList(0, n);
  }
}
