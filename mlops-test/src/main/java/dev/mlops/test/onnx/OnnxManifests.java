package dev.mlops.test.onnx;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.ServingTags;
import java.util.ArrayList;
import java.util.List;

/** Manifests for the models of {@link OnnxModels}, ready to publish to a repository in a test. */
public final class OnnxManifests {
  private OnnxManifests() {}

  /**
   * The manifest of {@link OnnxModels#softmaxClassifier} over named float64 columns: each column
   * one numeric feature, the output {@code probabilities} decoded as a classification over labels.
   *
   * @param numericColumns the input columns, in the model's feature order
   * @param labels the class labels, one per output score
   * @return the manifest builder (format, signature and serving tags set)
   */
  public static ModelManifestBuilder softmaxClassifier(List<String> numericColumns, List<String> labels) {
    List<Field> inputs = new ArrayList<>();
    List<FeatureEncoding> encoding = new ArrayList<>();
    for (String c : numericColumns) {
      inputs.add(Field.of(c, DataType.FLOAT64));
      encoding.add(FeatureEncoding.numeric(c));
    }
    ModelManifestBuilder m = ModelManifest.builder().format(ModelFormats.ONNX).modelSignature(ModelSignature.of(
        Schema.of(inputs), Schema.of(Field.of("probabilities", DataType.floatTensor(labels.size()), false,
            Role.PREDICTION)), encoding));
    ServingTags.classification("probabilities", labels).forEach(m::tag);
    return m;
  }
}
