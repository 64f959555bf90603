package dev.cutout.server;

/**
 * Draws a rectangle of an image, scaled, onto a transparent canvas: what remove.bg's {@code size},
 * {@code scale} and {@code position} need. The filter is a tent widened by the reduction, so it is
 * bilinear when enlarging and an area-weighted average when reducing (a subject shrunk to a preview
 * keeps smooth edges), and it runs on premultiplied alpha, so no colour of a removed background
 * pixel leaks into the subject's edge. A rectangle drawn at its own size is copied exactly.
 */
final class Resampler {
  private Resampler() {}

  /** A rectangle of whole pixels. */
  record Rect(int x, int y, int width, int height) {}

  /** A source image: colours from {@code argb}, the alpha from {@code alpha} (one byte a pixel). */
  record Source(int[] argb, byte[] alpha, int width, int height) {}

  /**
   * @param from the rectangle of the source to draw, inside it
   * @param to where it goes on the canvas (what sticks out of the canvas is cut off)
   * @return the canvas, non-premultiplied ARGB, transparent outside {@code to}; a pixel of alpha 0
   *     has colour 0, as in Cutout's results
   */
  static int[] draw(Source source, Rect from, int canvasWidth, int canvasHeight, Rect to) {
    int[] out = new int[Math.multiplyExact(canvasWidth, canvasHeight)];
    int x0 = Math.max(0, to.x());
    int x1 = Math.min(canvasWidth, to.x() + to.width());
    int y0 = Math.max(0, to.y());
    int y1 = Math.min(canvasHeight, to.y() + to.height());
    if (x0 >= x1 || y0 >= y1) {
      return out;
    }
    if (from.width() == to.width() && from.height() == to.height()) {
      for (int y = y0; y < y1; y++) {
        int s = (from.y() + y - to.y()) * source.width() + from.x() - to.x();
        for (int x = x0; x < x1; x++) {
          int a = source.alpha()[s + x] & 0xFF;
          out[y * canvasWidth + x] = a == 0 ? 0 : a << 24 | (source.argb()[s + x] & 0xFFFFFF);
        }
      }
      return out;
    }
    Taps xs = Taps.of(from.x(), from.width(), to.width(), source.width());
    Taps ys = Taps.of(from.y(), from.height(), to.height(), source.height());
    int first = x0 - to.x();
    int count = x1 - x0;
    Rows rows = new Rows(source, xs, first, count, ys.widest() + 1);
    float[] sum = new float[4 * count];
    for (int y = y0; y < y1; y++) {
      java.util.Arrays.fill(sum, 0f);
      int j = y - to.y();
      for (int t = ys.offset[j]; t < ys.offset[j + 1]; t++) {
        float w = ys.weight[t];
        float[] row = rows.get(ys.index[t]);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += w * row[i];
        }
      }
      int base = y * canvasWidth + x0;
      for (int i = 0; i < count; i++) {
        float a = sum[4 * i];
        int alpha = Math.round(Math.min(255f, a));
        if (alpha == 0) {
          continue;
        }
        int r = channel(sum[4 * i + 1], a);
        int g = channel(sum[4 * i + 2], a);
        int b = channel(sum[4 * i + 3], a);
        out[base + i] = alpha << 24 | r << 16 | g << 8 | b;
      }
    }
    return out;
  }

  private static int channel(float premultiplied, float alpha) {
    return Math.max(0, Math.min(255, Math.round(premultiplied / alpha)));
  }

  /**
   * For each of {@code outCount} destination pixels along one axis, the source pixels it weighs and
   * their weights (summing to 1): a tent centred where the destination pixel's centre falls, {@code
   * max(1, span / outCount)} pixels wide on either side, within {@code [0, limit)}.
   */
  static final class Taps {
    final int[] offset;
    final int[] index;
    final float[] weight;

    private Taps(int[] offset, int[] index, float[] weight) {
      this.offset = offset;
      this.index = index;
      this.weight = weight;
    }

    static Taps of(int from, int span, int outCount, int limit) {
      double ratio = (double) span / outCount;
      double support = Math.max(1, ratio);
      int most = (int) Math.ceil(2 * support) + 1;
      int[] offset = new int[outCount + 1];
      int[] index = new int[outCount * most];
      float[] weight = new float[outCount * most];
      int n = 0;
      for (int j = 0; j < outCount; j++) {
        offset[j] = n;
        double centre = from + (j + 0.5) * ratio - 0.5;
        int lo = Math.max(0, (int) Math.ceil(centre - support));
        int hi = Math.min(limit - 1, (int) Math.floor(centre + support));
        double total = 0;
        for (int i = lo; i <= hi; i++) {
          double w = 1 - Math.abs(i - centre) / support;
          if (w > 1e-9) {
            index[n] = i;
            weight[n++] = (float) w;
            total += w;
          }
        }
        if (total == 0) { // only past the image's edge: the nearest pixel
          index[n] = Math.max(0, Math.min(limit - 1, (int) Math.round(centre)));
          weight[n++] = 1f;
          total = 1;
        }
        for (int t = offset[j]; t < n; t++) {
          weight[t] = (float) (weight[t] / total);
        }
      }
      offset[outCount] = n;
      return new Taps(offset, index, weight);
    }

    int widest() {
      int most = 0;
      for (int j = 0; j + 1 < offset.length; j++) {
        most = Math.max(most, offset[j + 1] - offset[j]);
      }
      return most;
    }
  }

  /**
   * Source rows resampled horizontally, premultiplied (a, a·r, a·g, a·b per pixel), made when first
   * asked for and kept while the rows below may still need them: destination rows ask for source
   * rows in increasing order, so a ring of the widest vertical tent holds all in use.
   */
  private static final class Rows {
    private final Source source;
    private final Taps xs;
    private final int first;
    private final int count;
    private final float[][] ring;
    private final int[] held;

    Rows(Source source, Taps xs, int first, int count, int size) {
      this.source = source;
      this.xs = xs;
      this.first = first;
      this.count = count;
      this.ring = new float[size][4 * count];
      this.held = new int[size];
      java.util.Arrays.fill(held, -1);
    }

    float[] get(int y) {
      int slot = y % ring.length;
      if (held[slot] == y) {
        return ring[slot];
      }
      float[] row = ring[slot];
      int base = y * source.width();
      for (int i = 0; i < count; i++) {
        int j = first + i;
        float a = 0;
        float r = 0;
        float g = 0;
        float b = 0;
        for (int t = xs.offset[j]; t < xs.offset[j + 1]; t++) {
          int s = base + xs.index[t];
          float w = xs.weight[t] * (source.alpha()[s] & 0xFF);
          int p = source.argb()[s];
          a += w;
          r += w * (p >> 16 & 0xFF);
          g += w * (p >> 8 & 0xFF);
          b += w * (p & 0xFF);
        }
        row[4 * i] = a;
        row[4 * i + 1] = r;
        row[4 * i + 2] = g;
        row[4 * i + 3] = b;
      }
      held[slot] = y;
      return row;
    }
  }
}
