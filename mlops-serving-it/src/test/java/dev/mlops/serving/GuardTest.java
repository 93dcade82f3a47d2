package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.ContractViolationException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.WindowResult;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.RowContractViolationException;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Validator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;

class GuardTest {
  private static final Validator CONTRACT = Validator.compile(DataContract.of("toy-inputs", OnnxRunnerTest.SCHEMA,
      Constraint.range("x1", -5.0, 5.0), Constraint.allowedValues("color", "red", "blue", "green")));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private CountingRunner runner;

  private DefaultPredictor predictor(BatchingOptions batching, Guard guard) {
    runner = new CountingRunner(OnnxRunnerTest.classifier(OnnxOptions.defaults()));
    return new DefaultPredictor(runner, "toy", "1", false, batching, registry, ForkJoinPool.commonPool(),
        System::nanoTime, guard);
  }

  private static Row bad() {
    return Row.of(OnnxRunnerTest.SCHEMA, 10.0, 1L, "purple", true);
  }

  @Test
  void rejectedRowsNeverReachTheModelOrTheQueue() {
    for (BatchingOptions mode : List.of(BatchingOptions.disabled(), BatchingOptions.of(4, Duration.ZERO, 16))) {
      try (DefaultPredictor p = predictor(mode, new Guard(CONTRACT, OnlinePolicy.REJECT, null, null))) {
        assertThatThrownBy(() -> p.predict(bad())).isInstanceOf(RowContractViolationException.class)
            .hasMessageContaining("x1").hasMessageContaining("color");
        assertThatThrownBy(() -> p.predictAsync(bad())).isInstanceOf(RowContractViolationException.class);
        assertThat(runner.rowsRun.get()).as("rows that reached the model").isZero();
        Prediction ok = p.predict(OnnxRunnerTest.rows(1, 1).get(0));
        assertThat(ok.contractResult()).isEqualTo(RowResult.PASS);
        assertThat(registry.get("mlops.serving.contract.rejected").counter().count()).isEqualTo(2.0);
      }
    }
  }

  @Test
  void flaggedRowsAreServedWithTheirIssues() {
    try (DefaultPredictor p = predictor(BatchingOptions.disabled(), new Guard(CONTRACT, OnlinePolicy.FLAG, null,
        null))) {
      Prediction flagged = p.predict(bad());
      assertThat(flagged.asClassification().scores()).hasSize(3);
      assertThat(flagged.contractResult().messages()).hasSize(2).anySatisfy(m -> assertThat(m).contains("x1"));
      assertThat(flagged.contractResult().violations()).extracting(v -> v.constraint().columns())
          .containsExactly(List.of("x1"), List.of("color"));
      assertThat(p.predictAsync(bad()).join().contractResult().messages()).hasSize(2);
      assertThat(registry.get("mlops.serving.contract.flagged").counter().count()).isEqualTo(2.0);
    }
  }

