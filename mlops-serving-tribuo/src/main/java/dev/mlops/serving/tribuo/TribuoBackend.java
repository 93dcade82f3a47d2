package dev.mlops.serving.tribuo;

import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.spi.LoadContext;
import dev.mlops.serving.spi.ModelBackend;
import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.serving.tribuo.internal.TribuoRunner;
import java.util.Set;

/**
 * The Tribuo backend: serves classifiers and regressors of format {@value ModelFormats#TRIBUO_PROTOBUF}
 * (Tribuo's protobuf form, preferred) and {@value ModelFormats#TRIBUO_JAVA} (Java serialization, read
 * only through an allow-list filter), fed by name through the manifest's feature encoding. Found with
 * {@link java.util.ServiceLoader}; applications do not call it.
 */
public final class TribuoBackend implements ModelBackend {

  /** For {@link java.util.ServiceLoader}. */
  public TribuoBackend() {}

  @Override
  public Set<String> formats() {
    return Set.of(ModelFormats.TRIBUO_PROTOBUF, ModelFormats.TRIBUO_JAVA);
  }

  @Override
  public String name() {
    return "Tribuo " + org.tribuo.Tribuo.VERSION + " (dev.mlops:mlops-serving-tribuo)";
  }

  @Override
  public ModelRunner load(LoadContext context) {
    ModelManifest m = context.manifest();
    return new TribuoRunner(TribuoRunner.parse(context.model().primaryArtifact(), m.format(), context.source()),
        context.source(), m.version(), m.modelSignature().inputs(), m.modelSignature().encoding());
  }
}
