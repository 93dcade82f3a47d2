package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelManifestTest {
  @TempDir Path dir;

  @Test
  void roundTripsThroughJsonWithSameDigest() {
    ModelManifest m = TestManifests.full().build();
    ModelManifest back = ModelManifest.fromJson(m.toJson());
    assertThat(back).isEqualTo(m);
    assertThat(back.digest()).isEqualTo(m.digest()).hasSize(64);
    assertThat(back.createdAt()).isEqualTo(Instant.parse("2026-01-15T10:30:00Z"));
  }

  @Test
  void writesReadableJsonAtomicallyAndReadsItBack() throws IOException {
    TestManifests.writeModelFiles(dir);
    ModelManifest m = TestManifests.full().addArtifacts(dir).build();
    Path file = m.write(dir);
    assertThat(file).isEqualTo(dir.resolve("manifest.json"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("manifest.json", "model.onnx", "vocab");
    }
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as("a manifest is as readable as a file written the usual way")
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(dir.resolve("model.onnx"))));
    }
    String text = Files.readString(file);
    assertThat(text).contains("\"name\" : \"credit-risk\"").contains("\n  \"artifacts\" : [");
    assertThat(ModelManifest.read(dir)).isEqualTo(m);
    assertThat(ModelManifest.read(file)).isEqualTo(m);
    m.toBuilder().tag("rewritten", "yes").build().write(dir);
    assertThat(ModelManifest.read(dir).tags()).containsEntry("rewritten", "yes");
  }

  @Test
  void addArtifactStreamsDigestAndSizeOfTheFile() throws IOException {
    Files.writeString(dir.resolve("abc.bin"), "abc", StandardCharsets.US_ASCII);
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/big.bin"), big);
    ModelManifest m = ModelManifest.builder().name("m").version("1").format("onnx")
        .environment(TestManifests.ENVIRONMENT)
        .addArtifact(dir, "abc.bin").addArtifact(dir, "sub/big.bin").build();
    assertThat(m.artifacts().get(0)).isEqualTo(Artifact.of("abc.bin",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3));
    assertThat(m.artifacts().get(1).size()).isEqualTo(200_000);
    assertThat(m.artifacts().get(1).sha256()).isEqualTo(dev.mlops.core.internal.Digests.sha256Hex(big));
  }

  @Test
  void builderRejectsArtifactsItCannotVouchFor() throws IOException {
    TestManifests.writeModelFiles(dir);
    ModelManifestBuilder b = ModelManifest.builder();
    assertThatThrownBy(() -> b.addArtifact(dir, "../etc/passwd"))
        .hasMessage("artifact path '../etc/passwd' has a '..' segment and could escape the model directory");
    assertThatThrownBy(() -> b.addArtifact(dir, "/etc/passwd"))
        .hasMessageContaining("artifact path '/etc/passwd' is absolute");
    assertThatThrownBy(() -> b.addArtifact(dir, "nope.onnx"))
        .hasMessageContaining("artifact 'nope.onnx' does not exist in " + dir);
    assertThatThrownBy(() -> b.addArtifact(dir, "vocab"))
        .hasMessageContaining("artifact 'vocab' in " + dir + " is not a regular file");
    assertThatThrownBy(() -> b.addArtifact(dir, "manifest.json"))
        .hasMessageContaining("does not exist");
    b.addArtifact(dir, "model.onnx");
    assertThatThrownBy(() -> b.addArtifact(dir, "model.onnx"))
        .hasMessage("artifact path 'model.onnx' is already listed");
    assertThatThrownBy(() -> b.addArtifact(Artifact.of("manifest.sig", "0".repeat(64), 1)))
        .hasMessageContaining("reserved for the manifest");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      name    | ''          | model name must be 1 to 128 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit (it names a directory), got ''
      name    | a/b         | model name must be 1 to 128 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit (it names a directory), got 'a/b'
      version | ..          | model version must be 1 to 128 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit (it names a directory), got '..'
      format  | ONNX        | model format must be 1 to 64 lower-case letters, digits, '.', '_' or '-' (e.g. 'onnx', 'tribuo'), got 'ONNX'
      metric  | NaN         | metric 'auc' must be a finite number (JSON has no NaN or infinity), got NaN
      hyper   | Infinity    | hyper-parameter 'lr' must be a finite number (JSON has no NaN or infinity), got Infinity
      seed    | ''          | seed name must be a non-empty string, got ''
      tag     | ''          | tag name must be a non-empty string, got ''
      parent  | ''          | parent model version must be 1 to 128 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit (it names a directory), got ''
      """)
  void builderSettersNameTheOffendingValue(String setter, String value, String message) {
    ModelManifestBuilder b = ModelManifest.builder();
    assertThatThrownBy(() -> {
      switch (setter) {
        case "name" -> b.name(value);
        case "version" -> b.version(value);
        case "format" -> b.format(value);
        case "metric" -> b.metric("auc", Double.parseDouble(value));
        case "hyper" -> b.hyperParameter("lr", Double.parseDouble(value));
        case "seed" -> b.seed(value, 1);
        case "tag" -> b.tag(value, "x");
        case "parent" -> b.parent("p", value);
        default -> throw new AssertionError(setter);
      }
    }).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void buildNamesMissingRequiredValues() {
    assertThatThrownBy(() -> ModelManifest.builder().name("m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a manifest needs [version, format]; set them on the builder");
  }

  @Test
  void rejectsDuplicateDatasetNames() {
    ModelManifestBuilder b = TestManifests.full();
    assertThatThrownBy(() -> b.addDataset("train", new dev.mlops.core.DatasetFingerprint("x", 1, "y")))
        .hasMessage("dataset name 'train' is already used");
  }

  @Test
  @SuppressWarnings("unchecked")
  void hyperParametersAndProvenanceCannotBeChangedThroughAccessors() {
    ModelManifest m = TestManifests.full().build();
    String digest = m.digest();
    assertThat(m.provenance()).isEqualTo("{\"class-name\":\"org.tribuo.classification.sgd.linear.LinearSGDModel\","
        + "\"trainer\":{\"epochs\":5,\"learningRate\":0.1}}");
    assertThatThrownBy(() -> m.hyperParameters().put("x", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) m.hyperParameters().get("layers")).add(1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.metrics().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(m.digest()).isEqualTo(digest);
  }

  @Test
  void createdAtComesFromTheInjectedClockUnlessSet() {
    assertThat(TestManifests.full().build().createdAt()).isEqualTo(TestManifests.CLOCK.instant());
    Instant t = Instant.parse("2020-02-02T02:02:02.123456789Z");
    ModelManifest m = TestManifests.full().createdAt(t).build();
    assertThat(m.createdAt()).isEqualTo(t);
    assertThat(ModelManifest.fromJson(m.toJson()).createdAt()).isEqualTo(t);
  }

  @Test
  void integralDoublesAndIntegersAreTheSameValue() {
    ModelManifest a = TestManifests.full().hyperParameter("epochs", 20.0).metric("auc", 1).build();
    ModelManifest b = TestManifests.full().hyperParameter("epochs", 20L).metric("auc", 1.0).build();
    assertThat(a).isEqualTo(b);
    assertThat(a.digest()).isEqualTo(b.digest());
    assertThat(TestManifests.full().metric("zero", -0.0).build())
        .isEqualTo(TestManifests.full().metric("zero", 0.0).build());
  }

  @Test
  void rejectsNewerFormatVersionWithAClearMessage() {
    String json = TestManifests.full().build().toJson().replace("\"formatVersion\" : 2", "\"formatVersion\" : 3");
    assertThatThrownBy(() -> ModelManifest.fromJson(json, "models/credit-risk/3/manifest.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("models/credit-risk/3/manifest.json: formatVersion: manifest format version 3 is newer than"
            + " this library supports (2); upgrade mlops-core to read it");
  }

  private static ObjectNode tree() {
    return TestManifests.full()
        .addArtifact(Artifact.of("a.bin", "0".repeat(64), 1))
        .addArtifact(Artifact.of("b.bin", "1".repeat(64), 2))
        .addArtifact(Artifact.of("c.bin", "2".repeat(64), 3))
        .build().tree();
  }

  private static void assertReadFails(ObjectNode tree, String message) {
    assertThatThrownBy(() -> ModelManifest.fromJson(Json.pretty(tree), "m.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("m.json: " + message);
  }

  @Test
  void namesTheJsonPathOfABadDigest() {
    ObjectNode t = tree();
    ((ObjectNode) t.get("artifacts").get(2)).put("sha256", "XYZ");
    assertReadFails(t, "artifacts[2].sha256: sha256 must be 64 lower-case hex characters (SHA-256), got 'XYZ'");
  }

  @Test
  void namesTheJsonPathOfOtherBadMembers() {
    ObjectNode t = tree();
    ((ObjectNode) t.get("artifacts").get(1)).remove("size");
    assertReadFails(t, "artifacts[1].size: is missing; every manifest needs it");

    t = tree();
    ((ObjectNode) t.get("artifacts").get(0)).put("size", -4);
    assertReadFails(t, "artifacts[0].size: size must be >= 0, got -4");

    t = tree();
    ((ObjectNode) t.get("metrics")).put("auc", "high");
    assertReadFails(t, "metrics.auc: expected a number, got STRING \"high\"");

    t = tree();
    ((ObjectNode) t.get("seeds")).put("shuffle", 1.5);
    assertReadFails(t, "seeds.shuffle: expected a whole number, got 1.5");

    t = tree();
    ((ObjectNode) t.get("modelSignature").get("encoding").get(2)).put("kind", "hashing");
    assertReadFails(t, "modelSignature.encoding[2].kind: unknown encoding kind 'hashing'; known are numeric,"
        + " standardized, one_hot, missing_indicator");

    t = tree();
    ((ObjectNode) t.get("modelSignature").get("encoding").get(0)).put("scale", 0);
    assertReadFails(t, "modelSignature.encoding[0]: scale of standardized slot 'age' must be > 0, got 0.0;"
        + " use a numeric slot for constant columns");

    t = tree();
    ((ObjectNode) t.get("codeVersion")).put("dirty", "maybe");
    assertReadFails(t, "codeVersion.dirty: expected clean, dirty or unknown, got 'maybe'");

    t = tree();
    t.put("createdAt", "yesterday");
    assertReadFails(t, "createdAt: expected an ISO-8601 UTC instant like 2024-06-01T12:00:00Z, got 'yesterday'");

    t = tree();
    t.put("metircs", 1);
    assertReadFails(t, "metircs: unknown member; allowed here are [artifacts, codeVersion, createdAt, datasets,"
        + " environment, format, formatVersion, hyperParameters, metrics, modelSignature, name, parent,"
        + " provenance, seeds, tags, version] (a newer format needs a newer mlops-core)");

    t = tree();
    ((ObjectNode) t.get("tags")).put("odd key", 3);
    assertReadFails(t, "tags[\"odd key\"]: expected a string, got NUMBER 3");

    t = tree();
    ((ObjectNode) t.get("environment")).remove("osName");
    assertReadFails(t, "environment.osName: is missing; every manifest needs it");
  }

  @Test
  void rejectsInvalidJsonWithLineNumber() {
    assertThatThrownBy(() -> ModelManifest.fromJson("{\n \"name\": ", "m.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("m.json:2: invalid JSON");
  }

  @Test
  void rejectsDuplicateMembersThatWouldShowReviewersAnotherValue() {
    String json = TestManifests.full().build().toJson()
        .replace("\"version\" : \"3\",", "\"version\" : \"3\",\n  \"version\" : \"4\",");
    assertThatThrownBy(() -> ModelManifest.fromJson(json, "m.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("m.json:5: invalid JSON: Duplicate field 'version'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "\n{\"name\": \"other\"}", " x", "\u0000\u0000\u0000\u0000"})
  void rejectsContentAfterTheDocumentThatAReviewerWouldSeeAndTheVerifierIgnore(String trailer) {
    String json = TestManifests.full().build().toJson() + trailer;
    assertThatThrownBy(() -> ModelManifest.fromJson(json, "m.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("m.json:");
  }

  @Test
  void namesTrailingContentAsSuch() {
    String json = TestManifests.full().build().toJson() + "\n{}";
    assertThatThrownBy(() -> ModelManifest.fromJson(json, "m.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("content after the end of the JSON document")
        .hasMessageContaining("delete what follows it");
  }

  @Test
  void readNamesTheMissingFile() {
    assertThatThrownBy(() -> ModelManifest.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(dir.resolve("manifest.json").toString())
        .hasMessageContaining("cannot read the manifest");
  }

  @Test
  void manifestWithoutOptionalPartsRoundTrips() {
    ModelManifest m = ModelManifest.builder().name("bare").version("0.1").format("tribuo")
        .clock(TestManifests.CLOCK).environment(TestManifests.ENVIRONMENT).build();
    assertThat(m.parent()).isNull();
    assertThat(m.provenance()).isNull();
    assertThat(m.codeVersion()).isEqualTo(CodeVersion.unknown());
    assertThat(m.modelSignature()).isEqualTo(ModelSignature.unspecified());
    assertThat(m.tree().has("parent")).isFalse();
    assertThat(ModelManifest.fromJson(m.toJson())).isEqualTo(m);
  }

  @Test
  void defaultEnvironmentIsCapturedAtBuild() {
    ModelManifest m = ModelManifest.builder().name("m").version("1").format("onnx").build();
    assertThat(m.environment().javaVersion()).isEqualTo(Runtime.version().toString());
  }

  @Test
  void modelSignatureRejectsSlotsThatDoNotFitTheInputs() {
    assertThatThrownBy(() -> ModelSignature.of(TestManifests.INPUTS, TestManifests.OUTPUTS,
        List.of(FeatureEncoding.numeric("age"), FeatureEncoding.oneHot("city", "paris"))))
        .hasMessage("encoding slot 1 (one_hot) reads column 'city', which is not in the input schema"
            + " [age, income, region, member]; add it or fix the slot");
    assertThatThrownBy(() -> ModelSignature.of(TestManifests.INPUTS, TestManifests.OUTPUTS,
        List.of(FeatureEncoding.numeric("region"))))
        .hasMessageContaining("encoding slot 0 (numeric) cannot encode column 'region' of type string");
  }

  @Test
  void featureEncodingDefinesEachSlotsValue() {
    assertThat(FeatureEncoding.numeric("x").encode(3L)).isEqualTo(3.0);
    assertThat(FeatureEncoding.numeric("x").encode(true)).isEqualTo(1.0);
    assertThat(FeatureEncoding.numeric("x").encode(null)).isNaN();
    assertThat(FeatureEncoding.standardized("x", 10, 4).encode(18.0)).isEqualTo(2.0);
    assertThat(FeatureEncoding.oneHot("r", "north").encode("north")).isEqualTo(1.0);
    assertThat(FeatureEncoding.oneHot("r", "north").encode("south")).isEqualTo(0.0);
    assertThat(FeatureEncoding.oneHot("r", "north").encode(null)).isEqualTo(0.0);
    assertThat(FeatureEncoding.missingIndicator("r").encode(null)).isEqualTo(1.0);
    assertThat(FeatureEncoding.missingIndicator("r").encode(Double.NaN)).isEqualTo(1.0);
    assertThat(FeatureEncoding.missingIndicator("r").encode("a")).isEqualTo(0.0);
    assertThatThrownBy(() -> FeatureEncoding.numeric("x").encode("abc"))
        .hasMessage("column 'x' feeds a numeric slot but holds String 'abc'; give it a number or a boolean");
    assertThat(TestManifests.SIGNATURE.width()).isEqualTo(6);
  }

  @Test
  void jsonHyperParametersKeepNestedStructure() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("scheduler", Map.of("kind", "cosine", "warmup", 100));
    nested.put("betas", List.of(0.9, 0.999f));
    ModelManifest m = TestManifests.full().hyperParameter("optim", nested).build();
    ModelManifest back = ModelManifest.fromJson(m.toJson());
    assertThat(back.hyperParameters().get("optim")).isEqualTo(Map.of(
        "scheduler", Map.of("kind", "cosine", "warmup", 100L),
        "betas", List.of(0.9, (double) 0.999f)));
    assertThat(back).isEqualTo(m);
  }

  @Test
  void rejectsHyperParameterValuesThatAreNotPlainJsonValues() {
    ModelManifestBuilder b = TestManifests.full();
    assertThatThrownBy(() -> b.hyperParameter("when", Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hyper-parameter 'when' is a java.time.Instant; a hyper-parameter holds a String, Boolean,"
            + " Long (or Integer), Double (or Float), List or Map<String, ?> of those");
    assertThatThrownBy(() -> b.hyperParameter("layers", java.util.Arrays.asList(1, null)))
        .hasMessage("hyper-parameter 'layers'[1] is null; omit the entry instead (a hyper-parameter needs a value)");
    assertThatThrownBy(() -> b.hyperParameter("grid", Map.of(1, 2)))
        .hasMessage("hyper-parameter 'grid' has a key 1 that is not a String; JSON object keys are strings");
    assertThatThrownBy(() -> b.hyperParameter("lr", List.of(Double.NaN)))
        .hasMessage("hyper-parameter 'lr'[0] must be a finite number (JSON has no NaN or infinity), got NaN");
    assertThatThrownBy(() -> b.hyperParameter("big", 1L << 53))
        .hasMessage("hyper-parameter 'big' is 9007199254740992, beyond +/-9007199254740991 (2^53 - 1), which"
            + " canonical JSON cannot carry exactly; pass it as a string");
    assertThatThrownBy(() -> b.hyperParameter("json", JsonNodeFactory.instance.objectNode()))
        .hasMessageContaining("is a com.fasterxml.jackson.databind.node.ObjectNode; a hyper-parameter holds");
  }

  @Test
  void hyperParameterValuesAreCopiedOnEntry() {
    List<Object> layers = new java.util.ArrayList<>(List.of(64, 32));
    ModelManifest m = TestManifests.full().hyperParameter("layers", layers).build();
    layers.add(16);
    assertThat(m.hyperParameters().get("layers")).isEqualTo(List.of(64L, 32L));
  }

  @Test
  void largeSeedsAreWrittenAsStringsAndReadBack() {
    ModelManifest m = TestManifests.full().seed("nano", Long.MIN_VALUE).seed("safe", Jcs.MAX_SAFE_INTEGER).build();
    ObjectNode seeds = (ObjectNode) m.tree().get("seeds");
    assertThat(seeds.get("nano").textValue()).isEqualTo("-9223372036854775808");
    assertThat(seeds.get("safe").longValue()).isEqualTo(Jcs.MAX_SAFE_INTEGER);
    assertThat(ModelManifest.fromJson(m.toJson())).isEqualTo(m);
    ObjectNode t = tree();
    ((ObjectNode) t.get("seeds")).put("shuffle", "42");
    assertReadFails(t, "seeds.shuffle: a seed within +/-9007199254740991 is written as a JSON number, a larger one"
        + " as its plain decimal digits; got '42'");
    ((ObjectNode) t.get("seeds")).put("shuffle", 9007199254740993L);
    assertReadFails(t, "seeds.shuffle: seed 9007199254740993 is beyond +/-9007199254740991, which a JSON number"
        + " does not carry exactly; write it as a string, \"9007199254740993\"");
  }

  @Test
  void provenanceMustBeOneJsonDocument() {
    assertThatThrownBy(() -> TestManifests.full().provenance("{\"a\": 1} {\"b\": 2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("provenance is not one JSON document (");
    assertThatThrownBy(() -> TestManifests.full().provenance("{\"seed\": 12345678901234567890}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("provenance: integer 12345678901234567890 is beyond +/-9007199254740991");
    assertThat(TestManifests.full().provenance(null).build().provenance()).isNull();
  }

  @Test
  void readsTheBooleanDirtyFlagOfOlderWriters() {
    ObjectNode t = tree();
    ((ObjectNode) t.get("codeVersion")).put("dirty", true);
    assertThat(ModelManifest.fromJson(Json.pretty(t)).codeVersion().dirty()).isEqualTo(CodeVersion.Dirty.DIRTY);
    ((ObjectNode) t.get("codeVersion")).put("dirty", false);
    assertThat(ModelManifest.fromJson(Json.pretty(t)).codeVersion().dirty()).isEqualTo(CodeVersion.Dirty.CLEAN);
    ((ObjectNode) t.get("codeVersion")).put("dirty", "maybe");
    assertReadFails(t, "codeVersion.dirty: expected clean, dirty or unknown, got 'maybe'");
  }

  @Test
  void digestIsTheSha256OfTheJcsOfTheWrittenFile() {
    ModelManifest m = TestManifests.full().hyperParameter("tiny", 1e-7).hyperParameter("huge", 1e21)
        .metric("third", 1.0 / 3).build();
    byte[] jcs = Jcs.bytes(Json.parse(m.toJson(), "written"));
    assertThat(m.canonicalBytes()).isEqualTo(jcs);
    assertThat(m.digest()).isEqualTo(dev.mlops.core.internal.Digests.sha256Hex(jcs));
  }

  @Test
  void valueSemantics() {
    ModelManifest a = TestManifests.full().build();
    ModelManifest b = TestManifests.full().build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(a.toBuilder().tag("x", "y").build());
    assertThat(a.toBuilder().build()).isEqualTo(a);
    assertThat(a.toString()).isEqualTo("ModelManifest[credit-risk/3, format=onnx, formatVersion=2,"
        + " createdAt=2026-01-15T10:30:00Z, artifacts=[], datasets=[train, test], codeVersion=CodeVersion[commit="
        + "0123456789abcdef0123456789abcdef01234567, ref=refs/heads/main, dirty=CLEAN]]");
  }
}
