package dev.cutout.core;

import java.util.Objects;

/**
 * The subject's mask at the image's full size: 0 is background, 255 is subject.
 *
 * @param width pixels per row
 * @param height rows
 * @param alpha {@code width * height} values, row by row; shared, not copied
 */
public record Mask(int width, int height, byte[] alpha) {
  public Mask {
    Objects.requireNonNull(alpha);
    if ((long) width * height != alpha.length) {
      throw new IllegalArgumentException(
          "mask of " + alpha.length + " is not " + width + "x" + height);
    }
  }

  /** Pixels at or above this mask value are subject (half opaque or more). */
  static final int SUBJECT_ALPHA = 128;

  /** The share of the pixels that must be subject, at least one pixel, for a mask to hold one. */
  static final double MIN_SUBJECT_SHARE = 0.001;

  /**
   * Whether the network found a subject: at least 0.1% of the pixels (and at least one) are half
   * opaque or more. A landscape without a foreground object gives a mask whose highest value is a
   * few percent; the thinnest subjects of the test photos (a rocket and its towers) cover about 1%.
   */
  public boolean hasSubject() {
    return hasSubject(alpha.length);
  }

  /**
   * Whether at least 0.1% of {@code area} pixels (and at least one) are half opaque or more: with a
   * subject box, the share is of the box, since nothing outside it can be subject.
   */
  boolean hasSubject(long area) {
    long needed = Math.max(1, (long) Math.ceil(MIN_SUBJECT_SHARE * area));
    long found = 0;
    for (byte a : alpha) {
      if ((a & 0xFF) >= SUBJECT_ALPHA && ++found >= needed) {
        return true;
      }
    }
    return false;
  }

  /** The mask value at ({@code x}, {@code y}), 0–255. */
  public int at(int x, int y) {
    return alpha[y * width + x] & 0xFF;
  }

  /**
   * Step 5 of the contract: the model's {@code size × size} probabilities, upscaled bilinearly with
   * half-pixel centres to {@code width × height}, clamped to [0, 1], as round(255·p).
   *
   * @throws CutoutException INFERENCE_FAILED when the output holds NaN or is entirely zero, which
   *     the network never produces on a successful run
   */
  static Mask fromProbabilities(float[] probabilities, int size, int width, int height) {
    if (probabilities.length != size * size) {
      throw new IllegalArgumentException("expected " + size * size + " probabilities");
    }
    checkUsable(probabilities);
    BilinearAxis xs = new BilinearAxis(size, width);
    BilinearAxis ys = new BilinearAxis(size, height);
    byte[] out = new byte[Math.multiplyExact(width, height)];
    float[] top = new float[width];
    float[] bottom = new float[width];
    for (int y = 0; y < height; y++) {
      int row0 = ys.lo[y] * size;
      int row1 = ys.hi[y] * size;
      for (int x = 0; x < width; x++) {
        float fx = xs.frac[x];
        float a = probabilities[row0 + xs.lo[x]];
        float b = probabilities[row0 + xs.hi[x]];
        float c = probabilities[row1 + xs.lo[x]];
        float d = probabilities[row1 + xs.hi[x]];
        top[x] = a + (b - a) * fx;
        bottom[x] = c + (d - c) * fx;
      }
      float fy = ys.frac[y];
      int base = y * width;
      for (int x = 0; x < width; x++) {
        out[base + x] = (byte) alpha(top[x] + (bottom[x] - top[x]) * fy);
      }
    }
    return new Mask(width, height, out);
  }

  /**
   * Step 5 with a subject box: the mask of the region the network saw, at the region's size, put in
   * place on an image of {@code width × height}; every pixel outside the box is 0.
   */
  static Mask placed(Mask region, SubjectBox.Placement placement, int width, int height) {
    SubjectBox.Area box = placement.box();
    SubjectBox.Area seen = placement.region();
    if (region.width != seen.width() || region.height != seen.height()) {
      throw new IllegalArgumentException("the region's mask is not " + seen);
    }
    if (box.equals(seen) && box.isWhole(width, height)) {
      return region;
    }
    byte[] out = new byte[Math.multiplyExact(width, height)];
    for (int y = box.y(); y < box.y() + box.height(); y++) {
      System.arraycopy(
          region.alpha,
          (y - seen.y()) * seen.width() + box.x() - seen.x(),
          out,
          y * width + box.x(),
          box.width());
    }
    return new Mask(width, height, out);
  }

  /**
   * Step 4 for models whose output is not a probability ({@code outputScaling: min-max}): the
   * output stretched so that its lowest value becomes 0 and its highest 1; a constant output
   * becomes all zeros. Other models' outputs are returned as they are.
   */
  static float[] scaled(float[] output, ModelSpec model) {
    if (!model.stretchesOutput()) {
      return output;
    }
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : output) {
      if (Float.isNaN(v)) {
        return output; // checkUsable refuses it
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float[] out = new float[output.length];
    float range = max - min;
    if (range > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (output[i] - min) / range;
      }
    }
    return out;
  }

  /** A probability as an alpha value: clamped to [0, 1], then round(255·p), halves up. */
  static int alpha(float probability) {
    float p = probability < 0f ? 0f : Math.min(probability, 1f);
    return Math.round(p * 255f);
  }

  private static void checkUsable(float[] probabilities) {
    boolean anyNonZero = false;
    for (float p : probabilities) {
      if (Float.isNaN(p)) {
        throw new CutoutException(ErrorCode.INFERENCE_FAILED, "the model returned NaN");
      }
      anyNonZero |= p != 0f;
    }
    if (!anyNonZero) {
      throw new CutoutException(
          ErrorCode.INFERENCE_FAILED, "the model returned an all-zero mask, a failed run");
    }
  }
}
