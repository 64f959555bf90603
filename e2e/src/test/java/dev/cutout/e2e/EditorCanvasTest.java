package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editor as a canvas to work on, in Chromium on a result of the real model: zoom with the
 * buttons and the wheel, a brush stroke at 300% that lands on the image pixels under the pointer
 * and is undone there, the before/after divider dragged on the picture and moved by keys, a soft
 * brush that leaves a graded rim, and the "Blur" background exported as a real blur of the
 * original.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditorCanvasTest {
  private CutoutServer server;
  private Chromium.Session chromium;

  @BeforeAll
  void start() {
    server = Servers.start();
    chromium = Chromium.start();
  }

  @AfterAll
  void stop() {
    chromium.close();
    server.close();
  }

  private CutoutPage pageWithResult(BrowserContext context, String photo) {
    CutoutPage page = new CutoutPage(context.newPage());
    page.page().setViewportSize(1280, 900);
    page.page().navigate(server.uri() + "?model=isnet-uint8");
    page.waitReady();
    page.choose(Servers.PHOTOS.resolve(photo));
    assertThat(page.waitFinished(1)).isEqualTo("done");
    return page;
  }

  private static double zoom(CutoutPage page) {
    return Double.parseDouble(page.page().locator("#editor-stage").getAttribute("data-zoom"));
  }

  /** Downloads the editor's export with the background and tool chosen now. */
  private static BufferedImage export(CutoutPage page, Path downloads, String name)
      throws IOException {
    Download download = page.page().waitForDownload(page.part("editorDownload")::click);
    Path saved = downloads.resolve(name + ".png");
    download.saveAs(saved);
    return ImageIO.read(saved.toFile());
  }

  private static void setRange(CutoutPage page, String selector, int value) {
    page.page()
        .locator(selector)
        .evaluate(
            "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }",
            String.valueOf(value));
    assertThat(page.page().locator(selector).inputValue()).isEqualTo(String.valueOf(value));
  }

  /**
   * A point of the picture deep inside the subject: opaque for {@code reach} pixels either way
   * along its row and 8 rows up and down.
   */
  private static int[] opaqueSpot(BufferedImage cutout, int reach) {
    int bestX = -1;
    int bestY = -1;
    for (int y = 8; y < cutout.getHeight() - 8 && bestX < 0; y += 2) {
      for (int x = reach; x < cutout.getWidth() - reach && bestX < 0; x += 2) {
        boolean opaque = true;
        for (int dy = -8; dy <= 8 && opaque; dy += 2) {
          for (int dx = -reach; dx <= reach && opaque; dx += 2) {
            opaque = cutout.getRGB(x + dx, y + dy) >>> 24 == 255;
          }
        }
        if (opaque) {
          bestX = x;
          bestY = y;
        }
      }
    }
    assertThat(bestX).as("an opaque stretch of the subject to draw on").isNotNegative();
    return new int[] {bestX, bestY};
  }

  /** The image point under a page point, measured from the picture's box on the page. */
  private static double[] imagePoint(BoundingBox canvas, int width, double px, double py) {
    double perPixel = canvas.width / width;
    return new double[] {(px - canvas.x) / perPixel, (py - canvas.y) / perPixel};
  }

  private static double distanceToSegment(
      double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    double t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
  }

  @Test
  void aStrokeAtThreeHundredPercentErasesTheImagePixelsUnderItAndUndoBringsThemBack(
      @TempDir Path downloads) throws IOException {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = pageWithResult(context, "chelsea.png");
      BufferedImage model = page.download(1, downloads);
      int width = model.getWidth();
      int[] spot = opaqueSpot(model, 24);
      EditorTest.openEditor(page);
      Page p = page.page();

      double fitted = zoom(page);
      p.locator("#zoom-in").click();
      assertThat(zoom(page))
          .as("zoom in, from %.3f", fitted)
          .isCloseTo(fitted * 1.5, Offset.offset(0.01));
      p.locator("#zoom-out").click();
      assertThat(zoom(page)).isCloseTo(fitted, Offset.offset(0.01));
      p.locator("#zoom-100").click();
      assertThat(zoom(page)).isEqualTo(1.0);
      p.locator("#zoom-fit").click();
      assertThat(zoom(page)).isCloseTo(fitted, Offset.offset(0.001));

      // the tool first: choosing it may scroll the page, and the picture with it
      page.part("eraseTool").check();
      setRange(page, "#brush-size", 20);
      setRange(page, "#brush-hardness", 100);

      // the wheel zooms about the pointer: the spot stays under it
      BoundingBox canvas = EditorTest.steadyCanvas(page);
      double perPixel = canvas.width / width;
      double sx = canvas.x + (spot[0] + 0.5) * perPixel;
      double sy = canvas.y + (spot[1] + 0.5) * perPixel;
      Mouse mouse = p.mouse();
      mouse.move(sx, sy);
      for (int i = 0; i < 30 && zoom(page) < 3; i++) {
        mouse.wheel(0, -120);
      }
      double scale = zoom(page);
      assertThat(scale).as("zoomed with the wheel").isBetween(3.0, 4.0);
      canvas = p.locator("#after-canvas").boundingBox();
      assertThat(canvas.width / width)
          .as("the picture's scale on screen")
          .isCloseTo(scale, Offset.offset(0.01));
      double[] under = imagePoint(canvas, width, sx, sy);
      assertThat(under[0])
          .as("the spot stays under the pointer")
          .isCloseTo(spot[0] + 0.5, Offset.offset(0.6));
      assertThat(under[1]).isCloseTo(spot[1] + 0.5, Offset.offset(0.6));

      // a hard erase stroke, 20 screen pixels wide, 60 screen pixels long
      double ax = sx - 30;
      double bx = sx + 30;
      mouse.move(ax, sy);
      mouse.down();
      mouse.move(bx, sy, new Mouse.MoveOptions().setSteps(15));
      mouse.up();
      assertThat(page.part("undo").isEnabled()).as("the stroke is an undo step").isTrue();

      double[] a = imagePoint(canvas, width, ax, sy);
      double[] b = imagePoint(canvas, width, bx, sy);
      double radius = 10 / scale;
      BufferedImage edited = export(page, downloads, "stroke");
      long erasedOnLine = 0;
      long changedFar = 0;
      long changedNear = 0;
      for (int y = 0; y < model.getHeight(); y++) {
        for (int x = 0; x < width; x++) {
          int before = model.getRGB(x, y) >>> 24;
          int after = edited.getRGB(x, y) >>> 24;
          double d = distanceToSegment(x + 0.5, y + 0.5, a[0], a[1], b[0], b[1]);
          if (d <= radius - 0.75) {
            assertThat(after).as("inside the stroke at %d,%d", x, y).isZero();
            erasedOnLine++;
          } else if (d > radius + 0.75) {
            changedFar += after != before ? 1 : 0;
          } else {
            changedNear += after != before ? 1 : 0;
          }
        }
      }
      System.out.printf(
          "stroke at %.0f%%: image %.1f,%.1f to %.1f,%.1f radius %.2f; erased %d, rim changed %d%n",
          scale * 100, a[0], a[1], b[0], b[1], radius, erasedOnLine, changedNear);
      assertThat(erasedOnLine).as("pixels well inside the stroke").isGreaterThan(50);
      assertThat(changedFar).as("pixels changed away from the stroke").isZero();

      p.locator("#undo").click();
      BufferedImage undone = export(page, downloads, "undone");
      long differing = 0;
      for (int y = 0; y < model.getHeight(); y++) {
        for (int x = 0; x < width; x++) {
          differing += (undone.getRGB(x, y) >>> 24) != (model.getRGB(x, y) >>> 24) ? 1 : 0;
        }
      }
      assertThat(differing).as("alpha differing from the model's after undo").isZero();
    } finally {
      context.close();
    }
  }

  /**
   * The divider is a handle on the picture: dragged, it moves the after layer's clip with it; it is
   * a slider the keyboard moves too. The editor takes the focus when it opens and gives it back to
   * the Edit button when Esc closes it.
   */
  @Test
  void theDividerIsDraggedOnThePictureAndEscClosesTheEditor() {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = pageWithResult(context, "chelsea.png");
      EditorTest.openEditor(page);
      Page p = page.page();
      assertThat(p.evaluate("() => document.activeElement.closest('#editor') !== null"))
          .as("the focus moved into the editor")
          .isEqualTo(true);

      EditorTest.steadyCanvas(page);
      Locator divider = p.locator("#divider");
      BoundingBox stage = p.locator("#editor-stage").boundingBox();
      BoundingBox handle = divider.boundingBox();
      assertThat(divider.getAttribute("role")).isEqualTo("slider");
      assertThat(divider.getAttribute("aria-valuenow")).isEqualTo("50");
      Mouse mouse = p.mouse();
      mouse.move(handle.x + handle.width / 2, stage.y + stage.height / 2);
      mouse.down();
      mouse.move(
          stage.x + stage.width * 0.3,
          stage.y + stage.height / 2,
          new Mouse.MoveOptions().setSteps(8));
      mouse.up();
      assertThat(Integer.parseInt(divider.getAttribute("aria-valuenow"))).isBetween(29, 31);

      handle = divider.boundingBox();
      BoundingBox canvas = p.locator("#after-canvas").boundingBox();
      String clip =
          (String) p.locator("#after-layer").evaluate("e => getComputedStyle(e).clipPath");
      double insetLeft = Double.parseDouble(clip.replaceAll(".* (-?[0-9.]+)px\\)$", "$1"));
      double clipOnScreen =
          canvas.x
              + insetLeft
                  * canvas.width
                  / Integer.parseInt(
                      (String) p.locator("#after-canvas").evaluate("e => String(e.width)"));
      assertThat(clipOnScreen)
          .as("the after layer's clip (%s) where the handle is", clip)
          .isCloseTo(handle.x + handle.width / 2, Offset.offset(1.5));
      assertThat(handle.x + handle.width / 2)
          .as("the handle is on the picture")
          .isBetween(canvas.x, canvas.x + canvas.width);

      divider.focus();
      for (int i = 0; i < 5; i++) {
        p.keyboard().press("ArrowRight");
      }
      assertThat(Integer.parseInt(divider.getAttribute("aria-valuenow"))).isBetween(34, 36);

      p.keyboard().press("Escape");
      assertThat(page.part("editor").isHidden()).as("Esc closed the editor").isTrue();
      assertThat(p.evaluate("() => document.activeElement.matches('button.edit')"))
          .as("the focus is back on the Edit button")
          .isEqualTo(true);
    } finally {
      context.close();
    }
  }

  /**
   * "Blur": the export is the original over a box blur (three passes) of the original, as the
   * worker computes it; the subject's opaque pixels are the original's own. Then a soft erase
   * stroke leaves partly transparent pixels at its rim, where a hard one would leave none.
   */
  @Test
  void theBlurBackgroundIsARealBlurAndTheSoftBrushGradesItsRim(@TempDir Path downloads)
      throws IOException {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = pageWithResult(context, "chelsea.png");
      BufferedImage model = page.download(1, downloads);
      BufferedImage original = ImageIO.read(Servers.PHOTOS.resolve("chelsea.png").toFile());
      int width = model.getWidth();
      int height = model.getHeight();
      EditorTest.openEditor(page);
      Page p = page.page();

      p.locator("input[name=bg][value=blur]").check();
      assertThat(p.locator("#blur-canvas").isVisible()).as("the blur previewed").isTrue();
      BufferedImage blurred = export(page, downloads, "blur");
      int radius = Math.max(2, (int) Math.round(0.015 * Math.max(width, height)));
      int[] expected = BoxBlur.of(original, radius);
      long background = 0;
      long subject = 0;
      long blurredAway = 0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int alpha = model.getRGB(x, y) >>> 24;
          int out = blurred.getRGB(x, y);
          assertThat(out >>> 24).as("opaque at %d,%d", x, y).isEqualTo(255);
          if (alpha == 255) {
            assertThat(out & 0xFFFFFF)
                .as("subject at %d,%d", x, y)
                .isEqualTo(original.getRGB(x, y) & 0xFFFFFF);
            subject++;
          } else if (alpha == 0) {
            int want = expected[y * width + x];
            for (int shift = 0; shift <= 16; shift += 8) {
              assertThat((out >> shift) & 0xFF)
                  .as("blurred background at %d,%d", x, y)
                  .isCloseTo((want >> shift) & 0xFF, Offset.offset(1));
            }
            blurredAway += (out & 0xFFFFFF) != (original.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
            background++;
          }
        }
      }
      assertThat(subject).isGreaterThan(5_000);
      assertThat(background).isGreaterThan(10_000);
      assertThat(blurredAway)
          .as("background pixels the blur changed")
          .isGreaterThan(background / 2);

      p.locator("input[name=bg][value=transparent]").check();
      int[] spot = opaqueSpot(model, 24);
      page.part("eraseTool").check();
      setRange(page, "#brush-size", 40);
      setRange(page, "#brush-hardness", 0);
      BoundingBox canvas = EditorTest.steadyCanvas(page);
      double perPixel = canvas.width / width;
      Mouse mouse = p.mouse();
      double y = canvas.y + (spot[1] + 0.5) * perPixel;
      mouse.move(canvas.x + (spot[0] - 10) * perPixel, y);
      mouse.down();
      mouse.move(canvas.x + (spot[0] + 10) * perPixel, y, new Mouse.MoveOptions().setSteps(6));
      mouse.up();
      BufferedImage soft = export(page, downloads, "soft");
      long partial = 0;
      long erased = 0;
      for (int py = 0; py < height; py++) {
        for (int px = 0; px < width; px++) {
          if (model.getRGB(px, py) >>> 24 != 255) continue;
          int a = soft.getRGB(px, py) >>> 24;
          partial += a > 0 && a < 255 ? 1 : 0;
          erased += a < 16 ? 1 : 0;
        }
      }
      assertThat(erased).as("(almost) erased at the stroke's centre").isGreaterThan(0);
      assertThat(partial).as("partly erased pixels at the soft rim").isGreaterThan(100);
    } finally {
      context.close();
    }
  }

  /** Fingers on the touch screen, as Chromium's DevTools protocol lays them: x, y, id each. */
  private static void touch(CDPSession cdp, String type, double[]... fingers) {
    JsonObject args = new JsonObject();
    args.addProperty("type", type);
    JsonArray points = new JsonArray();
    for (double[] finger : fingers) {
      JsonObject point = new JsonObject();
      point.addProperty("x", finger[0]);
      point.addProperty("y", finger[1]);
      point.addProperty("id", (int) finger[2]);
      points.add(point);
    }
    args.add("touchPoints", points);
    cdp.send("Input.dispatchTouchEvent", args);
  }

  /**
   * On a touch screen one finger brushes and two zoom: a second finger landing turns the first
   * one's start of a stroke into a pinch (no edit, no undo step), spreading them zooms in; one
   * finger alone then erases.
   */
  @Test
  void oneFingerBrushesAndTwoFingersZoom(@TempDir Path downloads) {
    BrowserContext context =
        chromium
            .browser()
            .newContext(new Browser.NewContextOptions().setAcceptDownloads(true).setHasTouch(true));
    try {
      CutoutPage page = pageWithResult(context, "chelsea.png");
      BufferedImage model = page.download(1, downloads);
      int[] spot = opaqueSpot(model, 24);
      EditorTest.openEditor(page);
      page.part("eraseTool").check();
      BoundingBox canvas = EditorTest.steadyCanvas(page);
      CDPSession cdp = context.newCDPSession(page.page());
      double cx = canvas.x + canvas.width / 2;
      double cy = canvas.y + canvas.height / 2;
      double fitted = zoom(page);

      touch(cdp, "touchStart", new double[] {cx - 20, cy, 1});
      touch(cdp, "touchMove", new double[] {cx - 24, cy, 1});
      touch(cdp, "touchStart", new double[] {cx - 24, cy, 1}, new double[] {cx + 20, cy, 2});
      for (int i = 1; i <= 10; i++) {
        touch(
            cdp,
            "touchMove",
            new double[] {cx - 24 - 8 * i, cy, 1},
            new double[] {cx + 20 + 8 * i, cy, 2});
      }
      touch(cdp, "touchEnd");
      assertThat(zoom(page)).as("spreading two fingers zooms in").isGreaterThan(fitted * 1.5);
      assertThat(page.part("undo").isEnabled())
          .as("the first finger's start of a stroke was dropped when the second landed")
          .isFalse();

      // one finger on the subject, at the fitted size again
      page.page().locator("#zoom-fit").click();
      canvas = EditorTest.steadyCanvas(page);
      double perPixel = canvas.width / model.getWidth();
      double fx = canvas.x + (spot[0] + 0.5) * perPixel;
      double fy = canvas.y + (spot[1] + 0.5) * perPixel;
      touch(cdp, "touchStart", new double[] {fx - 20, fy, 3});
      for (int i = 1; i <= 8; i++) {
        touch(cdp, "touchMove", new double[] {fx - 20 + 5 * i, fy, 3});
      }
      touch(cdp, "touchEnd");
      assertThat(page.part("undo").isEnabled()).as("one finger erased").isTrue();
    } finally {
      context.close();
    }
  }
}
