/**
 * The Tribuo backend of serving: {@link dev.mlops.serving.tribuo.TribuoModels} (feature encoding,
 * labels, protobuf and ONNX export, provenance of a trained Tribuo model, for publishing) and
 * {@link dev.mlops.serving.tribuo.TribuoBackend}, which {@link java.util.ServiceLoader} finds for
 * manifests of format {@code tribuo-protobuf} or {@code tribuo-java}.
 */
@NullMarked
package dev.mlops.serving.tribuo;

import org.jspecify.annotations.NullMarked;
