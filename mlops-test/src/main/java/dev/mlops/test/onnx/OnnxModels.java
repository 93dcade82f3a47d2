package dev.mlops.test.onnx;

import static dev.mlops.test.onnx.OnnxProtos.floatTensor;
import static dev.mlops.test.onnx.OnnxProtos.floatValue;
import static dev.mlops.test.onnx.OnnxProtos.intAttribute;
import static dev.mlops.test.onnx.OnnxProtos.model;
import static dev.mlops.test.onnx.OnnxProtos.node;

import ai.onnx.proto.OnnxMl;
import java.util.Random;

/**
 * Small ONNX models for tests, built with {@link OnnxProtos}: deterministic for a seed, a few hundred
 * bytes each, covering the shapes serving decodes (a softmax classifier, a wide classifier whose
 * weights make a leaked session visible in resident memory, a linear regressor, a two-input tensor
 * model).
 */
public final class OnnxModels {
  private static final String PRODUCER = "mlops-test";

  private OnnxModels() {}

  /**
   * {@code probabilities = softmax(features W + b)} for features float[batch, inputs]; weights from a
   * seeded random.
   *
   * @param inputs features per row
   * @param classes output scores per row
   * @param seed the weights' seed
   * @return the serialized model
   */
  public static byte[] softmaxClassifier(int inputs, int classes, long seed) {
    Random rnd = new Random(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("softmax");
    g.addInput(floatValue("features", -1, inputs));
    g.addOutput(floatValue("probabilities", -1, classes));
    g.addInitializer(floatTensor("W", rnd::nextGaussian, inputs, classes));
    g.addInitializer(floatTensor("b", rnd::nextGaussian, classes));
    g.addNode(node("Gemm", "logits", "features", "W", "b"));
    g.addNode(node("Softmax", "probabilities", "logits").addAttribute(intAttribute("axis", 1)));
    return model(g, PRODUCER);
  }

  /**
   * {@code probs = softmax(relu(x W1 + b1) W2 + b2)}: a wide hidden layer makes every session hold
   * {@code 4 * hidden * (inputs + classes + 1)} bytes of weights in native memory, so a leaked
   * session shows in the process's resident memory.
   *
   * @param inputs features per row
   * @param hidden width of the hidden layer
   * @param classes output scores per row
   * @param seed the weights' seed
   * @return the serialized model
   */
  public static byte[] wideClassifier(int inputs, int hidden, int classes, long seed) {
    Random rnd = new Random(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("wide");
    g.addInput(floatValue("features", -1, inputs));
    g.addOutput(floatValue("probabilities", -1, classes));
    g.addInitializer(floatTensor("W1", () -> rnd.nextGaussian() * 0.01, inputs, hidden));
    g.addInitializer(floatTensor("b1", () -> 0.0, hidden));
    g.addInitializer(floatTensor("W2", () -> rnd.nextGaussian() * 0.01, hidden, classes));
    g.addInitializer(floatTensor("b2", rnd::nextGaussian, classes));
    g.addNode(node("Gemm", "h", "features", "W1", "b1"));
    g.addNode(node("Relu", "a", "h"));
    g.addNode(node("Gemm", "logits", "a", "W2", "b2"));
    g.addNode(node("Softmax", "probabilities", "logits").addAttribute(intAttribute("axis", 1)));
    return model(g, PRODUCER);
  }

  /**
   * {@code y = x W + b} for x float[batch, inputs], y float[batch, 1].
   *
   * @param inputs features per row
   * @param seed the weights' seed
   * @return the serialized model
   */
  public static byte[] linearRegression(int inputs, long seed) {
    Random rnd = new Random(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("linear");
    g.addInput(floatValue("x", -1, inputs));
    g.addOutput(floatValue("y", -1, 1));
    g.addInitializer(floatTensor("W", rnd::nextGaussian, inputs, 1));
    g.addInitializer(floatTensor("b", rnd::nextGaussian, 1));
    g.addNode(node("Gemm", "y", "x", "W", "b"));
    return model(g, PRODUCER);
  }

  /**
   * {@code sum = a + b}, {@code product = a * b} for a, b float[batch, 3]: a tensor-input model.
   *
   * @return the serialized model
   */
  public static byte[] addMul() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("addmul");
    g.addInput(floatValue("a", -1, 3));
    g.addInput(floatValue("b", -1, 3));
    g.addOutput(floatValue("sum", -1, 3));
    g.addOutput(floatValue("product", -1, 3));
    g.addNode(node("Add", "sum", "a", "b"));
    g.addNode(node("Mul", "product", "a", "b"));
    return model(g, PRODUCER);
  }
}
