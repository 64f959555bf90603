package dev.cutout.models;

import static dev.cutout.models.OnnxFields.*;
import static dev.cutout.models.Protobuf.forEachField;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * A measuring tool, not a model Cutout ships: rounds a float32 model's convolution weights to 256
 * levels (uint8, asymmetric, as a dynamic quantiser stores them) and back to float32, leaving
 * everything else as it was. Running the result shows how much of a quantised model's error comes
 * from its weights alone; the rest comes from quantising activations at run time.
 */
public final class WeightQuantization {

  private WeightQuantization() {}

  /** One scale for a whole weight tensor, or one per output channel. */
  public enum Granularity {
    PER_TENSOR,
    PER_CHANNEL
  }

  /**
   * A copy of {@code model} (float32, weights in raw_data) whose Conv weights are rounded to 256
   * levels over their range (0 included) with {@code granularity}; the file keeps its size and
   * layout, only weight values change.
   *
   * @return the number of weight tensors rounded, and the model
   */
  public static Result fakeQuantize(byte[] model, Granularity granularity) {
    byte[] out = model.clone();
    Set<String> weights = new HashSet<>();
    int[] graph = graphOf(model);
    forEachField(
        model,
        graph[0],
        graph[1],
        (f, t, k, s, e) -> {
          if (f == GRAPH_NODE) {
            String[] op = {""};
            java.util.List<String> inputs = new java.util.ArrayList<>();
            forEachField(
                model,
                s,
                e,
                (f2, t2, k2, s2, e2) -> {
                  if (f2 == NODE_OP_TYPE) {
                    op[0] = Protobuf.string(model, s2, e2);
                  } else if (f2 == NODE_INPUT) {
                    inputs.add(Protobuf.string(model, s2, e2));
                  }
                });
            if (op[0].equals("Conv") && inputs.size() > 1) {
              weights.add(inputs.get(1));
            }
          }
        });
    int[] rounded = {0};
    forEachField(
        model,
        graph[0],
        graph[1],
        (f, t, k, s, e) -> {
          if (f == GRAPH_INITIALIZER && roundTensor(model, out, s, e, weights, granularity)) {
            rounded[0]++;
          }
        });
    return new Result(out, rounded[0]);
  }

  /** The rounded model and how many weight tensors it rounded. */
  public record Result(byte[] model, int tensors) {}

  private static boolean roundTensor(
      byte[] model, byte[] out, int from, int to, Set<String> weights, Granularity granularity) {
    String[] name = {""};
    int[] type = {0};
    long[] firstDim = {-1};
    int[] raw = {-1, -1};
    forEachField(
        model,
        from,
        to,
        (f, t, k, s, e) -> {
          switch (f) {
            case TENSOR_NAME -> name[0] = Protobuf.string(model, s, e);
            case TENSOR_DATA_TYPE -> type[0] = (int) Protobuf.varint(model, s);
            case TENSOR_DIMS -> {
              // packed or not, the value at s is the first dimension
              long dim = Protobuf.varint(model, s);
              if (firstDim[0] < 0) {
                firstDim[0] = dim;
              }
            }
            case TENSOR_RAW_DATA -> {
              raw[0] = s;
              raw[1] = e;
            }
            default -> {}
          }
        });
    if (!weights.contains(name[0]) || type[0] != FLOAT || raw[0] < 0) {
      return false;
    }
    FloatBufferView values = new FloatBufferView(out, raw[0], raw[1]);
    int channels = granularity == Granularity.PER_CHANNEL ? (int) firstDim[0] : 1;
    int per = values.length() / channels;
    for (int c = 0; c < channels; c++) {
      float min = 0;
      float max = 0;
      for (int i = c * per; i < (c + 1) * per; i++) {
        min = Math.min(min, values.get(i));
        max = Math.max(max, values.get(i));
      }
      float scale = (max - min) / 255f;
      if (scale == 0) {
        continue;
      }
      float zero = Math.round(-min / scale);
      for (int i = c * per; i < (c + 1) * per; i++) {
        float q = Math.max(0, Math.min(255, Math.round(values.get(i) / scale + zero)));
        values.set(i, (q - zero) * scale);
      }
    }
    return true;
  }

  /** Little-endian float32 values inside a byte array. */
  private static final class FloatBufferView {
    private final ByteBuffer buffer;
    private final int from;
    private final int length;

    FloatBufferView(byte[] bytes, int from, int to) {
      this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      this.from = from;
      this.length = (to - from) / 4;
    }

    int length() {
      return length;
    }

    float get(int i) {
      return buffer.getFloat(from + 4 * i);
    }

    void set(int i, float v) {
      buffer.putFloat(from + 4 * i, v);
    }
  }
}
