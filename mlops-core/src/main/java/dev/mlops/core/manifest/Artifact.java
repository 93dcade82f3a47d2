package dev.mlops.core.manifest;

import java.util.Objects;

/**
 * One file of a model, as recorded in its manifest.
 *
 * <p>The path is relative to the model directory and uses {@code /} as separator. The record only
 * checks that it is non-empty: whether it stays inside the directory is checked by the
 * {@link ModelManifestBuilder builder} when a manifest is made and by the {@link ManifestVerifier}
 * when one is read, so that a hostile manifest is reported, not silently followed.
 *
 * @param path relative path with {@code /} separators, e.g. {@code model.onnx} or {@code vocab/words.txt}
 * @param sha256 SHA-256 of the file's bytes, 64 lower-case hex characters
 * @param size size of the file in bytes, non-negative
 */
public record Artifact(String path, String sha256, long size) {

  /**
   * Validates the components.
   *
   * @param path relative path
   * @param sha256 SHA-256 hex
   * @param size size in bytes
   * @throws IllegalArgumentException naming the bad value
   */
  public Artifact {
    Objects.requireNonNull(path, "path");
    ManifestPreconditions.nonEmpty(path, "artifact path");
    ManifestPreconditions.sha256(sha256, "sha256 of artifact '" + path + "'");
    if (size < 0) {
      throw new IllegalArgumentException("size of artifact '" + path + "' must be >= 0, got " + size);
    }
  }

  /**
   * An artifact entry.
   *
   * @param path relative path with {@code /} separators
   * @param sha256 SHA-256 hex
   * @param size size in bytes
   * @return the entry
   */
  public static Artifact of(String path, String sha256, long size) {
    return new Artifact(path, sha256, size);
  }
}
