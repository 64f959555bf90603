package dev.cutout.core;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts decoded images to packed 8-bit sRGB.
 *
 * <p>Grey images are copied sample for sample: Java tags them with a linear grey space, and its
 * colour conversion would brighten them, while browsers (and the contract) read grey values as
 * sRGB. Deeper samples are scaled to 8 bits with rounding. Images in other colour spaces (ICC
 * profiles) go through Java's colour management.
 */
final class Rgba8 {
  private Rgba8() {}

  static RgbaImage convert(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] out = new int[Math.multiplyExact(w, h)];
    boolean alpha = image.getColorModel().hasAlpha();
    switch (image.getType()) {
      case BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_RGB -> {
        int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (isCompact(image.getRaster(), w)) {
          if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            for (int i = 0; i < out.length; i++) {
              out[i] = 0xFF000000 | src[i];
            }
          } else {
            System.arraycopy(src, 0, out, 0, out.length);
          }
          return new RgbaImage(w, h, out, alpha);
        }
      }
      case BufferedImage.TYPE_3BYTE_BGR -> {
        if (isCompact(image.getRaster(), w)) {
          byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
          for (int i = 0, p = 0; i < out.length; i++, p += 3) {
            out[i] =
                0xFF000000 | (src[p + 2] & 0xFF) << 16 | (src[p + 1] & 0xFF) << 8 | (src[p] & 0xFF);
          }
          return new RgbaImage(w, h, out, false);
        }
      }
      case BufferedImage.TYPE_4BYTE_ABGR -> {
        if (isCompact(image.getRaster(), w)) {
          byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
          for (int i = 0, p = 0; i < out.length; i++, p += 4) {
            out[i] =
                (src[p] & 0xFF) << 24
                    | (src[p + 3] & 0xFF) << 16
                    | (src[p + 2] & 0xFF) << 8
                    | (src[p + 1] & 0xFF);
          }
          return new RgbaImage(w, h, out, true);
        }
      }
      default -> {}
    }
    if (image.getColorModel() instanceof IndexColorModel palette) {
      Raster raster = image.getRaster();
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = palette.getRGB(row[x]);
        }
      }
      return new RgbaImage(w, h, out, alpha);
    }
    if (image.getColorModel() instanceof ComponentColorModel cm && readsAsSrgbSamples(cm)) {
      copySamples(image.getRaster(), cm, out);
      return new RgbaImage(w, h, out, alpha);
    }
    image.getRGB(0, 0, w, h, out, 0, w);
    return new RgbaImage(w, h, out, alpha);
  }

  private static boolean isCompact(Raster raster, int width) {
    return raster.getParent() == null
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getSampleModel().getWidth() == width;
  }

  private static boolean readsAsSrgbSamples(ComponentColorModel cm) {
    ColorSpace cs = cm.getColorSpace();
    return cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY;
  }

  private static void copySamples(Raster raster, ComponentColorModel cm, int[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    int colourBands = grey ? 1 : 3;
    long[] max = new long[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = (1L << cm.getComponentSize(b)) - 1;
    }
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(0, y, w, 1, row);
      for (int x = 0, p = 0; x < w; x++, p += bands) {
        int r = to8(row[p], max[0]);
        int g = grey ? r : to8(row[p + 1], max[1]);
        int b = grey ? r : to8(row[p + 2], max[2]);
        int a = bands > colourBands ? to8(row[p + colourBands], max[colourBands]) : 255;
        out[y * w + x] = a << 24 | r << 16 | g << 8 | b;
      }
    }
  }

  private static int to8(int sample, long max) {
    if (max == 255) {
      return sample;
    }
    return (int) ((sample * 255L + max / 2) / max);
  }
}
