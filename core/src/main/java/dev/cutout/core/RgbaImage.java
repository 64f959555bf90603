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

  /**
   * These pixels over {@code background}, as {@link Options.Builder#background} puts a result on
   * one: unchanged on a transparent one; a picture is scaled to cover and centred. For front ends
   * that arrange a cut-out themselves before giving it its background.
   */
  public RgbaImage over(Background background) {
    return switch (background) {
      case Background.Transparent t -> this;
      case Background.Color c -> Compositor.overColour(this, c.argb());
      case Background.Picture p -> Compositor.overPicture(this, p.image());
    };
  }

  /**
   * Encodes these pixels as Cutout encodes its results in {@code format}, with the default PNG
   * level and lossy quality of {@link Options} and no metadata; JPEG drops the alpha channel (put
   * the image {@link #over} an opaque background first).
   */
  public byte[] encode(OutputFormat format) {
    Options defaults = Options.defaults();
    return ImageEncoder.encode(
        this, false, Objects.requireNonNull(format), defaults.pngLevel(), defaults.quality());
  }

  /**
   * Encodes a mask held in these pixels (grey, opaque) as an 8-bit grey PNG, the way {@link
   * Options.Builder#maskOnly} output is written; the lowest byte of each pixel is its value.
   */
  public byte[] encodeGreyPng() {
    return ImageEncoder.encode(
        this, true, OutputFormat.PNG, Options.defaults().pngLevel(), Options.defaults().quality());
  }
}
