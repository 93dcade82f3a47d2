package dev.mlops.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ModelManifest}, hashing the model's files as they are added
 * ({@link #addArtifact(Path, String)}, {@link #addArtifacts(Path)}). Each setter validates its argument
 * at once and names the bad value; {@link #build()} checks that name, version and format are set.
 * Get one from {@link ModelManifest#builder()} or {@link ModelManifest#toBuilder()}. Not thread-safe.
 */
public final class ModelManifestBuilder {
  private @Nullable String name;
  private @Nullable String version;
  private @Nullable String format;
  private Clock clock = Clock.systemUTC();
  private @Nullable Instant createdAt;
  private final Map<String, Artifact> artifacts = new LinkedHashMap<>();
  private ModelSignature modelSignature = ModelSignature.unspecified();
  private final Map<String, DatasetRef> datasets = new LinkedHashMap<>();
  private final Map<String, Object> hyperParameters = new LinkedHashMap<>();
  private final Map<String, Long> seeds = new LinkedHashMap<>();
  private CodeVersion codeVersion = CodeVersion.unknown();
  private @Nullable EnvironmentInfo environment;
  private final Map<String, Double> metrics = new LinkedHashMap<>();
  private @Nullable ParentModel parent;
  private final Map<String, String> tags = new LinkedHashMap<>();
  private @Nullable JsonNode provenance;
  private int formatVersion = ModelManifest.FORMAT_VERSION;

  ModelManifestBuilder() {}

  /** A builder holding a manifest's values. */
  ModelManifestBuilder(ModelManifest m) {
    name = m.name();
    version = m.version();
    format = m.format();
    createdAt = m.createdAt();
    m.artifacts().forEach(a -> artifacts.put(a.path(), a));
    modelSignature = m.modelSignature();
    m.datasets().forEach(d -> datasets.put(d.name(), d));
    hyperParameters.putAll(m.hyperParameters());
    seeds.putAll(m.seeds());
    codeVersion = m.codeVersion();
    environment = m.environment();
    metrics.putAll(m.metrics());
    parent = m.parent();
    tags.putAll(m.tags());
    provenance = m.provenanceTree();
  }

  /**
   * Sets the model name (required).
   *
   * @param value letters, digits, {@code . _ + -}, starting with a letter or digit, at most 128
   * @return this builder
   */
  public ModelManifestBuilder name(String value) {
    this.name = ManifestPreconditions.token(value, "model name");
    return this;
  }

  /**
   * Sets the model version (required).
   *
   * @param value same alphabet as the name, e.g. {@code 3} or {@code 2024-06-01.1}
   * @return this builder
   */
  public ModelManifestBuilder version(String value) {
    this.version = ManifestPreconditions.token(value, "model version");
    return this;
  }

  /**
   * Sets the model format (required).
   *
   * @param value lower case, e.g. {@code onnx} or {@code tribuo}
   * @return this builder
   */
  public ModelManifestBuilder format(String value) {
    this.format = ManifestPreconditions.format(value);
    return this;
  }

  /**
   * Sets the clock that stamps the creation time at {@link #build()} (default: system UTC clock).
   *
   * @param value the clock
   * @return this builder
   */
  public ModelManifestBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /**
   * Sets the creation time explicitly, overriding the clock.
   *
   * @param value the time
   * @return this builder
   */
  public ModelManifestBuilder createdAt(Instant value) {
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
  public ModelManifestBuilder addArtifact(Artifact artifact) {
    Objects.requireNonNull(artifact, "artifact");
    String unsafe = ArtifactFiles.unsafeReason(artifact.path());
    if (unsafe != null) {
      throw new IllegalArgumentException("artifact path '" + artifact.path() + "' " + unsafe);
    }
    if (artifact.path().equals(ModelManifest.FILE_NAME) || artifact.path().equals(ModelManifest.SIGNATURE_FILE_NAME)) {
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
  public ModelManifestBuilder addArtifact(Path dir, String relativePath) {
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
  public ModelManifestBuilder addArtifacts(Path dir) {
    for (String rel : ArtifactFiles.list(dir)) {
      if (!rel.equals(ModelManifest.FILE_NAME) && !rel.equals(ModelManifest.SIGNATURE_FILE_NAME)) {
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
  public ModelManifestBuilder modelSignature(ModelSignature value) {
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
  public ModelManifestBuilder addDataset(String datasetName, DatasetFingerprint fingerprint) {
    DatasetRef ref = new DatasetRef(datasetName, fingerprint);
    if (datasets.containsKey(datasetName)) {
      throw new IllegalArgumentException("dataset name '" + datasetName + "' is already used");
    }
    datasets.put(datasetName, ref);
    return this;
  }

  /**
   * Sets a hyper-parameter to a plain value: a {@link String}, {@link Boolean}, {@link Long} (or
   * {@link Integer}), {@link Double} (or {@link Float}), or a {@link List} or {@link Map Map&lt;String, ?&gt;}
   * nesting those. The value is copied; whole numbers must lie within &plusmn;(2<sup>53</sup>&minus;1)
   * and doubles be finite.
   *
   * @param key the parameter name
   * @param value the value
   * @return this builder
   * @throws IllegalArgumentException naming the parameter when the value is null, of another type, or
   *     out of range
   */
  public ModelManifestBuilder hyperParameter(String key, Object value) {
    ManifestPreconditions.nonEmpty(key, "hyper-parameter name");
    hyperParameters.put(key, HyperParameterValues.copyOf(value, "hyper-parameter '" + key + "'", formatVersion));
    return this;
  }

  /**
   * Sets a text hyper-parameter.
   *
   * @param key the parameter name
   * @param value the value
   * @return this builder
   */
  public ModelManifestBuilder hyperParameter(String key, String value) {
    return hyperParameter(key, (Object) Objects.requireNonNull(value, key));
  }

  /**
   * Sets a whole-number hyper-parameter.
   *
   * @param key the parameter name
   * @param value the value, within &plusmn;(2<sup>53</sup>&minus;1)
   * @return this builder
   */
  public ModelManifestBuilder hyperParameter(String key, long value) {
    return hyperParameter(key, (Object) value);
  }

  /**
   * Sets a numeric hyper-parameter.
   *
   * @param key the parameter name
   * @param value the value, finite
   * @return this builder
   */
  public ModelManifestBuilder hyperParameter(String key, double value) {
    return hyperParameter(key, (Object) value);
  }

  /**
   * Sets a boolean hyper-parameter.
   *
   * @param key the parameter name
   * @param value the value
   * @return this builder
   */
  public ModelManifestBuilder hyperParameter(String key, boolean value) {
    return hyperParameter(key, (Object) value);
  }

  /**
   * Sets several hyper-parameters, each as {@link #hyperParameter(String, Object)} does.
   *
   * @param values plain values by name
   * @return this builder
   */
  public ModelManifestBuilder hyperParameters(Map<String, ?> values) {
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
  public ModelManifestBuilder seed(String key, long value) {
    seeds.put(ManifestPreconditions.nonEmpty(key, "seed name"), value);
    return this;
  }

  /**
   * Sets the code version (default: {@link CodeVersion#unknown()}).
   *
   * @param value e.g. {@code CodeVersion.detect(Path.of(".")).orElse(CodeVersion.unknown())}
   * @return this builder
   */
  public ModelManifestBuilder codeVersion(CodeVersion value) {
    this.codeVersion = Objects.requireNonNull(value, "codeVersion");
    return this;
  }

  /**
   * Sets the environment (default: {@link EnvironmentInfo#capture()} at {@link #build()}).
   *
   * @param value the environment
   * @return this builder
   */
  public ModelManifestBuilder environment(EnvironmentInfo value) {
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
  public ModelManifestBuilder metric(String key, double value) {
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
  public ModelManifestBuilder parent(String parentName, String parentVersion) {
    this.parent = new ParentModel(parentName, parentVersion);
    return this;
  }

  /**
   * Sets or clears the model this one was derived from.
   *
   * @param value the parent, or null for none
   * @return this builder
   */
  public ModelManifestBuilder parent(@Nullable ParentModel value) {
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
  public ModelManifestBuilder tag(String key, String value) {
    tags.put(ManifestPreconditions.nonEmpty(key, "tag name"), Objects.requireNonNull(value, "value of tag '" + key + "'"));
    return this;
  }

  /**
   * Embeds a provenance document (for example Tribuo's, converted to JSON), or clears it.
   *
   * @param json a JSON document (finite numbers, whole numbers within &plusmn;(2<sup>53</sup>&minus;1)
   *     unless already in canonical form), or null for none
   * @return this builder
   * @throws IllegalArgumentException when the text is not one JSON document or holds a value canonical
   *     JSON refuses
   */
  public ModelManifestBuilder provenance(@Nullable String json) {
    if (json == null) {
      this.provenance = null;
      return this;
    }
    JsonNode tree;
    try {
      tree = Json.parse(json, "provenance");
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("provenance is not one JSON document (" + e.getMessage()
          + "); pass JSON text such as the output of a JSON writer", e);
    }
    this.provenance = ManifestCanonicalForm.normalize(tree, "provenance", formatVersion);
    return this;
  }

  /** Builds manifests of an older format version (tests of stored golden files). */
  ModelManifestBuilder formatVersion(int value) {
    this.formatVersion = value;
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
    return ModelManifest.of(formatVersion, name, version, format,
        createdAt != null ? createdAt : clock.instant(),
        List.copyOf(artifacts.values()), modelSignature, List.copyOf(datasets.values()),
        hyperParameters, seeds, codeVersion, environment != null ? environment : EnvironmentInfo.capture(),
        metrics, parent, tags, provenance);
  }
}
