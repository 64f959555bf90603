package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.Mask;
import dev.cutout.core.Options;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The masks on the 16 composites with exact alpha, against the figures the plain model reached
 * (testdata/README.md: fp16 0.930 IoU / 0.0097 MAE, uint8 0.926 / 0.0100). Each mask is written to
 * target/quality/ for a person to look at.
 */
class MaskQualityTest {

  @ParameterizedTest(name = "{0}: mean IoU >= {1}, mean alpha MAE <= {2}")
  @CsvSource({"isnet-fp16, 0.928, 0.0102", "isnet-uint8, 0.923, 0.0103"})
  void compositesMeetTheQualityBar(String model, double minIou, double maxMae) throws IOException {
    Path out = Path.of("target", "quality", model);
    Files.createDirectories(out);
    double iouSum = 0;
    double maeSum = 0;
    int n = 0;
    StringBuilder table = new StringBuilder();
    try (Cutout cutout = OnnxCutout.builder().model(model).threads(2).build()) {
      for (Path image : Testdata.compositeImages()) {
        Mask mask = cutout.remove(image, Options.defaults()).mask();
        BufferedImage truth = ImageIO.read(Testdata.alphaOf(image).toFile());
        double[] score = score(mask, truth);
        iouSum += score[0];
        maeSum += score[1];
        n++;
        table.append(
            String.format("%s iou=%.4f mae=%.5f%n", image.getFileName(), score[0], score[1]));
        writeMask(mask, out.resolve(image.getFileName().toString().replace(".jpg", ".png")));
      }
    }
    double iou = iouSum / n;
    double mae = maeSum / n;
    table.append(String.format("mean iou=%.4f mae=%.5f%n", iou, mae));
    Files.writeString(out.resolve("scores.txt"), table);
    System.out.print(model + "\n" + table);
    assertThat(n).isEqualTo(16);
    assertThat(iou).as("mean IoU of %s", model).isGreaterThanOrEqualTo(minIou);
    assertThat(mae).as("mean alpha MAE of %s", model).isLessThanOrEqualTo(maxMae);
  }

  /** IoU of alpha ≥ 0.5, and the mean absolute error of alpha in 0..1. */
  static double[] score(Mask mask, BufferedImage truth) {
    assertThat(mask.width()).isEqualTo(truth.getWidth());
    assertThat(mask.height()).isEqualTo(truth.getHeight());
    long inter = 0;
    long union = 0;
    double err = 0;
    var raster = truth.getRaster();
    for (int y = 0; y < mask.height(); y++) {
      for (int x = 0; x < mask.width(); x++) {
        int p = mask.at(x, y);
        int t = raster.getSample(x, y, 0);
        boolean pf = p >= 128;
        boolean tf = t >= 128;
        if (pf && tf) {
          inter++;
        }
        if (pf || tf) {
          union++;
        }
        err += Math.abs(p - t) / 255.0;
      }
    }
    return new double[] {
      union == 0 ? 1.0 : (double) inter / union, err / ((double) mask.width() * mask.height())
    };
  }

  private static void writeMask(Mask mask, Path file) throws IOException {
    BufferedImage grey =
        new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setDataElements(0, 0, mask.width(), mask.height(), mask.alpha());
    ImageIO.write(grey, "png", file.toFile());
  }
}
