package dev.cutout.e2e;

import java.awt.image.BufferedImage;

/**
 * The editor's "Blur" background computed independently of the web app, for comparing with its
 * export: three box passes of a radius along rows then columns, each rounding to whole levels,
 * pixels beyond the edge taken as the edge's own (web/src/worker/pixels/blur.ts says the same in
 * words).
 */
final class BoxBlur {
  private static final int PASSES = 3;

  private BoxBlur() {}

  /** The blurred colours of {@code image}, as 0xRRGGBB per pixel, row by row. */
  static int[] of(BufferedImage image, int radius) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[][] channels = new int[3][width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        for (int c = 0; c < 3; c++) {
          channels[c][y * width + x] = (rgb >> (16 - 8 * c)) & 0xFF;
        }
      }
    }
    for (int[] plane : channels) {
      for (int pass = 0; pass < PASSES; pass++) {
        for (int y = 0; y < height; y++) {
          blurLine(plane, y * width, 1, width, radius);
        }
        for (int x = 0; x < width; x++) {
          blurLine(plane, x, width, height, radius);
        }
      }
    }
    int[] out = new int[width * height];
    for (int i = 0; i < out.length; i++) {
      out[i] = channels[0][i] << 16 | channels[1][i] << 8 | channels[2][i];
    }
    return out;
  }

  private static void blurLine(int[] plane, int start, int stride, int count, int r) {
    int[] line = new int[count];
    for (int i = 0; i < count; i++) {
      line[i] = plane[start + i * stride];
    }
    int last = count - 1;
    int sum = 0;
    for (int k = -r; k <= r; k++) {
      sum += line[Math.min(last, Math.max(0, k))];
    }
    for (int i = 0; i < count; i++) {
      plane[start + i * stride] = (int) Math.round(sum / (double) (2 * r + 1));
      sum += line[Math.min(last, i + r + 1)] - line[Math.max(0, i - r)];
    }
  }
}
