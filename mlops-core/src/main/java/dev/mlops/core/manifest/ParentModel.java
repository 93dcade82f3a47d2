package dev.mlops.core.manifest;

/**
 * The model a model was derived from (fine-tuned, retrained, distilled): its lineage.
 *
 * @param name the parent model's name
 * @param version the parent model's version
 */
public record ParentModel(String name, String version) {

  /**
   * Validates the components.
   *
   * @param name the parent's name
   * @param version the parent's version
   * @throws IllegalArgumentException naming the bad value
   */
  public ParentModel {
    ManifestPreconditions.token(name, "parent model name");
    ManifestPreconditions.token(version, "parent model version");
  }

  /**
   * A parent reference.
   *
   * @param name the parent's name
   * @param version the parent's version
   * @return the reference
   */
  public static ParentModel of(String name, String version) {
    return new ParentModel(name, version);
  }

  /**
   * The {@code name/version} form.
   *
   * @return e.g. {@code credit-risk/3}
   */
  @Override
  public String toString() {
    return name + "/" + version;
  }
}
