package dev.cutout.core;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Objects;

/**
 * An upright 8-bit sRGB image, one packed non-premultiplied ARGB int per pixel, row by row.
 *
 * @param width pixels per row
 * @param height rows
 * @param argb {@code width * height} packed pixels; shared, not copied
 * @param hasAlpha whether the source carried an alpha channel worth keeping
 */
public record RgbaImage(int width, int height, int[] argb, boolean hasAlpha) {

  public RgbaImage {
    Objects.requireNonNull(argb);
    if (width <= 0 || height <= 0 || (long) width * height != argb.length) {
      throw new IllegalArgumentException(
          "pixel array of " + argb.length + " does not hold " + width + "x" + height);
    }
  }

  /** A view of these pixels as an ARGB {@link BufferedImage}, without copying. */
  public BufferedImage toBufferedImage() {
    DirectColorModel cm = new DirectColorModel(32, 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000);
    SinglePixelPackedSampleModel sm =
        new SinglePixelPackedSampleModel(
            DataBufferInt.TYPE_INT, width, height, new int[] {0xFF0000, 0xFF00, 0xFF, 0xFF000000});
    WritableRaster raster =
        Raster.createWritableRaster(sm, new DataBufferInt(argb, argb.length), null);
    return new BufferedImage(cm, raster, false, null);
  }

  /** Pixels of any {@link BufferedImage}, converted to 8-bit sRGB (see {@link Rgba8}). */
  public static RgbaImage of(BufferedImage image) {
    return Rgba8.convert(image);
  }
}
