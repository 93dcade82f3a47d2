package dev.mlops.core.manifest;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs manifests with Ed25519, the JDK's built-in provider (no extra dependency). The signature
 * covers the manifest's {@link ModelManifest#canonicalBytes() canonical bytes}, so reformatting
 * {@value ModelManifest#FILE_NAME} keeps it valid while any change of content breaks it.
 *
 * <pre>{@code
 * KeyPair keys = Ed25519Keys.generate();
 * manifest.write(modelDir);
 * ManifestSigner.sign(manifest, keys).write(modelDir);
 * }</pre>
 */
public final class ManifestSigner {
  private ManifestSigner() {}

  /**
   * Signs a manifest.
   *
   * @param manifest the manifest
   * @param keys an Ed25519 key pair; the public half gives the key id
   * @return the signature
   */
  public static ManifestSignature sign(ModelManifest manifest, KeyPair keys) {
    return sign(manifest, keys.getPrivate(), keys.getPublic());
  }

  /**
   * Signs a manifest with a private key and names it by its public key (Java offers no portable way
   * to derive an Ed25519 public key from the private one, so both are passed; they are checked to be
   * a pair).
   *
   * @param manifest the manifest
   * @param privateKey the Ed25519 private key
   * @param publicKey its public key
   * @return the signature
   * @throws IllegalArgumentException when a key is not Ed25519 or the keys are not a pair
   */
  public static ManifestSignature sign(ModelManifest manifest, PrivateKey privateKey, PublicKey publicKey) {
    Objects.requireNonNull(manifest, "manifest");
    String keyId = Ed25519Keys.keyId(publicKey);
    byte[] sig;
    try {
      Signature signer = Signature.getInstance(ManifestSignature.ALGORITHM);
      signer.initSign(Ed25519Keys.requireEd25519(privateKey));
      signer.update(manifest.canonicalBytes());
      sig = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this private key (" + e.getMessage()
          + "); use an Ed25519 key, e.g. from Ed25519Keys.generate()", e);
    }
    ManifestSignature result = new ManifestSignature(keyId, manifest.digest(), Base64.getEncoder().encodeToString(sig));
    if (!result.verifies(manifest, publicKey)) {
      throw new IllegalArgumentException("the private key does not belong to public key " + keyId
          + "; pass the matching pair");
    }
    return result;
  }

  /**
   * Writes a manifest and its signature into a model directory.
   *
   * @param manifest the manifest
   * @param dir the model directory
   * @param keys the Ed25519 key pair
   * @return the signature written
   */
  public static ManifestSignature writeSigned(ModelManifest manifest, Path dir, KeyPair keys) {
    ManifestSignature sig = sign(manifest, keys);
    manifest.write(dir);
    sig.write(dir);
    return sig;
  }
}
