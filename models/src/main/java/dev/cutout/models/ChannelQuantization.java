package dev.cutout.models;

import static dev.cutout.models.OnnxFields.*;
import static dev.cutout.models.Protobuf.LENGTH_DELIMITED;
import static dev.cutout.models.Protobuf.forEachField;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cutout's own Fast model: the packaged dynamically quantised ISNet's graph, with two changes that
 * remove most of its error against the Quality model (docs/benchmarks.md, issue 14).
 *
 * <ol>
 *   <li><b>Weights per output channel.</b> The packager rounded each convolution's weights to 256
 *       levels over the whole tensor's range, so channels with small weights keep only a few
 *       levels. Here every output channel gets its own scale: w ≈ (q − 128)·s_c with s_c = max|w_c|
 *       / 127, rounded from the fp16 file's weights. The zero point stays one value (128) per
 *       tensor, which ONNX Runtime's ConvInteger requires; the per-channel scales ride on the Mul
 *       that already rescales each convolution's int32 output, now with a [C,1,1] scale instead of
 *       a scalar.
 *   <li><b>Activation caps.</b> Each convolution's input is quantised at run time to 256 levels
 *       over its own range; on textured photos (gravel, foliage) a few pixels reach 50–500× the
 *       usual values, the step grows accordingly, and the background comes out speckled. A Clip in
 *       front of each DynamicQuantizeLinear bounds the range to what a calibration on freely
 *       licensed photos saw ({@link ActivationCaps}); the quantiser still adapts below the cap.
 * </ol>
 *
 * <p>Nothing else changes: same operators (plus 114 Clips), same speed class, about the same size.
 * The pass refuses graphs it does not understand (shared weight tensors, a convolution without its
 * scale, an uncapped quantiser) rather than guess.
 */
public final class ChannelQuantization {
  private static final int ZERO_POINT = 128;

  private ChannelQuantization() {}

  /** The derived model and what changed. */
  public record Result(byte[] model, int weightsRequantized, int activationsCapped) {}

  /** A tensor as read: its name, type, dimensions and raw bytes. */
  private record Tensor(String name, int type, long[] dims, int rawStart, int rawEnd) {}

  /** One node as read. */
  private record Node(String op, List<String> inputs, List<String> outputs) {}

