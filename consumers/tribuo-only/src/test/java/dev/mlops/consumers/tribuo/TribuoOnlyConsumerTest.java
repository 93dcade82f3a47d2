package dev.mlops.consumers.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
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
import dev.mlops.serving.tribuo.TribuoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** A Tribuo-only consumer serves Tribuo models and has no ONNX Runtime class on its class path. */
class TribuoOnlyConsumerTest {
  static final Schema SCHEMA = Schema.of(Field.of("age", DataType.FLOAT64), Field.of("amount", DataType.FLOAT64));

  @TempDir
  Path tmp;

  /** A logistic regression on a separable toy problem: good when amount is below age. */
  private static LinearSGDModel train() {
    LabelFactory factory = new LabelFactory();
    List<Example<Label>> examples = new ArrayList<>();
    Random rnd = new Random(11);
    for (int i = 0; i < 400; i++) {
      double age = rnd.nextDouble();
      double amount = rnd.nextDouble();
      examples.add(new ArrayExample<>(new Label(amount < age ? "good" : "bad"), new String[] {"age", "amount"},
          new double[] {age, amount}));
    }
    MutableDataset<Label> ds = new MutableDataset<>(new ListDataSource<>(examples, factory,
        new SimpleDataSourceProvenance("toy", factory)));
    return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 20, 1000, 1, 42L).train(ds);
  }

  private ModelRepository publish(String format) throws IOException {
    LinearSGDModel model = train();
    Path file = Files.write(tmp.resolve("model.tribuo"), TribuoModels.toProtobuf(model));
    List<String> labels = TribuoModels.labels(model);
    ModelManifestBuilder m = ModelManifest.builder().format(format).modelSignature(ModelSignature.of(SCHEMA,
        Schema.of(Field.of("output", DataType.floatTensor(labels.size()))), TribuoModels.encoding(model, SCHEMA)))
        .provenance(TribuoModels.provenance(model));
    ServingTags.classification("output", labels).forEach(m::tag);
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    repo.publish("credit-risk", "1", file, m);
    return repo;
  }

  @Test
  void scoresWithTheTribuoBackendFoundOnTheClassPath() throws IOException {
    try (RiskScorer scorer = new RiskScorer(publish(ModelFormats.TRIBUO_PROTOBUF), "credit-risk/1")) {
      Prediction p = scorer.score(Row.of(SCHEMA, 0.9, 0.1));
      assertEquals("1", p.modelVersion());
      assertEquals(Prediction.Kind.CLASSIFICATION, p.kind());
      assertTrue(p.finite());
    }
  }

  @Test
  void hasNoOnnxRuntimeOnItsClassPath() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.onnxruntime.OrtEnvironment"));
    List<String> backends = ServiceLoader.load(ModelBackend.class).stream().map(b -> b.type().getName()).toList();
    assertEquals(List.of("dev.mlops.serving.tribuo.TribuoBackend"), backends);
  }

  @Test
  void anOnnxModelNamesTheArtifactToAdd() throws IOException {
    ModelRepository repo = publish(ModelFormats.ONNX);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> Predictor.builder(repo.load(ModelRef.parse("credit-risk/1"))).build());
    assertTrue(e.getMessage().contains("add the dependency dev.mlops:mlops-serving-onnx"), e.getMessage());
  }
}
