package dev.mlops.test.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.function.DoubleSupplier;

/**
 * Small builders over the ONNX protobuf classes (shipped in Tribuo's ONNX utilities) for the test and
 * benchmark models that are made in Java rather than exported from a framework.
 */
@SuppressWarnings("exports") // tribuo-util-onnx is optional: module-info requires it static, not transitive
public final class OnnxProtos {
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

  private OnnxProtos() {}

  /**
   * A model of one graph, IR version 8, default opset 13.
   *
   * @param graph the graph
   * @param producer the producer name recorded in the model
   * @return the serialized model
   */
  public static byte[] model(OnnxMl.GraphProto.Builder graph, String producer) {
    return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName(producer)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph).build().toByteArray();
  }

  /**
   * A node with one output.
   *
   * @param op the operator type
   * @param output the output name
   * @param inputs the input names
   * @return the node builder (add attributes to it)
   */
  public static OnnxMl.NodeProto.Builder node(String op, String output, String... inputs) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "_" + output)
        .addOutput(output);
    for (String i : inputs) {
      n.addInput(i);
    }
    return n;
  }

  /**
   * An integer attribute.
   *
   * @param name the attribute name
   * @param value its value
   * @return the attribute
   */
  public static OnnxMl.AttributeProto intAttribute(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setI(value)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build();
  }

  /**
   * A float tensor input or output; negative dimensions are the dynamic {@code batch}.
   *
   * @param name the value name
   * @param dims the dimensions
   * @return the value info
   */
  public static OnnxMl.ValueInfoProto floatValue(String name, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
  }

  /**
   * A float initializer filled from a source of values.
   *
   * @param name the initializer name
   * @param values supplies each element in row-major order
   * @param dims the dimensions
   * @return the tensor
   */
  public static OnnxMl.TensorProto floatTensor(String name, DoubleSupplier values, long... dims) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT);
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (long i = 0; i < n; i++) {
      t.addFloatData((float) values.getAsDouble());
    }
    return t.build();
  }
}