  @Test
  void batchesAreRejectedWholeOrFlaggedRowByRow() {
    List<Row> rows = new ArrayList<>(OnnxRunnerTest.rows(5, 2));
    rows.add(bad());
    try (RootAllocator allocator = new RootAllocator()) {
      try (Batch batch = Batch.fromRows(allocator, OnnxRunnerTest.SCHEMA, rows);
          DefaultPredictor p = predictor(BatchingOptions.disabled(), new Guard(CONTRACT, OnlinePolicy.REJECT, null,
          null))) {
        assertThatThrownBy(() -> p.predict(batch)).isInstanceOf(ContractViolationException.class)
            .hasMessageContaining("batch of 6 rows for model toy/1 (contract 'toy-inputs')")
            .hasMessageContaining("x1");
        assertThat(runner.rowsRun.get()).isZero();
      }
      try (Batch batch = Batch.fromRows(allocator, OnnxRunnerTest.SCHEMA, rows);
          DefaultPredictor p = predictor(BatchingOptions.disabled(), new Guard(CONTRACT, OnlinePolicy.FLAG, null,
          null))) {
        List<Prediction> out = p.predict(batch);
        assertThat(out.subList(0, 5)).allSatisfy(x -> assertThat(x.contractResult()).isEqualTo(RowResult.PASS));
        assertThat(out.get(5).contractResult().messages()).hasSize(2);
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void builderWiresTheContractFromThePublicApi(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws java.io.IOException {
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    repo.publish("toy", "1", ModelRepositoryTest.toyModelFile(tmp.resolve("src"), 1),
        ModelRepositoryTest.toyManifest());
    try (Predictor p = Predictor.builder(repo.load(ModelRef.parse("toy/1"))).meterRegistry(registry)
        .contract(CONTRACT, OnlinePolicy.REJECT).build()) {
      assertThatThrownBy(() -> p.predict(bad())).isInstanceOf(RowContractViolationException.class);
      assertThat(p.predict(OnnxRunnerTest.rows(1, 9).get(0)).contractResult()).isEqualTo(RowResult.PASS);
      assertThat(registry.get("mlops.serving.contract.rejected").tag("model", "toy").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void monitorProfilesInputsAndPredictions() {
    List<Row> reference = OnnxRunnerTest.rows(200, 3);
    Schema outputs = Schema.of(Field.of("label", DataType.STRING, false, Role.PREDICTION),
        Field.of("a", DataType.FLOAT64), Field.of("b", DataType.FLOAT64), Field.of("c", DataType.FLOAT64));
    List<Row> referenceOutputs;
    try (DefaultPredictor plain = predictor(BatchingOptions.disabled(), null)) {
      referenceOutputs = reference.stream().map(r -> plain.predict(r).toRow(outputs)).toList();
    }
    try (Monitor monitor = Monitor.builder(DatasetProfile.of(OnnxRunnerTest.SCHEMA, reference))
        .outputReference(DatasetProfile.of(outputs, referenceOutputs)).tumblingCount(1_000).build();
        DefaultPredictor p = predictor(BatchingOptions.disabled(), new Guard(null, OnlinePolicy.PASS, monitor,
            outputs))) {
      for (Row r : OnnxRunnerTest.rows(40, 4)) {
        p.predict(r);
      }
      WindowResult w = monitor.flush();
      assertThat(w.inputs().rowCount()).isEqualTo(40);
      assertThat(w.outputs()).isNotNull();
      assertThat(w.outputs().rowCount()).isEqualTo(40);
    }
  }

  @Test
  void closingTheMonitorDetachesItAndThePredictorKeepsServing() {
    List<Row> reference = OnnxRunnerTest.rows(200, 3);
    for (BatchingOptions mode : List.of(BatchingOptions.disabled(), BatchingOptions.of(4, Duration.ZERO, 16))) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      Monitor monitor = Monitor.builder(DatasetProfile.of(OnnxRunnerTest.SCHEMA, reference)).tumblingCount(1_000)
          .build();
      runner = new CountingRunner(OnnxRunnerTest.classifier(OnnxOptions.defaults()));
      try (RootAllocator allocator = new RootAllocator();
          DefaultPredictor p = new DefaultPredictor(runner, "toy", "1", false, mode, meters,
              ForkJoinPool.commonPool(), System::nanoTime, new Guard(null, OnlinePolicy.PASS, monitor, null))) {
        p.predict(reference.get(0));
        monitor.close();
        for (Row r : OnnxRunnerTest.rows(5, 4)) {
          assertThat(p.predict(r).asClassification().scores()).hasSize(3);
          assertThat(p.predictAsync(r).join().asClassification().scores()).hasSize(3);
        }
        try (Batch batch = Batch.fromRows(allocator, OnnxRunnerTest.SCHEMA, OnnxRunnerTest.rows(3, 5))) {
          assertThat(p.predict(batch)).hasSize(3);
        }
        assertThat(meters.get("mlops.serving.monitor.detached").counter().count()).as("%s", mode).isEqualTo(1.0);
        assertThat(meters.get("mlops.serving.errors").counter().count()).isZero();
      }
    }
  }
}
