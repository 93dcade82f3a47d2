package dev.mlops.serving;

import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.RowResult;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One model output, typed by task: a {@link Classification} (a label with its scores), a
 * {@link Regression} (real values) or {@link Raw} named tensors for generic models. Immutable.
 *
 * <p>Callers that know their model's task narrow with {@link #asClassification()},
 * {@link #asRegression()} or {@link #asRaw()}; others switch on {@link #kind()} or test the type
 * ({@code if (p instanceof Prediction.Classification c)}).
 *
 * <p>A predictor never serves a label chosen from scores that are not all finite: such a prediction
 * fails with {@link NonFiniteOutputException}, or, under {@link NonFinitePolicy#FLAG}, is served with
 * {@link #finite()} false and no label. The invariant is the type's: a {@link Classification} whose
 * scores are not all finite has no label, however it was built.
 */
public sealed interface Prediction permits Prediction.Classification, Prediction.Regression, Prediction.Raw {

  /** What the model predicts. */
  enum Kind {
    /** A label and a score per label. */
    CLASSIFICATION,
    /** One or more real values. */
    REGRESSION,
    /** Named output tensors, undecoded. */
    RAW
  }

  /**
   * A classification with a label.
   *
   * @param modelVersion the version that produced it
   * @param label the predicted label
   * @param scores a score per label, in the model's label order (copied)
   * @return a {@link Classification}; without its label when the scores are not all finite
   */
  static Prediction classification(String modelVersion, String label, Map<String, Double> scores) {
    return new Classification(modelVersion, Optional.of(Objects.requireNonNull(label, "label")), scores,
        RowResult.PASS);
  }

  /**
   * A regression.
   *
   * @param modelVersion the version that produced it
   * @param values the predicted values (one for a single target; copied)
   * @return a {@link Regression}
   * @throws IllegalArgumentException when there is no value
   */
  static Prediction regression(String modelVersion, double... values) {
    return new Regression(modelVersion, values, RowResult.PASS);
  }

  /**
   * Raw tensors.
   *
   * @param modelVersion the version that produced it
   * @param tensors the output tensors in model order, with distinct names
   * @return a {@link Raw} prediction
   * @throws IllegalArgumentException when two tensors have the same name
   */
  static Prediction raw(String modelVersion, List<RawTensor> tensors) {
    Map<String, RawTensor> m = new LinkedHashMap<>();
    for (RawTensor t : tensors) {
      if (m.put(t.name(), t) != null) {
        throw new IllegalArgumentException("Two output tensors are named '" + t.name() + "'; give each its own name");
      }
    }
    return new Raw(modelVersion, m, RowResult.PASS);
  }

  /**
   * The kind, for callers that switch over it.
   *
   * @return classification, regression or raw
   */
  Kind kind();

  /**
   * The model version that produced this prediction.
   *
   * @return the version
   */
  String modelVersion();

  /**
   * Whether every score (classification) or value (regression) is finite. Raw tensors are returned as
   * the model made them and always count as finite. A prediction that is not finite is only ever
   * served under {@link NonFinitePolicy#FLAG}, and then a classification has no label.
   *
   * @return true when the model's scores or values are all finite
   */
  boolean finite();

  /**
   * What the data contract said about the input, when the predictor flags rather than rejects
   * ({@code OnlinePolicy.FLAG}), or about the WARN rules a single row broke under
   * {@code OnlinePolicy.REJECT}: the failed rules ({@link RowResult#violations()}, each with its
   * constraint's id, columns and severity) and the schema drift ({@link RowResult#schemaIssues()}).
   *
   * @return the row's result; {@link RowResult#PASS} when the input passed or was not checked
   */
  RowResult contractResult();

  /**
   * This prediction as a row of an output schema, for monitors and logs. Each field is filled by name:
   * {@code label} (string) with a classification's label, {@code value} (numeric) with the first
   * regression value, a field named like a class label with its score, a field named like a raw output
   * tensor (a float tensor of the same size) with its values; other fields are null.
   *
   * @param outputSchema the schema of the row
   * @return the row
   * @throws dev.mlops.core.SchemaMismatchException when a filled field cannot hold its value, or a
   *     non-nullable field has nothing to fill it
   */
  Row toRow(Schema outputSchema);

  /**
   * Whether two predictions agree: same kind, and the same label for classifications, every value
   * within {@code tolerance} for regressions and raw tensors. A prediction that is not
   * {@link #finite()} agrees with nothing: a model that could not answer does not agree with one that
   * did, nor with another that could not.
   *
   * @param other the other prediction
   * @param tolerance absolute tolerance for numbers
   * @return true when they agree
   */
  boolean agreesWith(Prediction other, double tolerance);

  /**
   * This prediction as a classification.
   *
   * @return this
   * @throws IllegalStateException when it is another kind
   */
  default Classification asClassification() {
    if (this instanceof Classification c) {
      return c;
    }
    throw notA(Kind.CLASSIFICATION);
  }

  /**
   * This prediction as a regression.
   *
   * @return this
   * @throws IllegalStateException when it is another kind
   */
  default Regression asRegression() {
    if (this instanceof Regression r) {
      return r;
    }
    throw notA(Kind.REGRESSION);
  }

  /**
   * This prediction as raw tensors.
   *
   * @return this
   * @throws IllegalStateException when it is another kind
   */
  default Raw asRaw() {
    if (this instanceof Raw r) {
      return r;
    }
    throw notA(Kind.RAW);
  }

  private IllegalStateException notA(Kind wanted) {
    return new IllegalStateException("This is a " + kind() + " prediction, not a " + switch (wanted) {
      case CLASSIFICATION -> "classification";
      case REGRESSION -> "regression";
      case RAW -> "raw one";
    } + "; check kind() first");
  }

  /**
   * A class label with a score per label.
   *
   * @param modelVersion the version that produced it
   * @param label the predicted label; empty when the scores are not all finite (dropped on
   *     construction: no arg-max over them means anything) or when the model gave none
   * @param scores a score per label, in the model's label order (probabilities for probabilistic
   *     models); unmodifiable
   * @param contractResult the input's data-contract result ({@link Prediction#contractResult()})
   */
  record Classification(String modelVersion, Optional<String> label, Map<String, Double> scores,
      RowResult contractResult) implements Prediction {

    /**
     * Copies the scores (unless they are already the immutable map a {@link OutputSpec} decodes) and
     * drops the label when they are not all finite.
     *
     * @param modelVersion the version that produced it
     * @param label the predicted label, or empty
     * @param scores a score per label, in label order
     * @param contractResult the input's data-contract result
     */
    public Classification {
      Objects.requireNonNull(modelVersion, "modelVersion");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(contractResult, "contractResult");
      scores = scores instanceof ScoreMap ? scores : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
      label = allFinite(scores) ? label : Optional.empty();
    }

    /**
     * The label, for callers that served only finite predictions.
     *
     * @return the label
     * @throws IllegalStateException when it has none: its scores were not finite (served under
     *     {@link NonFinitePolicy#FLAG}) or the model gave none
     */
    public String requireLabel() {
      return label.orElseThrow(() -> new IllegalStateException("This classification has no label: " + (finite()
          ? "the model gave none" : "its scores " + scores + " are not all finite (served under NonFinitePolicy.FLAG)")
          + "; check finite() first"));
    }

    @Override
    public Kind kind() {
      return Kind.CLASSIFICATION;
    }

    @Override
    public boolean finite() {
      return allFinite(scores);
    }

    @Override
    public Row toRow(Schema outputSchema) {
      return row(outputSchema, n -> n.equals("label") && label.isPresent() ? label.get() : scores.get(n));
    }

    @Override
    public boolean agreesWith(Prediction other, double tolerance) {
      return other instanceof Classification c && finite() && c.finite() && label.equals(c.label);
    }

    @Override
    public String toString() {
      return "Classification[" + label.orElse("(no label)") + " " + scores + " v" + modelVersion + flags(contractResult)
          + "]";
    }
  }

  /**
   * One or more real values.
   *
   * @param modelVersion the version that produced it
   * @param values the predicted values, at least one (one for a single target)
   * @param contractResult the input's data-contract result ({@link Prediction#contractResult()})
   */
  record Regression(String modelVersion, double[] values, RowResult contractResult) implements Prediction {

    /**
     * Copies the values.
     *
     * @param modelVersion the version that produced it
     * @param values the predicted values
     * @param contractResult the input's data-contract result
     * @throws IllegalArgumentException when there is no value
     */
    public Regression {
      Objects.requireNonNull(modelVersion, "modelVersion");
      Objects.requireNonNull(contractResult, "contractResult");
      if (values.length == 0) {
        throw new IllegalArgumentException("A regression prediction needs at least one value");
      }
      values = values.clone();
    }

    /**
     * All values.
     *
     * @return a copy
     */
    @Override
    public double[] values() {
      return values.clone();
    }

    /**
     * The first value: the prediction of a single-target regressor.
     *
     * @return the value
     */
    public double value() {
      return values[0];
    }

    @Override
    public Kind kind() {
      return Kind.REGRESSION;
    }

    @Override
    public boolean finite() {
      for (double v : values) {
        if (!Double.isFinite(v)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Row toRow(Schema outputSchema) {
      return row(outputSchema, n -> n.equals("value") ? values[0] : null);
    }

    @Override
    public boolean agreesWith(Prediction other, double tolerance) {
      return other instanceof Regression r && finite() && r.finite() && close(values, r.values, tolerance);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Regression r && modelVersion.equals(r.modelVersion) && Arrays.equals(values, r.values)
          && contractResult.equals(r.contractResult);
    }

    @Override
    public int hashCode() {
      return Objects.hash(modelVersion, Arrays.hashCode(values), contractResult);
    }

    @Override
    public String toString() {
      return "Regression[" + Arrays.toString(values) + " v" + modelVersion + flags(contractResult) + "]";
    }
  }

  /**
   * Named output tensors, undecoded.
   *
   * @param modelVersion the version that produced it
   * @param tensors the output tensors by name, in model order; unmodifiable
   * @param contractResult the input's data-contract result ({@link Prediction#contractResult()})
   */
  record Raw(String modelVersion, Map<String, RawTensor> tensors, RowResult contractResult) implements Prediction {

    /**
     * Copies the tensors.
     *
     * @param modelVersion the version that produced it
     * @param tensors the output tensors, each under its own name
     * @param contractResult the input's data-contract result
     * @throws IllegalArgumentException when a tensor is not under its own name
     */
    public Raw {
      Objects.requireNonNull(modelVersion, "modelVersion");
      Objects.requireNonNull(contractResult, "contractResult");
      tensors.forEach((name, t) -> {
        if (!name.equals(t.name())) {
          throw new IllegalArgumentException("Tensor '" + t.name() + "' is under the name '" + name
              + "'; key each tensor by its own name");
        }
      });
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    @Override
    public Kind kind() {
      return Kind.RAW;
    }

    @Override
    public boolean finite() {
      return true;
    }

    @Override
    public Row toRow(Schema outputSchema) {
      return row(outputSchema, n -> {
        RawTensor t = tensors.get(n);
        if (t == null) {
          return null;
        }
        double[] v = t.values();
        float[] fl = new float[v.length];
        for (int k = 0; k < v.length; k++) {
          fl[k] = (float) v[k];
        }
        return fl;
      });
    }

    @Override
    public boolean agreesWith(Prediction other, double tolerance) {
      return other instanceof Raw r && tensors.keySet().equals(r.tensors.keySet())
          && tensors.entrySet().stream().allMatch(e -> close(e.getValue().values(),
              r.tensors.get(e.getKey()).values(), tolerance));
    }

    @Override
    public String toString() {
      return "Raw[" + tensors.values() + " v" + modelVersion + flags(contractResult) + "]";
    }
  }

  private static boolean allFinite(Map<String, Double> scores) {
    if (scores instanceof ScoreMap m) {
      return m.allFinite();
    }
    for (Double v : scores.values()) {
      if (v == null || !Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static Row row(Schema outputSchema, Function<String, @Nullable Object> cell) {
    @Nullable Object[] cells = new Object[outputSchema.size()];
    for (int i = 0; i < cells.length; i++) {
      Field f = outputSchema.field(i);
      cells[i] = cell.apply(f.name());
    }
    return Row.of(outputSchema, cells);
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

  private static String flags(RowResult contract) {
    return contract.passed() ? "" : " flagged " + contract.messages();
  }
}
