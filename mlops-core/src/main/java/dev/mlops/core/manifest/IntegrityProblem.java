package dev.mlops.core.manifest;

/**
 * One problem found when a model directory is checked against its manifest. Each kind is a record
 * carrying the facts (file, expected and actual digest, key id); {@link #message()} says it in words.
 */
public sealed interface IntegrityProblem {

  /**
   * What is wrong, where, in one line.
   *
   * @return the description
   */
  String message();

  /**
   * A file's bytes differ from the manifest.
   *
   * @param path the artifact's relative path
   * @param expectedSha256 the digest in the manifest
   * @param actualSha256 the digest of the file now
   * @param expectedSize the size in the manifest
   * @param actualSize the size of the file now
   */
  record DigestMismatch(String path, String expectedSha256, String actualSha256, long expectedSize,
      long actualSize) implements IntegrityProblem {
    @Override
    public String message() {
      return path + ": digest mismatch: manifest has sha256 " + expectedSha256 + " (" + expectedSize
          + " bytes), file has sha256 " + actualSha256 + " (" + actualSize + " bytes)";
    }
  }

  /**
   * A file listed in the manifest is absent.
   *
   * @param path the artifact's relative path
   */
  record MissingFile(String path) implements IntegrityProblem {
    @Override
    public String message() {
      return path + ": missing: listed in the manifest but not in the directory";
    }
  }

  /**
   * A file in the directory is not listed in the manifest.
   *
   * @param path the file's relative path
   */
  record UnexpectedFile(String path) implements IntegrityProblem {
    @Override
    public String message() {
      return path + ": unexpected file: in the directory but not listed in the manifest";
    }
  }

  /**
   * A manifest path that is absolute, has {@code ..} segments, or leads outside the directory through
   * a symbolic link. The file is not read.
   *
   * @param path the path as written in the manifest
   * @param reason why it is unsafe
   */
  record UnsafePath(String path, String reason) implements IntegrityProblem {
    @Override
    public String message() {
      return path + ": unsafe path: " + reason;
    }
  }

  /**
   * A listed file exists but cannot be read (permissions, a directory in its place, I/O error).
   *
   * @param path the artifact's relative path
   * @param reason the failure
   */
  record UnreadableFile(String path, String reason) implements IntegrityProblem {
    @Override
    public String message() {
      return path + ": unreadable: " + reason;
    }
  }

  /**
   * The manifest itself is missing or invalid; nothing else could be checked.
   *
   * @param reason the failure
   */
  record ManifestUnreadable(String reason) implements IntegrityProblem {
    @Override
    public String message() {
      return ModelManifest.FILE_NAME + ": unreadable manifest: " + reason;
    }
  }

  /** A signature is required but {@value ModelManifest#SIGNATURE_FILE_NAME} is absent. */
  record SignatureMissing() implements IntegrityProblem {
    @Override
    public String message() {
      return ModelManifest.SIGNATURE_FILE_NAME + ": no signature but one is required";
    }
  }

  /**
   * The signature file cannot be parsed.
   *
   * @param reason the failure
   */
  record SignatureUnreadable(String reason) implements IntegrityProblem {
    @Override
    public String message() {
      return ModelManifest.SIGNATURE_FILE_NAME + ": unreadable signature: " + reason;
    }
  }

  /**
   * The manifest was signed by a key that is not trusted.
   *
   * @param keyId the signer's key id (SHA-256 of its encoded public key)
   */
  record UnknownSigner(String keyId) implements IntegrityProblem {
    @Override
    public String message() {
      return ModelManifest.SIGNATURE_FILE_NAME + ": signed by unknown key " + keyId;
    }
  }

  /**
   * The signature by a trusted key does not verify over the manifest's canonical bytes.
   *
   * @param keyId the signer's key id
   * @param signedDigest the manifest digest recorded when signing
   * @param actualDigest the digest of the manifest now
   */
  record SignatureMismatch(String keyId, String signedDigest, String actualDigest) implements IntegrityProblem {
    @Override
    public String message() {
      return ModelManifest.SIGNATURE_FILE_NAME + ": signature does not match manifest (edited after signing?):"
          + " key " + keyId + " signed manifest digest " + signedDigest + ", manifest digest now " + actualDigest;
    }
  }
}
