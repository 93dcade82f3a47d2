package dev.mlops.serving;

import java.util.List;
import java.util.Objects;

/**
 * How a model's outputs decode into {@link Prediction}s.
 *
 * @param kind classification, regression or raw
 * @param output the output tensor read for classification and regression ({@code ""} for raw)
 * @param labels the class labels in score order (classification only)
 */
record OutputSpec(Prediction.Kind kind, String output, List<String> labels) {
  OutputSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(output, "output");
    labels = List.copyOf(labels);
    if (kind == Prediction.Kind.CLASSIFICATION && labels.isEmpty()) {
      throw new IllegalArgumentException("A classification output needs its labels in score order");
    }
  }

  static OutputSpec classification(String output, List<String> labels) {
    return new OutputSpec(Prediction.Kind.CLASSIFICATION, output, labels);
  }

  static OutputSpec regression(String output) {
    return new OutputSpec(Prediction.Kind.REGRESSION, output, List.of());
  }

  static OutputSpec raw() {
    return new OutputSpec(Prediction.Kind.RAW, "", List.of());
  }
}
