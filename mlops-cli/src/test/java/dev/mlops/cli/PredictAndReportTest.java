package dev.mlops.cli;

import static dev.mlops.cli.MlopsCliTest.mlops;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Batch;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.test.onnx.OnnxManifests;
import dev.mlops.test.onnx.OnnxModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} and {@code report} with an ONNX classifier over credit-g's seven numeric columns,
 * published signed with its training profile: every row is scored or says why not.
 */
class PredictAndReportTest {
  static final List<String> NUMERIC = List.of("duration", "credit_amount", "installment_commitment",
      "residence_since", "age", "existing_credits", "num_dependents");

  @TempDir
  Path dir;

  private Path repo;
  private KeyPair keys;

  @BeforeEach
  void setUp() throws IOException {
    repo = dir.resolve("repo");
    Path model = Files.write(dir.resolve("model.onnx"), OnnxModels.softmaxClassifier(NUMERIC.size(), 2, 11));
    assertThat(mlops("profile", "-q", "-o", dir.resolve("training-profile.bin").toString(),
        MlopsCliTest.CREDIT_G.toString()).code()).isZero();
    ModelManifestBuilder m = OnnxManifests.softmaxClassifier(NUMERIC, List.of("bad", "good")).metric("auc", 0.71)
        .tag("owner", "risk-team");
    keys = Ed25519Keys.generate();
    Ed25519Keys.write(dir.resolve("release.pub"), keys.getPublic());
    ModelRepository r = ModelRepository.open(repo);
    r.publish("credit", "1", List.of(model, dir.resolve("training-profile.bin")), m, keys);
    r.setAlias("credit", "champion", "1");
    assertThat(mlops("contract", "infer", "--name", "credit-g", "-o", dir.resolve("contract.yaml").toString(),
        MlopsCliTest.CREDIT_G.toString()).code()).isZero();
  }

  @Test
  void predictScoresEveryRowIntoCsvAndArrow() throws IOException {
    Path out = dir.resolve("scored.csv");
    MlopsCliTest.Run r = mlops("predict", "--json", "-q", "--repository", repo.toString(), "-m", "credit@champion",
        "--trust-key", dir.resolve("release.pub").toString(), "-c", dir.resolve("contract.yaml").toString(), "-o",
        out.toString(), MlopsCliTest.CREDIT_G.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("model").asText()).isEqualTo("credit/1");
    assertThat(j.get("rows").asLong()).isEqualTo(1000);
    assertThat(j.get("scored").asLong()).isEqualTo(1000);
    assertThat(r.err()).isEmpty();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1001);
    assertThat(lines.get(0)).isEqualTo(Files.readAllLines(MlopsCliTest.CREDIT_G).get(0)
        + ",prediction,score_bad,score_good,_status,_reason");
    String first = lines.get(1);
    assertThat(first).startsWith("<0,6.0,critical/other existing credit,radio/tv,1169.0,");
    String[] f = first.split(",", -1);
    double bad = Double.parseDouble(f[22]);
    double good = Double.parseDouble(f[23]);
    assertThat(bad + good).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(f[21]).isEqualTo(bad > good ? "bad" : "good");
    assertThat(f[24]).isEqualTo("ok");

