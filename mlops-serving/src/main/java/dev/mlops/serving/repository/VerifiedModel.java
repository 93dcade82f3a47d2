package dev.mlops.serving.repository;

import dev.mlops.core.manifest.Artifact;
import dev.mlops.core.manifest.ModelManifest;
import java.util.Map;

/**
 * A model version whose manifest and every artifact byte have been verified: the only thing the
 * backends accept. Only {@link ModelRepository} makes one, after reading each artifact into memory
 * and checking those very bytes against the manifest's SHA-256 and size (and the directory against
 * the manifest and its signature), so no unverified byte can reach a model parser and no file swapped
 * after the check can be parsed instead.
 */
public final class VerifiedModel {
  private final ModelManifest manifest;
  private final Map<String, byte[]> artifacts;

  VerifiedModel(ModelManifest manifest, Map<String, byte[]> artifacts) {
    this.manifest = manifest;
    this.artifacts = Map.copyOf(artifacts);
  }

  /**
   * The verified manifest.
   *
   * @return the manifest
   */
  public ModelManifest manifest() {
    return manifest;
  }

  /**
   * The model name.
   *
   * @return the name
   */
  public String name() {
    return manifest.name();
  }

  /**
   * The model version.
   *
   * @return the version
   */
  public String version() {
    return manifest.version();
  }

  /**
   * The artifact format, as the manifest names it (e.g. {@code onnx}; see {@code dev.mlops.serving.ModelFormats}).
   *
   * @return the format
   */
  public String format() {
    return manifest.format();
  }

  /**
   * A copy of one verified artifact.
   *
   * @param path the artifact's path in the manifest
   * @return its bytes
   * @throws IllegalArgumentException when the manifest lists no such artifact
   */
  public byte[] artifact(String path) {
    return bytes(path).clone();
  }

  private byte[] bytes(String path) {
    byte[] b = artifacts.get(path);
    if (b == null) {
      throw new IllegalArgumentException("Model " + this + " has no artifact '" + path + "'; its artifacts are "
          + artifacts.keySet());
    }
    return b;
  }

  /**
   * A copy of the primary artifact: the first one listed in the manifest, the model file by
   * convention, which a backend parses. A copy, so that no caller can change what was verified.
   *
   * @return its bytes
   */
  public byte[] primaryArtifact() {
    Artifact first = manifest.artifacts().get(0);
    return bytes(first.path()).clone();
  }

  @Override
  public String toString() {
    return manifest.name() + "/" + manifest.version();
  }
}
