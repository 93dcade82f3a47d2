package dev.mlops.examples.snippets;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.monitoring.Monitor;
import dev.mlops.serving.BatchingOptions;
import dev.mlops.serving.Deployment;
import dev.mlops.serving.Device;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.onnx.FallbackPolicy;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.Validator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The snippets of README.md's serving section and of docs/serving.md, in the order they appear there. */
public final class ServingSnippets {
  private ServingSnippets() {}

  /**
   * README, serving a model in a service: a guarded, batched predictor over the champion of a signed
   * repository.
   *
   * @param modelsDir the repository's directory
   * @param trustedKey the key its manifests are signed with
   * @param contractFile the model's data contract
   * @param registry where the meters go
   * @param cores batching workers
   * @param request one request's values by field name
   * @return the label, empty when the scores are not finite
   */
  public static Optional<String> readme(Path modelsDir, PublicKey trustedKey, Path contractFile,
      MeterRegistry registry, int cores, Map<String, Object> request) {
    ModelRepository repo = ModelRepository.open(modelsDir, List.of(trustedKey));
    try (Predictor predictor = Predictor.builder(repo.load(ModelRef.parse("credit-risk@champion")))
            .contract(Validator.compile(DataContract.read(contractFile)), OnlinePolicy.REJECT)
            .batching(BatchingOptions.of(64, Duration.ZERO, 4096).withWorkers(cores))
            .meterRegistry(registry)
            .build()) {
      Prediction p = predictor.predict(Row.fromMap(predictor.inputSchema(), request));   // any thread
      Optional<String> label = p.asClassification().label();   // empty when its scores are not finite
      return label;
    }
  }

  /**
   * docs/serving.md, model repository: publish signed, set an alias, list, load through the signed view.
   *
   * @param modelsDir the repository's directory
   * @param trustedPublicKey the key manifests must be signed with
   * @param signingKeys the pair that signs
   * @param modelFile the ONNX file
   * @param inputSchema the model's input schema
   * @param outputSchema its output schema
   * @param encoding the feature encoding of training
   * @return the champion, verified with its signature
   */
  public static VerifiedModel repository(Path modelsDir, PublicKey trustedPublicKey, KeyPair signingKeys,
      Path modelFile, Schema inputSchema, Schema outputSchema, List<FeatureEncoding> encoding) {
    ModelRepository repo = ModelRepository.open(modelsDir);                             // digests only
    ModelRepository signed = ModelRepository.open(modelsDir, List.of(trustedPublicKey)); // + Ed25519 signature

    ModelManifestBuilder m = ModelManifest.builder()
        .format(ModelFormats.ONNX)
        .modelSignature(ModelSignature.of(inputSchema, outputSchema, encoding))   // encoding: the training slots
        .metric("auc", 0.91).seed("sgd", 42);
    ServingTags.classification("output", List.of("bad", "good")).forEach(m::tag);
    repo.publish("credit-risk", "3", modelFile, m, signingKeys);   // keys may be omitted
    repo.setAlias("credit-risk", "champion", "3");

    repo.versions("credit-risk");                       // [1, 2, 3]  (numeric versions in numeric order)
    VerifiedModel model = signed.load(ModelRef.parse("credit-risk@champion"));   // or "credit-risk/3"
    return model;
  }

  /**
   * docs/serving.md, predictors: ONNX options, batching, the three paths, typed access.
   *
   * @param model a verified classifier
   * @param registry where the meters go
   * @param row a row of its input schema
   * @param batch a batch of its input schema
   * @return the row's label
   * @throws ExecutionException when the async call fails
   * @throws InterruptedException when interrupted waiting for it
   */
  public static Optional<String> predictors(VerifiedModel model, MeterRegistry registry, Row row, Batch batch)
      throws ExecutionException, InterruptedException {
    try (Predictor p = Predictor.builder(model)
        .backendOptions(OnnxOptions.builder()
            .intraOpThreads(1).interOpThreads(1)
            .optimization(OnnxOptions.Optimization.ALL)
            .device(Device.cuda(0), FallbackPolicy.FALLBACK_TO_CPU)
            .build())
        .batching(BatchingOptions.of(32, Duration.ofMillis(1), 1024))
        .meterRegistry(registry)
        .build()) {
      Prediction one = p.predict(row);                        // Row of p.inputSchema()
      List<Prediction> many = p.predict(batch);               // Arrow-backed Batch, one model call
      CompletableFuture<Prediction> later = p.predictAsync(row, Duration.ofMillis(50)); // deadline
      Prediction.Classification c = one.asClassification();  // the model's task is in its manifest
      c.label(); c.scores();   // Optional<String>, then a score per label in label order
      if (many.size() != batch.rowCount() || !later.get().agreesWith(one, 1e-6)) {
        throw new IllegalStateException("the batch and async paths disagree with the row path");
      }
      return c.label();
    }
  }

  /**
   * docs/serving.md, guards: a contract that rejects and a monitor of inputs and outputs.
   *
   * @param model a verified model
   * @param contractFile its data contract
   * @param monitor a monitor with an output reference of {@code outputSchema}
   * @param outputSchema the schema predictions become rows of
   * @param row a request
   * @return the prediction
   */
  public static Prediction guards(VerifiedModel model, Path contractFile, Monitor monitor, Schema outputSchema,
      Row row) {
    Validator contract = Validator.compile(DataContract.read(contractFile));
    try (Predictor p = Predictor.builder(model)
        .contract(contract, OnlinePolicy.REJECT)        // or FLAG, or PASS (a kill switch)
        .monitor(monitor, outputSchema)                 // or .monitor(monitor) for inputs only
        .build()) {
      Prediction served = p.predict(row);   // a row that breaks an ERROR rule never reaches the model
      return served;
    }
  }

  /**
   * docs/serving.md, deployments: swap, canary, shadow, rollback.
   *
   * @param repo a repository with versions 3 to 6 of credit-risk and champion at 3
   * @param registry where the meters go
   * @param row a request
   * @param customerId a routing key
   * @return the active version at the end
   */
  public static String deployments(ModelRepository repo, MeterRegistry registry, Row row, String customerId) {
    try (Deployment d = Deployment.builder("credit-risk",
            Deployment.VersionLoader.fromRepository(repo, "credit-risk", vm -> Predictor.builder(vm).build()))
        .meterRegistry(registry)
        .start(repo.resolve(ModelRef.parse("credit-risk@champion")))) {

      d.predict(row);                       // active version
      d.swapTo("4");                        // load + warm 4, switch atomically, drain and close 3
      d.startCanary("5", 0.10);             // 10% of keys, sticky per key
      d.predict(customerId, row);           // canary routing by key
      d.promoteCanary();                    // or stopCanary()
      d.startShadow("6");                   // copy of each request, off the caller's thread
      d.rollback();                         // back to the version active before the last swap/promotion
      return d.activeVersion();
    }
  }
}
