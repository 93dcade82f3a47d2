package dev.mlops.serving;

import dev.mlops.core.ModelLoadException;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * Builds a {@link Predictor} for a {@link VerifiedModel}. The input schema and feature encoding come
 * from the manifest's signature, the output decoding from its {@link ServingTags}: nothing about the
 * model is configured beside it. Each setter validates its argument at once.
 *
 * <pre>{@code
 * VerifiedModel model = repository.load(ModelRef.parse("credit-risk@champion"));
 * try (Predictor p = Predictor.builder(model)
 *     .onnx(OnnxOptions.builder().device(Device.cuda(0), FallbackPolicy.FALLBACK_TO_CPU).build())
 *     .batching(BatchingOptions.of(32, Duration.ofMillis(2), 1024))
 *     .meterRegistry(registry)
 *     .build()) {
 *   Prediction p = predictor.predict(row);
 * }
 * }</pre>
 */
public final class PredictorBuilder {
  private final VerifiedModel model;
  private OnnxOptions onnx = OnnxOptions.defaults();
  private BatchingOptions batching = BatchingOptions.disabled();
  private MeterRegistry registry = new CompositeMeterRegistry();
  private Executor executor = ForkJoinPool.commonPool();
  private LongSupplier ticker = System::nanoTime;

  PredictorBuilder(VerifiedModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /**
   * ONNX Runtime options (ignored for Tribuo models).
   *
   * @param options the options
   * @return this builder
   */
  public PredictorBuilder onnx(OnnxOptions options) {
    this.onnx = Objects.requireNonNull(options, "options");
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
   * Parses the verified artifact, checks it against the manifest signature, warms it up and returns
   * the predictor.
   *
   * @return the predictor; close it
   * @throws ModelLoadException when the format is unknown or the model does not match its manifest
   */
  public Predictor build() {
    ModelManifest m = model.manifest();
    ModelSignature sig = m.modelSignature();
    String source = model.toString();
    OutputSpec out = ServingTags.outputSpec(m);
    ModelRunner runner;
    boolean fellBack = false;
    switch (m.format()) {
      case ModelFormats.ONNX -> {
        if (sig.inputs().size() == 0) {
          throw new ModelLoadException("Manifest of " + source + " has no input schema; record the model signature"
              + " when publishing (ModelSignature.of(inputs, outputs[, encoding]))");
        }
        OnnxRunner r = new OnnxRunner(model.primaryBytes(), source, m.version(), sig.inputs(), sig.encoding(), out,
            onnx);
        fellBack = r.fellBack();
        runner = r;
      }
      case ModelFormats.TRIBUO_PROTOBUF, ModelFormats.TRIBUO_JAVA -> runner = new TribuoRunner(
          TribuoRunner.parse(model.primaryBytes(), m.format(), source), source, m.version(), sig.inputs(),
          sig.encoding());
      default -> throw new ModelLoadException("Model " + source + " has format '" + m.format() + "', which no backend"
          + " serves; use " + ModelFormats.ONNX + ", " + ModelFormats.TRIBUO_PROTOBUF + " or " + ModelFormats.TRIBUO_JAVA);
    }
    return new DefaultPredictor(runner, m.name(), m.version(), fellBack, batching, registry, executor, ticker);
  }
}
