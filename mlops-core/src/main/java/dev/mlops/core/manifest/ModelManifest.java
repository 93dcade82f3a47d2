package dev.mlops.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Digests;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The reproducibility manifest written beside every model as {@value #FILE_NAME}: what the model is,
 * which files make it up (with SHA-256 digests and sizes), what it takes and gives, what data, code,
 * parameters, seeds and environment produced it, how well it scored, and where it came from.
 *
 * <p>An immutable value: maps are sorted by key and unmodifiable, numbers are normalized to their
 * canonical JSON values, so two manifests with the same content are {@link #equals equal} and have
 * the same {@link #digest() digest} however they were built. Make one with {@link #builder()}, read
 * one with {@link #read(Path)} or {@link #fromJson(String)}.
 *
 * <p>Digest. Format version 2 (written now) covers the RFC 8785 canonical form (JCS) of the whole
 * {@value #FILE_NAME} document, so any JCS implementation recomputes it: parse the file, canonicalize
 * it, SHA-256 the UTF-8 bytes. Nothing is left out, because the digest and the signature live in
 * {@value #SIGNATURE_FILE_NAME}, not in the manifest. Format version 1 manifests keep reading and
 * verifying under the v1 canonical rule they were signed with.
 *
 * <pre>{@code
 * ModelManifest m = ModelManifest.builder()
 *     .name("credit-risk").version("3").format("onnx")
 *     .addArtifact(modelDir, "model.onnx")
 *     .modelSignature(ModelSignature.of(inputs, outputs, encoding))
 *     .addDataset("train", trainFingerprint)
 *     .hyperParameter("learningRate", 0.05).seed("shuffle", 42)
 *     .codeVersion(CodeVersion.detect(Path.of(".")).orElse(CodeVersion.unknown()))
 *     .metric("auc", 0.91)
 *     .build();
 * m.write(modelDir);
 * }</pre>
 */
public final class ModelManifest {
  /** The newest serialized format this library reads and the one it writes. */
  public static final int FORMAT_VERSION = 2;

  /** File name of the manifest inside a model directory. */
  public static final String FILE_NAME = "manifest.json";

  /** File name of the signature inside a model directory. */
  public static final String SIGNATURE_FILE_NAME = "manifest.sig";

  private final int formatVersion;
  private final String name;
  private final String version;
  private final String format;
  private final Instant createdAt;
  private final List<Artifact> artifacts;
  private final ModelSignature modelSignature;
  private final List<DatasetRef> datasets;
  private final Map<String, Object> hyperParameters;
  private final Map<String, Long> seeds;
  private final CodeVersion codeVersion;
  private final EnvironmentInfo environment;
  private final Map<String, Double> metrics;
  private final @Nullable ParentModel parent;
  private final Map<String, String> tags;
  private final @Nullable JsonNode provenance;

  private ModelManifest(int formatVersion, String name, String version, String format, Instant createdAt,
      List<Artifact> artifacts, ModelSignature modelSignature, List<DatasetRef> datasets,
      Map<String, ?> hyperParameters, Map<String, Long> seeds, CodeVersion codeVersion, EnvironmentInfo environment,
      Map<String, Double> metrics, @Nullable ParentModel parent, Map<String, String> tags,
      @Nullable JsonNode provenance) {
    if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException("formatVersion must be 1 to " + FORMAT_VERSION + ", got " + formatVersion);
    }
    this.formatVersion = formatVersion;
    this.name = ManifestPreconditions.token(name, "model name");
    this.version = ManifestPreconditions.token(version, "model version");
    this.format = ManifestPreconditions.format(format);
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.artifacts = List.copyOf(Objects.requireNonNull(artifacts, "artifacts"));
    Set<String> seen = new HashSet<>();
    for (Artifact a : this.artifacts) {
      if (!seen.add(a.path())) {
        throw new IllegalArgumentException("artifact path '" + a.path() + "' is listed twice; list each file once");
      }
      safeInteger(a.size(), "size of artifact '" + a.path() + "'");
    }
    this.modelSignature = Objects.requireNonNull(modelSignature, "modelSignature");
    this.datasets = List.copyOf(Objects.requireNonNull(datasets, "datasets"));
    seen.clear();
    for (DatasetRef d : this.datasets) {
      if (!seen.add(d.name())) {
        throw new IllegalArgumentException("dataset name '" + d.name() + "' is used twice; name each dataset once");
      }
      safeInteger(d.fingerprint().rowCount(), "row count of dataset '" + d.name() + "'");
    }
    this.hyperParameters = ManifestPreconditions.sortedCopy(hyperParameters, "hyper-parameter",
        (k, v) -> HyperParameterValues.copyOf(v, "hyper-parameter '" + k + "'", formatVersion));
    this.seeds = ManifestPreconditions.sortedCopy(seeds, "seed", (k, v) -> v);
    this.codeVersion = Objects.requireNonNull(codeVersion, "codeVersion");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.metrics = ManifestPreconditions.sortedCopy(metrics, "metric",
        (k, v) -> ManifestPreconditions.finite(v, "metric '" + k + "'"));
    this.parent = parent;
    this.tags = ManifestPreconditions.sortedCopy(tags, "tag", (k, v) -> v);
    this.provenance = provenance == null ? null
        : ManifestCanonicalForm.normalize(provenance, "provenance", formatVersion);
  }

  private void safeInteger(long value, String what) {
    if (formatVersion >= 2 && !Jcs.isSafeInteger(value)) {
      throw new IllegalArgumentException(what + " is " + value + ", beyond the " + Jcs.MAX_SAFE_INTEGER
          + " (2^53 - 1) that canonical JSON carries exactly");
    }
  }

  /**
   * A manifest from its components; the builder and the JSON reader make manifests through here.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  static ModelManifest of(int formatVersion, String name, String version, String format, Instant createdAt,
      List<Artifact> artifacts, ModelSignature modelSignature, List<DatasetRef> datasets,
      Map<String, ?> hyperParameters, Map<String, Long> seeds, CodeVersion codeVersion, EnvironmentInfo environment,
      Map<String, Double> metrics, @Nullable ParentModel parent, Map<String, String> tags,
      @Nullable JsonNode provenance) {
    return new ModelManifest(formatVersion, name, version, format, createdAt, artifacts, modelSignature, datasets,
        hyperParameters, seeds, codeVersion, environment, metrics, parent, tags, provenance);
  }

  /**
   * A new builder, writing format version {@value #FORMAT_VERSION}; the creation time comes from the
   * system UTC clock unless set.
   *
   * @return the builder
   */
  public static ModelManifestBuilder builder() {
    return new ModelManifestBuilder();
  }

  /**
   * A builder holding this manifest's values, to derive a changed copy; the copy is built in format
   * version {@value #FORMAT_VERSION}, whatever this manifest's version.
   *
   * @return the builder
   */
  public ModelManifestBuilder toBuilder() {
    return new ModelManifestBuilder(this);
  }

  /**
   * The version of the serialized form, 1 to {@value #FORMAT_VERSION}; it decides the canonical form
   * that {@link #digest()} covers.
   *
   * @return the format version
   */
  public int formatVersion() {
    return formatVersion;
  }

  /**
   * The model name (letters, digits, {@code . _ + -}; it names a directory).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The model version (same alphabet as the name).
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * The model format, lower case: {@code onnx}, {@code tribuo}, ...
   *
   * @return the format
   */
  public String format() {
    return format;
  }

  /**
   * When the manifest was made.
   *
   * @return the creation time
   */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * The model's files, in order, with unique paths.
   *
   * @return an unmodifiable list
   */
  public List<Artifact> artifacts() {
    return artifacts;
  }

  /**
   * Input and output schemas and the feature encoding.
   *
   * @return the signature
   */
  public ModelSignature modelSignature() {
    return modelSignature;
  }

  /**
   * Fingerprints of the data used, with unique names.
   *
   * @return an unmodifiable list
   */
  public List<DatasetRef> datasets() {
    return datasets;
  }

  /**
   * The hyper-parameters as plain values: {@link String}, {@link Boolean}, {@link Long},
   * {@link Double}, and unmodifiable {@link List}s and {@link Map}s (keys sorted) of those. A whole
   * number is a {@code Long} however it was given ({@code 20.0} reads as {@code 20L}).
   *
   * @return an unmodifiable map sorted by name
   */
  public Map<String, Object> hyperParameters() {
    return hyperParameters;
  }

  /**
   * Random seeds by name.
   *
   * @return an unmodifiable map sorted by name
   */
  public Map<String, Long> seeds() {
    return seeds;
  }

  /**
   * The source code's commit and working tree state.
   *
   * @return the code version
   */
  public CodeVersion codeVersion() {
    return codeVersion;
  }

  /**
   * JVM, OS, CPU, libraries and device.
   *
   * @return the environment
   */
  public EnvironmentInfo environment() {
    return environment;
  }

  /**
   * Evaluation metrics by name, finite.
   *
   * @return an unmodifiable map sorted by name
   */
  public Map<String, Double> metrics() {
    return metrics;
  }

  /**
   * The model this one was derived from.
   *
   * @return the parent, or null
   */
  public @Nullable ParentModel parent() {
    return parent;
  }

  /**
   * Free-form labels.
   *
   * @return an unmodifiable map sorted by name
   */
  public Map<String, String> tags() {
    return tags;
  }

  /**
   * The embedded provenance document (e.g. Tribuo's) as JSON text, in the canonical form of this
   * manifest's format version (RFC 8785 for version 2).
   *
   * @return the document, or null when none was recorded
   */
  public @Nullable String provenance() {
    return provenance == null ? null : ManifestCanonicalForm.string(formatVersion, provenance);
  }

  /**
   * The artifact with a path.
   *
   * @param path relative path as recorded
   * @return the artifact, or empty
   */
  public Optional<Artifact> artifact(String path) {
    return artifacts.stream().filter(a -> a.path().equals(path)).findFirst();
  }

  /** The provenance tree, shared: callers must not change it. */
  @Nullable JsonNode provenanceTree() {
    return provenance;
  }

  /** The JSON tree form, a new tree. */
  ObjectNode tree() {
    return ManifestJson.toJsonNode(this);
  }

  /**
   * Indented, human-readable JSON, as written to {@value #FILE_NAME}.
   *
   * @return the JSON text
   */
  public String toJson() {
    return Json.pretty(tree()) + "\n";
  }

  /**
   * The canonical bytes that {@link #digest()} and signatures cover: RFC 8785 (JCS) of the whole
   * JSON document for format version 2, the v1 rule for version 1 manifests.
   *
   * @return UTF-8 bytes
   */
  public byte[] canonicalBytes() {
    return ManifestCanonicalForm.bytes(formatVersion, tree());
  }

  /**
   * SHA-256 of the {@link #canonicalBytes() canonical bytes}: equal manifests have equal digests on
   * every JVM, whatever the key order or whitespace of the file they were read from.
   *
   * @return 64 lower-case hex characters
   */
  public String digest() {
    return Digests.sha256Hex(canonicalBytes());
  }

  /**
   * Parses a manifest.
   *
   * @param json the JSON text
   * @return the manifest
   * @throws DataFormatException naming the JSON path of the bad member ({@code artifacts[2].sha256}),
   *     or when the format version is newer than {@link #FORMAT_VERSION}
   */
  public static ModelManifest fromJson(String json) {
    return fromJson(json, "manifest JSON");
  }

  /**
   * Parses a manifest, naming its source in errors.
   *
   * @param json the JSON text
   * @param source what the text is, e.g. its file name
   * @return the manifest
   * @throws DataFormatException naming the source and the JSON path of the bad member
   */
  public static ModelManifest fromJson(String json, String source) {
    return ManifestJson.fromJsonNode(Json.parse(json, source), source);
  }

  /**
   * Reads a manifest file, or the {@value #FILE_NAME} of a model directory.
   *
   * @param path a manifest file or a model directory
   * @return the manifest
   * @throws DataFormatException when the file is missing, unreadable or not a valid manifest
   */
  public static ModelManifest read(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DataFormatException("cannot read the manifest (" + e + "); a model directory needs a "
          + FILE_NAME + " written by ModelManifest.write", file.toString(), -1, null, e);
    }
    return fromJson(text, file.toString());
  }

  /**
   * Writes {@value #FILE_NAME} into a directory (created when missing), through a temporary file and
   * an atomic move, so readers never see half a manifest.
   *
   * @param dir the model directory
   * @return the written file
   * @throws MlopsException when the file cannot be written
   */
  public Path write(Path dir) {
    return AtomicFiles.writeString(dir, FILE_NAME, "manifest", toJson());
  }

  /**
   * Checks a model directory against this manifest's artifacts (digests, sizes, missing, extra and
   * escaping files); signatures are not checked (use {@link ManifestVerifier} for that).
   *
   * @param modelDir the model directory
   * @return the report listing every problem
   */
  public VerificationReport verify(Path modelDir) {
    return ManifestVerifier.digestsOnly().verify(this, modelDir);
  }

  /**
   * Equal when every component is equal, the format version included.
   *
   * @param o the other object
   * @return whether it is an equal manifest
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof ModelManifest m
        && formatVersion == m.formatVersion
        && name.equals(m.name)
        && version.equals(m.version)
        && format.equals(m.format)
        && createdAt.equals(m.createdAt)
        && artifacts.equals(m.artifacts)
        && modelSignature.equals(m.modelSignature)
        && datasets.equals(m.datasets)
        && hyperParameters.equals(m.hyperParameters)
        && seeds.equals(m.seeds)
        && codeVersion.equals(m.codeVersion)
        && environment.equals(m.environment)
        && metrics.equals(m.metrics)
        && Objects.equals(parent, m.parent)
        && tags.equals(m.tags)
        && Objects.equals(provenance, m.provenance);
  }

  /**
   * A hash of every component.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, name, version, format, createdAt, artifacts, modelSignature, datasets,
        hyperParameters, seeds, codeVersion, environment, metrics, parent, tags, provenance);
  }

  /**
   * A one-line summary: name, version, format, format version, creation time and artifact paths.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return "ModelManifest[" + name + "/" + version + ", format=" + format + ", formatVersion=" + formatVersion
        + ", createdAt=" + createdAt + ", artifacts=" + artifacts.stream().map(Artifact::path).toList()
        + ", datasets=" + datasets.stream().map(DatasetRef::name).toList() + ", codeVersion=" + codeVersion + "]";
  }
}
