package dev.mlops.serving.soak;

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
import dev.mlops.serving.ServingTags;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The soak's model: the toy classifier of the serving tests (four typed fields, five encoded
 * features, three labels) with a wide hidden layer, published through the public repository API.
 */
final class SoakModel {
  static final String NAME = "soak";
  static final Schema SCHEMA = Schema.of(List.of(Field.of("x1", DataType.FLOAT64), Field.of("x2", DataType.INT64),
      Field.of("color", DataType.STRING), Field.of("flag", DataType.BOOLEAN)));
  static final List<FeatureEncoding> ENCODING = List.of(FeatureEncoding.numeric("x1"),
      FeatureEncoding.numeric("x2"), FeatureEncoding.oneHot("color", "red"),
      FeatureEncoding.oneHot("color", "blue"), FeatureEncoding.numeric("flag"));
  static final List<String> LABELS = List.of("a", "b", "c");
  private static final String OUTPUT = "probabilities";
  private static final int INPUTS = 5;
  /**
   * 16,384 hidden units: 590 KB of weights per session and about 1 ms per batch of 16 rows, so the
   * callers get many requests through while the routes change; the soak loads hundreds of sessions
   * (thousands in the long run), so leaking them shows in resident memory.
   */
  static final int HIDDEN = 16_384;

  private SoakModel() {}

  /**
   * {@code probs = softmax(relu(x W1 + b1) W2 + b2)}, weights from a seeded random.
   *
   * @param seed the weights' seed: equal seeds give equal models
   * @return the serialized ONNX model
   */
  static byte[] onnx(long seed) {
    Random rnd = new Random(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("soak");
    g.addInput(floatValue("features", -1, INPUTS));
    g.addOutput(floatValue(OUTPUT, -1, LABELS.size()));
    g.addInitializer(floatTensor("W1", () -> rnd.nextGaussian() * 0.01, INPUTS, HIDDEN));
    g.addInitializer(floatTensor("b1", () -> 0.0, HIDDEN));
    g.addInitializer(floatTensor("W2", () -> rnd.nextGaussian() * 0.01, HIDDEN, LABELS.size()));
    g.addInitializer(floatTensor("b2", rnd::nextGaussian, LABELS.size()));
    g.addNode(node("Gemm", "h", "features", "W1", "b1"));
    g.addNode(node("Relu", "a", "h"));
    g.addNode(node("Gemm", "logits", "a", "W2", "b2"));
    g.addNode(node("Softmax", OUTPUT, "logits").addAttribute(intAttribute("axis", 1)));
    return model(g, "mlops-serving-soak");
  }

  /**
   * The manifest of every published version: ONNX, the signature above, a classification output.
   *
   * @return a fresh builder (publishing fills in name, version and digest)
   */
  static ModelManifestBuilder manifest() {
    ModelManifestBuilder b = ModelManifest.builder().format(ModelFormats.ONNX)
        .modelSignature(ModelSignature.of(SCHEMA,
            Schema.of(List.of(Field.of(OUTPUT, DataType.floatTensor(LABELS.size()), false, Role.PREDICTION))),
            ENCODING));
    ServingTags.classification(OUTPUT, LABELS).forEach(b::tag);
    return b;
  }

  /**
   * Rows with every field set and finite.
   *
   * @param n how many
   * @param seed the seed
   * @return the rows
   */
  static List<Row> rows(int n, long seed) {
    Random rnd = new Random(seed);
    String[] colors = {"red", "blue", "green"};
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Row.of(SCHEMA, rnd.nextGaussian(), (long) rnd.nextInt(5), colors[rnd.nextInt(3)], rnd.nextBoolean()));
    }
    return out;
  }
}
