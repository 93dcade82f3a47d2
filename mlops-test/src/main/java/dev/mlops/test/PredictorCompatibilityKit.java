package dev.mlops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.serving.BatchingOptions;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Predictor} must do, whatever its backend: the tests a backend's own tests extend,
 * as {@code MeterRegistryCompatibilityKit} is for Micrometer registries. A subclass publishes one model
 * of its backend's format and says which rows it takes; the kit loads it through the repository and
 * {@link java.util.ServiceLoader} as an application would, and checks each behaviour with and without
 * dynamic batching: the row, batch and async paths agree, concurrent callers get one caller's answers,
 * Arrow memory returns to zero, close is idempotent, foreign schemas and unscorable rows are refused
 * with {@link SchemaMismatchException} naming the field.
 *
 * <pre>{@code
 * class MyBackendCompatibilityTest extends PredictorCompatibilityKit {
 *   protected VerifiedModel publish(ModelRepository repo, Path scratch) throws IOException { ... }
 *   protected List<Row> rows(int n) { ... }
 * }
 * }</pre>
 */
public abstract class PredictorCompatibilityKit {
  @TempDir
  Path tmp;
  private @Nullable VerifiedModel model;

  /** For subclasses. */
  protected PredictorCompatibilityKit() {}

  /**
   * Publishes the backend's model into a repository and loads it.
   *
   * @param repo an empty repository
   * @param scratch a directory for the artifact before publication
   * @return the verified model
   * @throws IOException when writing fails
   */
  protected abstract VerifiedModel publish(ModelRepository repo, Path scratch) throws IOException;

  /**
   * A new predictor over the same model each call.
   *
   * @param batching the batching options to build it with
   * @return the predictor
   */
  protected Predictor newPredictor(BatchingOptions batching) {
    VerifiedModel m = model;
    if (m == null) {
      try {
        m = publish(ModelRepository.open(tmp.resolve("repo")), Files.createDirectories(tmp.resolve("src")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      model = m;
    }
    return Predictor.builder(m).batching(batching).build();
  }

  /**
   * Rows of the predictor's input schema.
   *
   * @param n how many
   * @return the rows
   */
  protected abstract List<Row> rows(int n);

  /**
   * A row of the input schema that the model cannot score (e.g. NaN in a numeric feature): every path
   * must refuse it with a {@link SchemaMismatchException} before the model runs.
   *
   * @return the row, or empty to skip that check
   */
  protected Optional<Row> unscorableRow() {
    return Optional.empty();
  }

  private static List<BatchingOptions> modes() {
    return List.of(BatchingOptions.disabled(), BatchingOptions.of(8, Duration.ZERO, 256));
  }

  private static boolean same(Prediction a, Prediction b) {
    return a.kind() == b.kind() && a.agreesWith(b, 1e-6)
        && (!(a instanceof Prediction.Classification c) || c.scores().equals(b.asClassification().scores()));
  }

  /**
   * The row, batch and async paths give the same predictions, stamped with the model version, and the
   * batch path returns its Arrow memory.
   *
   * @throws Exception when a path fails
   */
  @Test
  public void rowBatchAndAsyncPathsGiveTheSamePredictions() throws Exception {
    List<Row> rows = rows(40);
    for (BatchingOptions mode : modes()) {
      try (RootAllocator allocator = new RootAllocator(); Predictor p = newPredictor(mode)) {
        List<Prediction> fromBatch;
        try (Batch batch = Batch.fromRows(allocator, p.inputSchema(), rows)) {
          fromBatch = p.predict(batch);
        }
        assertThat(fromBatch).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
          assertThat(same(p.predict(rows.get(i)), fromBatch.get(i))).as("row %d, %s", i, mode).isTrue();
          assertThat(same(p.predictAsync(rows.get(i)).get(), fromBatch.get(i))).as("async row %d", i).isTrue();
          assertThat(fromBatch.get(i).modelVersion()).isEqualTo(p.modelVersion());
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
      }
    }
  }

  /**
   * Eight threads get the answers one caller gets.
   *
   * @throws Exception when a caller fails
   */
  @Test
  public void concurrentCallersGetTheSameAnswersAsOneCaller() throws Exception {
    List<Row> rows = rows(16);
    for (BatchingOptions mode : modes()) {
      try (Predictor p = newPredictor(mode)) {
        List<Prediction> expected = rows.stream().map(p::predict).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
          List<Future<Boolean>> checks = new ArrayList<>();
          for (int t = 0; t < 8; t++) {
            checks.add(pool.submit(() -> {
              for (int k = 0; k < 50; k++) {
                int i = k % rows.size();
                if (!same(p.predict(rows.get(i)), expected.get(i))) {
                  return false;
                }
              }
              return true;
            }));
          }
          for (Future<Boolean> f : checks) {
            assertThat(f.get()).as(mode.toString()).isTrue();
          }
        } finally {
          pool.shutdown();
        }
      }
    }
  }

  /** Closing twice is harmless; a call after close fails with a message saying so. */
  @Test
  public void closeIsIdempotentAndLaterCallsFailClearly() {
    for (BatchingOptions mode : modes()) {
      Predictor p = newPredictor(mode);
      Row row = rows(1).get(0);
      p.predict(row);
      p.close();
      p.close();
      assertThatThrownBy(() -> p.predict(row)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is closed");
    }
  }

  /** A row of another schema is refused, naming its field and the model's. */
  @Test
  public void rowsOfAnotherSchemaAreRejectedNamingBothSchemas() {
    Schema other = Schema.of(Field.of("unrelated", DataType.FLOAT64));
    try (Predictor p = newPredictor(BatchingOptions.disabled())) {
      assertThatThrownBy(() -> p.predict(Row.of(other, 1.0))).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("unrelated").hasMessageContaining(p.inputSchema().field(0).name());
    }
  }

  /**
   * Every path refuses a row the model cannot score with a typed error, before the model runs.
   *
   * @throws Exception when the async path fails otherwise
   */
  @Test
  public void unscorableRowsAreRefusedOnEveryPath() throws Exception {
    Optional<Row> bad = unscorableRow();
    Assumptions.assumeTrue(bad.isPresent(), "the backend's test names no unscorable row");
    Row row = bad.get();
    for (BatchingOptions mode : modes()) {
      try (RootAllocator allocator = new RootAllocator(); Predictor p = newPredictor(mode)) {
        assertThatThrownBy(() -> p.predict(row)).as("%s", mode).isInstanceOf(SchemaMismatchException.class);
        // Input errors are thrown at once on the async path too (Predictor#predictAsync).
        assertThatThrownBy(() -> p.predictAsync(row)).as("async, %s", mode)
            .isInstanceOf(SchemaMismatchException.class);
        List<Row> rows = new ArrayList<>(rows(3));
        rows.add(1, row);
        try (Batch batch = Batch.fromRows(allocator, p.inputSchema(), rows)) {
          assertThatThrownBy(() -> p.predict(batch)).as("batch, %s", mode)
              .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("Row 1");
        }
        assertThat(allocator.getAllocatedMemory()).isZero();
      }
    }
  }
}
