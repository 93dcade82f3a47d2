package dev.mlops.serving.onnx.internal;

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
public final class OnnxExternalData {
  /** Subgraphs nest (If, Loop, Scan); no real model comes near this, and it bounds the recursion. */
  private static final int MAX_DEPTH = 64;
  // Field numbers (and the EXTERNAL enum value) of onnx.proto in the ONNX repository, fixed by protobuf's
  // compatibility rules; written here so the backend needs no generated ONNX classes.
  private static final int ATTRIBUTE_G = 6;
  private static final int ATTRIBUTE_GRAPHS = 11;
  private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
  private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
  private static final int ATTRIBUTE_T = 5;
  private static final int ATTRIBUTE_TENSORS = 10;
  private static final int DATA_LOCATION_EXTERNAL = 1;
  private static final int FUNCTION_NODE = 7;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_SPARSE_INITIALIZER = 15;
  private static final int MODEL_FUNCTIONS = 25;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_TRAINING_INFO = 20;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int SPARSETENSOR_INDICES = 2;
  private static final int SPARSETENSOR_VALUES = 1;
  private static final int STRINGSTRINGENTRY_KEY = 1;
  private static final int STRINGSTRINGENTRY_VALUE = 2;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_NAME = 8;
  private static final int TRAININGINFO_ALGORITHM = 2;
  private static final int TRAININGINFO_INITIALIZATION = 1;

  /**
   * One tensor stored outside the model file.
   *
   * @param tensor the tensor's name
   * @param location its external file, relative to the model file, or "" when the model names none
   */
  public record Reference(String tensor, String location) {}

  private enum Msg { MODEL, GRAPH, NODE, ATTRIBUTE, SPARSE, FUNCTION, TRAINING, TENSOR }

  private OnnxExternalData() {}

  /**
   * The tensors that live in external files.
   *
   * @param model the serialized model
   * @return the references in file order, or empty when the bytes do not parse as the messages the
   *     scan reads (ONNX Runtime then reports what is wrong with them)
   */
  public static Optional<List<Reference>> references(byte[] model) {
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
      case MODEL -> field == MODEL_GRAPH ? Msg.GRAPH
          : field == MODEL_FUNCTIONS ? Msg.FUNCTION
          : field == MODEL_TRAINING_INFO ? Msg.TRAINING : null;
      case GRAPH -> field == GRAPH_NODE ? Msg.NODE
          : field == GRAPH_INITIALIZER ? Msg.TENSOR
          : field == GRAPH_SPARSE_INITIALIZER ? Msg.SPARSE : null;
      case NODE -> field == NODE_ATTRIBUTE ? Msg.ATTRIBUTE : null;
      case ATTRIBUTE -> field == ATTRIBUTE_T
          || field == ATTRIBUTE_TENSORS ? Msg.TENSOR
          : field == ATTRIBUTE_G || field == ATTRIBUTE_GRAPHS
              ? Msg.GRAPH
          : field == ATTRIBUTE_SPARSE_TENSOR
              || field == ATTRIBUTE_SPARSE_TENSORS ? Msg.SPARSE : null;
      case SPARSE -> field == SPARSETENSOR_VALUES
          || field == SPARSETENSOR_INDICES ? Msg.TENSOR : null;
      case FUNCTION -> field == FUNCTION_NODE ? Msg.NODE : null;
      case TRAINING -> field == TRAININGINFO_INITIALIZATION
          || field == TRAININGINFO_ALGORITHM ? Msg.GRAPH : null;
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
      if (field == TENSOR_NAME && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        name = in.readString();
      } else if (field == TENSOR_DATA_LOCATION
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
        external = in.readEnum() == DATA_LOCATION_EXTERNAL;
      } else if (field == TENSOR_EXTERNAL_DATA
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        String key = "";
        String value = "";
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          int f = WireFormat.getTagFieldNumber(t);
          if (f == STRINGSTRINGENTRY_KEY) {
            key = in.readString();
          } else if (f == STRINGSTRINGENTRY_VALUE) {
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
