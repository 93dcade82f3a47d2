package dev.mlops.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model output, typed by task: a class label with its scores, a regression value, or raw named
 * tensors for generic models. Immutable.
 *
 * <p>A predictor never serves a label chosen from scores that are not all finite: such a prediction
 * fails with {@link NonFiniteOutputException}, or, under {@link NonFinitePolicy#FLAG}, is served with
 * {@link #finite()} false and no label.
 */
public final class Prediction {

  /** What the model predicts. */
  public enum Kind {
    /** A label and a score per label. */
    CLASSIFICATION,
    /** One or more real values. */
    REGRESSION,
    /** Named output tensors, undecoded. */
    RAW
  }

  private final Kind kind;
  private final String modelVersion;
  private final @Nullable String label;
  private final Map<String, Double> scores;
  private final double[] values;
  private final Map<String, RawTensor> raw;
  private final List<String> contractIssues;
  private final boolean finite;

  private Prediction(Kind kind, String modelVersion, @Nullable String label, Map<String, Double> scores,
      double[] values, Map<String, RawTensor> raw) {
    this(kind, modelVersion, label, scores, values, raw, List.of());
  }

  private Prediction(Kind kind, String modelVersion, @Nullable String label, Map<String, Double> scores,
      double[] values, Map<String, RawTensor> raw, List<String> contractIssues) {
    this.kind = kind;
    this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    this.label = label;
    this.scores = scores;
    this.values = values;
    this.raw = raw;
    this.contractIssues = contractIssues;
    this.finite = switch (kind) {
      case CLASSIFICATION -> scores instanceof ScoreMap m ? m.allFinite()
          : scores.values().stream().allMatch(v -> v != null && Double.isFinite(v));
      case REGRESSION -> allFinite(values);
      case RAW -> true;
    };
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * This prediction flagged with the data-contract problems of its input.
   *
   * @param issues one message per failed rule
   * @return a copy carrying the issues
   */
  Prediction withContractIssues(List<String> issues) {
    return new Prediction(kind, modelVersion, label, scores, values, raw, List.copyOf(issues));
  }

  /**
   * The problems its input had with the model's data contract, when the predictor flags rather than
   * rejects ({@code OnlinePolicy.FLAG}).
   *
   * @return one message per failed rule; empty when the input passed or was not checked
   */
  public List<String> contractIssues() {
    return contractIssues;
  }

  /**
   * A classification.
   *
   * @param modelVersion the version that produced it
   * @param label the predicted label
   * @param scores a score per label, in the model's label order
   * @return the prediction
   */
  public static Prediction classification(String modelVersion, String label, Map<String, Double> scores) {
    return new Prediction(Kind.CLASSIFICATION, modelVersion, Objects.requireNonNull(label, "label"),
        Collections.unmodifiableMap(new LinkedHashMap<>(scores)), new double[0], Map.of());
  }

  /**
   * A classification that takes ownership of an immutable score map (no copy); the label is null when
   * the scores are not all finite, since no arg-max over them means anything.
   */
  static Prediction classificationOwning(String modelVersion, @Nullable String label, Map<String, Double> scores) {
    return new Prediction(Kind.CLASSIFICATION, modelVersion, label, scores, NO_VALUES, Map.of());
  }

  /**
   * This prediction without its label: what {@link NonFinitePolicy#FLAG} serves for a classification
   * whose scores are not all finite.
   *
   * @return a copy with no label
   */
  Prediction withoutLabel() {
    return label == null ? this : new Prediction(kind, modelVersion, null, scores, values, raw, contractIssues);
  }

  /**
   * Whether every score (classification) or value (regression) is finite. Raw tensors are returned as
   * the model made them and always count as finite. A prediction that is not finite is only ever
   * served under {@link NonFinitePolicy#FLAG}, and then a classification has no label.
   *
   * @return true when the model's scores or values are all finite
   */
  public boolean finite() {
    return finite;
  }

  private static final double[] NO_VALUES = new double[0];

  /**
   * A regression.
   *
   * @param modelVersion the version that produced it
   * @param values the predicted values (one for a single target)
   * @return the prediction
   */
  public static Prediction regression(String modelVersion, double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("A regression prediction needs at least one value");
    }
    return new Prediction(Kind.REGRESSION, modelVersion, null, Map.of(), values.clone(), Map.of());
  }

  /**
   * Raw tensors.
   *
   * @param modelVersion the version that produced it
   * @param tensors the output tensors in model order
   * @return the prediction
   */
  public static Prediction raw(String modelVersion, List<RawTensor> tensors) {
    Map<String, RawTensor> m = new LinkedHashMap<>();
    for (RawTensor t : tensors) {
      m.put(t.name(), t);
    }
    return new Prediction(Kind.RAW, modelVersion, null, Map.of(), new double[0], Collections.unmodifiableMap(m));
  }

  /**
   * The kind.
   *
   * @return classification, regression or raw
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The model version that produced this prediction.
   *
   * @return the version
   */
  public String modelVersion() {
    return modelVersion;
  }

  /**
   * The predicted label.
   *
   * @return the label
   * @throws IllegalStateException when this is not a classification, or one served without a label
   *     because its scores were not finite ({@link #finite()})
   */
  public String label() {
    if (label == null) {
      if (kind == Kind.CLASSIFICATION) {
        throw new IllegalStateException("This classification has no label: its scores " + scores + " are not all"
            + " finite (served under NonFinitePolicy.FLAG); check finite() first");
      }
      throw new IllegalStateException("This is a " + kind + " prediction, not a classification; check kind() first");
    }
    return label;
  }

  /**
   * Scores by label, in the model's label order (probabilities for probabilistic models).
   *
   * @return an unmodifiable map, empty unless a classification
   */
  public Map<String, Double> scores() {
    return scores;
  }

  /**
   * The first regression value.
   *
   * @return the value
   * @throws IllegalStateException when this is not a regression
   */
  public double value() {
    if (kind != Kind.REGRESSION) {
      throw new IllegalStateException("This is a " + kind + " prediction, not a regression; check kind() first");
    }
    return values[0];
  }

  /**
   * All regression values.
   *
   * @return a copy, empty unless a regression
   */
  public double[] values() {
    return values.clone();
  }

  /**
   * The raw output tensors by name.
   *
   * @return an unmodifiable map, empty unless raw
   */
  public Map<String, RawTensor> raw() {
    return raw;
  }

  /**
   * This prediction as a row of an output schema, for monitors and logs. Each field is filled by name:
   * {@code label} (string) with the label, {@code value} (numeric) with the first regression value, a
   * field named like a class label with its score, a field named like a raw output tensor (a float
   * tensor of the same size) with its values; other fields are null.
   *
   * @param outputSchema the schema of the row
   * @return the row
   * @throws dev.mlops.core.SchemaMismatchException when a filled field cannot hold its value, or a
   *     non-nullable field has nothing to fill it
   */
  public dev.mlops.core.Row toRow(dev.mlops.core.Schema outputSchema) {
    @Nullable Object[] cells = new Object[outputSchema.size()];
    for (int i = 0; i < cells.length; i++) {
      dev.mlops.core.Field f = outputSchema.field(i);
      String n = f.name();
      if (n.equals("label") && label != null) {
        cells[i] = label;
      } else if (n.equals("value") && kind == Kind.REGRESSION) {
        cells[i] = values[0];
      } else if (scores.containsKey(n)) {
        cells[i] = scores.get(n);
      } else if (raw.containsKey(n)) {
        double[] v = raw.get(n).values();
        float[] fl = new float[v.length];
        for (int k = 0; k < v.length; k++) {
          fl[k] = (float) v[k];
        }
        cells[i] = fl;
      }
    }
    return dev.mlops.core.Row.of(outputSchema, cells);
  }

  /**
   * Whether two predictions agree: same label for classifications, every value within
   * {@code tolerance} for regressions and raw tensors. A prediction that is not {@link #finite()}
   * agrees with nothing: a model that could not answer does not agree with one that did, nor with
   * another that could not.
   *
   * @param other the other prediction
   * @param tolerance absolute tolerance for numbers
   * @return true when they agree
   */
  public boolean agreesWith(Prediction other, double tolerance) {
    if (kind != other.kind || !finite || !other.finite) {
      return false;
    }
    return switch (kind) {
      case CLASSIFICATION -> Objects.equals(label, other.label);
      case REGRESSION -> close(values, other.values, tolerance);
      case RAW -> raw.keySet().equals(other.raw.keySet())
          && raw.entrySet().stream().allMatch(e -> close(e.getValue().values(),
              other.raw.get(e.getKey()).values(), tolerance));
    };
  }

  private static boolean close(double[] a, double[] b, double tol) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= tol) && !(Double.isNaN(a[i]) && Double.isNaN(b[i])) && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case CLASSIFICATION -> "Prediction{" + (label == null ? "(no label)" : label) + " " + scores + " v"
          + modelVersion + "}";
      case REGRESSION -> "Prediction{" + java.util.Arrays.toString(values) + " v" + modelVersion + "}";
      case RAW -> "Prediction{" + raw.values() + " v" + modelVersion + "}";
    };
  }
}
