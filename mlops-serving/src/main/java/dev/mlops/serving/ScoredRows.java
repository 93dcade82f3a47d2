package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Json;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Validator;
import dev.mlops.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Batch scoring that drops no row and serves no label it should not: each input row comes out with
 * the model's prediction columns and a status, {@code ok}, {@code rejected} (the contract guard
 * refused the row), {@code non_finite} (the model's scores were not finite) or {@code error} (the
 * model could not take the row, e.g. a NaN feature), with the reason; only {@code ok} rows carry a
 * prediction. One model call per batch; when a row fails the call, the batch is scored row by row
 * so that the rest still are. What the command line's {@code predict} and the Spark adapter share.
 *
 * <p>Columns appended: {@code prediction} (the label of a classifier, the first value of a
 * regression), {@code score_<label>} per label of a classifier, {@code _status}, {@code _reason}.
 */
public final class ScoredRows {
  /** The status column. */
  public static final String STATUS = "_status";
  /** The reason column. */
  public static final String REASON = "_reason";

  /** What happened to a row. */
  public enum Status {
    /** Scored: the prediction columns hold the prediction. */
    OK,
    /** The contract guard refused it; not scored. */
    REJECTED,
    /** The model's outputs were not all finite; no prediction served. */
    NON_FINITE,
    /** The model could not take it (a missing or non-finite feature, a schema mismatch). */
    ERROR;

    /**
     * The value written in {@value #STATUS}.
     *
     * @return {@code ok}, {@code rejected}, {@code non_finite} or {@code error}
     */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final boolean classification;
  private final List<String> labels;
  private final List<Field> fields;

  private ScoredRows(boolean classification, List<String> labels) {
    this.classification = classification;
    this.labels = List.copyOf(labels);
    List<Field> f = new ArrayList<>();
    if (classification) {
      f.add(Field.of("prediction", DataType.STRING));
      for (String l : labels) {
        f.add(Field.of("score_" + l, DataType.FLOAT64));
      }
    } else {
      f.add(Field.of("prediction", DataType.FLOAT64));
    }
    f.add(Field.of(STATUS, DataType.STRING));
    f.add(Field.of(REASON, DataType.STRING));
    this.fields = List.copyOf(f);
  }

  /**
   * The scored columns of a model, from its manifest's serving tags.
   *
   * @param model the verified model
   * @return the columns
   * @throws IllegalArgumentException when the model is neither a classifier nor a regressor (a raw
   *     model's outputs have no one column form)
   */
  public static ScoredRows of(VerifiedModel model) {
    String task = model.manifest().tags().getOrDefault(ServingTags.TASK, "raw");
    if (task.equals("classification")) {
      String text = model.manifest().tags().get(ServingTags.LABELS);
      List<String> labels = new ArrayList<>();
      for (JsonNode n : Json.parse(text == null ? "[]" : text, "manifest of " + model + " tag " + ServingTags.LABELS)) {
        labels.add(n.asText());
      }
      return new ScoredRows(true, labels);
    }
    if (task.equals("regression")) {
      return new ScoredRows(false, List.of());
    }
    throw new IllegalArgumentException("batch scoring writes classification and regression outputs; " + model
        + " is a '" + task + "' model (tag " + ServingTags.TASK + "); score it through Predictor");
  }

  /**
   * The columns appended to each row, in order.
   *
   * @return prediction, scores, status, reason
   */
  public List<Field> fields() {
    return fields;
  }

  /**
   * Scores rows: the guard first (rows it refuses are not scored), then one model call for the rest.
   *
   * @param predictor the predictor
   * @param guard the contract guard over the whole input row, or null
   * @param fullRows the input rows as read (all columns), for the guard
   * @param modelRows the same rows as the model's inputs
   * @param allocator where the model batch's memory comes from (closed before return)
   * @return per row a {@link Prediction}, the guard's {@link RowResult} or the {@link MlopsException}
   */
  public static List<Object> score(Predictor predictor, @Nullable Validator guard, List<Row> fullRows,
      List<Row> modelRows, BufferAllocator allocator) {
    Objects.requireNonNull(predictor, "predictor");
    if (fullRows.size() != modelRows.size()) {
      throw new IllegalArgumentException("as many model rows as input rows, got " + modelRows.size() + " and "
          + fullRows.size());
    }
    int n = fullRows.size();
    Object[] outcome = new Object[n];
    List<Row> inputs = new ArrayList<>(n);
    List<Integer> scored = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      if (guard != null) {
        RowResult check = guard.validate(fullRows.get(r));
        if (check.hasErrors()) {
          outcome[r] = check;
          continue;
        }
      }
      inputs.add(modelRows.get(r));
      scored.add(r);
    }
    List<Object> predictions = new ArrayList<>(inputs.size());
    if (!inputs.isEmpty()) {
      try (Batch modelInput = Batch.fromRows(allocator, predictor.inputSchema(), inputs)) {
        predictions.addAll(predictor.predict(modelInput));
      } catch (MlopsException e) {
        // One row the model cannot take fails the whole call: score row by row to find it, keep the rest.
        for (Row r : inputs) {
          try {
            predictions.add(predictor.predict(r));
          } catch (MlopsException rowError) {
            predictions.add(rowError);
          }
        }
      }
    }
    for (int i = 0; i < scored.size(); i++) {
      outcome[scored.get(i)] = predictions.get(i);
    }
    return java.util.Arrays.asList(outcome);
  }

  /**
   * Writes one row's outcome into its output values.
   *
   * @param values the output row's values; {@link #fields()} start at {@code at}
   * @param at where the appended columns start
   * @param outcome what {@link #score} gave for the row
   * @return the row's status
   */
  public Status fill(@Nullable Object[] values, int at, Object outcome) {
    int status = at + fields.size() - 2;
    if (outcome instanceof MlopsException e) {
      values[status] = Status.ERROR.value();
      values[status + 1] = e.getMessage();
      return Status.ERROR;
    }
    if (outcome instanceof RowResult contract) {
      values[status] = Status.REJECTED.value();
      values[status + 1] = reason(contract);
      return Status.REJECTED;
    }
    Prediction p = (Prediction) outcome;
    if (!p.finite()) {
      values[status] = Status.NON_FINITE.value();
      values[status + 1] = "the model's outputs are not all finite; no prediction is served";
      return Status.NON_FINITE;
    }
    if (classification) {
      Prediction.Classification c = p.asClassification();
      values[at] = c.requireLabel();
      for (int i = 0; i < labels.size(); i++) {
        values[at + 1 + i] = c.scores().get(labels.get(i));
      }
    } else {
      values[at] = p.asRegression().values()[0];
    }
    values[status] = Status.OK.value();
    return Status.OK;
  }

  private static String reason(RowResult r) {
    List<String> parts = new ArrayList<>();
    for (Violation x : r.violations()) {
      parts.add(x.message());
    }
    r.schemaIssues().forEach(s -> parts.add(s.toString()));
    return String.join("; ", parts);
  }
}
