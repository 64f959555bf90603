package dev.cutout.core;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Test images made in code, and the repository's test data. */
final class TestImages {
  /** The repository's test data, relative to a module's folder where Maven runs tests. */
  static final Path TESTDATA = Path.of("..", "testdata");

  private TestImages() {}

  static Path photo(String name) {
    return TESTDATA.resolve("photos").resolve(name);
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An image whose every pixel is distinct enough to tell orientations apart. */
  static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / (width - 1)) << 16 | (y * 255 / (height - 1)) << 8 | 0x40);
      }
    }
    return image;
  }

  static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code jpeg} with an EXIF APP1 segment declaring {@code orientation}, right after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // big-endian TIFF header, IFD0 at offset 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // Orientation, SHORT, 1 value
      0,
      0,
      0,
      0 // no next IFD
    };
    int length = 2 + 6 + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** Mean absolute difference of the RGB channels, 0–255. */
  static double meanRgbDifference(RgbaImage a, RgbaImage b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException("sizes differ");
    }
    long sum = 0;
    for (int i = 0; i < a.argb().length; i++) {
      int p = a.argb()[i];
      int q = b.argb()[i];
      sum += Math.abs((p >> 16 & 0xFF) - (q >> 16 & 0xFF));
      sum += Math.abs((p >> 8 & 0xFF) - (q >> 8 & 0xFF));
      sum += Math.abs((p & 0xFF) - (q & 0xFF));
    }
    return sum / (3.0 * a.argb().length);
  }
}
