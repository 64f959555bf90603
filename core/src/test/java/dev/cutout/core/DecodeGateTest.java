package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecodeGateTest {
  private final DecodeGate gate = DecodeGate.create();

  private static void refusedQuickly(Runnable action, ErrorCode code) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(1),
        () ->
            assertThatThrownBy(action::run)
                .isInstanceOf(CutoutException.class)
                .extracting(e -> ((CutoutException) e).code())
                .isEqualTo(code));
  }

  @Test
  void aThirtyMegabyteBodyIsRefusedAsTooLargeBeforeDecoding() {
    byte[] body = new byte[30_000_000];
    body[0] = (byte) 0xFF;
    body[1] = (byte) 0xD8;
    body[2] = (byte) 0xFF;
    refusedQuickly(() -> gate.decode(body), ErrorCode.TOO_LARGE);
    refusedQuickly(() -> gate.read(new ByteArrayInputStream(body)), ErrorCode.TOO_LARGE);
  }

  @Test
  void aThirtyMegabyteFileIsRefusedByItsSizeWithoutReadingIt(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.jpg");
    try (var channel =
        Files.newByteChannel(
            big,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.position(30_000_000 - 1);
      channel.write(ByteBuffer.wrap(new byte[] {0}));
    }
    refusedQuickly(() -> gate.read(big), ErrorCode.TOO_LARGE);
  }

  @Test
  void aPngHeaderClaiming65535By65535IsRefusedBeforeAnyPixelIsDecoded() {
    byte[] png = pngHeaderOnly(65535, 65535);
    refusedQuickly(() -> gate.decode(png), ErrorCode.TOO_MANY_PIXELS);
  }

  @Test
  void aTruncatedJpegIsCorrupt() {
    byte[] jpeg = TestImages.encode(TestImages.gradient(400, 300), "jpeg");
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    refusedQuickly(() -> gate.decode(truncated), ErrorCode.CORRUPT_IMAGE);
  }

  @Test
  void aTextFileNamedJpgIsNotAnImage(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.jpg");
    Files.writeString(text, "these are my holiday notes, not a photo\n");
    refusedQuickly(() -> gate.decode(gate.read(text)), ErrorCode.UNSUPPORTED_FORMAT);
  }

  @Test
  void anEmptyFileIsEmptyInput(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.png"));
    refusedQuickly(() -> gate.decode(gate.read(empty)), ErrorCode.EMPTY_INPUT);
  }

  @Test
  void randomBytesBehindAValidSignatureAreCorrupt() {
    byte[] noise = new byte[5000];
    new Random(7).nextBytes(noise);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(signature, 0, noise, 0, signature.length);
    refusedQuickly(() -> gate.decode(noise), ErrorCode.CORRUPT_IMAGE);
  }

  @Test
  void theFormatIsJudgedByMagicBytesNotByName(@TempDir Path dir) throws IOException {
    Path pngNamedJpg = dir.resolve("photo.jpg");
    Files.write(pngNamedJpg, TestImages.encode(TestImages.gradient(30, 20), "png"));
    byte[] bytes = gate.read(pngNamedJpg);
    assertThat(gate.sniff(bytes)).isEqualTo(ImageFormat.PNG);
    assertThat(gate.decode(bytes).width()).isEqualTo(30);
  }

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyExifOrientationComesOutUpright(int orientation) {
    BufferedImage upright = TestImages.gradient(64, 40);
    BufferedImage stored = storedFor(upright, orientation);
    byte[] jpeg = TestImages.withExifOrientation(TestImages.encode(stored, "jpeg"), orientation);
    RgbaImage decoded = gate.decode(jpeg);
    assertThat(decoded.width()).isEqualTo(64);
    assertThat(decoded.height()).isEqualTo(40);
    assertThat(TestImages.meanRgbDifference(decoded, RgbaImage.of(upright))).isLessThan(3.0);
  }

  @Test
  void aPhoneStylePortraitWithOrientation6ComesOutUpright() {
    BufferedImage rocket = readPhoto("rocket.jpg"); // 640×427, landscape
    BufferedImage storedSideways = storedFor(rocket, 6);
    byte[] jpeg =
        TestImages.withExifOrientation(TestImages.encode(toRgb(storedSideways), "jpeg"), 6);
    RgbaImage decoded = gate.decode(jpeg);
    assertThat(decoded.width()).isEqualTo(640);
    assertThat(decoded.height()).isEqualTo(427);
    // JPEG re-encoding alone costs about 4 levels here; a wrong turn costs tens
    assertThat(TestImages.meanRgbDifference(decoded, RgbaImage.of(rocket))).isLessThan(6.0);
  }

  @Test
  void aCmykJpegComesOutInTheRightColours() {
    // astronaut-cmyk.jpg: the astronaut photo as CMYK, stored YCCK-encoded (Adobe transform 2)
    // by ImageMagick (src/test/resources/README.md); its colours must match the RGB original.
    RgbaImage cmyk =
        gate.decode(TestImages.bytes(Path.of("src/test/resources/astronaut-cmyk.jpg")));
    RgbaImage original = RgbaImage.of(readPhoto("astronaut.png"));
    assertThat(cmyk.width()).isEqualTo(512);
    assertThat(TestImages.meanRgbDifference(cmyk, original)).isLessThan(12.0);
  }

  @Test
  void greyAndSixteenBitAndPalettePngsReadAsTheirSampleValues() throws IOException {
    BufferedImage grey = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 64, 128, 255});
    RgbaImage g = gate.decode(TestImages.encode(grey, "png"));
    assertThat(g.argb()).containsExactly(0xFF000000, 0xFF404040, 0xFF808080, 0xFFFFFFFF);

    BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0x8080, 0xFFFF});
    RgbaImage d = gate.decode(TestImages.encode(deep, "png"));
    assertThat(d.argb()).containsExactly(0xFF808080, 0xFFFFFFFF);

    BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
    palette.setRGB(0, 0, 0xFFFF0000);
    palette.setRGB(1, 0, 0xFF0000FF);
    RgbaImage p = gate.decode(TestImages.encode(palette, "png"));
    assertThat(p.argb()).containsExactly(0xFFFF0000, 0xFF0000FF);
  }

  @Test
  void anAlphaPngKeepsItsAlphaAndAnOpaqueOneDropsIt() {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80FF0000);
    argb.setRGB(1, 0, 0xFF00FF00);
    RgbaImage withAlpha = gate.decode(TestImages.encode(argb, "png"));
    assertThat(withAlpha.hasAlpha()).isTrue();
    assertThat(withAlpha.argb()).containsExactly(0x80FF0000, 0xFF00FF00);

    argb.setRGB(0, 0, 0xFFFF0000);
    assertThat(gate.decode(TestImages.encode(argb, "png")).hasAlpha()).isFalse();
  }

  @Test
  void onlyTheFirstFrameOfAGifIsRead() {
    RgbaImage gif = gate.decode(TestImages.encode(TestImages.gradient(20, 10), "gif"));
    assertThat(gif.width()).isEqualTo(20);
    assertThat(gif.height()).isEqualTo(10);
  }

  @Test
  void webpInputIsDecoded() {
    byte[] webp = TestImages.bytes(Path.of("src/test/resources/chelsea.webp"));
    RgbaImage decoded = gate.decode(webp);
    assertThat(decoded.width()).isEqualTo(451);
    assertThat(TestImages.meanRgbDifference(decoded, RgbaImage.of(readPhoto("chelsea.png"))))
        .isLessThan(6.0);
  }

  private static BufferedImage readPhoto(String name) {
    try {
      return ImageIO.read(TestImages.photo(name).toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BufferedImage toRgb(BufferedImage image) {
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(image, 0, 0, null);
    return rgb;
  }

  /** The pixels a camera would store so that applying {@code orientation} gives {@code upright}. */
  static BufferedImage storedFor(BufferedImage upright, int orientation) {
    int w = upright.getWidth();
    int h = upright.getHeight();
    boolean swap = orientation >= 5;
    BufferedImage stored =
        new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    int sw = stored.getWidth();
    int sh = stored.getHeight();
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        // where stored (x, y) lands after the orientation is applied (same maps as Orientation)
        int ox;
        int oy;
        switch (orientation) {
          case 2 -> {
            ox = sw - 1 - x;
            oy = y;
          }
          case 3 -> {
            ox = sw - 1 - x;
            oy = sh - 1 - y;
          }
          case 4 -> {
            ox = x;
            oy = sh - 1 - y;
          }
          case 5 -> {
            ox = y;
            oy = x;
          }
          case 6 -> {
            ox = sh - 1 - y;
            oy = x;
          }
          case 7 -> {
            ox = sh - 1 - y;
            oy = sw - 1 - x;
          }
          case 8 -> {
            ox = y;
            oy = sw - 1 - x;
          }
          default -> {
            ox = x;
            oy = y;
          }
        }
        stored.setRGB(x, y, upright.getRGB(ox, oy));
      }
    }
    return stored;
  }

  private static byte[] pngHeaderOnly(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
    out.writeBytes(ihdr.array());
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    // an IDAT that promises far more than it holds
    out.writeBytes(new byte[] {0, 0, 0, 2, 'I', 'D', 'A', 'T', 0x78, 0x01, 0, 0, 0, 0});
    return out.toByteArray();
  }
}
