package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelStore;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The app after the server is gone, and the app given a model file that is not the real one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineAndIntegrityTest {
  private Chromium.Session chromium;

  @BeforeAll
  void start() {
    chromium = Chromium.start();
  }

  @AfterAll
  void stop() {
    chromium.close();
  }

  @Test
  void afterOneVisitAReloadWithTheServerStoppedStillProcessesANewImage(@TempDir Path downloads) {
    CutoutServer server = Servers.start();
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri().toString());
      page.waitReady();
      page.page()
          .waitForFunction(
              "async () => { await navigator.serviceWorker.ready; return !!navigator.serviceWorker.controller"
                  + " || (await new Promise(r => setTimeout(r, 200)), false); }",
              null,
              new Page.WaitForFunctionOptions().setTimeout(60_000));
      // the first visit may not yet be controlled by the worker: one reload while online
      page.page().reload();
      page.waitReady();
      assertThat((Boolean) page.page().evaluate("!!navigator.serviceWorker.controller")).isTrue();

      server.close();

      page.page().reload();
      page.waitReady();
      page.choose(Servers.PHOTOS.resolve("chelsea.png"));
      assertThat(page.waitFinished(1)).isEqualTo("done");
      BufferedImage png = page.download(1, downloads);
      assertThat(png.getWidth()).isEqualTo(451);
      assertThat(png.getHeight()).isEqualTo(300);
      assertThat(Alpha.hasSubjectAndBackground(Alpha.of(png))).isTrue();
    } finally {
      context.close();
      server.close();
    }
  }

  @Test
  void aModelFileWithOneFlippedByteIsRefusedVisiblyAndNothingRuns(@TempDir Path models)
      throws Exception {
    ModelStore installed = ModelStore.defaultStore();
    for (ModelSpec model : installed.catalog().models()) {
      byte[] bytes = Files.readAllBytes(installed.path(model));
      bytes[bytes.length / 3] ^= 0x10;
      Files.write(models.resolve(model.file()), bytes);
    }
    CutoutServer server = Servers.start(models);
    BrowserContext context = chromium.browser().newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri().toString());
      page.part("engineError")
          .waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(120_000));
      assertThat(page.part("engineError").getAttribute("data-code"))
          .isEqualTo("model-verification-failed");
      assertThat(page.part("engineError").textContent()).contains("verification");

      page.choose(Servers.PHOTOS.resolve("coffee.png"));
      assertThat(page.waitFinished(1)).isEqualTo("failed");
      assertThat(page.item(1).locator(BrowserConfig.selector("itemMessage")).textContent())
          .as("the photo says why it failed")
          .contains("verification");
      assertThat(page.downloadLinks().count()).isZero();
      assertThat(page.timing("inference").textContent())
          .as("no inference ran")
          .doesNotContainPattern("[0-9]");
      Object cached =
          page.page()
              .evaluate(
                  "async () => { const c = await caches.open('cutout-models');"
                      + " return (await c.keys()).length; }");
      assertThat(((Number) cached).intValue()).as("nothing unverified is cached").isZero();
    } finally {
      context.close();
      server.close();
    }
  }
}
