package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Manifests written by earlier versions must keep reading, with the same digest: the digest is what
 * signatures and model repositories pin. {@code manifest-v1.json} was written once by
 * {@link ModelManifest#write} in format version 1 (the v1 canonical rule), {@code manifest-v2.json}
 * in format version 2 (RFC 8785); neither is ever regenerated, and a change that breaks this test
 * breaks every stored manifest and signature. The v2 digest was also recomputed outside this library,
 * with the RFC's ECMAScript reference canonicalizer (section 3.2) under Node.js, from the file alone.
 */
class GoldenManifestTest {
  private static final String GOLDEN_V1 = "manifest-v1.json";
  private static final String GOLDEN_V1_DIGEST = "87ad0b2a5dbb6a0d015fca0c233478db0af4f1df3678c52bc9f72a68b2592ffa";
  private static final String GOLDEN_V2 = "manifest-v2.json";
  private static final String GOLDEN_V2_DIGEST = "1f1ae8f0ba1aa9fcc5905e0bc9620f81ddcd7b49d0ca293ccd28fbde327ac86e";

  @TempDir Path dir;

  /** The full test manifest with the two artifacts of the golden files. */
  private static ModelManifestBuilder withGoldenArtifacts() {
    return TestManifests.full()
        .addArtifact(Artifact.of("model.onnx", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 4))
        .addArtifact(Artifact.of("vocab/regions.txt",
            "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", 5));
  }

  static ModelManifest goldenV1() {
    return withGoldenArtifacts().formatVersion(1).build();
  }

  /** The golden v2 manifest: the v1 content plus a tiny double and a seed beyond 2^53 (written as a string). */
  static ModelManifest goldenV2() {
    return withGoldenArtifacts().hyperParameter("dropout", 1e-7).seed("init64", -6917529027641081856L).build();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenManifestTest.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void goldenV1KeepsReadingWithTheSameDigest() throws IOException {
    ModelManifest read = ModelManifest.fromJson(resource(GOLDEN_V1), GOLDEN_V1);
    assertThat(read.formatVersion()).isEqualTo(1);
    assertThat(read.digest()).isEqualTo(GOLDEN_V1_DIGEST);
    assertThat(read).isEqualTo(goldenV1());
  }

  @Test
  void writerStillProducesTheGoldenDigest() {
    assertThat(goldenV1().digest()).isEqualTo(GOLDEN_V1_DIGEST);
  }

  @ParameterizedTest
  @CsvSource({
      "manifest-v1.json, manifest-v1.sig, 87ad0b2a5dbb6a0d015fca0c233478db0af4f1df3678c52bc9f72a68b2592ffa",
      "manifest-v2.json, manifest-v2.sig, 1f1ae8f0ba1aa9fcc5905e0bc9620f81ddcd7b49d0ca293ccd28fbde327ac86e"})
  void goldenSignatureStillVerifiesAndSigningIsDeterministic(String manifestFile, String sigFile, String digest)
      throws IOException {
    ModelManifest manifest = ModelManifest.fromJson(resource(manifestFile), manifestFile);
    ManifestSignature sig = ManifestSignature.fromJson(resource(sigFile), sigFile);
    java.security.PublicKey pub = Ed25519Keys.publicKey(resource("golden-signing-key.pub.pem"));
    java.security.PrivateKey priv = Ed25519Keys.privateKey(resource("golden-signing-key.pem"));
    assertThat(sig.keyId()).isEqualTo(Ed25519Keys.keyId(pub));
    assertThat(sig.manifestDigest()).isEqualTo(digest);
    assertThat(sig.verifies(manifest, pub)).isTrue();
    assertThat(ManifestSigner.sign(manifest, priv, pub)).isEqualTo(sig); // Ed25519 signatures are deterministic
  }

  @Test
  void goldenV1ReadsFromAModelDirectory() throws IOException, URISyntaxException {
    Path src = Path.of(GoldenManifestTest.class.getResource(GOLDEN_V1).toURI());
    Files.copy(src, dir.resolve(ModelManifest.FILE_NAME));
    assertThat(ModelManifest.read(dir).digest()).isEqualTo(GOLDEN_V1_DIGEST);
  }

  @Test
  void goldenV1IsRewrittenAsV1WithTheSameDigest() throws IOException {
    ModelManifest read = ModelManifest.fromJson(resource(GOLDEN_V1), GOLDEN_V1);
    ModelManifest rewritten = ModelManifest.fromJson(read.toJson());
    assertThat(rewritten.formatVersion()).isEqualTo(1);
    assertThat(rewritten.digest()).isEqualTo(GOLDEN_V1_DIGEST);
    assertThat(read.toBuilder().build().formatVersion()).isEqualTo(ModelManifest.FORMAT_VERSION);
  }

  @Test
  void goldenV2KeepsReadingWithTheSameDigest() throws IOException {
    ModelManifest read = ModelManifest.fromJson(resource(GOLDEN_V2), GOLDEN_V2);
    assertThat(read.formatVersion()).isEqualTo(2);
    assertThat(read.digest()).isEqualTo(GOLDEN_V2_DIGEST);
    assertThat(read).isEqualTo(goldenV2());
    assertThat(goldenV2().digest()).isEqualTo(GOLDEN_V2_DIGEST);
    assertThat(goldenV2().toJson()).isEqualTo(resource(GOLDEN_V2));
  }

  @Test
  void goldenV2DigestIsTheSha256OfTheJcsOfTheFileItself() throws IOException {
    byte[] jcs = dev.mlops.core.internal.Jcs.bytes(dev.mlops.core.internal.Json.parse(resource(GOLDEN_V2), GOLDEN_V2));
    assertThat(dev.mlops.core.internal.Digests.sha256Hex(jcs)).isEqualTo(GOLDEN_V2_DIGEST);
  }

  @Test
  void aSignatureOfOneGoldenManifestDoesNotVerifyTheOther() throws IOException {
    ManifestSignature sig = ManifestSignature.fromJson(resource("manifest-v2.sig"), "manifest-v2.sig");
    java.security.PublicKey pub = Ed25519Keys.publicKey(resource("golden-signing-key.pub.pem"));
    assertThat(sig.verifies(ModelManifest.fromJson(resource(GOLDEN_V1), GOLDEN_V1), pub)).isFalse();
  }
}
