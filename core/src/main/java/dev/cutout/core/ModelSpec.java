package dev.cutout.core;

import java.util.List;

/**
 * One catalogued model: what file it is, how to check it, and how to feed it.
 *
 * @param id the name users pick it by, e.g. {@code isnet-fp16}
 * @param label a short name for people ("Quality", "Fast")
 * @param file the file name in the model store
 * @param resource the key of the model in the source package's {@code resources.json}
 * @param sha256 the SHA-256 of the installed (rewritten) file, lower-case hex
 * @param bytes the installed file's size
 * @param precision weights precision, e.g. {@code fp16} or {@code uint8}
 * @param input the input tensor's name and shape
 * @param output the output tensor's name and shape
 * @param mean per-channel mean subtracted from {@code v / 255}
 * @param std per-channel divisor after the mean
 * @param licence the licence of the weights
 */
public record ModelSpec(
    String id,
    String label,
    String file,
    String resource,
    String sha256,
    long bytes,
    String precision,
    Tensor input,
    Tensor output,
    List<Double> mean,
    List<Double> std,
    String licence) {

  /** A tensor's name and shape. */
  public record Tensor(String name, List<Long> shape) {
    public Tensor {
      shape = List.copyOf(shape);
    }
  }

  public ModelSpec {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.size() != 3 || std.size() != 3) {
      throw new IllegalArgumentException(id + ": mean and std need three channels");
    }
    List<Long> s = input.shape();
    if (s.size() != 4 || s.get(1) != 3 || !s.get(2).equals(s.get(3))) {
      throw new IllegalArgumentException(id + ": input must be [1,3,N,N], not " + s);
    }
  }

  /** The side of the square model input (1024 for ISNet). */
  public int inputSize() {
    return Math.toIntExact(input.shape().get(2));
  }
}
