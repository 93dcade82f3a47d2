package dev.mlops.core.manifest;

import dev.mlops.core.DatasetFingerprint;
import java.util.Objects;

/**
 * A named dataset a model was trained or evaluated on ({@code train}, {@code test}, ...) and its
 * {@link DatasetFingerprint fingerprint}.
 *
 * @param name what the data was used for, unique within a manifest
 * @param fingerprint schema hash, row count and content digest of the data
 */
public record DatasetRef(String name, DatasetFingerprint fingerprint) {

  /**
   * Validates the components.
   *
   * @param name the role of the data, non-empty
   * @param fingerprint the fingerprint
   * @throws IllegalArgumentException naming the bad value
   */
  public DatasetRef {
    ManifestPreconditions.nonEmpty(name, "dataset name");
    Objects.requireNonNull(fingerprint, "fingerprint of dataset '" + name + "'");
  }

  /**
   * A named fingerprint.
   *
   * @param name the role of the data
   * @param fingerprint the fingerprint
   * @return the reference
   */
  public static DatasetRef of(String name, DatasetFingerprint fingerprint) {
    return new DatasetRef(name, fingerprint);
  }
}
