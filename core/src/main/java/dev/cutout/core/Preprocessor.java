package dev.cutout.core;

import java.nio.FloatBuffer;

/**
 * Steps 2–3 of the processing contract: resize to the model's square input, bilinear, aspect ratio
 * not preserved, and write the NCHW RGB tensor {@code (v / d - mean) / std}, where {@code d} is
 * 255, or for a model scaled by the image's maximum the largest R, G or B value of the image (at
 * least 1).
 */
final class Preprocessor {
  private Preprocessor() {}

  /**
   * Fills {@code out} (position 0, capacity {@code 3 * size * size}) with the model input for
   * {@code image}.
   */
  static void toTensor(RgbaImage image, ModelSpec model, FloatBuffer out) {
    int size = model.inputSize();
    int plane = size * size;
    if (out.capacity() < 3 * plane) {
      throw new IllegalArgumentException("tensor buffer holds " + out.capacity() + " floats");
    }
    float[] scale = new float[3];
    float[] shift = new float[3];
    double divisor = model.scalesByImageMax() ? largestChannel(image) : 255.0;
    for (int c = 0; c < 3; c++) {
      // (v / d - mean) / std  ==  v * scale + shift
      scale[c] = (float) (1.0 / (divisor * model.std().get(c)));
      shift[c] = (float) (-model.mean().get(c) / model.std().get(c));
    }
    BilinearAxis xs = new BilinearAxis(image.width(), size);
    BilinearAxis ys = new BilinearAxis(image.height(), size);
    int[] px = image.argb();
    int w = image.width();
    float[] r = new float[size];
    float[] g = new float[size];
    float[] b = new float[size];
    for (int y = 0; y < size; y++) {
      int row0 = ys.lo[y] * w;
      int row1 = ys.hi[y] * w;
      float fy = ys.frac[y];
      for (int x = 0; x < size; x++) {
        int x0 = xs.lo[x];
        int x1 = xs.hi[x];
        float fx = xs.frac[x];
        int p00 = px[row0 + x0];
        int p01 = px[row0 + x1];
        int p10 = px[row1 + x0];
        int p11 = px[row1 + x1];
        r[x] =
            lerp2(p00 >> 16 & 0xFF, p01 >> 16 & 0xFF, p10 >> 16 & 0xFF, p11 >> 16 & 0xFF, fx, fy)
                    * scale[0]
                + shift[0];
        g[x] =
            lerp2(p00 >> 8 & 0xFF, p01 >> 8 & 0xFF, p10 >> 8 & 0xFF, p11 >> 8 & 0xFF, fx, fy)
                    * scale[1]
                + shift[1];
        b[x] = lerp2(p00 & 0xFF, p01 & 0xFF, p10 & 0xFF, p11 & 0xFF, fx, fy) * scale[2] + shift[2];
      }
      out.put(y * size, r);
      out.put(plane + y * size, g);
      out.put(2 * plane + y * size, b);
    }
  }

  /** The largest R, G or B value of the image, at least 1 (a black image is divided by 1). */
  static int largestChannel(RgbaImage image) {
    int max = 1;
    for (int p : image.argb()) {
      max = Math.max(max, Math.max(p >> 16 & 0xFF, Math.max(p >> 8 & 0xFF, p & 0xFF)));
      if (max == 255) {
        break;
      }
    }
    return max;
  }

  private static float lerp2(int v00, int v01, int v10, int v11, float fx, float fy) {
    float top = v00 + (v01 - v00) * fx;
    float bottom = v10 + (v11 - v10) * fx;
    return top + (bottom - top) * fy;
  }
}
