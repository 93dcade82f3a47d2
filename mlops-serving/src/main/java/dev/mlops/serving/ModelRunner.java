package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.List;

/**
 * A loaded model of one backend: runs rows and batches synchronously. Implementations are thread-safe;
 * {@link #close()} is idempotent and is called once the last in-flight call has returned.
 */
interface ModelRunner extends AutoCloseable {

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

  /** Frees native resources; idempotent, logs instead of throwing. */
  @Override
  void close();
}
