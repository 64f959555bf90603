package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Compositing, backgrounds, cropping and the encoders. */
class OutputTest {
  private static final RgbaImage RED_SQUARE = solid(8, 6, 0xFFFF0000);

  private static RgbaImage solid(int w, int h, int argb) {
    int[] px = new int[w * h];
    java.util.Arrays.fill(px, argb);
    return new RgbaImage(w, h, px, argb >>> 24 != 0xFF);
  }

  /** A mask with a 2×2 subject at (3, 2). */
  private static Mask subjectMask() {
    byte[] a = new byte[8 * 6];
    for (int y = 2; y < 4; y++) {
      for (int x = 3; x < 5; x++) {
        a[y * 8 + x] = (byte) 255;
      }
    }
    a[0] = 5; // faint noise below the crop threshold
    return new Mask(8, 6, a);
  }

  private static BufferedImage decode(byte[] bytes) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  @ParameterizedTest
  @CsvSource({
    "#0f0, 0xFF00FF00",
    "#102030, 0xFF102030",
    "ff000080, 0x80FF0000",
    "#ABCDEF, 0xFFABCDEF"
  })
  void backgroundColoursParseAllThreeForms(String text, String argb) {
    assertThat(Background.parseColor(text))
        .isEqualTo(Background.color((int) Long.parseLong(argb.substring(2), 16)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "#12", "#12345", "red", "#gggggg", "#123456789"})
  void badColoursAreABadOption(String text) {
    assertThatThrownBy(() -> Background.parseColor(text))
        .isInstanceOf(CutoutException.class)
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.BAD_OPTION);
  }

  @Test
  void jpegWithoutAnOpaqueBackgroundIsRefused() {
    assertThatThrownBy(() -> Options.builder().format(OutputFormat.JPEG).build())
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining("JPEG");
    assertThat(
            Options.builder()
                .format(OutputFormat.JPEG)
                .background(Background.parseColor("#fff"))
                .build()
                .format())
        .isEqualTo(OutputFormat.JPEG);
  }

  @Test
  void theMaskBecomesAlphaAndTheColoursStay() throws IOException {
    var composite = Compositor.compose(RED_SQUARE, subjectMask(), Options.defaults());
    BufferedImage png = decode(ImageEncoder.encode(composite, Options.defaults()));
    assertThat(png.getColorModel().hasAlpha()).isTrue();
    assertThat(png.getRGB(3, 2)).isEqualTo(0xFFFF0000);
    assertThat(png.getRGB(7, 5) >>> 24).isZero();
    assertThat(png.getRGB(0, 0) >>> 24).isEqualTo(5);
  }

  @Test
  void theImagesOwnAlphaMultipliesTheMask() {
    RgbaImage half = solid(8, 6, 0x80FF0000);
    var composite = Compositor.compose(half, subjectMask(), Options.defaults());
    assertThat(composite.image().argb()[2 * 8 + 3] >>> 24).isEqualTo(0x80);
  }

  @Test
  void cropToSubjectKeepsTheSubjectAndTheMargin() {
    var tight =
        Compositor.compose(
            RED_SQUARE, subjectMask(), Options.builder().crop(CropMargin.NONE).build());
    assertThat(tight.image().width()).isEqualTo(2);
    assertThat(tight.image().height()).isEqualTo(2);
    var padded =
        Compositor.compose(
            RED_SQUARE, subjectMask(), Options.builder().crop(CropMargin.parse("1")).build());
    assertThat(padded.image().width()).isEqualTo(4);
    assertThat(padded.image().height()).isEqualTo(4);
    var percent =
        Compositor.compose(
            RED_SQUARE, subjectMask(), Options.builder().crop(CropMargin.parse("100%")).build());
    assertThat(percent.image().width()).isEqualTo(6); // 2 px each side, clamped to the image
  }

  @Test
  void aColourBackgroundFillsWhereTheSubjectIsNot() {
    Options onWhite = Options.builder().background(Background.parseColor("#ffffff")).build();
    var composite = Compositor.compose(RED_SQUARE, subjectMask(), onWhite);
    assertThat(composite.image().hasAlpha()).isFalse();
    assertThat(composite.image().argb()[2 * 8 + 3]).isEqualTo(0xFFFF0000);
    assertThat(composite.image().argb()[5 * 8 + 7]).isEqualTo(0xFFFFFFFF);
  }

  @Test
  void anImageBackgroundShowsThroughTheBackground() {
    Options onBlue =
        Options.builder().background(Background.image(solid(3, 3, 0xFF0000FF))).build();
    var composite = Compositor.compose(RED_SQUARE, subjectMask(), onBlue);
    assertThat(composite.image().argb()[5 * 8 + 7]).isEqualTo(0xFF0000FF);
    assertThat(composite.image().argb()[2 * 8 + 3]).isEqualTo(0xFFFF0000);
  }

  @Test
  void halfTransparentForegroundOverOpaqueBackgroundBlends() {
    int blended = Compositor.over(0x80FF0000, 0xFF0000FF);
    assertThat(blended >>> 24).isEqualTo(255);
    assertThat(blended >> 16 & 0xFF).isBetween(127, 129);
    assertThat(blended & 0xFF).isBetween(126, 128);
  }

  @Test
  void maskOnlyIsAGreyImageOfTheMask() throws IOException {
    Options maskOnly = Options.builder().maskOnly(true).build();
    var composite = Compositor.compose(RED_SQUARE, subjectMask(), maskOnly);
    BufferedImage png = decode(ImageEncoder.encode(composite, maskOnly));
    assertThat(png.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(png.getRaster().getSample(3, 2, 0)).isEqualTo(255);
    assertThat(png.getRaster().getSample(7, 5, 0)).isZero();
  }

  @Test
  void jpegAndWebpAreWrittenAndReadBack() throws IOException {
    Options jpeg =
        Options.builder()
            .format(OutputFormat.JPEG)
            .background(Background.parseColor("#fff"))
            .build();
    byte[] j = ImageEncoder.encode(Compositor.compose(RED_SQUARE, subjectMask(), jpeg), jpeg);
    assertThat(ImageFormat.sniff(j)).contains(ImageFormat.JPEG);
    assertThat(decode(j).getWidth()).isEqualTo(8);

    Options webp = Options.builder().format(OutputFormat.WEBP).build();
    byte[] w = ImageEncoder.encode(Compositor.compose(RED_SQUARE, subjectMask(), webp), webp);
    assertThat(ImageFormat.sniff(w)).contains(ImageFormat.WEBP);
    RgbaImage back = DecodeGate.create().decode(w);
    assertThat(back.hasAlpha()).isTrue();
    assertThat(back.argb()[5 * 8 + 7] >>> 24).isZero();
  }

  @Test
  void outputsCarryNoExifOrGps() {
    byte[] photo =
        TestImages.withExifOrientation(TestImages.encode(TestImages.gradient(40, 30), "jpeg"), 1);
    RgbaImage image = DecodeGate.create().decode(photo);
    Mask all = new Mask(40, 30, new byte[40 * 30]);
    java.util.Arrays.fill(all.alpha(), (byte) 200);
    for (OutputFormat format : OutputFormat.values()) {
      Options options =
          Options.builder().format(format).background(Background.parseColor("#000")).build();
      byte[] out = ImageEncoder.encode(Compositor.compose(image, all, options), options);
      String text = new String(out, StandardCharsets.ISO_8859_1);
      assertThat(text).as(format.name()).doesNotContain("Exif").doesNotContain("eXIf");
    }
  }
}
