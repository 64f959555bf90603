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

  @Test
  void exportsTheOriginalOverAColourWithTheResultsAlpha(@TempDir Path downloads)
      throws IOException {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + "?model=isnet-uint8");
      page.waitReady();
      Path photo = Servers.PHOTOS.resolve("coffee.png");
      page.choose(photo);
      assertThat(page.waitFinished(1)).isEqualTo("done");
      BufferedImage cutout = page.download(1, downloads);

      page.item(1).locator(BrowserConfig.selector("itemEdit")).click();
      Locator export = page.part("editorDownload");
      page.page()
          .waitForFunction(
              "([editor, download]) => !document.querySelector(editor).hidden"
                  + " && !document.querySelector(download).disabled",
              List.of(BrowserConfig.selector("editor"), BrowserConfig.selector("editorDownload")));
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
}
