package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Predictor}, whatever its backend, must do. A new backend gets a subclass that
 * builds predictors for its kind of model; the kit runs each behaviour with and without batching.
 */
abstract class PredictorCompatibilityKit {
  @TempDir
  Path tmp;
  private VerifiedModel model;

  /**
   * Publishes the backend's model into a repository and loads it.
   *
   * @param repo an empty repository
   * @param scratch a directory for the artifact before publication
   * @return the verified model
   * @throws IOException when writing fails
   */
  abstract VerifiedModel publish(ModelRepository repo, Path scratch) throws IOException;

  /**
   * A new predictor over the same model each call.
   *
   * @param batching the batching options to build it with
   * @return the predictor
   */
  Predictor newPredictor(BatchingOptions batching) {
    if (model == null) {
      try {
        model = publish(ModelRepository.open(tmp.resolve("repo")), Files.createDirectories(tmp.resolve("src")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Predictor.builder(model).batching(batching).build();
  }

  /**
   * Rows of the predictor's input schema.
   *
   * @param n how many
   * @return the rows
   */
  abstract List<Row> rows(int n);

  private static List<BatchingOptions> modes() {
    return List.of(BatchingOptions.disabled(), BatchingOptions.of(8, Duration.ZERO, 256));
  }

  private static boolean same(Prediction a, Prediction b) {
    return a.kind() == b.kind() && a.agreesWith(b, 1e-6) && a.scores().equals(b.scores());
  }

  @Test
  void rowBatchAndAsyncPathsGiveTheSamePredictions() throws Exception {
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

  @Test
  void concurrentCallersGetTheSameAnswersAsOneCaller() throws Exception {
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

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
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

  @Test
  void rowsOfAnotherSchemaAreRejectedNamingBothSchemas() {
    Schema other = Schema.of(Field.of("unrelated", DataType.FLOAT64));
    try (Predictor p = newPredictor(BatchingOptions.disabled())) {
      assertThatThrownBy(() -> p.predict(Row.of(other, 1.0))).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("unrelated").hasMessageContaining(p.inputSchema().field(0).name());
    }
  }
}
