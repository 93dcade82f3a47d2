package dev.mlops.serving.onnx;

import dev.mlops.core.ModelLoadException;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.onnx.internal.OnnxRunner;
import dev.mlops.serving.spi.LoadContext;
import dev.mlops.serving.spi.ModelBackend;
import dev.mlops.serving.spi.ModelRunner;
import java.util.Set;

/**
 * The ONNX Runtime backend: serves manifests of format {@value ModelFormats#ONNX}, tabular models
 * through the manifest's feature encoding and tensor models through their input tensors, on the
 * device and with the fallback policy of {@link OnnxOptions} (CPU by default). Found with
 * {@link java.util.ServiceLoader}; applications do not call it.
 */
public final class OnnxBackend implements ModelBackend {

  /** For {@link java.util.ServiceLoader}. */
  public OnnxBackend() {}

  @Override
  public Set<String> formats() {
    return Set.of(ModelFormats.ONNX);
  }

  @Override
  public String name() {
    return "ONNX Runtime " + OnnxRunner.runtimeVersion() + " (dev.mlops:mlops-serving-onnx)";
  }

  @Override
  public ModelRunner load(LoadContext context) {
    ModelManifest m = context.manifest();
    ModelSignature sig = m.modelSignature();
    if (sig.inputs().size() == 0) {
      throw new ModelLoadException("Manifest of " + context.source() + " has no input schema; record the model"
          + " signature when publishing (ModelSignature.of(inputs, outputs[, encoding]))");
    }
    return new OnnxRunner(context.model().primaryArtifact(), context.source(), m.version(), sig.inputs(),
        sig.encoding(), context.outputs(), context.options(OnnxOptions.class).orElse(OnnxOptions.defaults()));
  }
}
