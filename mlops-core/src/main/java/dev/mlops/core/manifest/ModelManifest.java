package dev.mlops.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.core.internal.Digests;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * <p>Immutable; maps are sorted by key and unmodifiable, JSON values are normalized to their
 * canonical numbers, so two manifests with the same content are {@link #equals equal} and have the
 * same {@link #digest() digest} however they were built. Make one with {@link #builder()}, read one
 * with {@link #read(Path)} or {@link #fromJson(String)}.
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
 *
 * @param formatVersion version of the serialized form, 1 to {@link #FORMAT_VERSION}
 * @param name model name (letters, digits, {@code . _ + -}; it names a directory)
 * @param version model version (same alphabet as the name)
 * @param format model format, lower case: {@code onnx}, {@code tribuo}, ...
 * @param createdAt when the manifest was made
 * @param artifacts the model's files, in order, with unique paths
 * @param modelSignature input and output schemas and the feature encoding
 * @param datasets fingerprints of the data used, with unique names
 * @param hyperParameters hyper-parameters as JSON values, sorted by name
 * @param seeds random seeds by name, sorted
 * @param codeVersion the source code's commit
 * @param environment JVM, OS, CPU, libraries and device
 * @param metrics evaluation metrics by name, finite, sorted
 * @param parent the model this one was derived from, or null
 * @param tags free-form labels, sorted
 * @param provenance an embedded provenance document (e.g. Tribuo's), or null
 */
public record ModelManifest(
    int formatVersion,
    String name,
    String version,
    String format,
    Instant createdAt,
    List<Artifact> artifacts,
    ModelSignature modelSignature,
    List<DatasetRef> datasets,
    Map<String, JsonNode> hyperParameters,
    Map<String, Long> seeds,
    CodeVersion codeVersion,
    EnvironmentInfo environment,
    Map<String, Double> metrics,
    @Nullable ParentModel parent,
    Map<String, String> tags,
    @Nullable JsonNode provenance) {

  /** The newest serialized format this library reads and the one it writes. */
  public static final int FORMAT_VERSION = 1;

  /** File name of the manifest inside a model directory. */
  public static final String FILE_NAME = "manifest.json";

  /** File name of the signature inside a model directory. */
  public static final String SIGNATURE_FILE_NAME = "manifest.sig";

  /**
   * Validates and normalizes the components.
   *
   * @param formatVersion serialized format version
   * @param name model name
   * @param version model version
   * @param format model format
   * @param createdAt creation time
   * @param artifacts files
   * @param modelSignature signature
   * @param datasets data fingerprints
   * @param hyperParameters hyper-parameters
   * @param seeds seeds
   * @param codeVersion code version
   * @param environment environment
   * @param metrics metrics
   * @param parent parent or null
   * @param tags tags
   * @param provenance provenance or null
   * @throws IllegalArgumentException naming the bad value
   */
  public ModelManifest {
    if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException("formatVersion must be 1 to " + FORMAT_VERSION + ", got " + formatVersion);
    }
    ManifestPreconditions.token(name, "model name");
    ManifestPreconditions.token(version, "model version");
    ManifestPreconditions.format(format);
    Objects.requireNonNull(createdAt, "createdAt");
    artifacts = List.copyOf(Objects.requireNonNull(artifacts, "artifacts"));
    Set<String> seen = new HashSet<>();
    for (Artifact a : artifacts) {
      if (!seen.add(a.path())) {
        throw new IllegalArgumentException("artifact path '" + a.path() + "' is listed twice; list each file once");
      }
    }
    Objects.requireNonNull(modelSignature, "modelSignature");
    datasets = List.copyOf(Objects.requireNonNull(datasets, "datasets"));
    seen.clear();
    for (DatasetRef d : datasets) {
      if (!seen.add(d.name())) {
        throw new IllegalArgumentException("dataset name '" + d.name() + "' is used twice; name each dataset once");
      }
    }
    hyperParameters = ManifestPreconditions.sortedCopy(hyperParameters, "hyper-parameter",
        (k, v) -> normalize(v, "hyper-parameter '" + k + "'"));
    seeds = ManifestPreconditions.sortedCopy(seeds, "seed", (k, v) -> v);
    Objects.requireNonNull(codeVersion, "codeVersion");
    Objects.requireNonNull(environment, "environment");
    metrics = ManifestPreconditions.sortedCopy(metrics, "metric", (k, v) -> ManifestPreconditions.finite(v, "metric '" + k + "'"));
    tags = ManifestPreconditions.sortedCopy(tags, "tag", (k, v) -> v);
    provenance = provenance == null ? null : normalize(provenance, "provenance");
  }

  /**
   * A JSON value in normal form: numbers as the parser reads their canonical text, so that equal
   * values compare equal after any round trip.
   */
  static JsonNode normalize(JsonNode value, String what) {
    Objects.requireNonNull(value, what);
    String canonical;
    try {
      canonical = CanonicalJson.string(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    try {
      return Json.mapper().readTree(canonical);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("canonical JSON could not be read back: " + canonical, e);
    }
  }

  /**
   * A new builder; the creation time comes from the system UTC clock unless set.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this manifest's values, to derive a changed copy.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.version = version;
    b.format = format;
    b.createdAt = createdAt;
    artifacts.forEach(a -> b.artifacts.put(a.path(), a));
    b.modelSignature = modelSignature;
    datasets.forEach(d -> b.datasets.put(d.name(), d));
    b.hyperParameters.putAll(hyperParameters);
    b.seeds.putAll(seeds);
    b.codeVersion = codeVersion;
    b.environment = environment;
    b.metrics.putAll(metrics);
    b.parent = parent;
    b.tags.putAll(tags);
    b.provenance = provenance;
    return b;
  }

  /**
   * The hyper-parameters; the values are copies, so changing them does not change the manifest.
   *
   * @return hyper-parameters by name, sorted
   */
  @Override
  public Map<String, JsonNode> hyperParameters() {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    hyperParameters.forEach((k, v) -> copy.put(k, v.deepCopy()));
    return java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The embedded provenance document, as a copy.
   *
   * @return the document, or null when none was recorded
   */
  @Override
  public @Nullable JsonNode provenance() {
    return provenance == null ? null : provenance.deepCopy();
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

  /**
   * The JSON tree form.
   *
   * @return a new tree
   */
  public ObjectNode toJsonNode() {
    return ManifestJson.toJsonNode(this);
  }

  /**
   * Indented, human-readable JSON, as written to {@value #FILE_NAME}.
   *
   * @return the JSON text
   */
  public String toJson() {
    return Json.pretty(toJsonNode()) + "\n";
  }

  /**
   * The canonical bytes ({@link CanonicalJson}: sorted keys, fixed number format, no whitespace) that
   * {@link #digest()} and signatures cover.
   *
   * @return UTF-8 bytes
   */
  public byte[] canonicalBytes() {
    return CanonicalJson.bytes(toJsonNode());
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
   * Builds a {@link ModelManifest}. Each setter validates its argument at once and names the bad
   * value; {@link #build()} checks that name, version and format are set. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable String version;
    private @Nullable String format;
    private Clock clock = Clock.systemUTC();
    private @Nullable Instant createdAt;
    private final Map<String, Artifact> artifacts = new LinkedHashMap<>();
    private ModelSignature modelSignature = ModelSignature.unspecified();
    private final Map<String, DatasetRef> datasets = new LinkedHashMap<>();
    private final Map<String, JsonNode> hyperParameters = new LinkedHashMap<>();
    private final Map<String, Long> seeds = new LinkedHashMap<>();
    private CodeVersion codeVersion = CodeVersion.unknown();
    private @Nullable EnvironmentInfo environment;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private @Nullable ParentModel parent;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private @Nullable JsonNode provenance;

    private Builder() {}

    /**
     * Sets the model name (required).
     *
     * @param value letters, digits, {@code . _ + -}, starting with a letter or digit, at most 128
     * @return this builder
     */
    public Builder name(String value) {
      this.name = ManifestPreconditions.token(value, "model name");
      return this;
    }

    /**
     * Sets the model version (required).
     *
     * @param value same alphabet as the name, e.g. {@code 3} or {@code 2024-06-01.1}
     * @return this builder
     */
    public Builder version(String value) {
      this.version = ManifestPreconditions.token(value, "model version");
      return this;
    }

    /**
     * Sets the model format (required).
     *
     * @param value lower case, e.g. {@code onnx} or {@code tribuo}
     * @return this builder
     */
    public Builder format(String value) {
      this.format = ManifestPreconditions.format(value);
      return this;
    }

    /**
     * Sets the clock that stamps the creation time at {@link #build()} (default: system UTC clock).
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the creation time explicitly, overriding the clock.
     *
     * @param value the time
     * @return this builder
     */
    public Builder createdAt(Instant value) {
      this.createdAt = Objects.requireNonNull(value, "createdAt");
      return this;
    }

    /**
     * Adds an artifact entry as given (its digest is not checked against any file here).
     *
     * @param artifact the entry; its path must be relative, without {@code ..} segments
     * @return this builder
     * @throws IllegalArgumentException when the path is unsafe or already listed
     */
    public Builder addArtifact(Artifact artifact) {
      Objects.requireNonNull(artifact, "artifact");
      String unsafe = ArtifactFiles.unsafeReason(artifact.path());
      if (unsafe != null) {
        throw new IllegalArgumentException("artifact path '" + artifact.path() + "' " + unsafe);
      }
      if (artifact.path().equals(FILE_NAME) || artifact.path().equals(SIGNATURE_FILE_NAME)) {
        throw new IllegalArgumentException("artifact path '" + artifact.path() + "' is reserved for the manifest"
            + " itself; rename the model file");
      }
      if (artifacts.containsKey(artifact.path())) {
        throw new IllegalArgumentException("artifact path '" + artifact.path() + "' is already listed");
      }
      artifacts.put(artifact.path(), artifact);
      return this;
    }

    /**
     * Adds a file of the model directory, computing its SHA-256 and size by streaming it.
     *
     * @param dir the model directory
     * @param relativePath the file's path inside it, with {@code /} separators
     * @return this builder
     * @throws IllegalArgumentException when the path is unsafe, leads outside the directory, is not a
     *     regular file, or is already listed
     * @throws MlopsException when the file cannot be read
     */
    public Builder addArtifact(Path dir, String relativePath) {
      Objects.requireNonNull(dir, "dir");
      String unsafe = ArtifactFiles.unsafeReason(ManifestPreconditions.nonEmpty(relativePath, "artifact path"));
      if (unsafe != null) {
        throw new IllegalArgumentException("artifact path '" + relativePath + "' " + unsafe);
      }
      Path file = ArtifactFiles.resolveInside(dir, relativePath);
      ArtifactFiles.FileDigest d = ArtifactFiles.digest(file);
      return addArtifact(new Artifact(relativePath, d.sha256(), d.size()));
    }

    /**
     * Adds every file under a model directory (subdirectories included, sorted by path), except
     * {@value ModelManifest#FILE_NAME} and {@value ModelManifest#SIGNATURE_FILE_NAME}.
     *
     * @param dir the model directory
     * @return this builder
     * @throws MlopsException when the directory cannot be listed or a file read
     */
    public Builder addArtifacts(Path dir) {
      for (String rel : ArtifactFiles.list(dir)) {
        if (!rel.equals(FILE_NAME) && !rel.equals(SIGNATURE_FILE_NAME)) {
          addArtifact(dir, rel);
        }
      }
      return this;
    }

    /**
     * Sets the input and output schemas and feature encoding (default: {@link ModelSignature#unspecified()}).
     *
     * @param value the signature
     * @return this builder
     */
    public Builder modelSignature(ModelSignature value) {
      this.modelSignature = Objects.requireNonNull(value, "modelSignature");
      return this;
    }

    /**
     * Adds the fingerprint of a dataset the model was trained or evaluated on.
     *
     * @param datasetName what it was used for ({@code train}, {@code test}, ...), unique
     * @param fingerprint its fingerprint
     * @return this builder
     * @throws IllegalArgumentException when the name is empty or already used
     */
    public Builder addDataset(String datasetName, DatasetFingerprint fingerprint) {
      DatasetRef ref = new DatasetRef(datasetName, fingerprint);
      if (datasets.containsKey(datasetName)) {
        throw new IllegalArgumentException("dataset name '" + datasetName + "' is already used");
      }
      datasets.put(datasetName, ref);
      return this;
    }

    /**
     * Sets a hyper-parameter to a JSON value (objects and arrays allowed; numbers finite).
     *
     * @param key the parameter name
     * @param value the value
     * @return this builder
     */
    public Builder hyperParameter(String key, JsonNode value) {
      ManifestPreconditions.nonEmpty(key, "hyper-parameter name");
      hyperParameters.put(key, normalize(value, "hyper-parameter '" + key + "'"));
      return this;
    }

    /**
     * Sets a text hyper-parameter.
     *
     * @param key the parameter name
     * @param value the value
     * @return this builder
     */
    public Builder hyperParameter(String key, String value) {
      return hyperParameter(key, TextNode.valueOf(Objects.requireNonNull(value, key)));
    }

    /**
     * Sets a whole-number hyper-parameter.
     *
     * @param key the parameter name
     * @param value the value
     * @return this builder
     */
    public Builder hyperParameter(String key, long value) {
      return hyperParameter(key, LongNode.valueOf(value));
    }

    /**
     * Sets a numeric hyper-parameter.
     *
     * @param key the parameter name
     * @param value the value, finite
     * @return this builder
     */
    public Builder hyperParameter(String key, double value) {
      return hyperParameter(key, DoubleNode.valueOf(ManifestPreconditions.finite(value, "hyper-parameter '" + key + "'")));
    }

    /**
     * Sets a boolean hyper-parameter.
     *
     * @param key the parameter name
     * @param value the value
     * @return this builder
     */
    public Builder hyperParameter(String key, boolean value) {
      return hyperParameter(key, BooleanNode.valueOf(value));
    }

    /**
     * Sets several hyper-parameters.
     *
     * @param values JSON values by name
     * @return this builder
     */
    public Builder hyperParameters(Map<String, ? extends JsonNode> values) {
      values.forEach(this::hyperParameter);
      return this;
    }

    /**
     * Records a random seed.
     *
     * @param key what the seed drives ({@code shuffle}, {@code init}, ...)
     * @param value the seed
     * @return this builder
     */
    public Builder seed(String key, long value) {
      seeds.put(ManifestPreconditions.nonEmpty(key, "seed name"), value);
      return this;
    }

    /**
     * Sets the code version (default: {@link CodeVersion#unknown()}).
     *
     * @param value e.g. {@code CodeVersion.detect(Path.of(".")).orElse(CodeVersion.unknown())}
     * @return this builder
     */
    public Builder codeVersion(CodeVersion value) {
      this.codeVersion = Objects.requireNonNull(value, "codeVersion");
      return this;
    }

    /**
     * Sets the environment (default: {@link EnvironmentInfo#capture()} at {@link #build()}).
     *
     * @param value the environment
     * @return this builder
     */
    public Builder environment(EnvironmentInfo value) {
      this.environment = Objects.requireNonNull(value, "environment");
      return this;
    }

    /**
     * Records an evaluation metric.
     *
     * @param key the metric name ({@code auc}, {@code rmse}, ...)
     * @param value the value, finite
     * @return this builder
     */
    public Builder metric(String key, double value) {
      ManifestPreconditions.nonEmpty(key, "metric name");
      metrics.put(key, ManifestPreconditions.finite(value, "metric '" + key + "'"));
      return this;
    }

    /**
     * Sets the model this one was derived from.
     *
     * @param parentName the parent's name
     * @param parentVersion the parent's version
     * @return this builder
     */
    public Builder parent(String parentName, String parentVersion) {
      this.parent = new ParentModel(parentName, parentVersion);
      return this;
    }

    /**
     * Sets or clears the model this one was derived from.
     *
     * @param value the parent, or null for none
     * @return this builder
     */
    public Builder parent(@Nullable ParentModel value) {
      this.parent = value;
      return this;
    }

    /**
     * Adds a free-form tag.
     *
     * @param key the tag name
     * @param value the tag value
     * @return this builder
     */
    public Builder tag(String key, String value) {
      tags.put(ManifestPreconditions.nonEmpty(key, "tag name"), Objects.requireNonNull(value, "value of tag '" + key + "'"));
      return this;
    }

    /**
     * Embeds a provenance document (for example Tribuo's, converted to JSON), or clears it.
     *
     * @param value a JSON document with finite numbers, or null
     * @return this builder
     */
    public Builder provenance(@Nullable JsonNode value) {
      this.provenance = value == null ? null : normalize(value, "provenance");
      return this;
    }

    /**
     * Builds the manifest, stamping the creation time from the clock when it was not set.
     *
     * @return the manifest
     * @throws IllegalStateException naming the missing required values
     */
    public ModelManifest build() {
      List<String> missing = new ArrayList<>();
      if (name == null) {
        missing.add("name");
      }
      if (version == null) {
        missing.add("version");
      }
      if (format == null) {
        missing.add("format");
      }
      if (name == null || version == null || format == null) {
        throw new IllegalStateException("a manifest needs " + missing + "; set them on the builder");
      }
      return new ModelManifest(FORMAT_VERSION, name, version, format,
          createdAt != null ? createdAt : clock.instant(),
          List.copyOf(artifacts.values()), modelSignature, List.copyOf(datasets.values()),
          hyperParameters, seeds, codeVersion, environment != null ? environment : EnvironmentInfo.capture(),
          metrics, parent, tags, provenance);
    }
  }
}
