package dev.cutout.onnx;

import dev.cutout.core.Mask;

/**
 * Edge steps measured against none: He, Sun and Tang's guided filter on the mask with the photo's
 * luminance as the guide, and a contrast stretch of alpha around one half. Kept in the tests, not
 * the pipeline: see docs/benchmarks.md, "Edges", for what they measured.
 */
final class GuidedFilter {
  private GuidedFilter() {}

  /**
   * @param argb the photo, packed ARGB
   * @param radius the box radius in pixels
   * @param eps regularisation on alpha and luminance in 0..1; larger is smoother
   * @param stretch the slope of alpha around 0.5 afterwards (1 = none)
   */
  static Mask refine(Mask mask, int[] argb, int radius, float eps, float stretch) {
    int w = mask.width();
    int h = mask.height();
    int n = w * h;
    float[] guide = new float[n];
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      int c = argb[i];
      guide[i] =
          (0.299f * (c >> 16 & 0xFF) + 0.587f * (c >> 8 & 0xFF) + 0.114f * (c & 0xFF)) / 255f;
      p[i] = (mask.alpha()[i] & 0xFF) / 255f;
    }
    float[] ii = new float[n];
    float[] ip = new float[n];
    for (int i = 0; i < n; i++) {
      ii[i] = guide[i] * guide[i];
      ip[i] = guide[i] * p[i];
    }
    float[] meanI = box(guide, w, h, radius);
    float[] meanP = box(p, w, h, radius);
    float[] corrI = box(ii, w, h, radius);
    float[] corrIp = box(ip, w, h, radius);
    float[] a = ii;
    float[] b = ip;
    for (int i = 0; i < n; i++) {
      float var = corrI[i] - meanI[i] * meanI[i];
      float cov = corrIp[i] - meanI[i] * meanP[i];
      a[i] = cov / (var + eps);
      b[i] = meanP[i] - a[i] * meanI[i];
    }
    float[] meanA = box(a, w, h, radius);
    float[] meanB = box(b, w, h, radius);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      float q = meanA[i] * guide[i] + meanB[i];
      q = (q - 0.5f) * stretch + 0.5f;
      out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, q)) * 255f);
    }
    return new Mask(w, h, out);
  }

  /** The mean over each pixel's (2r+1)² window, clipped at the borders. */
  private static float[] box(float[] src, int w, int h, int r) {
    float[] rows = new float[src.length];
    double[] prefix = new double[Math.max(w, h) + 1];
    for (int y = 0; y < h; y++) {
      int base = y * w;
      for (int x = 0; x < w; x++) {
        prefix[x + 1] = prefix[x] + src[base + x];
      }
      for (int x = 0; x < w; x++) {
        int x0 = Math.max(0, x - r);
        int x1 = Math.min(w, x + r + 1);
        rows[base + x] = (float) ((prefix[x1] - prefix[x0]) / (x1 - x0));
      }
    }
    float[] out = new float[src.length];
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        prefix[y + 1] = prefix[y] + rows[y * w + x];
      }
      for (int y = 0; y < h; y++) {
        int y0 = Math.max(0, y - r);
        int y1 = Math.min(h, y + r + 1);
        out[y * w + x] = (float) ((prefix[y1] - prefix[y0]) / (y1 - y0));
      }
    }
    return out;
  }

  /** Alpha stretched around one half by {@code slope}, clamped: thresholds at 0.5 are unchanged. */
  static Mask stretch(Mask mask, float slope) {
    byte[] out = new byte[mask.alpha().length];
    for (int i = 0; i < out.length; i++) {
      float q = ((mask.alpha()[i] & 0xFF) / 255f - 0.5f) * slope + 0.5f;
      out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, q)) * 255f);
    }
    return new Mask(mask.width(), mask.height(), out);
  }
}
