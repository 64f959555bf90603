package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Mask;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Alpha channels and their differences, in levels of 0–255. */
final class Alpha {
  private Alpha() {}

  static byte[] of(BufferedImage png) {
    assertThat(png.getColorModel().hasAlpha()).as("the PNG has an alpha channel").isTrue();
    byte[] alpha = new byte[png.getWidth() * png.getHeight()];
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        alpha[y * png.getWidth() + x] = (byte) (png.getRGB(x, y) >>> 24);
      }
    }
    return alpha;
  }

  /**
   * Visible pixels (alpha above 0) whose colour differs between the cutout and its source: the
   * contract keeps their colour, so a premultiplying encoder would show up here.
   */
  static long colourMismatches(BufferedImage cutout, BufferedImage source) {
    assertThat(cutout.getWidth()).isEqualTo(source.getWidth());
    assertThat(cutout.getHeight()).isEqualTo(source.getHeight());
    long mismatches = 0;
    for (int y = 0; y < source.getHeight(); y++) {
      for (int x = 0; x < source.getWidth(); x++) {
        int c = cutout.getRGB(x, y);
        if (c >>> 24 != 0 && ((c ^ source.getRGB(x, y)) & 0xFFFFFF) != 0) {
          mismatches++;
        }
      }
    }
    return mismatches;
  }

  /**
   * Fully transparent pixels that still carry a colour: the removed background, which flattening
   * the file would bring back. The contract says none.
   */
  static long colourUnderZeroAlpha(BufferedImage cutout) {
    long left = 0;
    for (int y = 0; y < cutout.getHeight(); y++) {
      for (int x = 0; x < cutout.getWidth(); x++) {
        int c = cutout.getRGB(x, y);
        if (c >>> 24 == 0 && (c & 0xFFFFFF) != 0) {
          left++;
        }
      }
    }
    return left;
  }

  static double meanDifference(byte[] a, byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
    }
    return (double) sum / a.length;
  }

  /**
   * Whether the alpha has real background (0) and real subject (255) pixels: at least 2% and 0.5%
   * of the image (the rocket photo's subject, a thin rocket and towers, is about 1%).
   */
  static boolean hasSubjectAndBackground(byte[] alpha) {
    int zero = 0;
    int full = 0;
    for (byte v : alpha) {
      zero += (v & 0xFF) == 0 ? 1 : 0;
      full += (v & 0xFF) == 255 ? 1 : 0;
    }
    return zero > alpha.length / 50 && full > alpha.length / 200;
  }

  /** Writes both masks side by side for a person to look at when a comparison fails. */
  static void writeForInspection(Path dir, String name, byte[] browser, Mask java, int width) {
    try {
      Files.createDirectories(dir);
      int height = browser.length / width;
      BufferedImage out = new BufferedImage(width * 2, height, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          out.getRaster().setSample(x, y, 0, browser[y * width + x] & 0xFF);
          out.getRaster().setSample(width + x, y, 0, java.at(x, y));
        }
      }
      ImageIO.write(out, "png", dir.resolve(name + ".browser-vs-java.png").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
