package dev.mlops.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;

import dev.mlops.core.Schema;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Monitor;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.serving.tribuo.TribuoModels;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.RowContractViolationException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * Runs the serving snippets of README.md and docs/serving.md on a small logistic regression trained
 * here with Tribuo and exported to ONNX: bad when the amount is above the age, both scaled to [0, 1].
 */
class ServingSnippetsTest extends SnippetTestSupport {
  static final Schema INPUTS = Schema.of(Field.of("age", DataType.FLOAT64), Field.of("amount", DataType.FLOAT64));
  static final Schema OUTPUTS = Schema.of(Field.of(TribuoModels.ONNX_OUTPUT, DataType.floatTensor(2), false,
      Role.PREDICTION));

  @TempDir
  Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KeyPair keys = Ed25519Keys.generate();
  private List<Row> rows;
  private LinearSGDModel model;
  private Path modelFile;
  private Path modelsDir;
  private Path contractFile;

  @BeforeEach
  void trainAndExport() throws Exception {
    LabelFactory factory = new LabelFactory();
    List<Example<Label>> examples = new ArrayList<>();
    rows = new ArrayList<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 300; i++) {
      double age = rnd.nextDouble();
      double amount = rnd.nextDouble();
      examples.add(new ArrayExample<>(new Label(amount > age ? "bad" : "good"), new String[] {"age", "amount"},
          new double[] {age, amount}));
      rows.add(Row.of(INPUTS, age, amount));
    }
    model = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 20, 1000, 1, 42L)
        .train(new MutableDataset<>(new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("toy",
            factory))));
    // The snippets tag the labels as [bad, good]: the export's score order must be that.
    assertThat(TribuoModels.labels(model)).containsExactly("bad", "good");
    modelFile = Files.write(dir.resolve("model.onnx"), TribuoModels.toOnnx(model, "dev.mlops.examples", 1));
    modelsDir = dir.resolve("models");
    contractFile = dir.resolve("credit-risk.yaml");
    try (Batch training = Batch.fromRows(allocator, INPUTS, rows)) {
      ContractInference.defaults().infer("credit-risk", training).write(contractFile);
    }
  }

  private List<FeatureEncoding> encoding() {
    return TribuoModels.encoding(model, INPUTS);
  }

  private VerifiedModel publishChampion() {
    return ServingSnippets.repository(modelsDir, keys.getPublic(), keys, modelFile, INPUTS, OUTPUTS, encoding());
  }

  @Test
  void theRepositorySnippetPublishesSignedAndLoadsTheChampionThroughTheSignedView() {
    VerifiedModel champion = publishChampion();
    assertThat(champion.version()).isEqualTo("3");
    assertThat(champion.manifest().metrics()).containsEntry("auc", 0.91);
    assertThat(Files.exists(modelsDir.resolve("credit-risk/3/manifest.sig"))).isTrue();
  }

  @Test
  void theReadmeSnippetServesAGuardedBatchedPrediction() {
    publishChampion();
    assertThat(ServingSnippets.readme(modelsDir, keys.getPublic(), contractFile, registry, 2,
        Map.of("age", 0.9, "amount", 0.1))).contains("good");
    assertThat(ServingSnippets.readme(modelsDir, keys.getPublic(), contractFile, registry, 2,
        Map.of("age", 0.1, "amount", 0.9))).contains("bad");
    assertThat(registry.getMeters()).as("the predictor's meters leave with it").isEmpty();
  }

  @Test
  void thePredictorSnippetFallsBackToTheCpuAndItsPathsAgree() throws Exception {
    VerifiedModel champion = publishChampion();
    try (Batch batch = Batch.fromRows(allocator, INPUTS, rows.subList(0, 20))) {
      assertThat(ServingSnippets.predictors(champion, registry, Row.of(INPUTS, 0.9, 0.1), batch)).contains("good");
    }
  }

  @Test
  void theGuardSnippetRejectsARowTheContractRefusesAndRecordsTheRest() throws Exception {
    VerifiedModel champion = publishChampion();
    // what the monitor records of each prediction (Prediction.toRow): its label and one score
    Schema monitored = Schema.of(Field.of("label", DataType.STRING), Field.of("good", DataType.FLOAT64));
    List<Row> outputs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      outputs.add(Row.of(monitored, i % 2 == 0 ? "good" : "bad", i / 50.0));
    }
    try (Batch training = Batch.fromRows(allocator, INPUTS, rows);
         Monitor monitor = Monitor.builder(DatasetProfile.of(training)).name("credit-risk").tumblingCount(100)
             .outputReference(DatasetProfile.of(monitored, outputs)).build()) {
      Prediction served = ServingSnippets.guards(champion, contractFile, monitor, monitored,
          Row.of(INPUTS, 0.7, 0.2));
      assertThat(served.asClassification().label()).contains("good");
      assertThatThrownBy(() -> ServingSnippets.guards(champion, contractFile, monitor, monitored,
          Row.of(INPUTS, 40.0, 0.2))).isInstanceOf(RowContractViolationException.class);
    }
  }

  @Test
  void theDeploymentSnippetEndsOnTheVersionBeforeTheLastPromotion() {
    publishChampion();
    ModelRepository repo = ModelRepository.open(modelsDir, List.of(keys.getPublic()));
    for (String v : List.of("4", "5", "6")) {
      ModelManifestBuilder m = ModelManifest.builder().format(ModelFormats.ONNX)
          .modelSignature(ModelSignature.of(INPUTS, OUTPUTS, encoding()));
      ServingTags.classification(TribuoModels.ONNX_OUTPUT, List.of("bad", "good")).forEach(m::tag);
      repo.publish("credit-risk", v, modelFile, m, keys);
    }
    assertThat(ServingSnippets.deployments(repo, registry, Row.of(INPUTS, 0.9, 0.1), "customer-7")).isEqualTo("4");
    assertThat(registry.getMeters()).as("the deployment's meters leave with it").isEmpty();
  }
}
