package dev.mlops.examples;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.CodeVersion;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Monitor;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.tribuo.TribuoModels;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.Validator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The serving half of the demo: train a Tribuo logistic regression on the training rows (numeric
 * columns standardized, categoricals one-hot), export it to ONNX, publish it signed to a model
 * repository with its manifest (feature encoding, training fingerprint, seeds, metrics, provenance),
 * point the {@code champion} alias at it, then load {@code credit-risk@champion} (every digest and the
 * signature verified first) into a predictor guarded by the data contract and a drift monitor, and
 * score the incoming rows.
 */
final class CreditRiskServing {
  static final String LABEL = "class";
  static final long SEED = 42L;
  static final int EPOCHS = 5;

  private final PrintStream out;
  private final Schema features;
  private final Map<String, double[]> moments = new HashMap<>();

  CreditRiskServing(Schema dataSchema, PrintStream out) {
    this.out = out;
    List<Field> fs = new ArrayList<>();
    for (Field f : dataSchema.fields()) {
      if (!f.name().equals(LABEL)) {
        fs.add(f.withRole(Role.FEATURE));
      }
    }
    this.features = Schema.of(fs);
  }

  /** The model's input row: every column but the label. */
  Row features(Row row) {
    Map<String, Object> m = new LinkedHashMap<>(row.toMap());
    m.remove(LABEL);
    return Row.fromMap(features, m);
  }

  void run(List<Row> training, List<Row> incoming, List<Row> corrupted, Path outDir, KeyPair keys,
      BufferAllocator allocator) throws IOException {
    for (Field f : features.fields()) {
      if (f.type() == DataType.FLOAT64) {
        double[] xs = training.stream().mapToDouble(r -> r.getDouble(f.name())).toArray();
        double mean = java.util.Arrays.stream(xs).average().orElse(0);
        double var = java.util.Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, xs.length - 1);
        moments.put(f.name(), new double[] {mean, var > 0 ? Math.sqrt(var) : 1});
      }
    }
    LinearSGDModel model = train(training);
    double trainAccuracy = accuracy(model, training);
    double holdoutAccuracy = accuracy(model, incoming);
    out.printf(Locale.ROOT, "Tribuo logistic regression: %d epochs, seed %d; accuracy %.3f on the %d training rows,"
        + " %.3f on the %d incoming rows%n", EPOCHS, SEED, trainAccuracy, training.size(), holdoutAccuracy,
        incoming.size());

    List<FeatureEncoding> encoding = TribuoModels.encoding(model, features).stream().map(s -> {
      double[] m = moments.get(s.column());
      return s instanceof FeatureEncoding.Numeric && m != null ? FeatureEncoding.standardized(s.column(), m[0], m[1]) : s;
    }).toList();
    Path build = Files.createDirectories(outDir.resolve("build"));
    Path onnxFile = Files.write(build.resolve("credit-risk.onnx"), TribuoModels.toOnnx(model, "dev.mlops.examples", 1));
    List<String> labels = TribuoModels.labels(model);
    Schema outputs = Schema.of(Field.of(TribuoModels.ONNX_OUTPUT, DataType.floatTensor(labels.size()), false,
        Role.PREDICTION));
    DatasetFingerprint trainingFingerprint;
    try (Batch t = Batch.fromRows(allocator, features, training.stream().map(this::features).toList())) {
      trainingFingerprint = DatasetFingerprint.of(t);
    }
    ModelManifestBuilder manifest = ModelManifest.builder()
        .format(ModelFormats.ONNX)
        .modelSignature(ModelSignature.of(features, outputs, encoding))
        .addDataset("train", trainingFingerprint)
        .hyperParameter("epochs", EPOCHS).hyperParameter("optimiser", "AdaGrad(0.1, 0.1)")
        .hyperParameter("objective", "LogMulticlass").seed("sgd", SEED)
        .metric("train_accuracy", trainAccuracy).metric("holdout_accuracy", holdoutAccuracy)
        .codeVersion(CodeVersion.detect(Path.of("").toAbsolutePath()).orElse(CodeVersion.unknown()))
        .provenance(TribuoModels.provenance(model));
    ServingTags.classification(TribuoModels.ONNX_OUTPUT, labels).forEach(manifest::tag);

