package dev.mlops.benchmarks.serving;

import static dev.mlops.test.onnx.OnnxProtos.floatTensor;
import static dev.mlops.test.onnx.OnnxProtos.floatValue;
import static dev.mlops.test.onnx.OnnxProtos.intAttribute;
import static dev.mlops.test.onnx.OnnxProtos.model;
import static dev.mlops.test.onnx.OnnxProtos.node;

import ai.onnx.proto.OnnxMl;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.repository.VerifiedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The models the serving benchmarks run, built here with the ONNX protobuf classes (this class is the
 * script that makes them; weights come from a fixed seed):
 * <ul>
 *   <li>{@link #mlp}: a multilayer perceptron, {@code inputs -> hidden (ReLU) x layers -> classes
 *       (softmax)}, input float[batch, inputs], output "probabilities" float[batch, classes];
 *   <li>{@link #slow}: {@code chain} MatMuls of a float[batch, n, n] input with one n x n weight,
 *       about a second per call on one thread for n = 1024, chain = 120: it keeps a batching worker
 *       busy.
 * </ul>
 */
public final class BenchmarkModels {
  private static final String PRODUCER = "mlops-benchmarks";

  private BenchmarkModels() {}

  /**
   * An MLP classifier.
   *
   * @param inputs input width
   * @param hidden hidden width
   * @param layers hidden layers
   * @param classes output classes
   * @param seed weight seed
   * @return the ONNX bytes
   */
  public static byte[] mlp(int inputs, int hidden, int layers, int classes, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("mlp");
    g.addInput(floatValue("features", -1, inputs));
    g.addOutput(floatValue("probabilities", -1, classes));
    String x = "features";
    int width = inputs;
    for (int l = 0; l <= layers; l++) {
      int out = l == layers ? classes : hidden;
      double scale = Math.sqrt(2.0 / width);
      g.addInitializer(floatTensor("W" + l, () -> rnd.nextDouble(-1, 1) * scale, width, out));
      g.addInitializer(floatTensor("b" + l, () -> rnd.nextDouble(-0.01, 0.01), out));
      String y = "h" + l;
      g.addNode(node("Gemm", y, x, "W" + l, "b" + l));
      if (l < layers) {
        g.addNode(node("Relu", y + "r", y));
        x = y + "r";
      } else {
        g.addNode(node("Softmax", "probabilities", y).addAttribute(intAttribute("axis", 1)));
      }
      width = out;
    }
    return model(g, PRODUCER);
  }

  /**
   * A deliberately slow model.
   *
   * @param n matrix size
   * @param chain number of chained n x n MatMuls
   * @return the ONNX bytes
   */
  public static byte[] slow(int n, int chain) {
    SplittableRandom rnd = new SplittableRandom(1);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("slow");
    g.addInput(floatValue("x", -1, n, n));
    g.addOutput(floatValue("y", -1, n, n));
    double scale = 1.0 / Math.sqrt(n);
    g.addInitializer(floatTensor("W", () -> rnd.nextDouble(-1, 1) * scale, n, n));
    String prev = "x";
    for (int i = 0; i < chain; i++) {
      String next = i == chain - 1 ? "y" : "m" + i;
      g.addNode(node("MatMul", next, prev, "W"));
      prev = next;
    }
    return model(g, PRODUCER);
  }

  /** Float32 feature columns {@code f0 .. f(n-1)}. */
  static Schema featureSchema(int n) {
    List<Field> fields = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      fields.add(Field.of("f" + i, DataType.FLOAT32, false, Role.FEATURE));
    }
    return Schema.of(fields);
  }

  /** A row of seeded gaussian features. */
  static Row row(Schema schema, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) rnd.nextDouble(-2, 2);
    }
    return Row.of(schema, values);
  }

  /** The row's values as the plain float vector a bare ONNX Runtime caller would build. */
  static float[] vector(Row row) {
    float[] v = new float[row.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = row.getFloat(i);
    }
    return v;
  }

  /**
   * Publishes an MLP classifier into a fresh repository and loads it back verified.
   *
   * @param dir a scratch directory
   * @param inputs input width
   * @param hidden hidden width
   * @param layers hidden layers
   * @param classes classes
   * @return the verified model and the model file
   */
  static Published publishMlp(Path dir, int inputs, int hidden, int layers, int classes) {
    try {
      Path file = Files.write(Files.createDirectories(dir.resolve("src")).resolve("model.onnx"),
          mlp(inputs, hidden, layers, classes, 42));
      Schema in = featureSchema(inputs);
      List<FeatureEncoding> enc = in.names().stream().map(FeatureEncoding::numeric).toList();
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < classes; i++) {
        labels.add("c" + i);
      }
      ModelManifestBuilder b = ModelManifest.builder().format(ModelFormats.ONNX).modelSignature(ModelSignature.of(in,
          Schema.of(Field.of("probabilities", DataType.floatTensor(classes), false, Role.PREDICTION)), enc));
      ServingTags.classification("probabilities", labels).forEach(b::tag);
      ModelRepository repo = ModelRepository.open(dir.resolve("repo"));
      repo.publish("mlp", "1", file, b);
      return new Published(repo.load(ModelRef.parse("mlp/1")), file, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A published model.
   *
   * @param model the verified model
   * @param file its ONNX file, for the baselines
   * @param schema its input schema
   */
  record Published(VerifiedModel model, Path file, Schema schema) {}

  /**
   * Deletes a scratch directory tree.
   *
   * @param dir the directory
   */
  static void deleteTree(Path dir) {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
