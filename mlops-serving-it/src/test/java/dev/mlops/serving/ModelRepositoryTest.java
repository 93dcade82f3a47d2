package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.test.onnx.OnnxModels;

class ModelRepositoryTest {
  @TempDir
  Path tmp;
  private final AtomicInteger parses = new AtomicInteger();

  static ModelManifestBuilder toyManifest() {
    ModelManifestBuilder b = ModelManifest.builder().format(ModelFormats.ONNX)
        .modelSignature(ModelSignature.of(OnnxRunnerTest.SCHEMA,
            Schema.of(List.of(Field.of("probabilities", DataType.floatTensor(3), false, Role.PREDICTION))),
            OnnxRunnerTest.ENCODING));
    ServingTags.classification("probabilities", OnnxRunnerTest.LABELS).forEach(b::tag);
    return b;
  }

  static Path toyModelFile(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    return Files.write(dir.resolve("model.onnx"), OnnxModels.softmaxClassifier(5, 3, seed));
  }

  private ModelRepository repoWithVersions(String... versions) throws IOException {
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    for (String v : versions) {
      repo.publish("toy", v, toyModelFile(tmp.resolve("src-" + v), Long.parseLong(v)), toyManifest());
    }
    return repo;
  }

  private Predictor countingParse(VerifiedModel vm) {
    parses.incrementAndGet();
    return Predictor.builder(vm).build();
  }

