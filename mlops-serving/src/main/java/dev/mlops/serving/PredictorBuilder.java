package dev.mlops.serving;

import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Monitor;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.Validator;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.serving.spi.BackendOptions;
import dev.mlops.serving.spi.LoadContext;
import dev.mlops.serving.spi.ModelBackend;
import dev.mlops.serving.spi.ModelRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Predictor} for a {@link VerifiedModel}. The input schema and feature encoding come
 * from the manifest's signature, the output decoding from its {@link ServingTags}: nothing about the
 * model is configured beside it. Each setter validates its argument at once.
 *
 * <pre>{@code
 * VerifiedModel model = repository.load(ModelRef.parse("credit-risk@champion"));
 * try (Predictor p = Predictor.builder(model)
 *     .backendOptions(OnnxOptions.builder().device(Device.cuda(0), FallbackPolicy.FALLBACK_TO_CPU).build())
 *     .batching(BatchingOptions.of(32, Duration.ofMillis(2), 1024))
 *     .meterRegistry(registry)
 *     .build()) {
 *   Prediction p = predictor.predict(row);
 * }
 * }</pre>
 */
public final class PredictorBuilder {
  private final VerifiedModel model;
  private final List<BackendOptions> backendOptions = new ArrayList<>();
  private BatchingOptions batching = BatchingOptions.disabled();
  private MeterRegistry registry = new CompositeMeterRegistry();
  private Executor executor = ForkJoinPool.commonPool();
  private LongSupplier ticker = System::nanoTime;
  private @Nullable Validator contract;
  private OnlinePolicy policy = OnlinePolicy.REJECT;
  private @Nullable Monitor monitor;
  private @Nullable Schema monitorOutputs;
  private NonFinitePolicy nonFinite = NonFinitePolicy.FAIL;

  PredictorBuilder(VerifiedModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /**
   * Options of a backend, e.g. {@code OnnxOptions} of {@code mlops-serving-onnx}: the backend that
   * serves the model reads the options of its own type and ignores the others, so a builder may carry
   * settings for several backends. Setting options of a type again replaces them.
   *
   * @param options the options
   * @return this builder
   */
  public PredictorBuilder backendOptions(BackendOptions options) {
    Objects.requireNonNull(options, "options");
    backendOptions.removeIf(o -> o.getClass() == options.getClass());
    backendOptions.add(options);
    return this;
  }

  /**
   * Dynamic batching of single-row requests (default: off).
   *
   * @param options the options
   * @return this builder
   */
  public PredictorBuilder batching(BatchingOptions options) {
    this.batching = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Where the meters go (default: nowhere).
   *
   * @param r the registry
   * @return this builder
   */
  public PredictorBuilder meterRegistry(MeterRegistry r) {
    this.registry = Objects.requireNonNull(r, "registry");
    return this;
  }

  /**
   * Runs {@link Predictor#predictAsync} without batching (default: the common fork-join pool).
   *
   * @param e the executor
   * @return this builder
   */
  public PredictorBuilder executor(Executor e) {
    this.executor = Objects.requireNonNull(e, "executor");
    return this;
  }

  /**
   * The nanosecond time source of deadlines (default: {@link System#nanoTime()}); tests inject one.
   *
   * @param t the ticker
   * @return this builder
   */
  public PredictorBuilder ticker(LongSupplier t) {
    this.ticker = Objects.requireNonNull(t, "ticker");
    return this;
  }

  /**
   * Guards inputs with a data contract: under {@link OnlinePolicy#REJECT} a row that breaks an ERROR
   * rule fails with a {@code RowContractViolationException} (a batch with a
   * {@code ContractViolationException} listing every failed rule) and never reaches the model; under
   * {@link OnlinePolicy#FLAG} it is served and its prediction carries
   * {@link Prediction#contractResult()}; {@link OnlinePolicy#PASS} turns the check off.
   *
   * @param validator the compiled contract
   * @param onlinePolicy reject, flag or pass
   * @return this builder
   */
  public PredictorBuilder contract(Validator validator, OnlinePolicy onlinePolicy) {
    this.contract = Objects.requireNonNull(validator, "validator");
    this.policy = Objects.requireNonNull(onlinePolicy, "onlinePolicy");
    return this;
  }

  /**
   * What to do with a prediction whose scores or values are not all finite (default
   * {@link NonFinitePolicy#FAIL}: a {@link NonFiniteOutputException}); either way it is counted in
   * {@code mlops.serving.nonfinite} and never served as a label. Inputs the model cannot score (a
   * missing feature, NaN, an infinity, a value beyond float32) are always refused before the model
   * runs, whatever this policy.
   *
   * @param policy fail or flag
   * @return this builder
   */
  public PredictorBuilder nonFiniteOutputs(NonFinitePolicy policy) {
    this.nonFinite = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Records every served input with a monitor (profiles, drift, alerts). Closing the monitor detaches
   * it: the predictor logs a warning once, counts it in {@code mlops.serving.monitor.detached} and
   * serves unmonitored.
   *
   * @param m the monitor, whose input reference has the model's input schema
   * @return this builder
   */
  public PredictorBuilder monitor(Monitor m) {
    this.monitor = Objects.requireNonNull(m, "monitor");
    this.monitorOutputs = null;
    return this;
  }

  /**
   * Records every served input and its prediction with a monitor; predictions become rows of
   * {@code outputSchema} by {@link Prediction#toRow(Schema)}.
   *
   * @param m the monitor, built with an output reference of {@code outputSchema}
   * @param outputSchema the schema of the output rows
   * @return this builder
   */
  public PredictorBuilder monitor(Monitor m, Schema outputSchema) {
    this.monitor = Objects.requireNonNull(m, "monitor");
    this.monitorOutputs = Objects.requireNonNull(outputSchema, "outputSchema");
    return this;
  }

  /**
   * Parses the verified artifact, checks it against the manifest signature, warms it up and returns
   * the predictor.
   *
   * @return the predictor; close it
   * @throws ModelLoadException when no backend on the class path serves the model's format, or the model
   *     does not match its manifest
   */
  public Predictor build() {
    ModelManifest m = model.manifest();
    String source = model.toString();
    ModelBackend backend = Backends.forFormat(m.format(), source);
    OutputSpec out = OutputSpec.of(m);
    ModelRunner runner = backend.load(LoadContext.of(model, out, backendOptions));
    try {
      Guard guard = contract == null && monitor == null ? null : new Guard(contract, policy, monitor, monitorOutputs);
      return new DefaultPredictor(runner, m.name(), m.version(), runner.fellBack(), batching, registry, executor,
          ticker, guard, nonFinite);
    } catch (RuntimeException | Error e) {
      // The runner may hold native memory: a failed guard or meter registration must not leak it.
      try {
        runner.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