  /**
   * @param quantised the packaged dynamically quantised model (ConvInteger and
   *     DynamicQuantizeLinear, weights named {@code W_quantized}, {@code W_zero_point}, {@code
   *     W_scale})
   * @param fp16 the packaged fp16 model with the same weights under the names {@code W}
   * @param caps for every DynamicQuantizeLinear's input, the range its values are clipped to
   * @throws IllegalArgumentException when either model is not one this pass understands
   */
  public static Result derive(byte[] quantised, byte[] fp16, ActivationCaps caps) {
    int[] graph = graphOf(quantised);
    List<Node> nodes = new ArrayList<>();
    Map<String, Tensor> initializers = new HashMap<>();
    forEachField(
        quantised,
        graph[0],
        graph[1],
        (f, t, k, s, e) -> {
          if (f == GRAPH_NODE) {
            nodes.add(node(quantised, s, e));
          } else if (f == GRAPH_INITIALIZER) {
            Tensor tensor = tensor(quantised, s, e);
            initializers.put(tensor.name(), tensor);
          }
        });
    Map<String, Tensor> weights = fp16Initializers(fp16);

    Map<String, byte[]> replaced = new HashMap<>();
    Map<String, Integer> readers = new HashMap<>();
    for (Node n : nodes) {
      for (String input : n.inputs()) {
        readers.merge(input, 1, Integer::sum);
      }
    }
    int convolutions = 0;
    for (Node n : nodes) {
      if (!n.op().equals("ConvInteger")) {
        continue;
      }
      if (n.inputs().size() != 4 || !n.inputs().get(1).endsWith("_quantized")) {
        throw new IllegalArgumentException("a ConvInteger not written by a dynamic quantiser");
      }
      String quantisedName = n.inputs().get(1);
      String base = quantisedName.substring(0, quantisedName.length() - "_quantized".length());
      String zeroName = n.inputs().get(3);
      String scaleName = base + "_scale";
      Tensor q = require(initializers, quantisedName);
      Tensor zero = require(initializers, zeroName);
      Tensor scale = require(initializers, scaleName);
      Tensor w = weights.get(base);
      if (w == null || w.type() != FLOAT16) {
        throw new IllegalArgumentException("no fp16 weights named " + base);
      }
      for (String name : List.of(quantisedName, zeroName, scaleName)) {
        if (readers.getOrDefault(name, 0) != 1) {
          throw new IllegalArgumentException(name + " is not read by exactly one node");
        }
      }
      if (q.type() != UINT8 || zero.type() != UINT8 || scale.type() != FLOAT) {
        throw new IllegalArgumentException("unexpected types around " + base);
      }
      if (q.rawStart() < 0) {
        throw new IllegalArgumentException("quantised weights without raw data: " + quantisedName);
      }
      float[] values = halves(fp16, w);
      int channels = (int) q.dims()[0];
      if (values.length != q.rawEnd() - q.rawStart() || values.length % channels != 0) {
        throw new IllegalArgumentException("the weights of " + base + " do not match");
      }
      byte[] levels = new byte[values.length];
      float[] scales = perChannel(values, channels, levels);
      replaced.put(quantisedName, tensorBytes(quantisedName, UINT8, q.dims(), levels));
      replaced.put(zeroName, tensorBytes(zeroName, UINT8, new long[0], new byte[] {(byte) 128}));
      replaced.put(
          scaleName, tensorBytes(scaleName, FLOAT, new long[] {channels, 1, 1}, floats(scales)));
      convolutions++;
    }

    ByteArrayOutputStream capsOut = new ByteArrayOutputStream();
    int[] capped = {0};
    ByteArrayOutputStream graphOut = new ByteArrayOutputStream(graph[1] - graph[0] + 4096);
    forEachField(
        quantised,
        graph[0],
        graph[1],
        (f, t, k, s, e) -> {
          switch (f) {
            case GRAPH_NODE -> {
              Node n = node(quantised, s, e);
              if (n.op().equals("DynamicQuantizeLinear")) {
                String x = n.inputs().getFirst();
                float[] range = caps.of(x);
                String lo = x + "_cap_lo";
                String hi = x + "_cap_hi";
                String clipped = x + "_capped";
                Protobuf.writeLengthDelimited(
                    capsOut,
                    GRAPH_INITIALIZER,
                    tensorBytes(lo, FLOAT, new long[0], floats(range[0])));
                Protobuf.writeLengthDelimited(
                    capsOut,
                    GRAPH_INITIALIZER,
                    tensorBytes(hi, FLOAT, new long[0], floats(range[1])));
                Protobuf.writeLengthDelimited(
                    graphOut,
                    GRAPH_NODE,
                    nodeBytes("Clip", x + "_cap", List.of(x, lo, hi), List.of(clipped)));
                Protobuf.writeLengthDelimited(
                    graphOut, GRAPH_NODE, withFirstInput(quantised, s, e, clipped));
                capped[0]++;
              } else {
                graphOut.write(quantised, k, e - k);
              }
            }
            case GRAPH_INITIALIZER -> {
              byte[] now = replaced.get(tensor(quantised, s, e).name());
              if (now != null) {
                Protobuf.writeLengthDelimited(graphOut, GRAPH_INITIALIZER, now);
              } else {
                graphOut.write(quantised, k, e - k);
              }
            }
            // shape hints; the scales' shapes changed, and ONNX Runtime infers them anyway
            case GRAPH_VALUE_INFO -> {}
            default -> graphOut.write(quantised, k, e - k);
          }
        });
    graphOut.writeBytes(capsOut.toByteArray());
    if (convolutions == 0) {
      throw new IllegalArgumentException("no ConvInteger nodes: not a dynamically quantised model");
    }

    return new Result(withGraph(quantised, graphOut.toByteArray()), convolutions, capped[0]);
  }

  /**
   * The tensors the model quantises at run time (every DynamicQuantizeLinear's input), in graph
   * order: what a calibration must measure.
   */
  public static List<String> quantisedInputs(byte[] quantised) {
    int[] graph = graphOf(quantised);
    List<String> out = new ArrayList<>();
    forEachField(
        quantised,
        graph[0],
        graph[1],
        (f, t, k, s, e) -> {
          if (f == GRAPH_NODE) {
            Node n = node(quantised, s, e);
            if (n.op().equals("DynamicQuantizeLinear") && !out.contains(n.inputs().getFirst())) {
              out.add(n.inputs().getFirst());
            }
          }
        });
    return out;
  }

  /**
   * {@code model} with {@code tensors} added to its graph's outputs (name only; ONNX Runtime infers
   * their types), so that one run returns them: how a calibration reads activations.
   */
  public static byte[] exposing(byte[] model, List<String> tensors) {
    int[] graph = graphOf(model);
    ByteArrayOutputStream graphOut = new ByteArrayOutputStream(graph[1] - graph[0] + 4096);
    graphOut.write(model, graph[0], graph[1] - graph[0]);
    for (String name : tensors) {
      ByteArrayOutputStream info = new ByteArrayOutputStream();
      Protobuf.writeLengthDelimited(info, VALUE_INFO_NAME, name.getBytes(StandardCharsets.UTF_8));
      Protobuf.writeLengthDelimited(graphOut, GRAPH_OUTPUT, info.toByteArray());
    }
    return withGraph(model, graphOut.toByteArray());
  }

