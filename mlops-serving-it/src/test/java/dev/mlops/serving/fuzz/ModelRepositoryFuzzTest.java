package dev.mlops.serving.fuzz;

import dev.mlops.core.fuzz.Verdicts;
import dev.mlops.core.fuzz.BoundedFuzzTest;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.repository.VerifiedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fuzzes what a {@link ModelRepository} reads from its directory besides the manifest: alias files,
 * and Tribuo models in their protobuf artifact.
 * <ul>
 *   <li>{@link #aliasFile}: the bytes become the alias file of a repository holding versions 1 and 2;
 *       resolving the alias either is refused with an {@code MlopsException} or names a valid version,
 *       the file's trimmed text, which {@link ModelRepository#aliases} agrees with and which loads when
 *       it is published.</li>
 *   <li>{@link #tribuoProtobuf}: the bytes are published as a {@code tribuo-protobuf} artifact (so the
 *       manifest's digest matches and the parser is reached) with the input schema and feature
 *       encoding of the seed models; loading and building a predictor either is refused with an
 *       {@code MlopsException}, or gives a predictor whose predictions are finite scores with the
 *       top-scoring label, or an {@code MlopsException} per prediction; never a label for scores that
 *       are not numbers.</li>
 * </ul>
 */
class ModelRepositoryFuzzTest {
  /** The input schema of the seed models (see {@link SeedCorpusWriterTest}). */
  static final Schema INPUTS = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT64),
      Field.of("c", DataType.STRING));
  /** Their feature encoding: x and y as they are, c one-hot over red and blue. */
  static final List<FeatureEncoding> ENCODING = List.of(FeatureEncoding.numeric("x"), FeatureEncoding.numeric("y"),
      FeatureEncoding.oneHot("c", "red"), FeatureEncoding.oneHot("c", "blue"));
  /**
   * Rows to predict, each with a non-zero feature: a row whose features are all zero (an unseen category,
   * zeros elsewhere) reaches Tribuo as an example without features, which Tribuo refuses with a raw
   * IllegalArgumentException; that is the predictor's behaviour (issue 8, C2), not the protobuf reader's.
   */
  private static final List<Row> ROWS = List.of(Row.of(INPUTS, 0.5, -1.0, "red"), Row.of(INPUTS, 3.0, 2.0, "blue"),
      Row.of(INPUTS, -2.0, 0.0, "green"));
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private static final Path ROOT = scratch();
  private static final ModelRepository REPO = repository();
  private static final AtomicLong VERSIONS = new AtomicLong();

  private static Path scratch() {
    try {
      Path parent = Files.createDirectories(Path.of("target", "fuzz-scratch"));
      Path dir = Files.createTempDirectory(parent, "repo-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ModelRepository repository() {
    ModelRepository repo = ModelRepository.open(ROOT.resolve("repo"));
    try {
      Path artifact = Files.writeString(ROOT.resolve("model.bin"), "not parsed by publish or load");
      for (String v : List.of("1", "2")) {
        repo.publish("m", v, artifact, ModelManifest.builder().format("opaque").createdAt(CREATED));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    repo.setAlias("m", "champion", "1");
    return repo;
  }

  @BoundedFuzzTest
  void aliasFile(byte[] input) throws IOException {
    Path file = ROOT.resolve("repo").resolve("m").resolve("_aliases").resolve("champion");
    Files.write(file, input);
    ModelRef ref = ModelRef.ofAlias("m", "champion");
    String version = Verdicts.parse("ModelRepository.resolve", () -> REPO.resolve(ref));
    if (version == null) {
      return;
    }
    String text = new String(input, StandardCharsets.UTF_8).trim();
    if (!version.equals(text)) {
      throw new AssertionError("alias file '" + text + "' resolved to version '" + version + "'");
    }
    Verdicts.accepted("a version named by an alias", () -> ModelRef.ofVersion("m", version));
    Map<String, String> aliases = Verdicts.accepted("ModelRepository.aliases", () -> REPO.aliases("m"));
    if (!version.equals(aliases.get("champion"))) {
      throw new AssertionError("aliases() says champion is " + aliases.get("champion") + ", resolve says " + version);
    }
    VerifiedModel m = Verdicts.parse("ModelRepository.load", () -> REPO.load(ref));
    if ((m != null) != List.of("1", "2").contains(version) || m != null && !m.version().equals(version)) {
      throw new AssertionError("alias to version '" + version + "' loaded " + (m == null ? "nothing" : m.version()));
    }
  }

  @BoundedFuzzTest
  void tribuoProtobuf(byte[] input) throws IOException {
    String version = "v" + VERSIONS.incrementAndGet();
    Path artifact = Files.write(ROOT.resolve("model.tribuo"), input);
    Schema outputs = Schema.of(Field.of("output", DataType.floatTensor(2), false, Role.PREDICTION));
    REPO.publish("tribuo", version, artifact, ModelManifest.builder().format(ModelFormats.TRIBUO_PROTOBUF)
        .createdAt(CREATED).modelSignature(ModelSignature.of(INPUTS, outputs, ENCODING)));
    try {
      VerifiedModel model = Verdicts.accepted("ModelRepository.load of a version just published", () ->
          REPO.load(ModelRef.ofVersion("tribuo", version)));
      try (Predictor p = Verdicts.parse("Predictor.build (tribuo-protobuf)", () ->
          Predictor.builder(model).build())) {
        if (p == null) {
          return;
        }
        for (Row row : ROWS) {
          Prediction pr = Verdicts.parse("Predictor.predict (tribuo-protobuf)", () -> p.predict(row));
          if (pr != null) {
            checkPrediction(pr);
          }
        }
      }
    } finally {
      delete(ROOT.resolve("repo").resolve("tribuo").resolve(version));
    }
  }

  private static void checkPrediction(Prediction p) {
    switch (p.kind()) {
      case CLASSIFICATION -> {
        Prediction.Classification c = p.asClassification();
        Map<String, Double> scores = c.scores();
        if (!scores.values().stream().allMatch(Double::isFinite)) {
          throw new AssertionError("a Tribuo model predicted label '" + c.label().orElse("(none)") + "' with scores "
              + scores + "; a prediction whose scores are not finite must be an error, never a label");
        }
        String label = c.requireLabel();
        double best = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        if (!scores.containsKey(label) || scores.get(label) != best) {
          throw new AssertionError("label '" + label + "' is not the top score of " + scores);
        }
      }
      case REGRESSION -> {
        for (double v : p.asRegression().values()) {
          if (!Double.isFinite(v)) {
            throw new AssertionError("a Tribuo regressor predicted " + v + "; a prediction that is not finite must be"
                + " an error");
          }
        }
      }
      default -> throw new AssertionError("a Tribuo model gave a " + p.kind() + " prediction");
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
