package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The pixel operations front ends use when they arrange a cut-out themselves: a background behind
 * it, and the encoders of {@link Cutout}'s results.
 */
class RgbaImageTest {
  /** 4 × 2: the left half opaque red, the right half transparent. */
  private static RgbaImage halfRed() {
    int[] px = new int[8];
    Arrays.fill(px, 0);
    for (int y = 0; y < 2; y++) {
      px[y * 4] = 0xFFFF0000;
      px[y * 4 + 1] = 0xFFFF0000;
    }
    return new RgbaImage(4, 2, px, true);
  }

  private static BufferedImage decode(byte[] bytes) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  @Test
  void overABackgroundComposesAsTheOptionsDo() {
    RgbaImage cut = halfRed();

    assertThat(cut.over(Background.transparent())).isSameAs(cut);
    RgbaImage onWhite = cut.over(Background.parseColor("fff"));
    assertThat(onWhite.hasAlpha()).isFalse();
    assertThat(onWhite.argb()[0]).isEqualTo(0xFFFF0000);
    assertThat(onWhite.argb()[3]).isEqualTo(0xFFFFFFFF);
    int[] blue = new int[9];
    Arrays.fill(blue, 0xFF0000FF);
    RgbaImage onPicture = cut.over(Background.image(new RgbaImage(3, 3, blue, false)));
    assertThat(onPicture.argb()[3]).isEqualTo(0xFF0000FF);
    assertThat(onPicture.argb()[4]).isEqualTo(0xFFFF0000);
  }

  @Test
  void encodeWritesEachFormatWithoutChangingThePixels() throws IOException {
    RgbaImage cut = halfRed();

    BufferedImage png = decode(cut.encode(OutputFormat.PNG));
    assertThat(png.getColorModel().hasAlpha()).isTrue();
    assertThat(png.getRGB(0, 0)).isEqualTo(0xFFFF0000);
    assertThat(png.getRGB(3, 1) >>> 24).isZero();
    byte[] jpeg = cut.over(Background.parseColor("fff")).encode(OutputFormat.JPEG);
    assertThat(ImageFormat.sniff(jpeg)).contains(ImageFormat.JPEG);
    assertThat(decode(jpeg).getWidth()).isEqualTo(4);
    assertThat(ImageFormat.sniff(cut.encode(OutputFormat.WEBP))).contains(ImageFormat.WEBP);
  }

  @Test
  void encodeGreyPngWritesOneChannelFromTheLowestByte() throws IOException {
    int[] px = {0xFF000000, 0xFF808080, 0xFFFFFFFF, 0xFF404040};

    BufferedImage png = decode(new RgbaImage(2, 2, px, false).encodeGreyPng());

    assertThat(png.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(png.getRaster().getSample(0, 0, 0)).isZero();
    assertThat(png.getRaster().getSample(1, 0, 0)).isEqualTo(0x80);
    assertThat(png.getRaster().getSample(0, 1, 0)).isEqualTo(0xFF);
    assertThat(png.getRaster().getSample(1, 1, 0)).isEqualTo(0x40);
  }
}
