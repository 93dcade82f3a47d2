package dev.mlops.serving.spi;

import java.util.Set;

/**
 * A model runtime that turns a verified model of the formats it serves into a {@link ModelRunner}.
 *
 * <p>Backends are found with {@link java.util.ServiceLoader} by the manifest's {@code format}: an
 * artifact that provides one lists its class in
 * {@code META-INF/services/dev.mlops.serving.spi.ModelBackend} (and {@code provides} it in its
 * {@code module-info}). {@code mlops-serving-onnx} serves {@code onnx}, {@code mlops-serving-tribuo}
 * serves {@code tribuo-protobuf} and {@code tribuo-java}; a third party adds a format by shipping a
 * jar with its own backend, with no change to serving. Exactly one backend on the class path may
 * serve a format. Implementations are stateless and thread-safe, with a public no-argument
 * constructor.
 */
public interface ModelBackend {

  /**
   * The artifact formats it serves, as written in a manifest's {@code format} (e.g. {@code onnx}).
   *
   * @return one or more format names
   */
  Set<String> formats();

  /**
   * What provides it, for errors and logs, e.g. {@code "ONNX Runtime (dev.mlops:mlops-serving-onnx)"}.
   *
   * @return a short description
   */
  String name();

  /**
   * Parses the model's verified primary artifact, checks it against the manifest's signature and
   * returns a runner warmed up and ready to serve. Every byte it reads comes from
   * {@link LoadContext#model()}, whose digests have been checked.
   *
   * @param context the verified model, how its outputs decode, and the caller's backend options
   * @return the runner, owned by the caller, who closes it
   * @throws dev.mlops.core.ModelLoadException when the artifact does not parse or does not match its
   *     manifest, naming the model and version
   */
  ModelRunner load(LoadContext context);
}
