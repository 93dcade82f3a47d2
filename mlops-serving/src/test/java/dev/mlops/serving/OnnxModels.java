package dev.mlops.serving;

import ai.onnx.proto.OnnxMl;
import java.util.Random;

/** Small ONNX models built with the ONNX protobuf classes shipped in Tribuo's ONNX utilities. */
final class OnnxModels {
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

  private OnnxModels() {}

  /** {@code probs = softmax(x W + b)} for x float[batch, inputs]; weights from a seeded random. */
  static byte[] softmaxClassifier(int inputs, int classes, long seed) {
    Random rnd = new Random(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("softmax");
    g.addInput(floatInput("features", -1, inputs));
    g.addOutput(floatInput("probabilities", -1, classes));
    g.addInitializer(randomTensor("W", rnd, inputs, classes));
    g.addInitializer(randomTensor("b", rnd, classes));
    g.addNode(node("Gemm", new String[] {"features", "W", "b"}, "logits"));
    g.addNode(node("Softmax", new String[] {"logits"}, "probabilities")
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
            .setType(OnnxMl.AttributeProto.AttributeType.INT)));
    return model(g);
  }

  /** {@code y = x W + b} for x float[batch, inputs], y float[batch, 1]. */
  static byte[] linearRegression(int inputs, long seed) {
    Random rnd = new Random(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("linear");
    g.addInput(floatInput("x", -1, inputs));
    g.addOutput(floatInput("y", -1, 1));
    g.addInitializer(randomTensor("W", rnd, inputs, 1));
    g.addInitializer(randomTensor("b", rnd, 1));
    g.addNode(node("Gemm", new String[] {"x", "W", "b"}, "y"));
    return model(g);
  }

  /** {@code sum = a + b}, {@code product = a * b} for a, b float[batch, 3]: a tensor-input model. */
  static byte[] addMul() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("addmul");
    g.addInput(floatInput("a", -1, 3));
    g.addInput(floatInput("b", -1, 3));
    g.addOutput(floatInput("sum", -1, 3));
    g.addOutput(floatInput("product", -1, 3));
    g.addNode(node("Add", new String[] {"a", "b"}, "sum"));
    g.addNode(node("Mul", new String[] {"a", "b"}, "product"));
    return model(g);
  }

  private static byte[] model(OnnxMl.GraphProto.Builder g) {
    return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("mlops-serving-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(g).build().toByteArray();
  }

  private static OnnxMl.NodeProto.Builder node(String op, String[] inputs, String output) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "_" + output)
        .addOutput(output);
    for (String i : inputs) {
      n.addInput(i);
    }
    return n;
  }

  private static OnnxMl.ValueInfoProto floatInput(String name, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
  }

  private static OnnxMl.TensorProto randomTensor(String name, Random rnd, long... dims) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT);
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (long i = 0; i < n; i++) {
      t.addFloatData((float) rnd.nextGaussian());
    }
    return t.build();
  }
}
