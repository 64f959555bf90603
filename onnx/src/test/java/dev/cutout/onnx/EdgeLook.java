package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.Mask;
import dev.cutout.core.Options;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Pictures for a person, not a regular test (the name does not end in "Test", so {@code ./test}
 * leaves it out): the edge step that measured best on the composites, a contrast stretch of alpha,
 * next to the plain mask on the real photos, over magenta, where a halo or a lost hair shows. Run
 * it with {@code ./mvnw -B -ntp -pl core,models,onnx verify -Dtest=EdgeLook
 * -Dsurefire.failIfNoSpecifiedTests=false}; it writes {@code onnx/target/quality/edges/}: for each
 * photo the whole picture (plain left, stretched right) and a 3× crop around the place where the
 * two masks differ most.
 */
class EdgeLook {
  private static final int MAGENTA = 0xFF00FF;
  private static final int CROP = 160;
  private static final int ZOOM = 3;

  @Test
  void writesPlainAndStretchedEdgesOverMagenta() throws IOException {
    Path out = Path.of("target", "quality", "edges");
    Files.createDirectories(out);
    try (Cutout cutout = OnnxCutout.builder().model("isnet-fp16").threads(2).build()) {
      for (String name : List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg")) {
        Path photo = Testdata.photo(name);
        BufferedImage image = ImageIO.read(photo.toFile());
        Mask plain = cutout.remove(photo, Options.builder().allowEmpty(true).build()).mask();
        Mask stretched = GuidedFilter.stretch(plain, 1.2f);
        int[] at = mostDifferent(plain, stretched);
        String stem = name.substring(0, name.lastIndexOf('.'));
        ImageIO.write(
            sideBySide(image, plain, stretched, 0, 0, image.getWidth(), image.getHeight(), 1),
            "png",
            out.resolve(stem + "-whole.png").toFile());
        int x0 = Math.clamp(at[0] - CROP / 2, 0, Math.max(0, image.getWidth() - CROP));
        int y0 = Math.clamp(at[1] - CROP / 2, 0, Math.max(0, image.getHeight() - CROP));
        ImageIO.write(
            sideBySide(image, plain, stretched, x0, y0, CROP, CROP, ZOOM),
            "png",
            out.resolve(stem + "-crop.png").toFile());
        assertThat(out.resolve(stem + "-crop.png")).exists();
      }
    }
  }

  /** The pixel around which (a 9×9 window) the two masks differ most. */
  private static int[] mostDifferent(Mask a, Mask b) {
    int w = a.width();
    int h = a.height();
    long best = -1;
    int[] at = {w / 2, h / 2};
    for (int y = 4; y < h - 4; y += 4) {
      for (int x = 4; x < w - 4; x += 4) {
        long sum = 0;
        for (int dy = -4; dy <= 4; dy++) {
          for (int dx = -4; dx <= 4; dx++) {
            sum += Math.abs(a.at(x + dx, y + dy) - b.at(x + dx, y + dy));
          }
        }
        if (sum > best) {
          best = sum;
          at = new int[] {x, y};
        }
      }
    }
    return at;
  }

  private static BufferedImage sideBySide(
      BufferedImage image, Mask left, Mask right, int x0, int y0, int w, int h, int zoom) {
    int cw = Math.min(w, image.getWidth() - x0);
    int ch = Math.min(h, image.getHeight() - y0);
    int gap = 8;
    BufferedImage out =
        new BufferedImage(2 * cw * zoom + gap, ch * zoom, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < ch * zoom; y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        out.setRGB(x, y, 0xFFFFFF);
      }
    }
    Mask[] masks = {left, right};
    for (int m = 0; m < 2; m++) {
      int offset = m * (cw * zoom + gap);
      for (int y = 0; y < ch * zoom; y++) {
        for (int x = 0; x < cw * zoom; x++) {
          int sx = x0 + x / zoom;
          int sy = y0 + y / zoom;
          out.setRGB(offset + x, y, over(image.getRGB(sx, sy), masks[m].at(sx, sy)));
        }
      }
    }
    return out;
  }

  private static int over(int rgb, int alpha) {
    int result = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      int f = (rgb >> shift) & 0xFF;
      int b = (MAGENTA >> shift) & 0xFF;
      result |= ((f * alpha + b * (255 - alpha) + 127) / 255) << shift;
    }
    return result;
  }
}
