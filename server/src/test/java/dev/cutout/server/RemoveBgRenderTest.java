package dev.cutout.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Background;
import dev.cutout.core.Mask;
import dev.cutout.core.RgbaImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * remove.bg's arrangement of a cut-out (crop and margins, scale, position, size) and its encodings,
 * on a synthetic photo whose subject is known to the pixel: a 200 × 100 grey photo with a red 40 ×
 * 20 subject at (20, 10).
 */
class RemoveBgRenderTest {
  private static final int W = 200;
  private static final int H = 100;
  private static final Resampler.Rect SUBJECT = new Resampler.Rect(20, 10, 40, 20);

  private static RgbaImage photo() {
    int[] px = new int[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        px[y * W + x] = inSubject(x, y) ? 0xFFFF0000 : 0xFF808080;
      }
    }
    return new RgbaImage(W, H, px, false);
  }

  private static boolean inSubject(int x, int y) {
    return x >= SUBJECT.x()
        && x < SUBJECT.x() + SUBJECT.width()
        && y >= SUBJECT.y()
        && y < SUBJECT.y() + SUBJECT.height();
  }

  private static Mask mask() {
    byte[] a = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        a[y * W + x] = (byte) (inSubject(x, y) ? 255 : 0);
      }
    }
    return new Mask(W, H, a);
  }

  private static RemoveBgRequest request(String... fields) {
    Map<String, String> text = new HashMap<>();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      text.put(fields[i], fields[i + 1]);
    }
    text.putIfAbsent("size", "full");
    return RemoveBgRequest.parse(
        text, Map.of("image_file", new byte[] {1}), List.of("isnet-uint8"), false);
  }

  private static RemoveBgRender.Rendered render(String... fields) {
    RemoveBgRequest request = request(fields);
    Background behind =
        request.background() instanceof RemoveBgRequest.Backdrop.Colour c
            ? Background.color(c.argb())
            : Background.transparent();
    return RemoveBgRender.render(photo(), mask(), request, behind);
  }

  private static RemoveBgRender.Layout layout(String... fields) {
    return RemoveBgRender.Layout.of(request(fields), W, H, SUBJECT);
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      return javax.imageio.ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void withoutArrangementThePhotoIsDrawnAtItsOwnSize() {
    assertThat(layout())
        .isEqualTo(
            new RemoveBgRender.Layout(
                new Resampler.Rect(0, 0, W, H), W, H, new Resampler.Rect(0, 0, W, H)));
  }

  @Test
  void theSizeLimitShrinksTheCanvasToAtMostItsPixels() {
    RemoveBgRender.Layout preview = layout("size", "preview");
    assertThat(preview.width()).isEqualTo(W);
    RemoveBgRender.Layout big =
        RemoveBgRender.Layout.of(request("size", "preview"), 1000, 600, SUBJECT);
    assertThat((long) big.width() * big.height()).isLessThanOrEqualTo(250_000);
    assertThat(big.width()).isEqualTo(645);
    assertThat(big.height()).isEqualTo(387);
    assertThat(big.to()).isEqualTo(new Resampler.Rect(0, 0, 645, 387));
  }

  @Test
  void cropKeepsTheSubjectAndItsMarginsEvenPastThePhotosEdge() {
    assertThat(layout("crop", "true"))
        .isEqualTo(new RemoveBgRender.Layout(SUBJECT, 40, 20, new Resampler.Rect(0, 0, 40, 20)));
    // 30 px above and below (20 of them past the top edge), 50% of the width (20 px) left and
    // right: the canvas is 80 × 80, the photo fills its 80 × 60 below the first 20 rows
    RemoveBgRender.Layout withMargins = layout("crop", "true", "crop_margin", "30px 50%");
    assertThat(withMargins.width()).isEqualTo(80);
    assertThat(withMargins.height()).isEqualTo(80);
    assertThat(withMargins.from()).isEqualTo(new Resampler.Rect(0, 0, 80, 60));
    assertThat(withMargins.to()).isEqualTo(new Resampler.Rect(0, 20, 80, 60));
  }

  @Test
  void scaleSizesTheSubjectOnTheCanvasAndCentresIt() {
    // 50% of 200 × 100 is 100 × 50; the 40 × 20 subject fits it at 2.5×
    RemoveBgRender.Layout half = layout("scale", "50%");
    assertThat(half.from()).isEqualTo(SUBJECT);
    assertThat(half.to()).isEqualTo(new Resampler.Rect(50, 25, 100, 50));

    RemoveBgRender.Layout corner = layout("scale", "50%", "position", "100% 0%");
    assertThat(corner.to()).isEqualTo(new Resampler.Rect(100, 0, 100, 50));

    // scaled about its own centre (40, 20), then kept on the canvas
    RemoveBgRender.Layout original = layout("scale", "50%", "position", "original");
    assertThat(original.to()).isEqualTo(new Resampler.Rect(0, 0, 100, 50));

    RemoveBgRender.Layout moved = layout("position", "center");
    assertThat(moved.to()).isEqualTo(new Resampler.Rect(80, 40, 40, 20));
  }

  @Test
  void drawingAtTheSameSizeCopiesExactly() {
    RgbaImage p = photo();
    byte[] alpha = mask().alpha();
    int[] out =
        Resampler.draw(
            new Resampler.Source(p.argb(), alpha, W, H),
            new Resampler.Rect(0, 0, W, H),
            W,
            H,
            new Resampler.Rect(0, 0, W, H));

    for (int i = 0; i < out.length; i++) {
      int expected = alpha[i] == 0 ? 0 : p.argb()[i];
      assertThat(out[i]).as("pixel %d", i).isEqualTo(expected);
    }
  }

  @Test
  void shrinkingKeepsTheEdgesFreeOfTheRemovedBackgroundsColour() {
    RgbaImage p = photo();
    int[] out =
        Resampler.draw(
            new Resampler.Source(p.argb(), mask().alpha(), W, H),
            new Resampler.Rect(0, 0, W, H),
            66,
            33,
            new Resampler.Rect(0, 0, 66, 33));

    int partial = 0;
    for (int px : out) {
      int a = px >>> 24;
      if (a > 0) {
        assertThat(px & 0xFFFFFF).as("colour of a pixel of alpha %d", a).isEqualTo(0xFF0000);
        partial += a < 255 ? 1 : 0;
      }
    }
    assertThat(partial).as("soft edges").isPositive();
  }

  @Test
  void autoIsPngWithTransparencyAndJpegWithout() {
    RemoveBgRender.Rendered transparent = render();
    assertThat(transparent.mediaType()).isEqualTo("image/png");
    assertThat(decode(transparent.bytes()).getColorModel().hasAlpha()).isTrue();

    RemoveBgRender.Rendered onBlue = render("bg_color", "0000ff");
    assertThat(onBlue.mediaType()).isEqualTo("image/jpeg");
    BufferedImage jpeg = decode(onBlue.bytes());
    assertThat(jpeg.getRGB(150, 80) & 0xFF).isGreaterThan(240);
    assertThat(jpeg.getRGB(150, 80) >> 16 & 0xFF).isLessThan(15);
  }

  @Test
  void jpgWithoutABackgroundIsOnWhite() {
    RemoveBgRender.Rendered r = render("format", "jpg");

    assertThat(r.mediaType()).isEqualTo("image/jpeg");
    assertThat(decode(r.bytes()).getRGB(150, 80) & 0xFFFFFF).isGreaterThan(0xF0F0F0);
  }

  @Test
  void webpKeepsTransparency() {
    RemoveBgRender.Rendered r = render("format", "webp");

    assertThat(r.mediaType()).isEqualTo("image/webp");
    assertThat(new String(r.bytes(), 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("WEBP");
  }

  @Test
  void channelsAlphaIsTheGreyMaskOfTheArrangedSubject() {
    RemoveBgRender.Rendered r = render("channels", "alpha", "crop", "true");

    assertThat(r.mediaType()).isEqualTo("image/png");
    BufferedImage grey = decode(r.bytes());
    assertThat(grey.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(grey.getWidth()).isEqualTo(40);
    assertThat(grey.getRaster().getSample(5, 5, 0)).isEqualTo(255);
  }

  @Test
  void zipHoldsTheColoursAndTheAlphaAtTheOutputSize() throws IOException {
    RemoveBgRender.Rendered r = render("format", "zip");

    assertThat(r.mediaType()).isEqualTo("application/zip");
    Map<String, BufferedImage> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.bytes()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), decode(zip.readAllBytes()));
      }
    }
    assertThat(entries).containsOnlyKeys("color.jpg", "alpha.png");
    BufferedImage colour = entries.get("color.jpg");
    BufferedImage alpha = entries.get("alpha.png");
    assertThat(colour.getWidth()).isEqualTo(W);
    assertThat(alpha.getWidth()).isEqualTo(W);
    assertThat(alpha.getRaster().getSample(30, 15, 0)).isEqualTo(255);
    assertThat(alpha.getRaster().getSample(150, 80, 0)).isZero();
    assertThat(colour.getRGB(150, 80) & 0xFF).as("the photo's own grey").isBetween(120, 136);
  }

  @Test
  void theForegroundBoxIsInTheOutputsPixels() {
    assertThat(render().foreground()).isEqualTo(new RemoveBgRender.Box(20, 10, 40, 20));
    assertThat(render("crop", "true").foreground()).isEqualTo(new RemoveBgRender.Box(0, 0, 40, 20));
    assertThat(render("scale", "50%").foreground())
        .isEqualTo(new RemoveBgRender.Box(50, 25, 100, 50));
    assertThat(render("bg_color", "fff").foreground())
        .as("the subject's box, not the background's")
        .isEqualTo(new RemoveBgRender.Box(20, 10, 40, 20));
  }
}
