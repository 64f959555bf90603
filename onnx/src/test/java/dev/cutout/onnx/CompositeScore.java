package dev.cutout.onnx;

import dev.cutout.core.Mask;
import java.awt.image.BufferedImage;

/**
 * How good a mask is on a composite whose true alpha and foreground colour are known: IoU, alpha
 * error, and the band error a person sees as a halo.
 *
 * @param iou intersection over union of alpha ≥ 0.5
 * @param mae mean |α − α_true| over the image, 0..1
 * @param band mean |R − T| per channel, 0..1, inside a {@value #BAND}-pixel band around the true
 *     edge, where R is the cut-out over a new background B and T the true subject over it, averaged
 *     over a black and a white B
 */
record CompositeScore(double iou, double mae, double band) {
  /** The band's half-width around the true edge, in pixels (testdata/README.md). */
  static final int BAND = 10;

  /** The truth of one composite: its image's pixels, its alpha, its foreground colour. */
  record Truth(int width, int height, int[] image, byte[] alpha, int[] foreground) {
    static Truth of(BufferedImage image, BufferedImage alpha, BufferedImage foreground) {
      int w = image.getWidth();
      int h = image.getHeight();
      byte[] a = new byte[w * h];
      alpha.getRaster().getDataElements(0, 0, w, h, a);
      return new Truth(
          w, h, image.getRGB(0, 0, w, h, null, 0, w), a, foreground.getRGB(0, 0, w, h, null, 0, w));
    }

    int alphaAt(int i) {
      return alpha[i] & 0xFF;
    }
  }

  static CompositeScore of(Mask mask, Truth truth) {
    if (mask.width() != truth.width() || mask.height() != truth.height()) {
      throw new IllegalArgumentException("mask and truth differ in size");
    }
    byte[] alpha = mask.alpha();
    boolean[] band = band(truth);
    long inter = 0;
    long union = 0;
    double err = 0;
    double bandErr = 0;
    long bandPixels = 0;
    for (int i = 0; i < alpha.length; i++) {
      int p = alpha[i] & 0xFF;
      int t = truth.alphaAt(i);
      inter += p >= 128 && t >= 128 ? 1 : 0;
      union += p >= 128 || t >= 128 ? 1 : 0;
      err += Math.abs(p - t);
      if (band[i]) {
        bandPixels++;
        int c = truth.image()[i];
        int f = truth.foreground()[i];
        for (int shift = 0; shift <= 16; shift += 8) {
          double cut = (c >> shift & 0xFF) * p / 255.0;
          double real = (f >> shift & 0xFF) * t / 255.0;
          // over black: R = C·α, T = F·α_t; over white: each plus 255·(1 − α)
          double overBlack = Math.abs(cut - real);
          double overWhite = Math.abs(cut + 255 - p - (real + 255 - t));
          bandErr += (overBlack + overWhite) / 2;
        }
      }
    }
    return new CompositeScore(
        union == 0 ? 1.0 : (double) inter / union,
        err / 255.0 / alpha.length,
        bandPixels == 0 ? 0 : bandErr / 255.0 / (3.0 * bandPixels));
  }

  /**
   * The pixels within {@value #BAND} of the true edge (a square neighbourhood): those whose
   * neighbourhood holds both subject (α_true ≥ 0.5) and background.
   */
  static boolean[] band(Truth truth) {
    int w = truth.width();
    int h = truth.height();
    // subject pixels in each pixel's row window, then summed over the column window
    int[] rows = new int[w * h];
    int[] prefix = new int[w + 1];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        prefix[x + 1] = prefix[x] + (truth.alphaAt(y * w + x) >= 128 ? 1 : 0);
      }
      for (int x = 0; x < w; x++) {
        rows[y * w + x] = prefix[Math.min(w, x + BAND + 1)] - prefix[Math.max(0, x - BAND)];
      }
    }
    boolean[] band = new boolean[w * h];
    int[] column = new int[h + 1];
    for (int x = 0; x < w; x++) {
      int span = Math.min(w, x + BAND + 1) - Math.max(0, x - BAND);
      for (int y = 0; y < h; y++) {
        column[y + 1] = column[y] + rows[y * w + x];
      }
      for (int y = 0; y < h; y++) {
        int y0 = Math.max(0, y - BAND);
        int y1 = Math.min(h, y + BAND + 1);
        int subject = column[y1] - column[y0];
        band[y * w + x] = subject > 0 && subject < span * (y1 - y0);
      }
    }
    return band;
  }
}
