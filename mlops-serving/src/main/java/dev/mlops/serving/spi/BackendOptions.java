package dev.mlops.serving.spi;

/**
 * Settings of one backend, passed through {@code PredictorBuilder.backendOptions(...)} without serving
 * knowing their type (e.g. {@code OnnxOptions} in {@code mlops-serving-onnx}). A backend reads the
 * options of its own type with {@link LoadContext#options(Class)} and ignores the others, so one
 * builder can carry settings for every backend it may meet. Implementations are immutable values.
 */
public interface BackendOptions {}
