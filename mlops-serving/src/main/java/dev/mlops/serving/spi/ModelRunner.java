package dev.mlops.serving.spi;

import dev.mlops.serving.Device;
import dev.mlops.serving.Prediction;
import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.List;

/**
 * A loaded model of one backend: runs rows and batches synchronously. A {@link ModelBackend} makes
 * one per predictor; the predictor around it adds batching, deadlines, the contract guard, the
 * non-finite output check and meters, so a runner does only what its model runtime does.
 * Implementations are thread-safe; {@link #close()} is idempotent and is called once the last
 * in-flight call has returned.
 *
 * <p>Every runner must refuse, before its model runs and with a
 * {@link dev.mlops.core.SchemaMismatchException} naming the field and the model, a row it cannot score
 * (a missing feature without an encoding rule, NaN, an infinity, a value beyond its input type):
 * {@link RowEncoder} does this for the manifest's feature encoding. {@code PredictorCompatibilityKit}
 * in {@code mlops-test} checks a backend against this contract.
 */
public interface ModelRunner extends AutoCloseable {

  /**
   * The schema of the rows and batches it accepts.
   *
   * @return the input schema
   */
  Schema inputSchema();

  /**
   * The device actually used.
   *
   * @return the device
   */
  Device device();

  /**
   * Checks, without running the model, that a row holds nothing the model cannot score (a missing
   * feature, NaN, an infinity, a value beyond the input type's range); the batching path calls it on
   * the caller's thread, so one bad row never fails the batch it would have joined. {@link #run}
   * checks the same, so a runner that checks nothing here still refuses such rows when it runs.
   *
   * @param row a row of {@link #inputSchema()}
   * @throws dev.mlops.core.SchemaMismatchException naming the field and the model
   */
  default void check(Row row) {}

  /**
   * The output that classifications and regressions are decoded from, named in errors.
   *
   * @return the output's name
   */
  default String outputName() {
    return "output";
  }

  /**
   * The fixed number of rows every model call must have, when the model's batch dimension is static.
   *
   * @return the static batch size, or 0 when any number of rows may be run at once
   */
  default int staticBatchSize() {
    return 0;
  }

  /**
   * Predicts a list of rows in one model call.
   *
   * @param rows rows of {@link #inputSchema()}
   * @return one prediction per row, in order
   */
  List<Prediction> run(List<Row> rows);

  /**
   * Predicts every row of a batch in one model call.
   *
   * @param batch a batch of {@link #inputSchema()}
   * @return one prediction per row, in order
   */
  List<Prediction> run(Batch batch);

  /**
   * Whether the runner runs on another device than the one asked for, because the backend's fallback
   * policy allowed it (e.g. CPU when CUDA failed to start); the predictor reports it.
   *
   * @return true when it fell back
   */
  default boolean fellBack() {
    return false;
  }

  /** Frees native resources; idempotent, logs instead of throwing. */
  @Override
  void close();
}
