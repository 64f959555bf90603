package dev.cutout.models;

import static dev.cutout.models.OnnxFields.*;
import static dev.cutout.models.Protobuf.LENGTH_DELIMITED;
import static dev.cutout.models.Protobuf.VARINT;
import static dev.cutout.models.Protobuf.forEachField;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives an all-float32 model from an fp16 one: every fp16 initializer is widened to float32 and
 * every Cast node is dropped, its consumers reading its input instead.
 *
 * <p>Why: WebGPU without the {@code shader-f16} feature (NVIDIA under Chromium's Vulkan backend,
 * for one) cannot run fp16 kernels, and the uint8 file's ConvInteger nodes have no WebGPU kernels
 * at all, so a float32 graph of plain convolutions is the only ISNet that runs there entirely on
 * the GPU. Widening is exact (every fp16 value is a float32 value); the packaged fp16 graph
 * computes in fp16 between its Casts, so the widened graph's output differs from it by fp16
 * rounding only.
 *
 * <p>The pass refuses graphs it does not understand rather than guess: Casts to anything but
 * float16 or float32, fp16 tensors other than initializers, subgraphs. Value-info entries (optional
 * shape and type hints) are dropped, since the casts they described are gone; the graph's inputs
 * and outputs are kept and must be float32 already.
 */
final class Fp16Widening {

  private Fp16Widening() {}

  /** The float32 model and what changed. */
  record Result(byte[] model, int initializersWidened, int castsDropped) {}

  /** One node as read: where it is, its op, its inputs and outputs. */
  private record Node(int start, int end, String op, List<String> inputs, List<String> outputs) {}

  /**
   * @throws IllegalArgumentException when the model is not one this pass understands
   */
  static Result widen(byte[] model) {
    int[] counts = new int[2];
    int[] graph = graphOf(model);
    byte[] widened = withGraph(model, graph(model, graph[0], graph[1], counts));
    return new Result(widened, counts[0], counts[1]);
  }

