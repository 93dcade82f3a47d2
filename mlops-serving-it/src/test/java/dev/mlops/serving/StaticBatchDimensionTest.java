package dev.mlops.serving;

import static dev.mlops.test.onnx.OnnxProtos.floatTensor;
import static dev.mlops.test.onnx.OnnxProtos.floatValue;
import static dev.mlops.test.onnx.OnnxProtos.intAttribute;
import static dev.mlops.test.onnx.OnnxProtos.model;
import static dev.mlops.test.onnx.OnnxProtos.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.mlops.core.Batch;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.onnx.internal.OnnxRunner;

/**
 * A model whose batch dimension is fixed is checked at load, as Triton does: fixed at one row it is
 * served one row per call (dynamic batching capped to one row, batches run row by row); fixed at more
 * rows it is refused, since requests carry any number of rows.
 */
class StaticBatchDimensionTest {
  private static final List<String> LABELS = List.of("bad", "good");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** softmax(x W) for x float[rows, 3] with a fixed first dimension. */
  static byte[] fixedBatch(long rows) {
    Random rnd = new Random(3);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("fixed");
    g.addInput(floatValue("features", rows, 3));
    g.addOutput(floatValue("probabilities", rows, 2));
    g.addInitializer(floatTensor("W", rnd::nextGaussian, 3, 2));
    g.addNode(node("MatMul", "logits", "features", "W"));
    g.addNode(node("Softmax", "probabilities", "logits").addAttribute(intAttribute("axis", 1)));
    return model(g, "mlops-serving-tests");
  }

  private static OnnxRunner runner(byte[] bytes) {
    return new OnnxRunner(bytes, "fixed/1", "1", MissingAndNonFiniteValuesTest.SCHEMA,
        MissingAndNonFiniteValuesTest.ENCODING, OutputSpec.classification("probabilities", LABELS),
        OnnxOptions.defaults());
  }

  private static List<Row> rows(int n) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Row.of(MissingAndNonFiniteValuesTest.SCHEMA, 0.1 * i, -0.2 * i, 0.3));
    }
    return out;
  }

  @Test
  void aModelFixedAtOneRowRunsBatchesRowByRow() {
    List<Row> rows = rows(5);
    try (OnnxRunner fixed = runner(fixedBatch(1));
        OnnxRunner dynamic = runner(fixedBatch(-1));
        RootAllocator allocator = new RootAllocator();
        Batch batch = Batch.fromRows(allocator, MissingAndNonFiniteValuesTest.SCHEMA, rows)) {
      assertThat(fixed.staticBatchSize()).isEqualTo(1);
      assertThat(dynamic.staticBatchSize()).isZero();
      List<Prediction> expected = dynamic.run(rows);
      assertThat(fixed.run(batch)).extracting(x -> x.asClassification().scores()).isEqualTo(
          expected.stream().map(x -> x.asClassification().scores()).toList());
      assertThat(fixed.run(rows)).extracting(x -> x.asClassification().scores()).isEqualTo(
          expected.stream().map(x -> x.asClassification().scores()).toList());
    }
  }

  @Test
  void batchingIsCappedToTheFixedBatchAndEveryRequestIsServed() throws Exception {
    OnnxRunner r = runner(fixedBatch(1));
    try (DefaultPredictor p = new DefaultPredictor(r, "fixed", "1", false, BatchingOptions.of(8, Duration.ofMillis(2),
        256), registry, ForkJoinPool.commonPool(), System::nanoTime)) {
      assertThat(p.batching().maxBatchSize()).isEqualTo(1);
      List<CompletableFuture<Prediction>> futures = new ArrayList<>();
      for (Row row : rows(64)) {
        futures.add(p.predictAsync(row));
      }
      for (CompletableFuture<Prediction> f : futures) {
        assertThat(f.get().asClassification().requireLabel()).isIn(LABELS);
      }
      assertThat(registry.get("mlops.serving.batch.size").summary().max()).isEqualTo(1.0);
      assertThat(registry.get("mlops.serving.errors").counter().count()).isZero();
    }
  }

  @Test
  void aModelFixedAtSeveralRowsIsRefusedAtLoad() {
    assertThatThrownBy(() -> runner(fixedBatch(4)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("Model fixed/1 input 'features' is float[4, 3], fixed at 4 rows per call, but requests carry any"
            + " number of rows (one for predict(row), up to maxBatchSize when batching, any for predict(batch));"
            + " re-export the model with a dynamic first dimension ('batch' or -1), or with a batch of 1");
  }
}
