package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editor on a result made in the browser. Results keep only their PNG, so opening one decodes
 * the original and the PNG again: the exported picture must carry the original's colours, the
 * result's alpha, and the chosen background.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditorTest {
  private static final int GREEN = 0x00FF00;

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

  /** A desktop-sized page that has made its cutout of {@code photo}. */
  private CutoutPage pageWithResult(BrowserContext context, String photo) {
    CutoutPage page = new CutoutPage(context.newPage());
    page.page().setViewportSize(1280, 900);
    page.page().navigate(server.uri() + "?model=isnet-uint8");
    page.waitReady();
    page.choose(Servers.PHOTOS.resolve(photo));
    assertThat(page.waitFinished(1)).isEqualTo("done");
    return page;
  }

  /** Opens the editor on the first result and waits until it can export. */
  private static void openEditor(CutoutPage page) {
    page.item(1).locator(BrowserConfig.selector("itemEdit")).click();
    page.page()
        .waitForFunction(
            "([editor, download]) => !document.querySelector(editor).hidden"
                + " && !document.querySelector(download).disabled",
            List.of(BrowserConfig.selector("editor"), BrowserConfig.selector("editorDownload")));
  }

  @Test
  void exportsTheOriginalOverAColourWithTheResultsAlpha(@TempDir Path downloads)
      throws IOException {
    BrowserContext context = chromium.newContext();
    try {
      Path photo = Servers.PHOTOS.resolve("coffee.png");
      CutoutPage page = pageWithResult(context, "coffee.png");
      BufferedImage cutout = page.download(1, downloads);

      openEditor(page);
      Locator export = page.part("editorDownload");
      assertThat(page.part("editorStatus").innerText()).doesNotContain("Cannot edit");

      page.part("colourBackground").check();
      page.part("colourValue").fill("#00ff00");
      Download download = page.page().waitForDownload(export::click);
      Path saved = downloads.resolve("edited-" + download.suggestedFilename());
      download.saveAs(saved);
      BufferedImage edited = ImageIO.read(saved.toFile());
      BufferedImage original = ImageIO.read(photo.toFile());

      assertThat(edited.getWidth()).isEqualTo(original.getWidth());
      assertThat(edited.getHeight()).isEqualTo(original.getHeight());
      long subject = 0;
      long background = 0;
      long edge = 0;
      for (int y = 0; y < edited.getHeight(); y++) {
        for (int x = 0; x < edited.getWidth(); x++) {
          int alpha = cutout.getRGB(x, y) >>> 24;
          int out = edited.getRGB(x, y);
          assertThat(out >>> 24).as("opaque at %d,%d", x, y).isEqualTo(255);
          if (alpha == 0) {
            assertThat(out & 0xFFFFFF).as("background at %d,%d", x, y).isEqualTo(GREEN);
            background++;
          } else if (alpha == 255) {
            assertThat(out & 0xFFFFFF)
                .as("subject at %d,%d", x, y)
                .isEqualTo(original.getRGB(x, y) & 0xFFFFFF);
            subject++;
          } else {
            int source = original.getRGB(x, y);
            for (int shift = 0; shift <= 16; shift += 8) {
              double expected =
                  (((source >> shift) & 0xFF) * alpha + ((GREEN >> shift) & 0xFF) * (255 - alpha))
                      / 255.0;
              assertThat((double) ((out >> shift) & 0xFF))
                  .as("blend at %d,%d (alpha %d)", x, y, alpha)
                  .isCloseTo(expected, Offset.offset(1.0));
            }
            edge++;
          }
        }
      }
      assertThat(edge).as("translucent edge pixels checked").isGreaterThan(100);
      assertThat(subject).as("opaque subject pixels checked").isGreaterThan(10_000);
      assertThat(background).as("transparent background pixels checked").isGreaterThan(10_000);
    } finally {
      context.close();
    }
  }

  /**
   * The editor's picture as a person sees it: a checkerboard of small tiles behind a transparent
   * cutout (not one giant diamond), a before/after slider exactly as wide as the picture, and
   * "Picture" chosen before any picture still showing the cutout, not the original photo.
   */
  @Test
  void theEditorShowsTilesASliderAsWideAsThePictureAndNoOriginalUnderAnEmptyPicture() {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = pageWithResult(context, "chelsea.png");
      openEditor(page);

      Locator layer = page.page().locator("#after-layer");
      assertThat(layer.evaluate("e => getComputedStyle(e).backgroundSize"))
          .as("the checkerboard's tiles, on each of its four gradient layers")
          .isEqualTo("16px 16px, 16px 16px, 16px 16px, 16px 16px");

      var slider = page.page().locator("#compare").boundingBox();
      var picture = page.page().locator("#before-canvas").boundingBox();
      assertThat(slider.x)
          .as("slider's left edge at the picture's")
          .isCloseTo(picture.x, Offset.offset(1.0));
      assertThat(slider.width)
          .as("slider as wide as the picture")
          .isCloseTo(picture.width, Offset.offset(1.0));

      page.page().locator("input[name=bg][value=image]").check();
      assertThat(layer.evaluate("e => e.classList.contains('checkerboard')"))
          .as("no picture yet: the cutout stays on its checkerboard, the original does not show")
          .isEqualTo(true);
      assertThat(layer.evaluate("e => getComputedStyle(e).backgroundImage"))
          .asString()
          .contains("linear-gradient");
    } finally {
      context.close();
    }
  }

  /**
   * An erased stroke reaches the list and the ZIP: after the editor closes, the item's download and
   * the ZIP's entry are the edited cutout, not the model's.
   */
  @Test
  void editsReachTheListAndTheZip(@TempDir Path downloads) throws IOException {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = pageWithResult(context, "chelsea.png");
      BufferedImage before = page.download(1, downloads.resolve("model"));
      String modelHref = page.downloadHref(1);

      openEditor(page);
      page.part("eraseTool").check();
      // the editor scrolls itself into view smoothly: stop that, bring the canvas into view at
      // once, and measure it only when it has stayed put
      page.page().evaluate("() => window.scrollTo({ top: window.scrollY, behavior: 'instant' })");
      page.part("editorCanvas").scrollIntoViewIfNeeded();
      var box = page.part("editorCanvas").boundingBox();
      for (int same = 0, i = 0; same < 3 && i < 50; i++) {
        page.page().waitForTimeout(100);
        var now = page.part("editorCanvas").boundingBox();
        same = now.x == box.x && now.y == box.y ? same + 1 : 0;
        box = now;
      }
      double y = box.y + box.height / 2;
      page.page().mouse().move(box.x + box.width * 0.3, y);
      page.page().mouse().down();
      page.page()
          .mouse()
          .move(
              box.x + box.width * 0.7,
              y,
              new com.microsoft.playwright.Mouse.MoveOptions().setSteps(12));
      page.page().mouse().up();
      assertThat(page.part("undo").isEnabled())
          .as(
              "the stroke was registered; at the stroke: %s",
              page.page()
                  .evaluate(
                      "([x, y]) => { const e = document.elementFromPoint(x, y);"
                          + " return e ? e.id + '.' + e.className + ' scrollY=' + scrollY : 'none'; }",
                      List.of(box.x + box.width / 2, y)))
          .isTrue();
      page.page().locator("#editor-close").click();
      page.page()
          .waitForFunction(
              "([item, href]) => { const a = document.querySelector(item + ' a[download]');"
                  + " return a && a.href !== href; }",
              List.of(BrowserConfig.selector("queueItem"), modelHref));
      assertThat(page.itemText(1)).contains("edited");

      BufferedImage after = page.download(1, downloads.resolve("edited"));
      long erased = 0;
      for (int py = 0; py < after.getHeight(); py++) {
        for (int px = 0; px < after.getWidth(); px++) {
          if (before.getRGB(px, py) >>> 24 != 0 && after.getRGB(px, py) >>> 24 == 0) {
            erased++;
          }
        }
      }
      assertThat(erased)
          .as("subject pixels the stroke erased, in the list's download")
          .isGreaterThan(500);

      Download zip = page.page().waitForDownload(() -> page.part("downloadZip").click());
      Path zipFile = downloads.resolve("cutouts.zip");
      zip.saveAs(zipFile);
      try (var in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zipFile))) {
        var entry = in.getNextEntry();
        assertThat(entry).isNotNull();
        BufferedImage zipped = ImageIO.read(new java.io.ByteArrayInputStream(in.readAllBytes()));
        assertThat(zipped.getRGB(after.getWidth() / 2, after.getHeight() / 2))
            .as("the ZIP holds the edited cutout")
            .isEqualTo(after.getRGB(after.getWidth() / 2, after.getHeight() / 2));
        long differing = 0;
        for (int py = 0; py < after.getHeight(); py++) {
          for (int px = 0; px < after.getWidth(); px++) {
            differing += zipped.getRGB(px, py) != after.getRGB(px, py) ? 1 : 0;
          }
        }
        assertThat(differing).isZero();
      }
    } finally {
      context.close();
    }
  }
}
