package dev.mlops.serving;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds tensors of an ONNX model whose data lives in external files ({@code data_location:
 * EXTERNAL}, how every model over protobuf's 2 GB limit stores its weights). Such a model cannot be
 * served from verified bytes: ONNX Runtime would read the weights from a path of its own choosing,
 * unverified, or fail with an internal error. The scan streams the protobuf wire format over the
 * bytes already in memory, skipping tensor data without copying it, and descends only into the
 * messages that can hold tensors: the graph, its initializers and nodes, node attributes (tensors
 * and subgraphs), sparse tensors, functions and training graphs.
 */
final class OnnxExternalData {
  /** Subgraphs nest (If, Loop, Scan); no real model comes near this, and it bounds the recursion. */
  private static final int MAX_DEPTH = 64;

  /**
   * One tensor stored outside the model file.
   *
   * @param tensor the tensor's name
   * @param location its external file, relative to the model file, or "" when the model names none
   */
  record Reference(String tensor, String location) {}

  private enum Msg { MODEL, GRAPH, NODE, ATTRIBUTE, SPARSE, FUNCTION, TRAINING, TENSOR }

  private OnnxExternalData() {}

  /**
   * The tensors that live in external files.
   *
   * @param model the serialized model
   * @return the references in file order, or empty when the bytes do not parse as the messages the
   *     scan reads (ONNX Runtime then reports what is wrong with them)
   */
  static Optional<List<Reference>> references(byte[] model) {
    List<Reference> out = new ArrayList<>();
    try {
      scan(CodedInputStream.newInstance(model), Msg.MODEL, out, 0);
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static @Nullable Msg child(Msg parent, int field) {
    return switch (parent) {
      case MODEL -> field == OnnxMl.ModelProto.GRAPH_FIELD_NUMBER ? Msg.GRAPH
          : field == OnnxMl.ModelProto.FUNCTIONS_FIELD_NUMBER ? Msg.FUNCTION
          : field == OnnxMl.ModelProto.TRAINING_INFO_FIELD_NUMBER ? Msg.TRAINING : null;
      case GRAPH -> field == OnnxMl.GraphProto.NODE_FIELD_NUMBER ? Msg.NODE
          : field == OnnxMl.GraphProto.INITIALIZER_FIELD_NUMBER ? Msg.TENSOR
          : field == OnnxMl.GraphProto.SPARSE_INITIALIZER_FIELD_NUMBER ? Msg.SPARSE : null;
      case NODE -> field == OnnxMl.NodeProto.ATTRIBUTE_FIELD_NUMBER ? Msg.ATTRIBUTE : null;
      case ATTRIBUTE -> field == OnnxMl.AttributeProto.T_FIELD_NUMBER
          || field == OnnxMl.AttributeProto.TENSORS_FIELD_NUMBER ? Msg.TENSOR
          : field == OnnxMl.AttributeProto.G_FIELD_NUMBER || field == OnnxMl.AttributeProto.GRAPHS_FIELD_NUMBER
              ? Msg.GRAPH
          : field == OnnxMl.AttributeProto.SPARSE_TENSOR_FIELD_NUMBER
              || field == OnnxMl.AttributeProto.SPARSE_TENSORS_FIELD_NUMBER ? Msg.SPARSE : null;
      case SPARSE -> field == OnnxMl.SparseTensorProto.VALUES_FIELD_NUMBER
          || field == OnnxMl.SparseTensorProto.INDICES_FIELD_NUMBER ? Msg.TENSOR : null;
      case FUNCTION -> field == OnnxMl.FunctionProto.NODE_FIELD_NUMBER ? Msg.NODE : null;
      case TRAINING -> field == OnnxMl.TrainingInfoProto.INITIALIZATION_FIELD_NUMBER
          || field == OnnxMl.TrainingInfoProto.ALGORITHM_FIELD_NUMBER ? Msg.GRAPH : null;
      case TENSOR -> null;
    };
  }

  private static void scan(CodedInputStream in, Msg msg, List<Reference> out, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("messages nested deeper than " + MAX_DEPTH);
    }
    if (msg == Msg.TENSOR) {
      tensor(in, out);
      return;
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      Msg c = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
          ? child(msg, WireFormat.getTagFieldNumber(tag)) : null;
      if (c == null) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      scan(in, c, out, depth + 1);
      in.popLimit(limit);
    }
  }

  private static void tensor(CodedInputStream in, List<Reference> out) throws IOException {
    String name = "";
    String location = "";
    boolean external = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == OnnxMl.TensorProto.NAME_FIELD_NUMBER && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        name = in.readString();
      } else if (field == OnnxMl.TensorProto.DATA_LOCATION_FIELD_NUMBER
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
        external = in.readEnum() == OnnxMl.TensorProto.DataLocation.EXTERNAL_VALUE;
      } else if (field == OnnxMl.TensorProto.EXTERNAL_DATA_FIELD_NUMBER
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        String key = "";
        String value = "";
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          int f = WireFormat.getTagFieldNumber(t);
          if (f == OnnxMl.StringStringEntryProto.KEY_FIELD_NUMBER) {
            key = in.readString();
          } else if (f == OnnxMl.StringStringEntryProto.VALUE_FIELD_NUMBER) {
            value = in.readString();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
        if (key.equals("location")) {
          location = value;
        }
      } else {
        in.skipField(tag);
      }
    }
    if (external) {
      out.add(new Reference(name, location));
    }
  }
}
