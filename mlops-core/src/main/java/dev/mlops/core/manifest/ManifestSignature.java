package dev.mlops.core.manifest;

import static dev.mlops.core.manifest.ManifestWording.MEMBER;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.LocatedJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * An Ed25519 signature over a manifest's {@link ModelManifest#canonicalBytes() canonical bytes}, as
 * stored in {@value ModelManifest#SIGNATURE_FILE_NAME} beside {@value ModelManifest#FILE_NAME}.
 * Make one with {@link ManifestSigner}; check one with {@link ManifestVerifier} or {@link #verifies}.
 *
 * @param keyId SHA-256 hex of the signer's X.509-encoded public key ({@link Ed25519Keys#keyId})
 * @param manifestDigest the {@link ModelManifest#digest() digest} of the manifest when signed, for messages
 * @param signature the signature bytes, base64
 */
public record ManifestSignature(String keyId, String manifestDigest, String signature) {

  /** Version of the JSON form of the signature file. */
  public static final int FORMAT_VERSION = 1;

  /** The signature algorithm, as named by the JDK. */
  public static final String ALGORITHM = "Ed25519";

  /**
   * Validates the components.
   *
   * @param keyId the key id
   * @param manifestDigest the manifest digest
   * @param signature base64 signature bytes
   * @throws IllegalArgumentException naming the bad value
   */
  public ManifestSignature {
    ManifestPreconditions.sha256(keyId, "keyId");
    ManifestPreconditions.sha256(manifestDigest, "manifestDigest");
    ManifestPreconditions.nonEmpty(signature, "signature");
    try {
      Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature must be base64, got '" + signature + "': " + e.getMessage(), e);
    }
  }

  /**
   * Whether this signature verifies over a manifest's canonical bytes with a public key.
   *
   * @param manifest the manifest
   * @param key the signer's Ed25519 public key
   * @return true when it verifies
   */
  public boolean verifies(ModelManifest manifest, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(manifest.canonicalBytes());
      return verifier.verify(Base64.getDecoder().decode(signature));
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes: it does not verify
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot verify with key " + key.getAlgorithm() + " (" + e.getMessage()
          + "); use an Ed25519 public key", e);
    }
  }

  /**
   * The JSON text of the signature file.
   *
   * @return indented JSON
   */
  public String toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("formatVersion", FORMAT_VERSION)
        .put("algorithm", ALGORITHM)
        .put("keyId", keyId)
        .put("manifestDigest", manifestDigest)
        .put("signature", signature);
    return Json.pretty(o) + "\n";
  }

  /**
   * Parses the JSON text of a signature file.
   *
   * @param json the text
   * @param source what the text is, for messages
   * @return the signature
   * @throws DataFormatException naming the bad member
   */
  public static ManifestSignature fromJson(String json, String source) {
    LocatedJson in = ManifestWording.root(Json.parse(json, source), source);
    int version = in.intValue("formatVersion");
    if (version < 1 || version > FORMAT_VERSION) {
      throw in.req("formatVersion").error("signature format version " + version + " is not supported (1 to "
          + FORMAT_VERSION + "); upgrade mlops-core");
    }
    in.only(MEMBER, "formatVersion", "algorithm", "keyId", "manifestDigest", "signature");
    String algorithm = in.string("algorithm");
    if (!ALGORITHM.equals(algorithm)) {
      throw in.req("algorithm").error("unsupported algorithm '" + algorithm + "'; only " + ALGORITHM
          + " signatures are accepted");
    }
    String keyId = in.string("keyId", v -> ManifestPreconditions.sha256(v, "keyId"));
    String digest = in.string("manifestDigest", v -> ManifestPreconditions.sha256(v, "manifestDigest"));
    String sig = in.string("signature");
    return in.build(() -> new ManifestSignature(keyId, digest, sig));
  }

  /**
   * Reads a signature file, or the {@value ModelManifest#SIGNATURE_FILE_NAME} of a model directory.
   *
   * @param path the file or directory
   * @return the signature
   * @throws DataFormatException when the file is missing, unreadable or invalid
   */
  public static ManifestSignature read(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(ModelManifest.SIGNATURE_FILE_NAME) : path;
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new DataFormatException("cannot read the signature (" + e + "); sign the manifest with ManifestSigner",
          file.toString(), -1, null, e);
    }
  }

  /**
   * Writes {@value ModelManifest#SIGNATURE_FILE_NAME} into a model directory, atomically.
   *
   * @param dir the model directory
   * @return the written file
   * @throws MlopsException when it cannot be written
   */
  public Path write(Path dir) {
    return AtomicFiles.writeString(dir, ModelManifest.SIGNATURE_FILE_NAME, "signature", toJson());
  }
}
