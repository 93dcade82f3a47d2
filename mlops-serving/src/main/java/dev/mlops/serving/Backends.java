package dev.mlops.serving;

import dev.mlops.core.ModelLoadException;
import dev.mlops.serving.spi.ModelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the one {@link ModelBackend} on the class path (or module path) that serves a format. */
final class Backends {
  /** The project's own backends, named in the error when none serves a format. */
  private static final Map<String, String> KNOWN = Map.of(
      ModelFormats.ONNX, "dev.mlops:mlops-serving-onnx",
      ModelFormats.TRIBUO_PROTOBUF, "dev.mlops:mlops-serving-tribuo",
      ModelFormats.TRIBUO_JAVA, "dev.mlops:mlops-serving-tribuo");

  private Backends() {}

  /**
   * The backend serving {@code format}.
   *
   * @param format the manifest's format
   * @param source the model, for messages
   * @return the backend
   * @throws ModelLoadException when none or more than one serves it, naming the format and what
   *     provides backends
   */
  static ModelBackend forFormat(String format, String source) {
    List<ModelBackend> all = new ArrayList<>();
    try {
      ServiceLoader.load(ModelBackend.class, Backends.class.getClassLoader()).forEach(all::add);
    } catch (ServiceConfigurationError e) {
      throw new ModelLoadException("A model backend on the class path failed to load (" + e.getMessage()
          + "); fix or remove the jar that provides it", e);
    }
    List<ModelBackend> matching = all.stream().filter(b -> b.formats().contains(format)).toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.size() > 1) {
      throw new ModelLoadException("Model " + source + " has format '" + format + "', which "
          + matching.stream().map(ModelBackend::name).toList() + " all serve; keep one of them on the class path");
    }
    Map<String, String> available = new TreeMap<>();
    for (ModelBackend b : all) {
      b.formats().forEach(f -> available.put(f, b.name()));
    }
    String provider = KNOWN.get(format);
    throw new ModelLoadException("Model " + source + " has format '" + format + "', which no backend on the class"
        + " path serves (" + (available.isEmpty() ? "no backend found" : "backends found: " + available) + "); "
        + (provider != null ? "add the dependency " + provider
            : "add the artifact of a backend that serves it (dev.mlops:mlops-serving-onnx serves onnx,"
                + " dev.mlops:mlops-serving-tribuo serves tribuo-protobuf and tribuo-java)"));
  }
}
