package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.manifest.IntegrityProblem.MissingFile;
import dev.mlops.core.manifest.IntegrityProblem.SignatureMismatch;
import dev.mlops.core.manifest.IntegrityProblem.SignatureUnreadable;
import dev.mlops.core.manifest.IntegrityProblem.UnknownSigner;
import dev.mlops.core.manifest.IntegrityProblem.UnreadableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which signatures a verifier judges (a digests-only verifier none, one with trusted keys every
 * signature present, required or not), and what it reports for artifacts that are not plain files.
 */
class ManifestVerifierPolicyTest {
  private static final KeyPair KEYS = Ed25519Keys.generate();
  private static final KeyPair STRANGER = Ed25519Keys.generate();

  @TempDir Path dir;
  private ModelManifest manifest;

  @BeforeEach
  void writeModel() throws IOException {
    manifest = TestManifests.writeModel(dir);
  }

  private static ManifestVerifier trustingButNotRequiring() {
    return ManifestVerifier.builder().trust(KEYS.getPublic()).build();
  }

  @Test
  void digestsOnlyVerifierLeavesSignaturesAlone() {
    ManifestSigner.sign(manifest, STRANGER).write(dir);
    VerificationReport report = ManifestVerifier.digestsOnly().verify(dir);
    assertThat(report.problems()).as(report.toString()).isEmpty();
  }

  @Test
  void trustedKeysJudgeASignatureThatIsPresentThoughNotRequired() {
    ManifestSigner.sign(manifest, STRANGER).write(dir);
    assertThat(trustingButNotRequiring().verify(dir).problems())
        .containsExactly(new UnknownSigner(Ed25519Keys.keyId(STRANGER.getPublic())));

    ManifestSignature real = ManifestSigner.sign(manifest, KEYS);
    ManifestSignature other = ManifestSigner.sign(manifest.toBuilder().metric("auc", 0.5).build(), KEYS);
    new ManifestSignature(real.keyId(), real.manifestDigest(), other.signature()).write(dir);
    assertThat(trustingButNotRequiring().verify(dir).problems())
        .containsExactly(new SignatureMismatch(real.keyId(), manifest.digest(), manifest.digest()));

    real.write(dir);
    assertThat(trustingButNotRequiring().verify(dir).ok()).isTrue();
  }

  @Test
  void reportsASignatureFileThatIsNotASignature() throws IOException {
    Files.writeString(dir.resolve(ModelManifest.SIGNATURE_FILE_NAME), "{\"not\": \"a signature\"}",
        StandardCharsets.UTF_8);
    assertThat(trustingButNotRequiring().verify(dir).problems()).singleElement()
        .isInstanceOf(SignatureUnreadable.class);
  }

  @Test
  void reportsADanglingLinkAsAMissingFile() throws IOException {
    Path model = dir.resolve("model.onnx");
    Files.delete(model);
    Files.createSymbolicLink(model, dir.resolve("gone.onnx"));
    assertThat(ManifestVerifier.digestsOnly().verify(dir).problems()).containsExactly(new MissingFile("model.onnx"));
  }

  @Test
  void reportsADirectoryInPlaceOfAFileAsUnreadable() throws IOException {
    Path model = dir.resolve("model.onnx");
    Files.delete(model);
    Files.createDirectories(model);
    assertThat(ManifestVerifier.digestsOnly().verify(dir).problems()).singleElement()
        .isInstanceOfSatisfying(UnreadableFile.class, p -> assertThat(p.path()).isEqualTo("model.onnx"));
  }

  @Test
  void acceptsALinkToASubdirectoryInsideWhoseFilesAreListed() throws IOException {
    Path model = dir.resolve("linked");
    Files.createDirectories(model.resolve("data"));
    Files.writeString(model.resolve("model.onnx"), "bytes", StandardCharsets.UTF_8);
    Files.writeString(model.resolve("data/regions.txt"), "north\n", StandardCharsets.UTF_8);
    Files.createSymbolicLink(model.resolve("vocab"), Path.of("data"));
    ModelManifest m = TestManifests.full().addArtifact(model, "model.onnx").addArtifact(model, "data/regions.txt")
        .addArtifact(model, "vocab/regions.txt").build();
    m.write(model);

    VerificationReport report = ManifestVerifier.digestsOnly().verify(model);
    assertThat(report.problems()).as(report.toString()).isEmpty();
    assertThat(report.artifactsChecked()).isEqualTo(3);
  }
}