  private static byte[] graph(byte[] b, int from, int to, int[] counts) {
    List<Node> nodes = new ArrayList<>();
    Set<String> graphInputs = new HashSet<>();
    Set<String> graphOutputs = new HashSet<>();
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == GRAPH_NODE) {
            nodes.add(node(b, s, e));
          } else if (f == GRAPH_INPUT) {
            graphInputs.add(valueInfoName(b, s, e));
          } else if (f == GRAPH_OUTPUT) {
            graphOutputs.add(valueInfoName(b, s, e));
          }
        });
    Map<String, String> renamed = castRenames(nodes, graphInputs, graphOutputs);

    ByteArrayOutputStream out = new ByteArrayOutputStream(2 * (to - from));
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          switch (f) {
            case GRAPH_NODE -> {
              Node node = node(b, s, e);
              if (node.op().equals("Cast")) {
                counts[1]++;
              } else {
                Protobuf.writeLengthDelimited(out, GRAPH_NODE, renameNode(b, node, renamed));
              }
            }
            case GRAPH_INITIALIZER -> {
              byte[] tensor = widenTensor(b, s, e);
              if (tensor != null) {
                counts[0]++;
                Protobuf.writeLengthDelimited(out, GRAPH_INITIALIZER, tensor);
              } else {
                out.write(b, k, e - k);
              }
            }
            case GRAPH_VALUE_INFO -> {} // hints about the casts' types; ONNX Runtime infers them
            default -> out.write(b, k, e - k);
          }
        });
    return out.toByteArray();
  }

  /**
   * Which tensor names a dropped Cast's readers must read instead. A chain of casts collapses to
   * its first input; where the cast produced a graph output, the producer of its input is renamed
   * to the output's name instead, so the model's output keeps its name.
   */
  private static Map<String, String> castRenames(
      List<Node> nodes, Set<String> graphInputs, Set<String> graphOutputs) {
    Map<String, String> castInput = new HashMap<>();
    for (Node n : nodes) {
      if (n.op().equals("Cast")) {
        if (n.inputs().size() != 1 || n.outputs().size() != 1) {
          throw new IllegalArgumentException("a Cast with other than one input and output");
        }
        castInput.put(n.outputs().getFirst(), n.inputs().getFirst());
      }
    }
    Map<String, String> renamed = new HashMap<>();
    for (String output : castInput.keySet()) {
      String source = output;
      while (castInput.containsKey(source)) {
        source = castInput.get(source);
      }
      renamed.put(output, source);
    }
    for (String output : graphOutputs) {
      String source = renamed.get(output);
      if (source == null) {
        continue;
      }
      if (graphInputs.contains(source) || graphOutputs.contains(source)) {
        throw new IllegalArgumentException("a graph output is a cast of a graph input or output");
      }
      // every name of the chain, and its source, now means the graph output
      for (Map.Entry<String, String> e : renamed.entrySet()) {
        if (e.getValue().equals(source)) {
          e.setValue(output);
        }
      }
      renamed.put(source, output);
    }
    return renamed;
  }

  private static Node node(byte[] b, int from, int to) {
    String[] op = {""};
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          switch (f) {
            case NODE_INPUT -> inputs.add(Protobuf.string(b, s, e));
            case NODE_OUTPUT -> outputs.add(Protobuf.string(b, s, e));
            case NODE_OP_TYPE -> op[0] = Protobuf.string(b, s, e);
            case NODE_ATTRIBUTE -> checkAttribute(b, s, e);
            default -> {}
          }
        });
    Node node = new Node(from, to, op[0], inputs, outputs);
    if (node.op().equals("Cast")) {
      int target = castTarget(b, from, to);
      if (target != FLOAT && target != FLOAT16) {
        throw new IllegalArgumentException("a Cast to data type " + target);
      }
    }
    return node;
  }

  private static int castTarget(byte[] b, int from, int to) {
    int[] target = {-1};
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == NODE_ATTRIBUTE) {
            String[] name = {""};
            long[] value = {-1};
            forEachField(
                b,
                s,
                e,
                (f2, t2, k2, s2, e2) -> {
                  if (f2 == ATTRIBUTE_NAME) {
                    name[0] = Protobuf.string(b, s2, e2);
                  } else if (f2 == ATTRIBUTE_I && t2 == VARINT) {
                    value[0] = Protobuf.varint(b, s2);
                  }
                });
            if (name[0].equals("to")) {
              target[0] = (int) value[0];
            }
          }
        });
    return target[0];
  }

  /** fp16 constants and subgraphs are not handled: refuse them instead of leaving fp16 behind. */
  private static void checkAttribute(byte[] b, int from, int to) {
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == ATTRIBUTE_GRAPH || f == ATTRIBUTE_GRAPHS) {
            throw new IllegalArgumentException("subgraphs are not widened");
          }
          if ((f == ATTRIBUTE_TENSOR || f == ATTRIBUTE_TENSORS) && dataType(b, s, e) == FLOAT16) {
            throw new IllegalArgumentException("an fp16 tensor in a node attribute");
          }
        });
  }

  private static byte[] renameNode(byte[] b, Node node, Map<String, String> renamed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(node.end() - node.start() + 16);
    forEachField(
        b,
        node.start(),
        node.end(),
        (f, t, k, s, e) -> {
          if (f == NODE_INPUT || f == NODE_OUTPUT) {
            String name = Protobuf.string(b, s, e);
            String now = renamed.getOrDefault(name, name);
            Protobuf.writeLengthDelimited(
                out, f, now.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          } else {
            out.write(b, k, e - k);
          }
        });
    return out.toByteArray();
  }

  private static int dataType(byte[] b, int from, int to) {
    int[] type = {0};
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == TENSOR_DATA_TYPE && t == VARINT) {
            type[0] = (int) Protobuf.varint(b, s);
          }
        });
    return type[0];
  }

  /** The tensor as float32 with its values in raw_data, or null when it is not fp16. */
  private static byte[] widenTensor(byte[] b, int from, int to) {
    if (dataType(b, from, to) != FLOAT16) {
      return null;
    }
    List<Float> fromInts = new ArrayList<>();
    byte[][] raw = {null};
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == TENSOR_RAW_DATA) {
            raw[0] = java.util.Arrays.copyOfRange(b, s, e);
          } else if (f == TENSOR_INT32_DATA) {
            // fp16 values stored as the low 16 bits of int32s, packed or one per field
            if (t == LENGTH_DELIMITED) {
              int[] pos = {s};
              while (pos[0] < e) {
                fromInts.add(Float.float16ToFloat((short) Protobuf.varint(b, pos)));
              }
            } else {
              fromInts.add(Float.float16ToFloat((short) Protobuf.varint(b, s)));
            }
          }
        });
    ByteBuffer floats;
    if (raw[0] != null) {
      ByteBuffer halves = ByteBuffer.wrap(raw[0]).order(ByteOrder.LITTLE_ENDIAN);
      floats = ByteBuffer.allocate(raw[0].length * 2).order(ByteOrder.LITTLE_ENDIAN);
      while (halves.hasRemaining()) {
        floats.putFloat(Float.float16ToFloat(halves.getShort()));
      }
    } else {
      floats = ByteBuffer.allocate(fromInts.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
      fromInts.forEach(floats::putFloat);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(floats.capacity() + 64);
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          switch (f) {
            case TENSOR_DATA_TYPE -> {
              out.write(TENSOR_DATA_TYPE << 3 | VARINT);
              out.write(FLOAT);
            }
            case TENSOR_RAW_DATA, TENSOR_INT32_DATA -> {}
            default -> out.write(b, k, e - k);
          }
        });
    Protobuf.writeLengthDelimited(out, TENSOR_RAW_DATA, floats.array());
    return out.toByteArray();
  }

  private static String valueInfoName(byte[] b, int from, int to) {
    String[] name = {""};
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == VALUE_INFO_NAME) {
            name[0] = Protobuf.string(b, s, e);
          }
        });
    return name[0];
  }
}
