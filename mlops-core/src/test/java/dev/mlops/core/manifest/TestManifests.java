package dev.mlops.core.manifest;

import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Fixed manifests and model directories for the tests. */
final class TestManifests {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:30:00Z"), ZoneOffset.UTC);

  static final Schema INPUTS = Schema.of(
      Field.of("age", DataType.FLOAT64),
      Field.of("income", DataType.INT64),
      Field.of("region", DataType.STRING),
      Field.of("member", DataType.BOOLEAN));

  static final Schema OUTPUTS = Schema.of(Field.of("default_probability", DataType.FLOAT32, false, Role.PREDICTION));

  static final ModelSignature SIGNATURE = ModelSignature.of(INPUTS, OUTPUTS, List.of(
      FeatureEncoding.standardized("age", 41.5, 12.25),
      FeatureEncoding.numeric("income"),
      FeatureEncoding.oneHot("region", "north"),
      FeatureEncoding.oneHot("region", "south"),
      FeatureEncoding.missingIndicator("region"),
      FeatureEncoding.numeric("member")));

  static final EnvironmentInfo ENVIRONMENT = new EnvironmentInfo("Eclipse Adoptium", "17.0.12+7", "Linux",
      "6.1.0-18-amd64", "amd64", 8, Map.of(
          "dev.mlops:mlops-core", "0.1.0",
          "org.apache.arrow:arrow-vector", "19.0.0",
          "com.fasterxml.jackson.core:jackson-databind", "2.23.0"), "cpu");

  private TestManifests() {}

  /**
   * A manifest with every field set and fixed values, with no artifacts. The golden files
   * {@code manifest-v1.json} (built with format version 1) and {@code manifest-v2.json} were written
   * from it: do not change these values, add new ones elsewhere.
   */
  static ModelManifestBuilder full() {
    String provenance = "{\"class-name\": \"org.tribuo.classification.sgd.linear.LinearSGDModel\","
        + " \"trainer\": {\"epochs\": 5, \"learningRate\": 0.1}}";
    return ModelManifest.builder()
        .clock(CLOCK)
        .name("credit-risk")
        .version("3")
        .format("onnx")
        .modelSignature(SIGNATURE)
        .addDataset("train", new DatasetFingerprint("a".repeat(64), 8000, "b".repeat(64)))
        .addDataset("test", new DatasetFingerprint("a".repeat(64), 2000, "c".repeat(64)))
        .hyperParameter("learningRate", 0.05)
        .hyperParameter("epochs", 20)
        .hyperParameter("optimizer", "adam")
        .hyperParameter("shuffle", true)
        .hyperParameter("layers", List.of(64, 32))
        .seed("shuffle", 42)
        .seed("init", -7L)
        .codeVersion(new CodeVersion("0123456789abcdef0123456789abcdef01234567", "refs/heads/main",
            CodeVersion.Dirty.CLEAN))
        .environment(ENVIRONMENT)
        .metric("auc", 0.912)
        .metric("logLoss", 0.3141592653589793)
        .parent("credit-risk", "2")
        .tag("team", "risk")
        .tag("note", "retrained with \"Q4\" data\nsecond line")
        .provenance(provenance);
  }

  /** Writes a small model directory: two files, one in a subdirectory. */
  static void writeModelFiles(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("vocab"));
    Files.writeString(dir.resolve("model.onnx"), "not really onnx, but bytes all the same", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("vocab/regions.txt"), "north\nsouth\n", StandardCharsets.UTF_8);
  }

  /** A signed-off model directory: files plus manifest.json. */
  static ModelManifest writeModel(Path dir) throws IOException {
    writeModelFiles(dir);
    ModelManifest m = full().addArtifacts(dir).build();
    m.write(dir);
    return m;
  }
}
