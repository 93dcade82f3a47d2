package dev.mlops.serving.spi;

import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.serving.OutputSpec;
import dev.mlops.serving.repository.VerifiedModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ModelBackend} loads from: the verified model, how its outputs decode into predictions
 * (from the manifest's serving tags), and the backend options the caller set. Immutable.
 */
public final class LoadContext {
  private final VerifiedModel model;
  private final OutputSpec outputs;
  private final Map<Class<?>, BackendOptions> options;

  private LoadContext(VerifiedModel model, OutputSpec outputs, Map<Class<?>, BackendOptions> options) {
    this.model = model;
    this.outputs = outputs;
    this.options = options;
  }

  /**
   * A context for one load.
   *
   * @param model the verified model
   * @param outputs how its outputs decode
   * @param options the caller's backend options, at most one per type
   * @return the context
   * @throws IllegalArgumentException when two options have the same type
   */
  public static LoadContext of(VerifiedModel model, OutputSpec outputs, List<? extends BackendOptions> options) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(outputs, "outputs");
    Map<Class<?>, BackendOptions> byType = new LinkedHashMap<>();
    for (BackendOptions o : options) {
      Objects.requireNonNull(o, "options element");
      if (byType.put(o.getClass(), o) != null) {
        throw new IllegalArgumentException("Two backend options of type " + o.getClass().getName()
            + "; set each backend's options once");
      }
    }
    return new LoadContext(model, outputs, Map.copyOf(byType));
  }

  /**
   * The verified model: manifest and artifact bytes whose digests have been checked.
   *
   * @return the model
   */
  public VerifiedModel model() {
    return model;
  }

  /**
   * The model's manifest.
   *
   * @return the manifest
   */
  public ModelManifest manifest() {
    return model.manifest();
  }

  /**
   * The model as named in errors, e.g. {@code credit-risk/3}.
   *
   * @return the name
   */
  public String source() {
    return model.toString();
  }

  /**
   * How the model's outputs decode into predictions.
   *
   * @return the output decoding
   */
  public OutputSpec outputs() {
    return outputs;
  }

  /**
   * The caller's options of one backend type.
   *
   * @param type the backend's options type
   * @param <T> that type
   * @return the options, or empty when the caller set none (the backend uses its defaults)
   */
  public <T extends BackendOptions> Optional<T> options(Class<T> type) {
    return Optional.ofNullable(options.get(type)).map(type::cast);
  }

  @Override
  public String toString() {
    return "LoadContext{" + source() + ", " + outputs + ", options=" + options.values() + "}";
  }
}