  @Test
  void publishListsVersionsInNumericOrderAndLoadsAVerifiedPredictor() throws IOException {
    ModelRepository repo = repoWithVersions("2", "10", "1");
    assertThat(repo.versions("toy")).containsExactly("1", "2", "10");
    assertThat(repo.models()).containsExactly("toy");
    assertThat(Files.list(repo.root().resolve("toy")).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("1", "2", "10");
    try (Predictor p = repo.load(ModelRef.parse("toy/2"), this::countingParse)) {
      assertThat(p.modelVersion()).isEqualTo("2");
      Prediction pred = p.predict(OnnxRunnerTest.rows(1, 5).get(0));
      assertThat(pred.asClassification().scores().keySet()).containsExactlyElementsOf(OnnxRunnerTest.LABELS);
      assertThat(pred.modelVersion()).isEqualTo("2");
    }
    assertThat(parses.get()).isEqualTo(1);
  }

  @Test
  void versionsAreImmutable() throws IOException {
    ModelRepository repo = repoWithVersions("1");
    assertThatThrownBy(() -> repo.publish("toy", "1", toyModelFile(tmp.resolve("again"), 9), toyManifest()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Version toy/1 already exists in")
        .hasMessageEndingWith("; versions are immutable, publish a new version");
  }

  @Test
  void aliasesPointAtVersionsAndAreReplacedAtomically() throws IOException {
    ModelRepository repo = repoWithVersions("1", "2");
    repo.setAlias("toy", "champion", "1");
    repo.setAlias("toy", "challenger", "2");
    assertThat(repo.resolve(ModelRef.parse("toy@champion"))).isEqualTo("1");
    repo.setAlias("toy", "champion", "2");
    assertThat(repo.resolve(ModelRef.parse("toy@champion"))).isEqualTo("2");
    assertThat(repo.aliases("toy")).containsExactly(java.util.Map.entry("challenger", "2"),
        java.util.Map.entry("champion", "2"));
    assertThat(repo.load(ModelRef.parse("toy@champion")).version()).isEqualTo("2");
    try (var s = Files.list(repo.root().resolve("toy").resolve(ModelRepository.ALIASES))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("champion", "challenger");
    }
    assertThatThrownBy(() -> repo.setAlias("toy", "champion", "7")).isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("Version directory ");
    assertThatThrownBy(() -> repo.resolve(ModelRef.parse("toy@nobody"))).isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("Alias toy@nobody is not set in repository ");
  }

  @Test
  void flippedByteFailsWithThePathAndDigestsAndNothingIsParsed() throws IOException {
    ModelRepository repo = repoWithVersions("1");
    Path file = repo.root().resolve("toy/1/model.onnx");
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
    assertThatThrownBy(() -> repo.load(ModelRef.parse("toy/1"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("1 problem (1 artifacts checked)")
        .hasMessageContaining("- model.onnx: digest mismatch: manifest has sha256 ")
        .hasMessageContaining("Do not load this model");
    assertThat(parses.get()).isZero();
  }

  @Test
  void swappedArtifactFailsAndNothingIsParsed() throws IOException {
    ModelRepository repo = repoWithVersions("1", "2");
    Files.copy(repo.root().resolve("toy/2/model.onnx"), repo.root().resolve("toy/1/model.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> repo.load(ModelRef.parse("toy/1"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("model.onnx: digest mismatch");
    assertThat(parses.get()).isZero();
  }

  @Test
  void manifestSwappedBetweenVersionsIsRefused() throws IOException {
    ModelRepository repo = repoWithVersions("1", "2");
    Files.copy(repo.root().resolve("toy/2/manifest.json"), repo.root().resolve("toy/1/manifest.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> repo.load(ModelRef.parse("toy/1"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith("describes toy/2, not toy/1; a manifest was copied or swapped between versions."
            + " Restore the version from a trusted copy");
    assertThat(parses.get()).isZero();
  }

  @Test
  void extraFileInTheVersionIsRefused() throws IOException {
    ModelRepository repo = repoWithVersions("1");
    Files.writeString(repo.root().resolve("toy/1/extra.onnx"), "x");
    assertThatThrownBy(() -> repo.load(ModelRef.parse("toy/1"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("extra.onnx: unexpected file");
    assertThat(parses.get()).isZero();
  }

  @Test
  void manifestEditedAfterSigningIsRefusedByASigningRepository() throws IOException {
    KeyPair keys = Ed25519Keys.generate();
    ModelRepository writer = ModelRepository.open(tmp.resolve("repo"));
    writer.publish("toy", "1", toyModelFile(tmp.resolve("src"), 1), toyManifest(), keys);
    ModelRepository reader = ModelRepository.open(tmp.resolve("repo"), List.of(keys.getPublic()));
    try (Predictor p = reader.load(ModelRef.parse("toy/1"), this::countingParse)) {
      assertThat(p.modelVersion()).isEqualTo("1");
    }
    Path manifest = tmp.resolve("repo/toy/1/manifest.json");
    String text = Files.readString(manifest, StandardCharsets.UTF_8);
    Files.writeString(manifest, text.replace("\"probabilities\"", "\"probabilities \""), StandardCharsets.UTF_8);
    assertThat(Files.readString(manifest, StandardCharsets.UTF_8)).isNotEqualTo(text);
    assertThatThrownBy(() -> reader.load(ModelRef.parse("toy/1"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("signature");
    assertThat(parses.get()).isEqualTo(1);
  }

  @Test
  void unsignedVersionIsRefusedWhenSignaturesAreRequired() throws IOException {
    repoWithVersions("1");
    ModelRepository reader = ModelRepository.open(tmp.resolve("repo"), List.of(Ed25519Keys.generate().getPublic()));
    assertThatThrownBy(() -> reader.load(ModelRef.parse("toy/1"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("signature");
    assertThat(parses.get()).isZero();
  }

  @Test
  void symlinksLeadingOutsideTheRootAreRefused() throws IOException {
    ModelRepository repo = repoWithVersions("1");
    Path outside = tmp.resolve("outside/9");
    Files.createDirectories(outside);
    Files.copy(repo.root().resolve("toy/1/model.onnx"), outside.resolve("model.onnx"));
    Files.copy(repo.root().resolve("toy/1/manifest.json"), outside.resolve("manifest.json"));
    Files.createSymbolicLink(repo.root().resolve("toy/9"), outside);
    assertThatThrownBy(() -> repo.load(ModelRef.parse("toy/9"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("leads outside the repository root");
    Path aliases = repo.root().resolve("toy").resolve(ModelRepository.ALIASES);
    Files.createDirectories(aliases);
    Path secret = Files.writeString(tmp.resolve("secret"), "1");
    Files.createSymbolicLink(aliases.resolve("sneaky"), secret);
    assertThatThrownBy(() -> repo.load(ModelRef.parse("toy@sneaky"), this::countingParse))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("Alias file")
        .hasMessageContaining("leads outside the repository root");
    assertThat(parses.get()).isZero();
  }

  @Test
  void deploymentSwapsBetweenPublishedVersions() throws IOException {
    ModelRepository repo = repoWithVersions("1", "2");
    repo.setAlias("toy", "champion", "2");
    try (Deployment d = Deployment.start("toy", Deployment.VersionLoader.fromRepository(repo, "toy", this::countingParse),
        repo.resolve(ModelRef.parse("toy@champion")))) {
      assertThat(d.predict(OnnxRunnerTest.rows(1, 1).get(0)).modelVersion()).isEqualTo("2");
      d.swapTo("1");
      assertThat(d.predict(OnnxRunnerTest.rows(1, 1).get(0)).modelVersion()).isEqualTo("1");
      Files.write(repo.root().resolve("toy/2/model.onnx"), new byte[] {1});
      assertThatThrownBy(d::rollback).isInstanceOf(IntegrityException.class);
      assertThat(d.activeVersion()).isEqualTo("1");
    }
    assertThat(parses.get()).isEqualTo(2);
  }
}
