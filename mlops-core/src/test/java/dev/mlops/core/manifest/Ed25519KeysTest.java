package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeysTest {
  private static final KeyPair KEYS = Ed25519Keys.generate();

  @TempDir Path dir;

  @Test
  void pemAndBase64FormsRoundTrip() {
    String pubPem = Ed25519Keys.toPem(KEYS.getPublic());
    String privPem = Ed25519Keys.toPem(KEYS.getPrivate());
    assertThat(pubPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    assertThat(privPem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Ed25519Keys.publicKey(pubPem)).isEqualTo(KEYS.getPublic());
    assertThat(Ed25519Keys.privateKey(privPem)).isEqualTo(KEYS.getPrivate());
    String bare = Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    assertThat(Ed25519Keys.publicKey(bare)).isEqualTo(KEYS.getPublic());
  }

  @Test
  void keyIdIsSha256OfTheEncodedPublicKey() {
    assertThat(Ed25519Keys.keyId(KEYS.getPublic()))
        .isEqualTo(dev.mlops.core.internal.Digests.sha256Hex(KEYS.getPublic().getEncoded()))
        .isNotEqualTo(Ed25519Keys.keyId(Ed25519Keys.generate().getPublic()));
  }

  @Test
  void filesRoundTripAndPrivateKeyIsOwnerOnly() throws Exception {
    Path pub = Ed25519Keys.write(dir.resolve("signing.pub"), KEYS.getPublic());
    Path priv = Ed25519Keys.write(dir.resolve("signing.key"), KEYS.getPrivate());
    assertThat(Ed25519Keys.readPublicKey(pub)).isEqualTo(KEYS.getPublic());
    assertThat(Ed25519Keys.readPrivateKey(priv)).isEqualTo(KEYS.getPrivate());
    if (priv.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    }
  }

  @Test
  void signsWithKeysReadBackFromPem() {
    ModelManifest m = TestManifests.full().build();
    ManifestSignature sig = ManifestSigner.sign(m,
        Ed25519Keys.privateKey(Ed25519Keys.toPem(KEYS.getPrivate())),
        Ed25519Keys.publicKey(Ed25519Keys.toPem(KEYS.getPublic())));
    assertThat(sig.verifies(m, KEYS.getPublic())).isTrue();
    assertThat(ManifestSignature.fromJson(sig.toJson(), "sig")).isEqualTo(sig);
    assertThat(sig.manifestDigest()).isEqualTo(m.digest());
  }

  @Test
  void rejectsMismatchedPairsAndOtherAlgorithms() throws Exception {
    ModelManifest m = TestManifests.full().build();
    KeyPair other = Ed25519Keys.generate();
    assertThatThrownBy(() -> ManifestSigner.sign(m, KEYS.getPrivate(), other.getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the private key does not belong to public key " + Ed25519Keys.keyId(other.getPublic()));
    KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
    assertThatThrownBy(() -> Ed25519Keys.keyId(ec.getPublic()))
        .hasMessageStartingWith("expected an Ed25519 key, got a EC key");
    assertThatThrownBy(() -> Ed25519Keys.publicKey(Base64.getEncoder().encodeToString(ec.getPublic().getEncoded())))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("not an Ed25519 X.509 public key");
    assertThatThrownBy(() -> Ed25519Keys.publicKey(Ed25519Keys.toPem(KEYS.getPrivate())))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("expected a PEM block '-----BEGIN PUBLIC KEY-----'");
  }

  @Test
  void signatureFileNamesItsBadMembers() {
    assertThatThrownBy(() -> ManifestSignature.fromJson(
        "{\"formatVersion\":1,\"algorithm\":\"RSA\",\"keyId\":\"x\",\"manifestDigest\":\"y\",\"signature\":\"z\"}",
        "manifest.sig"))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("manifest.sig: algorithm: unsupported algorithm 'RSA'; only Ed25519 signatures are accepted");
  }
}
