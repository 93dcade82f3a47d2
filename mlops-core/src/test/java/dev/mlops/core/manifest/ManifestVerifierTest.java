package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.manifest.IntegrityProblem.DigestMismatch;
import dev.mlops.core.manifest.IntegrityProblem.ManifestUnreadable;
import dev.mlops.core.manifest.IntegrityProblem.MissingFile;
import dev.mlops.core.manifest.IntegrityProblem.SignatureMismatch;
import dev.mlops.core.manifest.IntegrityProblem.SignatureMissing;
import dev.mlops.core.manifest.IntegrityProblem.UnexpectedFile;
import dev.mlops.core.manifest.IntegrityProblem.UnknownSigner;
import dev.mlops.core.manifest.IntegrityProblem.UnsafePath;
import dev.mlops.core.internal.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestVerifierTest {
  private static final KeyPair KEYS = Ed25519Keys.generate();
  private static final KeyPair OTHER_KEYS = Ed25519Keys.generate();

  @TempDir Path dir;
  private ModelManifest manifest;

  @BeforeEach
  void writeModel() throws IOException {
    manifest = TestManifests.writeModel(dir);
  }

  private ManifestVerifier signatureRequired() {
    return ManifestVerifier.builder().trust(KEYS.getPublic()).requireSignature(true).build();
  }

  @Test
  void acceptsUntouchedDirectory() {
    VerificationReport report = ManifestVerifier.digestsOnly().verify(dir);
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.artifactsChecked()).isEqualTo(2);
    assertThat(report.orThrow()).isSameAs(report);
    assertThat(report.toString()).endsWith("ok (2 artifacts verified)");
    assertThat(manifest.verify(dir).ok()).isTrue();
  }

  @Test
  void reportsFlippedByteWithFileAndBothDigests() throws IOException {
    Path model = dir.resolve("model.onnx");
    byte[] bytes = Files.readAllBytes(model);
    bytes[5] ^= 0x01;
    Files.write(model, bytes);

    VerificationReport report = ManifestVerifier.digestsOnly().verify(dir);

    Artifact expected = manifest.artifact("model.onnx").orElseThrow();
    assertThat(report.problems()).containsExactly(new DigestMismatch("model.onnx", expected.sha256(),
        Digests.sha256Hex(bytes), expected.size(), bytes.length));
    assertThat(report.toString()).contains("model.onnx: digest mismatch: manifest has sha256 " + expected.sha256()
        + " (" + expected.size() + " bytes), file has sha256 " + Digests.sha256Hex(bytes));
    assertThatThrownBy(report::orThrow).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("model.onnx: digest mismatch")
        .hasMessageContaining("Do not load this model");
  }

  @Test
  void reportsTruncatedFileWithBothSizes() throws IOException {
    Files.writeString(dir.resolve("vocab/regions.txt"), "north\n", StandardCharsets.UTF_8);
    List<DigestMismatch> problems = manifest.verify(dir).problems(DigestMismatch.class);
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("vocab/regions.txt");
      assertThat(p.expectedSize()).isEqualTo(12);
      assertThat(p.actualSize()).isEqualTo(6);
    });
  }

  @Test
  void reportsMissingFile() throws IOException {
    Files.delete(dir.resolve("vocab/regions.txt"));
    VerificationReport report = manifest.verify(dir);
    assertThat(report.problems()).containsExactly(new MissingFile("vocab/regions.txt"));
    assertThat(report.toString()).contains("vocab/regions.txt: missing: listed in the manifest but not in the directory");
  }

  @Test
  void reportsExtraFilesAtAnyDepthButNotTheManifestOrSignature() throws IOException {
    ManifestSigner.sign(manifest, KEYS).write(dir);
    Files.writeString(dir.resolve("backdoor.onnx"), "x");
    Files.createDirectories(dir.resolve("vocab/extra"));
    Files.writeString(dir.resolve("vocab/extra/cities.txt"), "y");

    VerificationReport report = signatureRequired().verify(dir);

    assertThat(report.problems()).containsExactly(
        new UnexpectedFile("backdoor.onnx"), new UnexpectedFile("vocab/extra/cities.txt"));
    assertThat(report.toString()).contains("backdoor.onnx: unexpected file: in the directory but not listed");
  }

  @Test
  void acceptsSignedManifestWithTrustedKey() {
    ManifestSigner.sign(manifest, KEYS).write(dir);
    assertThat(signatureRequired().verify(dir).ok()).isTrue();
  }

  @Test
  void signatureSurvivesReformattingOfTheManifestFile() throws IOException {
    ManifestSigner.sign(manifest, KEYS).write(dir);
    Path file = dir.resolve(ModelManifest.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace("\n", "\r\n  "));
    assertThat(signatureRequired().verify(dir).ok()).isTrue();
  }

  @Test
  void reportsManifestEditedAfterSigning() throws IOException {
    ManifestSignature sig = ManifestSigner.sign(manifest, KEYS);
    sig.write(dir);
    Path file = dir.resolve(ModelManifest.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace("\"auc\" : 0.912", "\"auc\" : 0.991"));
    ModelManifest edited = ModelManifest.read(dir);
    assertThat(edited.metrics()).containsEntry("auc", 0.991);

    VerificationReport report = signatureRequired().verify(dir);

    assertThat(report.problems()).containsExactly(
        new SignatureMismatch(Ed25519Keys.keyId(KEYS.getPublic()), manifest.digest(), edited.digest()));
    assertThat(report.toString()).contains("signature does not match manifest (edited after signing?)");
  }

  @Test
  void reportsSignatureByAnotherKey() {
    ManifestSigner.sign(manifest, OTHER_KEYS).write(dir);
    VerificationReport report = signatureRequired().verify(dir);
    String otherId = Ed25519Keys.keyId(OTHER_KEYS.getPublic());
    assertThat(report.problems()).containsExactly(new UnknownSigner(otherId));
    assertThat(report.toString()).contains("manifest.sig: signed by unknown key " + otherId);
  }

  @Test
  void acceptsSignatureByAnyOfSeveralTrustedKeys() {
    ManifestSigner.sign(manifest, OTHER_KEYS).write(dir);
    ManifestVerifier verifier = ManifestVerifier.builder()
        .trust(List.of(KEYS.getPublic(), OTHER_KEYS.getPublic())).requireSignature(true).build();
    assertThat(verifier.verify(dir).ok()).isTrue();
  }

  @Test
  void reportsForgedSignatureBytes() {
    ManifestSignature real = ManifestSigner.sign(manifest, KEYS);
    ManifestSignature forged = ManifestSigner.sign(manifest.toBuilder().metric("auc", 0.99).build(), KEYS);
    new ManifestSignature(real.keyId(), real.manifestDigest(), forged.signature()).write(dir);
    assertThat(signatureRequired().verify(dir).problems()).containsExactly(
        new SignatureMismatch(real.keyId(), manifest.digest(), manifest.digest()));
  }

  @Test
  void reportsMissingSignatureOnlyWhenRequired() {
    assertThat(signatureRequired().verify(dir).problems()).containsExactly(new SignatureMissing());
    assertThat(signatureRequired().verify(dir).toString()).contains("no signature but one is required");
    assertThat(ManifestVerifier.builder().trust(KEYS.getPublic()).build().verify(dir).ok()).isTrue();
  }

  @Test
  void requiringSignatureWithoutTrustedKeyIsAConfigurationError() {
    assertThatThrownBy(() -> ManifestVerifier.builder().requireSignature(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("trust(publicKey)");
  }

  @Test
  void reportsPathsEscapingTheDirectoryWithoutReadingThem() throws IOException {
    Path outside = dir.getParent().resolve(dir.getFileName() + "-secret.txt");
    Files.writeString(outside, "secret");
    String sha = Digests.sha256Hex("secret".getBytes(StandardCharsets.UTF_8));
    String json = manifest.toJson().replace("\"artifacts\" : [ {",
        "\"artifacts\" : [ {\"path\" : \"../" + outside.getFileName() + "\", \"sha256\" : \"" + sha
            + "\", \"size\" : 6}, {\"path\" : \"" + outside + "\", \"sha256\" : \"" + sha + "\", \"size\" : 6}, {");
    Files.writeString(dir.resolve(ModelManifest.FILE_NAME), json);

    VerificationReport report = ManifestVerifier.digestsOnly().verify(dir);

    assertThat(report.problems()).containsExactly(
        new UnsafePath("../" + outside.getFileName(), "has a '..' segment and could escape the model directory"),
        new UnsafePath(outside.toString(), "is absolute; artifact paths are relative to the model directory"));
    Files.delete(outside);
  }

  @Test
  void verifiesADirectoryReachedThroughASymlink() throws IOException {
    Path parent = Files.createTempDirectory("models");
    Path current = Files.createSymbolicLink(parent.resolve("current"), dir);
    VerificationReport report = ManifestVerifier.digestsOnly().verify(current);
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.artifactsChecked()).isEqualTo(2);
    Files.writeString(dir.resolve("stray.txt"), "x");
    assertThat(ManifestVerifier.digestsOnly().verify(current).problems()).singleElement()
        .isInstanceOfSatisfying(IntegrityProblem.UnexpectedFile.class, p -> assertThat(p.path()).isEqualTo("stray.txt"));
    Files.delete(current);
    Files.delete(parent);
  }

  @Test
  void reportsSymbolicLinkLeadingOutside() throws IOException {
    Path outside = Files.createTempDirectory("outside");
    Path target = Files.writeString(outside.resolve("weights.bin"), "w");
    Files.createSymbolicLink(dir.resolve("weights.bin"), target);
    String sha = Digests.sha256Hex("w".getBytes(StandardCharsets.UTF_8));
    ModelManifest withLink = manifest.toBuilder().addArtifact(Artifact.of("weights.bin", sha, 1)).build();

    VerificationReport report = withLink.verify(dir);

    assertThat(report.problems()).singleElement().isInstanceOfSatisfying(UnsafePath.class, p -> {
      assertThat(p.path()).isEqualTo("weights.bin");
      assertThat(p.reason()).contains("symbolic link").contains("outside the model directory");
    });
    Files.delete(target);
    Files.delete(outside);
  }

  @Test
  void reportsEveryProblemNotJustTheFirst() throws IOException {
    ManifestSigner.sign(manifest, OTHER_KEYS).write(dir);
    Files.writeString(dir.resolve("model.onnx"), "swapped model");
    Files.delete(dir.resolve("vocab/regions.txt"));
    Files.writeString(dir.resolve("notes.txt"), "extra");

    VerificationReport report = signatureRequired().verify(dir);

    assertThat(report.problems()).hasSize(4);
    assertThat(report.problems().get(0)).isInstanceOf(DigestMismatch.class);
    assertThat(report.problems().subList(1, 4)).containsExactly(new MissingFile("vocab/regions.txt"),
        new UnexpectedFile("notes.txt"), new UnknownSigner(Ed25519Keys.keyId(OTHER_KEYS.getPublic())));
    assertThat(report.toString()).startsWith("Model directory " + dir + ": 4 problems (2 artifacts checked)");
    assertThatThrownBy(report::orThrow).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("model.onnx: digest mismatch")
        .hasMessageContaining("vocab/regions.txt: missing")
        .hasMessageContaining("notes.txt: unexpected file")
        .hasMessageContaining("signed by unknown key");
  }

  @Test
  void reportsMissingOrInvalidManifestAsAProblem() throws IOException {
    Files.writeString(dir.resolve(ModelManifest.FILE_NAME), "{ \"formatVersion\": 1, ");
    VerificationReport broken = ManifestVerifier.digestsOnly().verify(dir);
    assertThat(broken.problems()).singleElement().isInstanceOfSatisfying(ManifestUnreadable.class,
        p -> assertThat(p.reason()).contains("manifest.json").contains("invalid JSON"));

    Files.delete(dir.resolve(ModelManifest.FILE_NAME));
    VerificationReport missing = ManifestVerifier.digestsOnly().verify(dir);
    assertThat(missing.problems()).singleElement().isInstanceOf(ManifestUnreadable.class);
    assertThatThrownBy(missing::orThrow).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("cannot read the manifest");
  }
}
