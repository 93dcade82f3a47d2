package dev.mlops.serving.repository;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Digests;
import dev.mlops.core.manifest.Artifact;
import dev.mlops.core.manifest.ManifestSigner;
import dev.mlops.core.manifest.ManifestVerifier;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Versioned models in a directory:
 * <pre>
 * root/
 *   credit-risk/
 *     1/  model.onnx  manifest.json  [manifest.sig]
 *     2/  ...
 *     _aliases/  champion  challenger      (each holds a version)
 * </pre>
 * Versions are immutable: {@link #publish} stages a new version beside the others and renames it into
 * place atomically; an alias is replaced by an atomic rename too, so readers see the old or the new
 * target, never a partial file.
 *
 * <p><b>Loading is the choke point for integrity.</b> {@link #load(ModelRef)} reads the manifest
 * once, checks that it names this model and version, verifies the whole directory against it (digests,
 * sizes, missing, extra and escaping files, and the Ed25519 signature when keys are trusted), then
 * reads every artifact into memory and checks <em>those bytes</em> against the manifest again. Only
 * then does it hand out a {@link VerifiedModel}, the only input the backends accept. Model, version
 * and alias names are single safe path segments, and every path is resolved to its real location and
 * must stay inside the root, so {@code ..}, absolute paths and symlinks leading outside are refused.
 *
 * <p>Thread-safe; several processes may read one repository while one publishes.
 */
public final class ModelRepository {
  /** The directory, beside a model's versions, that holds its alias files (one per alias). */
  public static final String ALIASES = "_aliases";
  /**
   * The directory, beside a model's versions, that holds approvals ({@code <version>/<approver>.json}):
   * outside the version's directory, whose file set is immutable and verified.
   */
  public static final String APPROVALS = "_approvals";
  private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
  /** An alias file holds one version name (at most 128 characters) and a newline. */
  private static final long MAX_ALIAS_BYTES = 4096;
  /**
   * The largest manifest a load reads: far above any real manifest (provenance included), and a bound
   * on what one load reads as text before parsing.
   */
  public static final long MAX_MANIFEST_BYTES = 64L << 20;
  /** Artifacts are read into one byte array each, which Java caps a little under 2 GiB. */
  static final long MAX_ARTIFACT_BYTES = Integer.MAX_VALUE - 8;

  private final Path root;
  private final Path realRoot;
  private final ManifestVerifier verifier;
  private final String actor;
  private final AuditLog audit;

  private ModelRepository(Path root, ManifestVerifier verifier) {
    this(root, verifier, System.getProperty("user.name", "unknown"));
  }

  private ModelRepository(Path root, ManifestVerifier verifier, String actor) {
    this.root = root;
    this.verifier = verifier;
    this.actor = actor;
    this.audit = AuditLog.of(root);
    try {
      Files.createDirectories(root);
      this.realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new MlopsException("Cannot open model repository at " + root + ": " + e
          + "; check that the path is a writable directory", e);
    }
  }

  /**
   * Opens (creating when missing) a repository that verifies digests but not signatures.
   *
   * @param root the repository directory
   * @return the repository
   */
  public static ModelRepository open(Path root) {
    return new ModelRepository(root, ManifestVerifier.digestsOnly());
  }

  /**
   * Opens a repository whose loads also require a manifest signature by one of the trusted keys.
   *
   * @param root the repository directory
   * @param trusted Ed25519 public keys whose signatures are accepted
   * @return the repository
   */
  public static ModelRepository open(Path root, List<PublicKey> trusted) {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("Trust at least one public key, or use open(root) to skip signatures");
    }
    ManifestVerifier.Builder b = ManifestVerifier.builder().requireSignature(true);
    trusted.forEach(b::trust);
    return new ModelRepository(root, b.build());
  }

  /**
   * This repository, recording changes in its {@link AuditLog} as done by {@code name} (by default
   * the operating-system user).
   *
   * @param name who makes the changes
   * @return the repository
   */
  public ModelRepository withActor(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an actor needs a name, got '" + name + "'");
    }
    return new ModelRepository(root, verifier, name);
  }

  /**
   * Who this repository's changes are recorded as done by.
   *
   * @return the actor's name
   */
  public String actor() {
    return actor;
  }

  /**
   * The repository's record of every publish and alias change.
   *
   * @return the log
   */
  public AuditLog auditLog() {
    return audit;
  }

  /**
   * The repository directory.
   *
   * @return the root as given
   */
  public Path root() {
    return root;
  }

  private Path inside(Path p, String what) {
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException e) {
      throw new ModelLoadException(what + " " + p + " does not exist in repository " + root
          + "; list the repository to see what is published");
    }
    if (!real.startsWith(realRoot)) {
      throw new IntegrityException(what + " " + p + " leads outside the repository root " + realRoot + " (to " + real
          + "); remove the link, repositories only serve files under their root");
    }
    return real;
  }

  /**
   * Refuses what is not a regular file, before it is opened: opening a FIFO blocks until someone
   * writes to it, and a device or directory is no model file either.
   */
  private static void regularFile(Path real, String what, String ref, long maxBytes) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(real, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new ModelLoadException("Cannot read " + what + " " + real + " of " + ref + ": " + e, e);
    }
    if (!a.isRegularFile()) {
      throw new IntegrityException(what + " " + real + " of " + ref + " is not a regular file (it is "
          + (a.isDirectory() ? "a directory" : "a FIFO, socket or device") + "); a repository holds only regular"
          + " files. Restore the version from a trusted copy");
    }
    if (a.size() > maxBytes) {
      throw new IntegrityException(what + " " + real + " of " + ref + " is " + a.size() + " bytes, more than the "
          + maxBytes + " such a file may have; restore the version from a trusted copy");
    }
  }

  private Path modelDir(String model) {
    return root.resolve(ModelRef.checkSegment("model name", model));
  }

  /**
   * The directory of a fixed version (aliases resolved first).
   *
   * @param ref the reference
   * @return the directory, resolved inside the root
   */
  public Path directory(ModelRef ref) {
    String version = resolve(ref);
    return inside(modelDir(ref.name()).resolve(version), "Version directory");
  }

  /**
   * The version a reference names: itself for {@code name/version}, the alias target for
   * {@code name@alias}.
   *
   * @param ref the reference
   * @return the version
   * @throws ModelLoadException when the alias is not set
   */
  public String resolve(ModelRef ref) {
    if (!ref.isAlias()) {
      return Objects.requireNonNull(ref.version());
    }
    Path file = modelDir(ref.name()).resolve(ALIASES).resolve(Objects.requireNonNull(ref.alias()));
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelLoadException("Alias " + ref + " is not set in repository " + root + "; set it with setAlias");
    }
    Path real = inside(file, "Alias file");
    regularFile(real, "Alias file", ref.toString(), MAX_ALIAS_BYTES);
    try {
      String v = Files.readString(real, StandardCharsets.UTF_8).trim();
      try {
        return ModelRef.checkSegment("version", v);
      } catch (IllegalArgumentException e) {
        throw new IntegrityException("Alias file " + file + " holds '" + ModelRef.printable(v) + "', not a version;"
            + " set the alias again",
            e);
      }
    } catch (IOException e) {
      throw new ModelLoadException("Cannot read alias " + ref + " at " + file + ": " + e, e);
    }
  }

  /**
   * Points an alias at an existing version, atomically replacing any previous target.
   *
   * @param model the model name
   * @param alias the alias
   * @param version a published version
   */
  public void setAlias(String model, String alias, String version) {
    moveAlias(model, alias, version, "alias", Map.of());
  }

  /**
   * Points an alias at an existing version, atomically, and records the move in the audit log under an
   * action of the caller's ({@code promote} for a promotion policy's decision), with the version it
   * pointed at before and the caller's details (the {@code alias} detail is set here).
   *
   * @param model the model name
   * @param alias the alias
   * @param version a published version
   * @param action the audit record's action
   * @param details more facts for the record
   */
  public void moveAlias(String model, String alias, String version, String action, Map<String, String> details) {
    ModelRef.checkSegment("alias", alias);
    directory(ModelRef.ofVersion(model, version));
    Path dir = modelDir(model).resolve(ALIASES);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MlopsException("Cannot create the alias directory " + dir + ": " + e, e);
    }
    inside(dir, "Alias directory");
    String before = aliases(model).get(alias);
    AtomicFiles.writeString(dir, alias, "alias", version + "\n");
    Map<String, String> d = new LinkedHashMap<>(details);
    d.put("alias", alias);
    audit.append(actor, action, model, before, version, d);
  }

  /**
   * Points an alias back at the version it pointed at before its last change (alias set, promotion
   * or rollback; successive rollbacks walk further back), recorded as a {@code rollback}.
   *
   * @param model the model
   * @param alias the alias
   * @return the version the alias now points at
   * @throws IllegalStateException when the audit log holds no earlier version of the alias
   */
  public String rollback(String model, String alias) {
    ModelRef.checkSegment("alias", alias);
    String current = aliases(model).get(alias);
    if (current == null) {
      throw new IllegalStateException("model " + model + " has no alias '" + alias + "'; nothing to roll back");
    }
    java.util.ArrayDeque<String> earlier = new java.util.ArrayDeque<>();
    for (AuditLog.Entry e : audit.read()) {
      if (!e.model().equals(model) || !alias.equals(e.details().get("alias"))) {
        continue;
      }
      boolean moved = e.action().equals("alias") || e.action().equals("rollback")
          || (e.action().equals("promote") && "promoted".equals(e.details().get("outcome")));
      if (!moved) {
        continue;
      }
      if (e.action().equals("rollback")) {
        earlier.pollLast();
      } else {
        earlier.addLast(e.from() == null ? "" : e.from());
      }
    }
    String target = earlier.peekLast();
    if (target == null || target.isEmpty()) {
      throw new IllegalStateException("the audit log holds no version of " + model + "@" + alias + " before "
          + current + "; set the alias to the version you want");
    }
    moveAlias(model, alias, target, "rollback", Map.of("rolledBack", current));
    return target;
  }

  /**
   * The aliases of a model and their versions.
   *
   * @param model the model name
   * @return alias to version, sorted by alias
   */
  public Map<String, String> aliases(String model) {
    Path dir = modelDir(model).resolve(ALIASES);
    Map<String, String> out = new java.util.TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String a = p.getFileName().toString();
        if (!a.startsWith(".")) {
          out.put(a, resolve(ModelRef.ofAlias(model, a)));
        }
      }
    } catch (IOException e) {
      throw new MlopsException("Cannot list aliases in " + dir + ": " + e, e);
    }
    return out;
  }

  /**
   * The published versions of a model, numeric versions in numeric order first, then the others in
   * text order.
   *
   * @param model the model name
   * @return the versions
   */
  public List<String> versions(String model) {
    Path dir = modelDir(model);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String v = p.getFileName().toString();
        if (!v.startsWith(".") && !v.equals(ALIASES) && Files.isRegularFile(p.resolve(ModelManifest.FILE_NAME))) {
          out.add(v);
        }
      }
    } catch (IOException e) {
      throw new MlopsException("Cannot list versions in " + dir + ": " + e, e);
    }
    out.sort(VERSION_ORDER);
    return out;
  }

  /**
   * The models in the repository, by name.
   *
   * @return the names with at least one version
   */
  public List<String> models() {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).filter(n -> !versions(n).isEmpty())
          .sorted().toList();
    } catch (IOException e) {
      throw new MlopsException("Cannot list models in " + root + ": " + e, e);
    }
  }

  static final Comparator<String> VERSION_ORDER = (a, b) -> {
    boolean na = NUMBER.matcher(a).matches();
    boolean nb = NUMBER.matcher(b).matches();
    if (na && nb) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return na ? -1 : nb ? 1 : a.compareTo(b);
  };

  /**
   * Publishes a new version: copies the artifact into a staging directory, writes the manifest (name,
   * version and the artifact's digest filled in here), and renames the directory into place.
   *
   * @param model the model name
   * @param version the new version; must not exist
   * @param artifact the model file; it keeps its file name
   * @param manifest the rest of the manifest: format, signature, tags, metrics, ...
   * @return the written manifest
   * @throws IllegalStateException when the version exists (versions are immutable)
   */
  public ModelManifest publish(String model, String version, Path artifact, ModelManifestBuilder manifest) {
    return publish(model, version, artifact, manifest, null);
  }

  /**
   * Publishes a new version and signs its manifest with an Ed25519 key pair.
   *
   * @param model the model name
   * @param version the new version; must not exist
   * @param artifact the model file; it keeps its file name
   * @param manifest the rest of the manifest
   * @param signer the key pair that signs the manifest, or null for none
   * @return the written manifest
   */
  public ModelManifest publish(String model, String version, Path artifact, ModelManifestBuilder manifest,
      @Nullable KeyPair signer) {
    return publish(model, version, List.of(artifact), manifest, signer);
  }

  /**
   * Publishes a new version of several files: the model file first (the primary artifact), then
   * what travels with it and is verified with it (a training profile, a contract, a vocabulary).
   *
   * @param model the model name
   * @param version the new version; must not exist
   * @param artifacts the files, model first; each keeps its file name, which must differ
   * @param manifest the rest of the manifest
   * @param signer the key pair that signs the manifest, or null for none
   * @return the written manifest
   */
  public ModelManifest publish(String model, String version, List<Path> artifacts, ModelManifestBuilder manifest,
      @Nullable KeyPair signer) {
    ModelRef.checkSegment("model name", model);
    if (artifacts.isEmpty()) {
      throw new IllegalArgumentException("Cannot publish " + model + "/" + version + " without a model file");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Path a : artifacts) {
      String n = a.getFileName().toString();
      if (n.equals(ModelManifest.FILE_NAME) || n.equals(ModelManifest.SIGNATURE_FILE_NAME) || !names.add(n)) {
        throw new IllegalArgumentException("Cannot publish " + model + "/" + version + ": two files or a manifest"
            + " file are named " + n + "; artifacts keep their file names, so give each a distinct one");
      }
    }
    ModelRef.checkSegment("version", version);
    Path dir = modelDir(model);
    Path target = dir.resolve(version);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException("Version " + model + "/" + version + " already exists in " + root
          + "; versions are immutable, publish a new version");
    }
    for (Path artifact : artifacts) {
      if (!Files.isRegularFile(artifact)) {
        throw new MlopsException("Cannot publish " + model + "/" + version + ": the artifact " + artifact + " is "
            + (Files.exists(artifact) ? "not a regular file (a directory, FIFO, socket or device)" : "missing")
            + "; publish a regular model file");
      }
    }
    Path staging = dir.resolve(".staging-" + version + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      inside(dir, "Model directory");
      Files.createDirectory(staging);
      manifest.name(model).version(version);
      for (Path artifact : artifacts) {
        String file = artifact.getFileName().toString();
        Files.copy(artifact, staging.resolve(file));
        manifest.addArtifact(staging, file);
      }
      ModelManifest m = manifest.build();
      if (signer != null) {
        ManifestSigner.writeSigned(m, staging, signer);
      } else {
        m.write(staging);
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // A directory renamed onto another that holds files fails with ENOTEMPTY, which the JDK reports
        // as a plain FileSystemException: the target's existence, not the exception type, says a
        // concurrent publisher won.
        if (e instanceof FileAlreadyExistsException || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new IllegalStateException("Version " + model + "/" + version + " was published concurrently;"
              + " versions are immutable, publish a new version", e);
        }
        throw e;
      }
      audit.append(actor, "publish", model, null, version, Map.of("manifestDigest", m.digest(), "signed",
          Boolean.toString(signer != null)));
      return m;
    } catch (IOException e) {
      throw new MlopsException("Cannot publish " + model + "/" + version + " into " + root + ": " + e, e);
    } finally {
      deleteQuietly(staging);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Leftover staging directories start with '.', are never listed, and may be removed by hand.
    }
  }

  /**
   * Loads a version after verifying it (see the class documentation).
   *
   * @param ref the reference
   * @return the verified model
   * @throws IntegrityException listing every problem when a digest, size, file set, signature or the
   *     manifest's name and version do not match; nothing was parsed
   * @throws ModelLoadException when the version or alias does not exist
   */
  public VerifiedModel load(ModelRef ref) {
    String version = resolve(ref);
    Path dir = directory(ModelRef.ofVersion(ref.name(), version));
    Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
    String where = ref.name() + "/" + version;
    Path real;
    try {
      real = inside(manifestFile, "Manifest");
    } catch (MlopsException e) {
      throw new IntegrityException("Manifest " + manifestFile + " is unreadable: " + e.getMessage()
          + "; restore it from a trusted copy", e);
    }
    regularFile(real, "Manifest", where, MAX_MANIFEST_BYTES);
    ModelManifest manifest;
    try {
      String text = Files.readString(real, StandardCharsets.UTF_8);
      manifest = ModelManifest.fromJson(text, manifestFile.toString());
    } catch (IOException e) {
      throw new ModelLoadException("Cannot read " + manifestFile + ": " + e, e);
    } catch (MlopsException e) {
      throw new IntegrityException("Manifest " + manifestFile + " is unreadable: " + e.getMessage()
          + "; restore it from a trusted copy", e);
    }
    if (!manifest.name().equals(ref.name()) || !manifest.version().equals(version)) {
      throw new IntegrityException("Manifest " + manifestFile + " describes " + manifest.name() + "/"
          + manifest.version() + ", not " + ref.name() + "/" + version + "; a manifest was copied or swapped between"
          + " versions. Restore the version from a trusted copy");
    }
    if (manifest.artifacts().isEmpty()) {
      throw new IntegrityException("Manifest " + manifestFile + " lists no artifact; publish the model file with it");
    }
    Path sig = dir.resolve(ModelManifest.SIGNATURE_FILE_NAME);
    if (Files.exists(sig, LinkOption.NOFOLLOW_LINKS)) {
      regularFile(inside(sig, "Signature"), "Signature", where, MAX_MANIFEST_BYTES);
    }
    for (Artifact a : manifest.artifacts()) {
      if (a.size() > MAX_ARTIFACT_BYTES) {
        throw new ModelLoadException("Artifact " + a.path() + " of " + where + " is " + a.size() + " bytes; a model is"
            + " loaded into memory from its verified bytes, at most " + MAX_ARTIFACT_BYTES + " bytes per file."
            + " Serve a smaller model (ONNX models over 2 GB keep their weights in external data, which is not"
            + " served)");
      }
    }
    verifier.verify(manifest, dir).orThrow();
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    for (Artifact a : manifest.artifacts()) {
      Path file = inside(dir.resolve(a.path()), "Artifact");
      // Checked again right before the read: the file may have been replaced since it was verified.
      regularFile(file, "Artifact", where, a.size());
      byte[] b;
      try {
        b = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new ModelLoadException("Cannot read artifact " + file + ": " + e, e);
      }
      String sha = HexFormat.of().formatHex(Digests.sha256().digest(b));
      if (b.length != a.size() || !sha.equals(a.sha256())) {
        throw new IntegrityException("Artifact " + file + " changed while loading: manifest has sha256 " + a.sha256()
            + " (" + a.size() + " bytes), read sha256 " + sha + " (" + b.length + " bytes). Find out who writes to"
            + " the repository; do not load this model");
      }
      bytes.put(a.path(), b);
    }
    return new VerifiedModel(manifest, bytes);
  }

  /**
   * Loads a version after verification and hands it to a parser, which is never called when
   * verification fails.
   *
   * @param ref the reference
   * @param parser turns the verified model into something usable, e.g. a predictor
   * @param <T> what the parser makes
   * @return what the parser made
   */
  public <T> T load(ModelRef ref, Function<VerifiedModel, T> parser) {
    return parser.apply(load(ref));
  }

  /**
   * Whether a version exists.
   *
   * @param model the model name
   * @param version the version
   * @return true when published
   */
  public boolean exists(String model, String version) {
    return Files.isRegularFile(modelDir(model).resolve(ModelRef.checkSegment("version", version))
        .resolve(ModelManifest.FILE_NAME));
  }

  @Override
  public String toString() {
    return "ModelRepository{" + root + "}";
  }
}
