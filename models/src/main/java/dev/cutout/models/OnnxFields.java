package dev.cutout.models;

import static dev.cutout.models.Protobuf.LENGTH_DELIMITED;
import static dev.cutout.models.Protobuf.forEachField;

import java.io.ByteArrayOutputStream;

/**
 * The field numbers of onnx.proto3 that the model rewrites read and write, in one place, and the
 * two steps every rewrite shares: finding the model's graph, and putting a new one in its place.
 */
final class OnnxFields {
  // ModelProto
  static final int MODEL_GRAPH = 7;
  // GraphProto
  static final int GRAPH_NODE = 1;
  static final int GRAPH_INITIALIZER = 5;
  static final int GRAPH_INPUT = 11;
  static final int GRAPH_OUTPUT = 12;
  static final int GRAPH_VALUE_INFO = 13;
  // NodeProto
  static final int NODE_INPUT = 1;
  static final int NODE_OUTPUT = 2;
  static final int NODE_NAME = 3;
  static final int NODE_OP_TYPE = 4;
  static final int NODE_ATTRIBUTE = 5;
  // AttributeProto
  static final int ATTRIBUTE_NAME = 1;
  static final int ATTRIBUTE_I = 3;
  static final int ATTRIBUTE_TENSOR = 5;
  static final int ATTRIBUTE_GRAPH = 6;
  static final int ATTRIBUTE_TENSORS = 10;
  static final int ATTRIBUTE_GRAPHS = 11;
  // TensorProto
  static final int TENSOR_DIMS = 1;
  static final int TENSOR_DATA_TYPE = 2;
  static final int TENSOR_INT32_DATA = 5;
  static final int TENSOR_NAME = 8;
  static final int TENSOR_RAW_DATA = 9;
  // ValueInfoProto
  static final int VALUE_INFO_NAME = 1;
  // TensorProto.DataType
  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int FLOAT16 = 10;

  private OnnxFields() {}

  /**
   * Where the model's graph lies: {start, end} of its payload.
   *
   * @throws IllegalArgumentException when the bytes hold no graph
   */
  static int[] graphOf(byte[] model) {
    int[] graph = {-1, -1};
    forEachField(
        model,
        0,
        model.length,
        (f, t, k, s, e) -> {
          if (f == MODEL_GRAPH && t == LENGTH_DELIMITED) {
            graph[0] = s;
            graph[1] = e;
          }
        });
    if (graph[0] < 0) {
      throw new IllegalArgumentException("not an ONNX model: no graph");
    }
    return graph;
  }

  /**
   * A copy of {@code model} with its graph replaced by {@code graph}; every other field as it was.
   */
  static byte[] withGraph(byte[] model, byte[] graph) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + graph.length);
    forEachField(
        model,
        0,
        model.length,
        (f, t, k, s, e) -> {
          if (f == MODEL_GRAPH && t == LENGTH_DELIMITED) {
            Protobuf.writeLengthDelimited(out, MODEL_GRAPH, graph);
          } else {
            out.write(model, k, e - k);
          }
        });
    return out.toByteArray();
  }
}
