/**
 * The ONNX Runtime backend of serving: {@link dev.mlops.serving.onnx.OnnxOptions} (threads, graph
 * optimization, device and {@link dev.mlops.serving.onnx.FallbackPolicy fallback}) for
 * {@code PredictorBuilder.backendOptions(...)}, and {@link dev.mlops.serving.onnx.OnnxBackend}, which
 * {@link java.util.ServiceLoader} finds for manifests of format {@code onnx}. Swap the
 * {@code onnxruntime} dependency for {@code onnxruntime_gpu} (the {@code -Pgpu} build) to run on CUDA.
 */
@NullMarked
package dev.mlops.serving.onnx;

import org.jspecify.annotations.NullMarked;
import dev.mlops.serving.PredictorBuilder;
