package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Playwright;
import dev.cutout.core.Cutout;
import dev.cutout.core.Mask;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's other tiers in the page: U²-Netp's own contract gives the Java library's mask. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelTiersTest {
  private static final Path PHOTO = Servers.PHOTOS.resolve("astronaut.png");

  private CutoutServer server;
  private Playwright playwright;
  private Browser browser;
  private Cutout java;

  @BeforeAll
  void start() {
    server = Servers.start();
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright, false);
    java = OnnxCutout.builder().model("u2netp").threads(2).build();
  }

  @AfterAll
  void stop() {
    java.close();
    browser.close();
    playwright.close();
    server.close();
  }

  @Test
  void liteRunsOnWasmWithTheJavaLibrarysMask(@TempDir Path downloads) throws Exception {
    BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true));
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + "?model=u2netp&backend=wasm");
      page.waitReady();
      assertThat(page.engineModel()).isEqualTo("u2netp");
      assertThat(page.engineBackend()).isEqualTo("wasm");
      long started = System.nanoTime();
      page.choose(PHOTO);
      assertThat(page.waitFinished(1)).as(page.itemText(1)).isEqualTo("done");
      System.out.printf("u2netp on WASM: %d ms%n", (System.nanoTime() - started) / 1_000_000);

      BufferedImage png = page.download(1, downloads);
      byte[] alpha = Alpha.of(png);
      Mask javaMask = java.remove(PHOTO, Options.defaults()).mask();
      double difference = Alpha.meanDifference(alpha, javaMask.alpha());
      System.out.printf("u2netp: mean |alpha browser - alpha java| = %.4f / 255%n", difference);
      if (difference > 1.0) {
        Alpha.writeForInspection(
            Path.of("target", "parity"), "u2netp-astronaut", alpha, javaMask, png.getWidth());
      }
      assertThat(Alpha.hasSubjectAndBackground(alpha)).isTrue();
      assertThat(difference)
          .as("parity of U²-Netp's contract (levels of 255)")
          .isLessThanOrEqualTo(1.0);
    } finally {
      context.close();
    }
  }
}
