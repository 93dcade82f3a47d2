package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.serving.tribuo.TribuoModels;

/**
 * Real data end to end: a Tribuo logistic regression trained on credit-g (numerics standardized,
 * categoricals one-hot), exported to ONNX with Tribuo's exporter, published with its manifest beside
 * the Tribuo protobuf form, loaded back through the verifying repository; both predictors agree on
 * every row.
 */
class CreditGEndToEndTest {
  @TempDir
  Path tmp;

  private static ModelManifestBuilder manifest(LinearSGDModel model, CreditG.Data data,
      List<FeatureEncoding> encoding, String format) {
    List<String> labels = TribuoModels.labels(model);
    ModelManifestBuilder b = ModelManifest.builder().format(format)
        .modelSignature(ModelSignature.of(data.schema(),
            Schema.of(List.of(Field.of(TribuoModels.ONNX_OUTPUT, DataType.floatTensor(labels.size()), false,
                Role.PREDICTION))), encoding))
        .hyperParameter("epochs", 5).hyperParameter("optimiser", "AdaGrad(0.1, 0.1)").seed("sgd", 42)
        .provenance(TribuoModels.provenance(model));
    ServingTags.classification(TribuoModels.ONNX_OUTPUT, labels).forEach(b::tag);
    return b;
  }

  @Test
  void onnxAndTribuoPredictorsFromTheRepositoryAgreeOnEveryCreditGRow() throws IOException {
    CreditG.Data data = CreditG.load();
    assertThat(data.rows()).hasSize(1000);
    LinearSGDModel model = CreditG.train(data);
    List<FeatureEncoding> encoding = CreditG.encoding(model, data);
    assertThat(encoding).hasSize(61);
    Path onnxFile = Files.write(Files.createDirectories(tmp.resolve("out")).resolve("model.onnx"),
        TribuoModels.toOnnx(model, "dev.mlops.test", 1));
    Path protoFile = Files.write(tmp.resolve("out/model.tribuo"), TribuoModels.toProtobuf(model));
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    repo.publish("credit-g", "1", onnxFile, manifest(model, data, encoding, ModelFormats.ONNX));
    repo.publish("credit-g-tribuo", "1", protoFile, manifest(model, data, encoding, ModelFormats.TRIBUO_PROTOBUF));
    VerifiedModel onnxModel = repo.load(ModelRef.parse("credit-g/1"));
    assertThat(onnxModel.manifest().provenance()).isNotNull();
    assertThat(onnxModel.manifest().modelSignature().encoding()).isEqualTo(encoding);
    try (RootAllocator allocator = new RootAllocator();
        Predictor onnx = Predictor.builder(onnxModel).build();
        Predictor tribuo = Predictor.builder(repo.load(ModelRef.parse("credit-g-tribuo/1"))).build()) {
      List<Prediction> a;
      try (Batch batch = Batch.fromRows(allocator, data.schema(), data.rows())) {
        a = onnx.predict(batch);
      }
      List<Prediction> b = data.rows().stream().map(tribuo::predict).toList();
      double maxDiff = 0;
      int correct = 0;
      for (int i = 0; i < data.rows().size(); i++) {
        Prediction.Classification fromOnnx = a.get(i).asClassification();
        Prediction.Classification fromTribuo = b.get(i).asClassification();
        assertThat(fromOnnx.requireLabel()).as("row %d", i).isEqualTo(fromTribuo.requireLabel());
        assertThat(onnx.predict(data.rows().get(i)).asClassification().scores()).as("row %d: row path = batch path", i)
            .isEqualTo(fromOnnx.scores());
        correct += fromOnnx.requireLabel().equals(data.labels().get(i)) ? 1 : 0;
        for (String l : fromOnnx.scores().keySet()) {
          double d = Math.abs(fromOnnx.scores().get(l) - fromTribuo.scores().get(l));
          maxDiff = Math.max(maxDiff, d);
          assertThat(fromOnnx.scores().get(l)).as("row %d label %s", i, l)
              .isCloseTo(fromTribuo.scores().get(l), within(1e-5));
        }
      }
      assertThat(correct).as("training accuracy").isGreaterThan(700);
      System.out.println("credit-g: 1000 rows, ONNX and Tribuo labels equal, max |score difference| = " + maxDiff
          + ", training accuracy = " + correct / 1000.0);
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }
}