    Path arrow = dir.resolve("scored.arrow");
    assertThat(mlops("predict", "-q", "--repository", repo.toString(), "-m", "credit/1", "-o", arrow.toString(),
        MlopsCliTest.CREDIT_G.toString()).code()).isZero();
    try (BufferAllocator a = new RootAllocator()) {
      List<Batch> batches = ArrowIpc.readFile(arrow, a);
      assertThat(batches.stream().mapToInt(Batch::rowCount).sum()).isEqualTo(1000);
      assertThat(batches.get(0).getString(batches.get(0).schema().indexOf("prediction"), 0)).isEqualTo(f[21]);
      batches.forEach(Batch::close);
    }
  }

  @Test
  void rowsTheContractRejectsOrTheModelCannotTakeGetNoPredictionAndAreCounted() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(MlopsCliTest.CREDIT_G));
    String[] f = lines.get(2).split(",", -1);
    f[12] = "-5.0"; // age
    lines.set(2, String.join(",", f));
    String[] g = lines.get(7).split(",", -1);
    g[1] = "NaN"; // duration
    lines.set(7, String.join(",", g));
    lines.set(4, "<0,6.0,short line");
    Path in = Files.write(dir.resolve("in.csv"), lines);
    Path out = dir.resolve("scored.csv");
    MlopsCliTest.Run r = mlops("predict", "--json", "-q", "--repository", repo.toString(), "-m", "credit@champion",
        "-c", dir.resolve("contract.yaml").toString(), "-o", out.toString(), in.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Mlops.CHECK_FAILED);
    JsonNode j = r.json();
    assertThat(j.get("rows").asLong()).isEqualTo(999);
    assertThat(j.get("unreadableLines").asLong()).isEqualTo(1);
    assertThat(j.get("rejected").asLong()).isEqualTo(2);
    assertThat(j.get("errors").asLong()).isZero();
    assertThat(j.get("scored").asLong()).isEqualTo(997);
    List<String> scored = Files.readAllLines(out);
    assertThat(scored).hasSize(1000);
    String ageRow = scored.get(2);
    assertThat(ageRow).contains(",rejected,").contains("age");
    assertThat(ageRow.split(",", -1)[21]).isEmpty();
    String[] nanRow = scored.get(6).split(",", -1);
    assertThat(nanRow[1]).isEqualTo("NaN");
    assertThat(nanRow[21]).isEmpty();
    assertThat(nanRow[24]).isEqualTo("rejected");

    // Without the guard the model itself refuses NaN: that row says error, the batch's other rows are scored.
    MlopsCliTest.Run unguarded = mlops("predict", "--json", "-q", "--repository", repo.toString(), "-m",
        "credit@champion", "-o", out.toString(), in.toString());
    assertThat(unguarded.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(unguarded.json().get("errors").asLong()).isEqualTo(1);
    assertThat(unguarded.json().get("scored").asLong()).isEqualTo(998);
    String[] refused = Files.readAllLines(out).get(6).split(",", -1);
    assertThat(refused[21]).isEmpty();
    assertThat(refused[24]).isEqualTo("error");
    assertThat(refused[25]).containsIgnoringCase("nan");
    MlopsCliTest.Run text = mlops("predict", "-q", "--repository", repo.toString(), "-m", "credit@champion", "-c",
        dir.resolve("contract.yaml").toString(), "-o", out.toString(), in.toString());
    assertThat(text.out()).contains("credit/1 scored 997 of 999 rows").contains("1 unreadable lines");
  }

  @Test
  void predictRefusesAnUnknownModelAnUntrustedOneAndAMissingInput() throws IOException {
    Path out = dir.resolve("o.csv");
    MlopsCliTest.Run unknown = mlops("predict", "--repository", repo.toString(), "-m", "credit/7", "-o",
        out.toString(), MlopsCliTest.CREDIT_G.toString());
    assertThat(unknown.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(unknown.err()).startsWith("mlops predict: ").contains("credit/7");
    Path other = dir.resolve("other.pub");
    Ed25519Keys.write(other, Ed25519Keys.generate().getPublic());
    MlopsCliTest.Run untrusted = mlops("predict", "--repository", repo.toString(), "-m", "credit/1", "--trust-key",
        other.toString(), "-o", out.toString(), MlopsCliTest.CREDIT_G.toString());
    assertThat(untrusted.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(untrusted.err()).contains("manifest.sig: signed by unknown key");
    MlopsCliTest.Run missing = mlops("predict", "--repository", repo.toString(), "-m", "credit/1", "-o",
        out.toString(), dir.resolve("nope.csv").toString());
    assertThat(missing.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(missing.err()).contains("no such input file: ").contains("nope.csv");
    assertThat(out).doesNotExist();
  }

  @Test
  void driftAgainstTheTrainingProfilePublishedWithTheModel() throws IOException {
    MlopsCliTest.Run same = mlops("drift", "--json", "--repository", repo.toString(), "-m", "credit@champion", "-c",
        MlopsCliTest.CREDIT_G.toString());
    assertThat(same.code()).as(same.out() + same.err()).isZero();
    assertThat(same.json().get("drifted").asBoolean()).isFalse();
    List<String> lines = new ArrayList<>(Files.readAllLines(MlopsCliTest.CREDIT_G));
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      for (int c : new int[] {1, 4, 12}) { // duration, credit_amount, age
        f[c] = Double.toString(Double.parseDouble(f[c]) * 2 + 30);
      }
      lines.set(i, String.join(",", f));
    }
    Path shifted = Files.write(dir.resolve("shifted.csv"), lines);
    MlopsCliTest.Run moved = mlops("drift", "--json", "--share", "0.1", "--repository", repo.toString(), "-m",
        "credit/1", "-c", shifted.toString());
    assertThat(moved.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(moved.json().get("drifted").asBoolean()).isTrue();
    MlopsCliTest.Run both = mlops("drift", "-r", MlopsCliTest.CREDIT_G.toString(), "-m", "credit/1",
        "--repository", repo.toString(), "-c", shifted.toString());
    assertThat(both.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(both.err()).contains("give the reference as --reference FILE or as --model REF --repository DIR");
    MlopsCliTest.Run noProfile = mlops("drift", "--repository", repo.toString(), "-m", "credit/1",
        "--training-profile", "nope.bin", "-c", shifted.toString());
    assertThat(noProfile.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noProfile.err()).contains("has no artifact 'nope.bin'");
  }

  @Test
  void reportIsOnePageWithManifestLineageMetricsAuditContractAndDrift() throws IOException {
    Path html = dir.resolve("credit-1.html");
    MlopsCliTest.Run r = mlops("report", "--json", "--repository", repo.toString(), "-c",
        dir.resolve("contract.yaml").toString(), "--data", MlopsCliTest.CREDIT_G.toString(), "-o", html.toString(),
        "credit@champion");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("version").asText()).isEqualTo("1");
    assertThat(j.get("contractPassed").asBoolean()).isTrue();
    assertThat(j.get("drifted").asBoolean()).isFalse();
    assertThat(j.get("auditRecords").asInt()).isEqualTo(2);
    assertThat(j.get("sections").toString()).isEqualTo(
        "[\"artifacts\",\"lineage\",\"metrics\",\"tags\",\"audit\",\"contract\",\"drift\"]");
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").contains("<h1>Model credit/1</h1>").contains("signed")
        .contains("model.onnx").contains("training-profile.bin").contains("<h2>Lineage</h2>").contains("auc")
        .contains("<h2>Audit records</h2>").contains("publish").contains("<h2>Contract credit-g</h2>")
        .contains("<h2>Drift against the training profile</h2>").doesNotContain("<script").doesNotContain("<link")
        .doesNotContain(" src=");
    MlopsCliTest.Run missing = mlops("report", "--repository", dir.resolve("nope").toString(), "-o",
        html.toString(), "credit/1");
    assertThat(missing.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(missing.err()).contains("no such repository directory");
  }
}
