package dev.cutout.core;

/**
 * Source taps along one axis for a bilinear resize with half-pixel centres and no antialiasing:
 * {@code s = (d + 0.5) * src / dst - 0.5}, clamped to the source, then the two neighbours of {@code
 * s} weighted by its fraction. The web app's worker computes the very same taps.
 */
final class BilinearAxis {
  final int[] lo;
  final int[] hi;
  final float[] frac;

  BilinearAxis(int src, int dst) {
    lo = new int[dst];
    hi = new int[dst];
    frac = new float[dst];
    double scale = (double) src / dst;
    for (int d = 0; d < dst; d++) {
      double s = (d + 0.5) * scale - 0.5;
      if (s < 0) {
        s = 0;
      } else if (s > src - 1) {
        s = src - 1;
      }
      int i = (int) Math.floor(s);
      lo[d] = i;
      hi[d] = Math.min(i + 1, src - 1);
      frac[d] = (float) (s - i);
    }
  }
}