    // A fresh repository per run: the demo makes a new signing key each time, and versions are immutable.
    Path root = outDir.resolve("models");
    deleteTree(root);
    ModelRepository publisher = ModelRepository.open(root);
    publisher.publish("credit-risk", "1", onnxFile, manifest, keys);
    publisher.setAlias("credit-risk", "champion", "1");
    out.println("published " + root.relativize(publisher.directory(ModelRef.parse("credit-risk/1")))
        + " (ONNX, " + encoding.size() + " encoded features, signed) and set credit-risk@champion -> 1");

    ModelRepository repository = ModelRepository.open(root, List.of(keys.getPublic()));
    Batch trainingFeatures = Batch.fromRows(allocator, features, training.stream().map(this::features).toList());
    // Listeners run on the monitor's delivery thread.
    List<String> windows = java.util.Collections.synchronizedList(new ArrayList<>());
    try (trainingFeatures) {
      Validator contract = Validator.compile(ContractInference.defaults().infer("credit-risk-inputs", trainingFeatures));
      try (Monitor monitor = Monitor.builder(DatasetProfile.of(trainingFeatures))
          .name("credit-risk")
          .tumblingCount(100)
          .listener(w -> windows.add(String.format(Locale.ROOT, "window %d: %s, %d of %d input columns drifted",
              w.index(), w.drifted() ? "DRIFT" : "no drift", w.inputDrift().driftedColumns(),
              w.inputDrift().testedColumns())))
          .build();
          Predictor predictor = Predictor.builder(repository.load(ModelRef.parse("credit-risk@champion")))
              .contract(contract, OnlinePolicy.FLAG)
              .monitor(monitor)
              .build()) {
        out.println("loaded credit-risk@champion: digests and signature verified, device " + predictor.device());
        int correct = 0;
        for (Row r : incoming) {
          Prediction.Classification p = predictor.predict(features(r)).asClassification();
          correct += p.label().filter(r.getString(LABEL)::equals).isPresent() ? 1 : 0;
        }
        out.printf(Locale.ROOT, "served %d incoming rows: accuracy %.3f (same model as the manifest's holdout"
            + " metric)%n", incoming.size(), correct / (double) incoming.size());
        int flagged = 0;
        for (Row r : corrupted) {
          Prediction p = predictor.predict(features(r));
          if (!p.contractResult().passed()) {
            flagged++;
            if (flagged <= 2) {
              out.println("  flagged, still served (" + p.asClassification().label().orElse("no label") + "): "
                  + p.contractResult().messages());
            }
          }
        }
        out.println("corrupted feed: " + flagged + " of " + corrupted.size() + " rows flagged by the contract guard");
      }
      // Closing the monitor (after the predictor that fed it) has delivered every window to the listener.
      windows.forEach(w -> out.println("  monitor " + w));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  private ArrayExample<Label> example(Row row) {
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Field f : features.fields()) {
      if (f.type() == DataType.STRING) {
        names.add(f.name() + TribuoModels.SEPARATOR + row.getString(f.name()));
        values.add(1.0);
      } else {
        double[] m = moments.get(f.name());
        names.add(f.name());
        values.add((row.getDouble(f.name()) - m[0]) / m[1]);
      }
    }
    return new ArrayExample<>(new Label(row.getString(LABEL)), names.toArray(new String[0]),
        values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private LinearSGDModel train(List<Row> training) {
    LabelFactory factory = new LabelFactory();
    List<org.tribuo.Example<Label>> examples = training.stream().map(this::example)
        .<org.tribuo.Example<Label>>map(e -> e).toList();
    MutableDataset<Label> ds = new MutableDataset<>(new ListDataSource<>(examples, factory,
        new SimpleDataSourceProvenance("credit-g rows 0-699", factory)));
    return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), EPOCHS, 1000, 1, SEED).train(ds);
  }

  private double accuracy(LinearSGDModel model, List<Row> rows) {
    int correct = 0;
    for (Row r : rows) {
      correct += model.predict(example(r)).getOutput().getLabel().equals(r.getString(LABEL)) ? 1 : 0;
    }
    return correct / (double) rows.size();
  }
}
