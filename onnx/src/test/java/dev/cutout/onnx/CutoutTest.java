package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.CropMargin;
import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Options;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The library's API on real photos with the real (fast) model. */
class CutoutTest {
  private static Cutout cutout;

  @BeforeAll
  static void start() {
    cutout = OnnxCutout.builder().model("isnet-uint8").threads(2).build();
  }

  @AfterAll
  static void stop() {
    cutout.close();
  }

  @Test
  void aPhotoBecomesAFullSizePngWithRealAlpha() throws Exception {
    CutoutResult result = cutout.remove(Testdata.photo("coffee.png"), Options.defaults());
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(result.bytes()));
    assertThat(png.getWidth()).isEqualTo(600);
    assertThat(png.getHeight()).isEqualTo(400);
    assertThat(png.getColorModel().hasAlpha()).isTrue();
    int[] histogram = new int[256];
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        histogram[png.getRGB(x, y) >>> 24]++;
      }
    }
    assertThat(histogram[0]).as("transparent background").isGreaterThan(10_000);
    assertThat(histogram[255]).as("opaque subject").isGreaterThan(10_000);
    assertThat(result.timings().inferenceMs()).isPositive();
    assertThat(result.timings().decodeMs()).isPositive();
    assertThat(result.timings().encodeMs()).isPositive();
    assertThat(cutout.startup().sessionCreationMs()).isPositive();
    assertThat(cutout.startup().warmUpMs()).isPositive();
  }

  @Test
  void pathBytesAndBufferedImageInputsGiveTheSameMask() throws Exception {
    Path photo = Testdata.photo("chelsea.png");
    byte[] fromPath = cutout.remove(photo, Options.defaults()).mask().alpha();
    byte[] fromBytes = cutout.remove(Files.readAllBytes(photo), Options.defaults()).mask().alpha();
    byte[] fromImage =
        cutout.remove(ImageIO.read(photo.toFile()), Options.defaults()).mask().alpha();
    assertThat(fromBytes).isEqualTo(fromPath);
    assertThat(fromImage).isEqualTo(fromPath);
  }

  @Test
  void oneEngineServesSeveralThreadsWithTheSameResults() throws Exception {
    Path photo = Testdata.photo("astronaut.png");
    byte[] alone = cutout.remove(photo, Options.defaults()).mask().alpha();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      var futures = new java.util.ArrayList<Future<byte[]>>();
      for (int i = 0; i < 3; i++) {
        futures.add(pool.submit(() -> cutout.remove(photo, Options.defaults()).mask().alpha()));
      }
      for (Future<byte[]> f : futures) {
        assertThat(f.get()).isEqualTo(alone);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aClosedEngineRefusesWithItsOwnCodeNotAnOnnxRuntimeError() {
    Cutout closed = OnnxCutout.builder().model("isnet-uint8").threads(1).warmUp(false).build();
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.remove(Testdata.photo("coffee.png"), Options.defaults()))
        .isInstanceOfSatisfying(
            CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_CLOSED));
  }

  @Test
  void cropToSubjectMakesASmallerImageThatStillHoldsTheSubject() {
    CutoutResult full = cutout.remove(Testdata.photo("astronaut.png"), Options.defaults());
    CutoutResult cropped =
        cutout.remove(
            Testdata.photo("astronaut.png"),
            Options.builder().crop(CropMargin.parse("10")).build());
    assertThat((long) cropped.width() * cropped.height())
        .isLessThan((long) full.width() * full.height());
    assertThat(cropped.width()).isGreaterThan(100);
  }
}
