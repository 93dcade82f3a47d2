package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A loaded model version, ready to predict. Thread-safe: share one instance between request threads.
 * Closing it frees its native resources; calls after close fail with {@link IllegalStateException}.
 *
 * <p>Failures are unchecked {@link dev.mlops.core.MlopsException}s: {@link dev.mlops.core.OverloadedException}
 * when the batching queue is full (nothing ran), {@link dev.mlops.core.DeadlineExceededException} when the
 * request's deadline passed before it ran (nothing ran), {@link dev.mlops.core.SchemaMismatchException}
 * for rows of the wrong schema and for a feature the model cannot score (missing without a
 * {@code missing_indicator} slot, NaN, infinite, beyond float32; nothing ran),
 * {@link dev.mlops.core.ContractViolationException} when a guard rejects the input, and
 * {@link NonFiniteOutputException} when the model's scores or values are not finite (see
 * {@link NonFinitePolicy}). Every path checks a request in the same order: open, schema, contract,
 * features, model, outputs.
 */
public interface Predictor extends AutoCloseable {

  /**
   * A builder for a predictor of a verified model; the backend follows the manifest's format
   * ({@link ModelFormats}).
   *
   * @param model a model loaded from a {@link ModelRepository}
   * @return the builder
   */
  static PredictorBuilder builder(VerifiedModel model) {
    return new PredictorBuilder(model);
  }

  /**
   * Predicts one row on the caller's thread (or, with dynamic batching, waits for the batch it joins).
   *
   * @param row a row of {@link #inputSchema()}
   * @return the prediction
   */
  Prediction predict(Row row);

  /**
   * Predicts every row of a batch in one model call (never queued behind single rows).
   *
   * @param batch a batch of {@link #inputSchema()}
   * @return one prediction per row, in order
   */
  List<Prediction> predict(Batch batch);

  /**
   * Predicts one row without blocking the caller. With dynamic batching the row joins the next batch;
   * without, it runs on the predictor's executor. Rejections ({@link dev.mlops.core.OverloadedException},
   * and a row of the wrong schema, that breaks the contract or holds a feature the model cannot score)
   * are thrown at once, not through the future.
   *
   * @param row a row of {@link #inputSchema()}
   * @return the prediction, completed exceptionally on failure
   */
  CompletableFuture<Prediction> predictAsync(Row row);

  /**
   * Like {@link #predictAsync(Row)} with a per-request deadline: if the request has not started by
   * then, it fails with {@link dev.mlops.core.DeadlineExceededException} and never runs. A deadline of
   * zero or less has already passed (thrown at once); one beyond
   * {@link BatchingOptions#LONGEST_DEADLINE} means none.
   *
   * @param row a row of {@link #inputSchema()}
   * @param deadline how long the request may wait before it runs
   * @return the prediction, completed exceptionally on failure
   */
  CompletableFuture<Prediction> predictAsync(Row row, java.time.Duration deadline);

  /**
   * The schema of accepted rows.
   *
   * @return the input schema
   */
  Schema inputSchema();

  /**
   * The model name.
   *
   * @return the name
   */
  String modelName();

  /**
   * The model version.
   *
   * @return the version
   */
  String modelVersion();

  /**
   * The device actually used (CPU after a fallback from CUDA).
   *
   * @return the device
   */
  Device device();

  /** Frees native memory and stops batching threads; idempotent. */
  @Override
  void close();
}
