package dev.mlops.serving;

import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.validation.RowResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a model's outputs decode into {@link Prediction}s, read from its manifest's {@link ServingTags}:
 * the task, the output tensor, and for a classifier its labels in score order. Backends build their
 * predictions with it, so every backend decodes the same way: a classification's label is never
 * chosen from scores that are not all finite. Immutable and thread-safe.
 */
public final class OutputSpec {
  private final Prediction.Kind kind;
  private final String output;
  private final List<String> labels;
  private final Map<String, Integer> labelIndex;

  private OutputSpec(Prediction.Kind kind, String output, List<String> labels) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.output = Objects.requireNonNull(output, "output");
    this.labels = List.copyOf(labels);
    if (kind == Prediction.Kind.CLASSIFICATION && this.labels.isEmpty()) {
      throw new IllegalArgumentException("A classification output needs its labels in score order");
    }
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < this.labels.size(); i++) {
      if (idx.put(this.labels.get(i), i) != null) {
        throw new IllegalArgumentException("Label '" + this.labels.get(i) + "' appears twice in " + this.labels
            + "; give each class one label");
      }
    }
    this.labelIndex = Map.copyOf(idx);
  }

  /**
   * A classifier whose output tensor holds one score per label.
   *
   * @param output the output tensor
   * @param labels the labels in score order, distinct
   * @return the spec
   */
  public static OutputSpec classification(String output, List<String> labels) {
    return new OutputSpec(Prediction.Kind.CLASSIFICATION, output, labels);
  }

  /**
   * A regressor.
   *
   * @param output the output tensor ({@code [batch]} or {@code [batch, targets]})
   * @return the spec
   */
  public static OutputSpec regression(String output) {
    return new OutputSpec(Prediction.Kind.REGRESSION, output, List.of());
  }

  /**
   * A generic model whose outputs are served as raw tensors.
   *
   * @return the spec
   */
  public static OutputSpec raw() {
    return new OutputSpec(Prediction.Kind.RAW, "", List.of());
  }

  /**
   * The decoding a manifest's serving tags record.
   *
   * @param manifest the model's manifest
   * @return the spec ({@link #raw()} when it has no task tag)
   * @throws dev.mlops.core.DataFormatException when a tag is missing or malformed, naming the model
   */
  public static OutputSpec of(ModelManifest manifest) {
    return ServingTags.outputSpec(manifest);
  }

  /**
   * Classification, regression or raw.
   *
   * @return the kind
   */
  public Prediction.Kind kind() {
    return kind;
  }

  /**
   * The output tensor read for classification and regression.
   *
   * @return its name ({@code ""} for raw)
   */
  public String output() {
    return output;
  }

  /**
   * The class labels in score order.
   *
   * @return the labels (empty unless a classification)
   */
  public List<String> labels() {
    return labels;
  }

  /**
   * A classification from one row's scores, labelled with the arg-max (the first of equal scores),
   * or with no label when the scores are not all finite.
   *
   * @param modelVersion the version that produced it
   * @param scores one score per label, in label order; owned by the prediction from now on (not copied)
   * @return a {@link Prediction.Classification}
   * @throws IllegalArgumentException when there are not as many scores as labels
   */
  public Prediction classify(String modelVersion, double[] scores) {
    int best = 0;
    boolean finite = true;
    for (int k = 0; k < scores.length; k++) {
      finite &= Double.isFinite(scores[k]);
      best = scores[k] > scores[best] ? k : best;
    }
    return classify(modelVersion, finite && scores.length > 0 ? labels.get(best) : null, scores);
  }

  /**
   * A classification from one row's scores with the label the model chose, dropped when the scores
   * are not all finite.
   *
   * @param modelVersion the version that produced it
   * @param label the model's label, one of {@link #labels()}, or null
   * @param scores one score per label, in label order; owned by the prediction from now on (not copied)
   * @return a {@link Prediction.Classification}
   * @throws IllegalArgumentException when there are not as many scores as labels, or the label is unknown
   */
  public Prediction classify(String modelVersion, @Nullable String label, double[] scores) {
    if (kind != Prediction.Kind.CLASSIFICATION) {
      throw new IllegalStateException("A " + kind + " output does not decode into classifications");
    }
    if (scores.length != labels.size()) {
      throw new IllegalArgumentException("Model version " + modelVersion + " gave " + scores.length
          + " scores for " + labels.size() + " labels " + labels + "; the serving.labels tag must list one label"
          + " per score");
    }
    if (label != null && !labelIndex.containsKey(label)) {
      throw new IllegalArgumentException("Label '" + label + "' is not one of " + labels);
    }
    // A ScoreMap is immutable and not copied; the record drops the label when the scores are not all finite.
    return new Prediction.Classification(modelVersion, Optional.ofNullable(label),
        new ScoreMap(labels, labelIndex, scores), RowResult.PASS);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof OutputSpec s && s.kind == kind && s.output.equals(output) && s.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, output, labels);
  }

  @Override
  public String toString() {
    return "OutputSpec[kind=" + kind + ", output=" + output + ", labels=" + labels + "]";
  }
}
