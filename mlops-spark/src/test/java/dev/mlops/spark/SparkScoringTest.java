package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.test.onnx.OnnxManifests;
import dev.mlops.test.onnx.OnnxModels;
import dev.mlops.validation.ContractInference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring on Spark local mode: an ONNX classifier over credit-g's numeric columns, published signed;
 * skewed partitions with an empty one; every row's prediction equals the local predictor's, the
 * model is loaded once per JVM, the contract guard refuses the rows it should.
 */
class SparkScoringTest {
  static final List<String> NUMERIC = List.of("duration", "credit_amount", "installment_commitment",
      "residence_since", "age", "existing_credits", "num_dependents");

  @TempDir
  static Path dir;

  static CreditG data;
  static SparkSession spark;
  static String pem;
  static String contract;

  @BeforeAll
  static void publish() throws IOException {
    data = CreditG.load();
    spark = LocalSpark.get();
    Path model = Files.write(dir.resolve("model.onnx"), OnnxModels.softmaxClassifier(NUMERIC.size(), 2, 11));
    ModelManifestBuilder m = OnnxManifests.softmaxClassifier(NUMERIC, List.of("bad", "good"));
    KeyPair keys = Ed25519Keys.generate();
    pem = Ed25519Keys.toPem(keys.getPublic());
    ModelRepository.open(dir.resolve("repo")).publish("credit", "1", model, m, keys);
    try (BufferAllocator a = new RootAllocator();
        dev.mlops.core.Batch all = dev.mlops.core.Batch.fromRows(a, data.schema, data.rows)) {
      contract = ContractInference.defaults().infer("credit-g", all).toYaml();
    }
  }

  @Test
  void everyRowIsScoredAsTheLocalPredictorScoresItWithOneLoadPerJvm() {
    Dataset<Row> ds = data.dataset(spark, data.rows, 600, 0, 300, 90, 10);
    SparkScoring scoring = SparkScoring.builder(dir.resolve("repo").toString(), "credit/1").trustedKeyPem(pem)
        .batchRows(128).build();
    List<Row> out = scoring.score(ds).collectAsList();
    assertThat(out).hasSize(1000);
    assertThat(SparkScoring.loadsInThisJvm()).isEqualTo(1); // driver and executors share this JVM in local mode
    int prediction = ds.schema().fields().length;
    try (Predictor local = Predictor.builder(ModelRepository.open(dir.resolve("repo"))
        .load(ModelRef.parse("credit/1"))).build()) {
      for (int i = 0; i < 1000; i++) {
        dev.mlops.core.Row r = data.rows.get(i);
        Object[] v = new Object[NUMERIC.size()];
        for (int c = 0; c < v.length; c++) {
          v[c] = r.get(NUMERIC.get(c));
        }
        Prediction.Classification p = local.predict(dev.mlops.core.Row.of(local.inputSchema(), v)).asClassification();
        Row s = out.get(i);
        assertThat(s.getString(prediction)).as("row " + i).isEqualTo(p.requireLabel());
        assertThat(s.getDouble(prediction + 1)).isEqualTo(p.scores().get("bad"));
        assertThat(s.getDouble(prediction + 2)).isEqualTo(p.scores().get("good"));
        assertThat(s.getString(prediction + 3)).isEqualTo("ok");
      }
    }
    scoring.score(data.dataset(spark, data.rows, 500, 500)).count();
    assertThat(SparkScoring.loadsInThisJvm()).isEqualTo(1);
  }

  @Test
  void theContractGuardRejectsRowsAndTheModelRefusesNaNWithoutLosingAnyRow() {
    List<dev.mlops.core.Row> rows = new ArrayList<>(data.rows.subList(0, 200));
    int age = data.schema.indexOf("age");
    int duration = data.schema.indexOf("duration");
    rows.set(5, with(rows.get(5), age, -3.0));
    rows.set(17, with(rows.get(17), duration, Double.NaN));
    Dataset<Row> ds = data.dataset(spark, rows, 50, 0, 150);
    List<Row> guarded = SparkScoring.builder(dir.resolve("repo").toString(), "credit/1").contract(contract).build()
        .score(ds).collectAsList();
    int status = ds.schema().fields().length + 3;
    assertThat(guarded).hasSize(200);
    assertThat(guarded.get(5).getString(status)).isEqualTo("rejected");
    assertThat(guarded.get(5).getString(status + 1)).contains("age");
    assertThat(guarded.get(5).isNullAt(status - 3)).isTrue();
    assertThat(guarded.get(17).getString(status)).isEqualTo("rejected");
    assertThat(guarded.stream().filter(r -> r.getString(status).equals("ok")).count()).isEqualTo(198);
    List<Row> unguarded = SparkScoring.builder(dir.resolve("repo").toString(), "credit/1").build().score(ds)
        .collectAsList();
    assertThat(unguarded.get(17).getString(status)).isEqualTo("error");
    assertThat(unguarded.get(17).isNullAt(status - 3)).isTrue();
    assertThat(unguarded.get(5).getString(status)).isEqualTo("ok");
    assertThat(unguarded.stream().filter(r -> r.getString(status).equals("ok")).count()).isEqualTo(199);
  }

  @Test
  void anUntrustedModelOrAMissingInputIsRefusedOnTheDriver() {
    String other = Ed25519Keys.toPem(Ed25519Keys.generate().getPublic());
    Dataset<Row> ds = data.dataset(spark, data.rows, 10);
    assertThatThrownBy(() -> SparkScoring.builder(dir.resolve("repo").toString(), "credit/1").trustedKeyPem(other)
        .build().score(ds)).isInstanceOf(IntegrityException.class).hasMessageContaining("signed by unknown key");
    assertThatThrownBy(() -> SparkScoring.builder(dir.resolve("repo").toString(), "credit/1").build()
        .score(ds.drop("age"))).isInstanceOf(dev.mlops.core.SchemaMismatchException.class)
        .hasMessageContaining("no column 'age'");
  }

  private static dev.mlops.core.Row with(dev.mlops.core.Row r, int column, Object value) {
    Object[] v = new Object[r.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    v[column] = value;
    return dev.mlops.core.Row.of(r.schema(), v);
  }
}
