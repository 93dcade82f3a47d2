package dev.mlops.core.manifest;

import dev.mlops.core.MlopsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a model directory against its manifest: recomputes every artifact's SHA-256 by streaming
 * the file, looks for missing, extra and escaping files, and, when keys are configured, checks the
 * Ed25519 signature in {@value ModelManifest#SIGNATURE_FILE_NAME}. Reports every problem found.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ManifestVerifier verifier = ManifestVerifier.builder().trust(publicKey).requireSignature(true).build();
 * verifier.verify(modelDir).orThrow();
 * }</pre>
 */
public final class ManifestVerifier {
  private static final ManifestVerifier DIGESTS_ONLY = new ManifestVerifier(Map.of(), false);

  private final Map<String, PublicKey> trusted;
  private final boolean requireSignature;

  private ManifestVerifier(Map<String, PublicKey> trusted, boolean requireSignature) {
    this.trusted = Map.copyOf(trusted);
    this.requireSignature = requireSignature;
  }

  /**
   * A verifier of files only: digests, sizes, missing, extra and escaping files; signatures are ignored.
   *
   * @return the verifier
   */
  public static ManifestVerifier digestsOnly() {
    return DIGESTS_ONLY;
  }

  /**
   * A builder for a verifier that also checks signatures.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@value ModelManifest#FILE_NAME} from a model directory and checks the directory against it.
   * A missing or invalid manifest is reported as {@link IntegrityProblem.ManifestUnreadable}.
   *
   * @param modelDir the model directory
   * @return the report
   */
  public VerificationReport verify(Path modelDir) {
    ModelManifest manifest;
    try {
      manifest = ModelManifest.read(modelDir.resolve(ModelManifest.FILE_NAME));
    } catch (MlopsException e) {
      return new VerificationReport(modelDir.toString(), 0,
          List.of(new IntegrityProblem.ManifestUnreadable(e.getMessage())));
    }
    return verify(manifest, modelDir);
  }

  /**
   * Checks a model directory against a manifest (and the directory's signature file, where this
   * verifier checks signatures).
   *
   * @param manifest the manifest
   * @param modelDir the model directory
   * @return the report
   */
  public VerificationReport verify(ModelManifest manifest, Path modelDir) {
    Objects.requireNonNull(manifest, "manifest");
    List<IntegrityProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(modelDir)) {
      problems.add(new IntegrityProblem.ManifestUnreadable("model directory " + modelDir + " does not exist"));
      return new VerificationReport(modelDir.toString(), 0, problems);
    }
    Set<String> listed = new HashSet<>();
    for (Artifact a : manifest.artifacts()) {
      listed.add(a.path());
      IntegrityProblem p = check(modelDir, a);
      if (p != null) {
        problems.add(p);
      }
    }
    List<String> present;
    try {
      present = ArtifactFiles.list(modelDir);
    } catch (MlopsException e) {
      present = List.of();
      problems.add(new IntegrityProblem.UnreadableFile(".", "cannot list the directory to look for extra files: "
          + e.getMessage()));
    }
    for (String rel : present) {
      if (!listed.contains(rel) && !rel.equals(ModelManifest.FILE_NAME)
          && !rel.equals(ModelManifest.SIGNATURE_FILE_NAME) && !isPrefixOfListed(rel, listed)) {
        problems.add(new IntegrityProblem.UnexpectedFile(rel));
      }
    }
    if (requireSignature || !trusted.isEmpty()) {
      IntegrityProblem p = checkSignature(manifest, modelDir);
      if (p != null) {
        problems.add(p);
      }
    }
    return new VerificationReport(modelDir.toString(), manifest.artifacts().size(), problems);
  }

  private static boolean isPrefixOfListed(String rel, Set<String> listed) {
    String prefix = rel + "/";
    return listed.stream().anyMatch(l -> l.startsWith(prefix));
  }

  private static @Nullable IntegrityProblem check(Path dir, Artifact a) {
    String unsafe = ArtifactFiles.unsafeReason(a.path());
    if (unsafe != null) {
      return new IntegrityProblem.UnsafePath(a.path(), unsafe);
    }
    Path file = dir.resolve(a.path());
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new IntegrityProblem.MissingFile(a.path());
    }
    try {
      if (!Files.exists(file)) {
        return new IntegrityProblem.MissingFile(a.path());
      }
      String outside = ArtifactFiles.escapesThroughLink(dir, file);
      if (outside != null) {
        return new IntegrityProblem.UnsafePath(a.path(), outside);
      }
      if (!Files.isRegularFile(file)) {
        return new IntegrityProblem.UnreadableFile(a.path(), "not a regular file");
      }
      ArtifactFiles.FileDigest d = ArtifactFiles.digest(file);
      if (!d.sha256().equals(a.sha256()) || d.size() != a.size()) {
        return new IntegrityProblem.DigestMismatch(a.path(), a.sha256(), d.sha256(), a.size(), d.size());
      }
      return null;
    } catch (MlopsException e) {
      return new IntegrityProblem.UnreadableFile(a.path(), e.getMessage());
    }
  }

  private @Nullable IntegrityProblem checkSignature(ModelManifest manifest, Path dir) {
    Path sigFile = dir.resolve(ModelManifest.SIGNATURE_FILE_NAME);
    if (!Files.exists(sigFile)) {
      return requireSignature ? new IntegrityProblem.SignatureMissing() : null;
    }
    ManifestSignature sig;
    try {
      sig = ManifestSignature.read(sigFile);
    } catch (MlopsException e) {
      return new IntegrityProblem.SignatureUnreadable(e.getMessage());
    }
    PublicKey key = trusted.get(sig.keyId());
    if (key == null) {
      return new IntegrityProblem.UnknownSigner(sig.keyId());
    }
    if (!sig.verifies(manifest, key)) {
      return new IntegrityProblem.SignatureMismatch(sig.keyId(), sig.manifestDigest(), manifest.digest());
    }
    return null;
  }

  /** Configures a {@link ManifestVerifier}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, PublicKey> trusted = new LinkedHashMap<>();
    private boolean requireSignature;

    private Builder() {}

    /**
     * Trusts an Ed25519 public key: manifests signed by it verify.
     *
     * @param key the key
     * @return this builder
     * @throws IllegalArgumentException when the key is not Ed25519
     */
    public Builder trust(PublicKey key) {
      trusted.put(Ed25519Keys.keyId(key), key);
      return this;
    }

    /**
     * Trusts several Ed25519 public keys.
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder trust(Collection<? extends PublicKey> keys) {
      keys.forEach(this::trust);
      return this;
    }

    /**
     * Whether a directory without {@value ModelManifest#SIGNATURE_FILE_NAME} is a problem (default false:
     * an unsigned directory passes, a signed one must verify against a trusted key).
     *
     * @param value true to require a signature
     * @return this builder
     */
    public Builder requireSignature(boolean value) {
      this.requireSignature = value;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the verifier
     * @throws IllegalStateException when a signature is required but no key is trusted
     */
    public ManifestVerifier build() {
      if (requireSignature && trusted.isEmpty()) {
        throw new IllegalStateException("requireSignature(true) needs at least one trusted key; call trust(publicKey)");
      }
      return new ManifestVerifier(trusted, requireSignature);
    }
  }
}