  /**
   * Symmetric levels per output channel around the fixed zero point: q = round(w / s_c) + 128 with
   * s_c = max|w_c| / 127, so every channel spans 255 levels whatever its neighbours' sizes.
   */
  static float[] perChannel(float[] values, int channels, byte[] levels) {
    int per = values.length / channels;
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      float max = 0;
      for (int i = c * per; i < (c + 1) * per; i++) {
        max = Math.max(max, Math.abs(values[i]));
      }
      float s = max > 0 ? max / 127f : 1f;
      scales[c] = s;
      for (int i = c * per; i < (c + 1) * per; i++) {
        int q = Math.round(values[i] / s) + ZERO_POINT;
        levels[i] = (byte) Math.clamp(q, 0, 255);
      }
    }
    return scales;
  }

  private static Map<String, Tensor> fp16Initializers(byte[] model) {
    int[] graph = graphOf(model);
    Map<String, Tensor> out = new HashMap<>();
    forEachField(
        model,
        graph[0],
        graph[1],
        (f, t, k, s, e) -> {
          if (f == GRAPH_INITIALIZER) {
            Tensor tensor = tensor(model, s, e);
            out.put(tensor.name(), tensor);
          }
        });
    return out;
  }

  private static Tensor require(Map<String, Tensor> initializers, String name) {
    Tensor t = initializers.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no initializer named " + name);
    }
    return t;
  }

  private static float[] halves(byte[] model, Tensor t) {
    if (t.rawStart() < 0) {
      throw new IllegalArgumentException("fp16 weights without raw data: " + t.name());
    }
    ByteBuffer b =
        ByteBuffer.wrap(model, t.rawStart(), t.rawEnd() - t.rawStart())
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(t.rawEnd() - t.rawStart()) / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.float16ToFloat(b.getShort());
    }
    return out;
  }

  private static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
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
            default -> {}
          }
        });
    return new Node(op[0], inputs, outputs);
  }

  private static Tensor tensor(byte[] b, int from, int to) {
    String[] name = {""};
    int[] type = {0};
    List<Long> dims = new ArrayList<>();
    int[] raw = {-1, -1};
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          switch (f) {
            case TENSOR_NAME -> name[0] = Protobuf.string(b, s, e);
            case TENSOR_DATA_TYPE -> type[0] = (int) Protobuf.varint(b, s);
            case TENSOR_DIMS -> {
              if (t == LENGTH_DELIMITED) {
                int[] pos = {s};
                while (pos[0] < e) {
                  dims.add(Protobuf.varint(b, pos));
                }
              } else {
                dims.add(Protobuf.varint(b, s));
              }
            }
            case TENSOR_RAW_DATA -> {
              raw[0] = s;
              raw[1] = e;
            }
            default -> {}
          }
        });
    return new Tensor(
        name[0], type[0], dims.stream().mapToLong(Long::longValue).toArray(), raw[0], raw[1]);
  }

  private static byte[] tensorBytes(String name, int type, long[] dims, byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + name.length() + 32);
    for (long d : dims) {
      Protobuf.writeVarintField(out, TENSOR_DIMS, d);
    }
    Protobuf.writeVarintField(out, TENSOR_DATA_TYPE, type);
    Protobuf.writeLengthDelimited(out, TENSOR_NAME, name.getBytes(StandardCharsets.UTF_8));
    Protobuf.writeLengthDelimited(out, TENSOR_RAW_DATA, raw);
    return out.toByteArray();
  }

  private static byte[] nodeBytes(
      String op, String name, List<String> inputs, List<String> outputs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String input : inputs) {
      Protobuf.writeLengthDelimited(out, NODE_INPUT, input.getBytes(StandardCharsets.UTF_8));
    }
    for (String output : outputs) {
      Protobuf.writeLengthDelimited(out, NODE_OUTPUT, output.getBytes(StandardCharsets.UTF_8));
    }
    Protobuf.writeLengthDelimited(out, NODE_NAME, name.getBytes(StandardCharsets.UTF_8));
    Protobuf.writeLengthDelimited(out, NODE_OP_TYPE, op.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** The node at {@code from..to} with its first input renamed to {@code input}. */
  private static byte[] withFirstInput(byte[] b, int from, int to, String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + input.length());
    boolean[] first = {true};
    forEachField(
        b,
        from,
        to,
        (f, t, k, s, e) -> {
          if (f == NODE_INPUT && first[0]) {
            first[0] = false;
            Protobuf.writeLengthDelimited(out, NODE_INPUT, input.getBytes(StandardCharsets.UTF_8));
          } else {
            out.write(b, k, e - k);
          }
        });
    return out.toByteArray();
  }
}
