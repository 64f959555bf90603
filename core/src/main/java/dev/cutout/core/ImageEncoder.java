package dev.cutout.core;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encodes composed output. Nothing but pixels is written: no EXIF, no GPS, no comments. */
final class ImageEncoder {
  private ImageEncoder() {}

  static byte[] encode(Compositor.Composite composite, Options options) {
    return encode(
        composite.image(),
        composite.grey(),
        options.format(),
        options.pngLevel(),
        options.quality());
  }

  /** {@code grey}: the image is a mask, written from its lowest byte as one grey channel (PNG). */
  static byte[] encode(
      RgbaImage image, boolean grey, OutputFormat format, int pngLevel, float quality) {
    return switch (format) {
      case PNG -> PngEncoder.encode(image, grey, pngLevel);
      case JPEG -> writeImageIo("jpeg", opaque(image), quality, null);
      case WEBP -> writeImageIo("webp", image.toBufferedImage(), quality, "Lossy");
    };
  }

  private static BufferedImage opaque(RgbaImage image) {
    int[] rgb = Arrays.copyOf(image.argb(), image.argb().length);
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, image.width(), image.height(), rgb, 0, image.width());
    return out;
  }

  private static byte[] writeImageIo(
      String format, BufferedImage image, float quality, String compressionType) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "no " + format + " encoder is installed");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        if (compressionType != null) {
          param.setCompressionType(compressionType);
        }
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot encode " + format + ": " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
