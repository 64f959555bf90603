package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.cutout.core.Cutout;
import dev.cutout.core.Mask;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managing the queue in a real Chromium with the real model: removing an item (running or finished)
 * frees its result on disk and its URLs, a failed or cancelled item can be retried, "Clear
 * finished" leaves what still runs, "Redo with Quality" re-runs one photo on the Quality model and
 * the row says so, and the ZIP, built in a worker, holds each item's current result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueTest {
  /** The page's model is picked so that its Quality redo is a different model: fp16 on WASM. */
  private static final String PAGE = "?model=isnet-uint8";

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
  void removingAnItemCancelsItWhileItRunsAndFreesAFinishedOnesFileAndUrl() {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = readyPage(context);
      assertThat(page.page().evaluate("document.documentElement.dataset.resultStore"))
          .as("Chromium has the Origin Private File System: results go to disk")
          .isEqualTo("disk");
      page.choose(photo("chelsea.png"), photo("coffee.png"));
      assertThat(page.waitFinished(1)).isEqualTo("done");
      waitForState(page, 2, "processing");
      String href = page.downloadHref(1);
      assertThat(imageLoads(page, href)).as("the finished result's link works").isTrue();
      assertThat(storedPngs(page)).as("one result on disk").hasSize(1);

      page.item(2).locator("button.remove").click();
      assertThat(page.part("queueItem").count()).isEqualTo(1);
      assertThat(page.itemText(1)).contains("chelsea.png");

      page.item(1).locator("button.remove").click();
      assertThat(page.part("queueItem").count()).isZero();
      assertThat(imageLoads(page, href)).as("the removed result's URL is revoked").isFalse();
      page.page().waitForCondition(() -> storedPngs(page).isEmpty());

      // the removed running photo did not come back, and the engine is free for the next one
      page.choose(photo("rocket.jpg"));
      assertThat(page.waitFinished(1)).isEqualTo("done");
      assertThat(page.part("queueItem").count()).isEqualTo(1);
    } finally {
      context.close();
    }
  }

  /**
   * Honest retries: the model's download fails (the network drops it), so the photo fails; once the
   * network is back, Retry loads the model and finishes the photo. A cancelled photo is retried to
   * done as well.
   */
  @Test
  void aFailedOrCancelledItemCanBeRetriedToDone() {
    BrowserContext context = chromium.newContext();
    try {
      context.route("**/*.onnx", route -> route.abort("connectionreset"));
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + PAGE);
      page.choose(photo("chelsea.png"));
      assertThat(page.waitFinished(1)).isEqualTo("failed");
      assertThat(page.item(1).locator(".message").innerText()).isNotBlank();

      context.unroute("**/*.onnx");
      page.item(1).locator("button.retry").click();
      assertThat(page.waitFinished(1)).as(page.itemText(1)).isEqualTo("done");
      assertThat(page.item(1).locator("button.retry").count()).isZero();

      page.choose(photo("coffee.png"));
      waitForState(page, 2, "processing");
      page.item(2).locator("button.cancel").click();
      waitForState(page, 2, "cancelled");
      page.item(2).locator("button.retry").click();
      assertThat(page.waitFinished(2)).isEqualTo("done");
    } finally {
      context.close();
    }
  }

  @Test
  void clearFinishedRemovesDoneAndCancelledItemsAndLeavesTheRunningOne() {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = readyPage(context);
      page.choose(photo("chelsea.png"), photo("coffee.png"), photo("rocket.jpg"));
      assertThat(page.waitFinished(1)).isEqualTo("done");
      waitForState(page, 2, "processing");
      page.item(3).locator("button.cancel").click();
      waitForState(page, 3, "cancelled");

      page.page().locator("#clear-finished").click();

      assertThat(page.part("queueItem").count()).isEqualTo(1);
      assertThat(page.itemText(1)).contains("coffee.png");
      assertThat(page.waitFinished(1)).isEqualTo("done");
      page.page().locator("#clear-finished").click();
      assertThat(page.part("queueItem").count()).isZero();
      assertThat(page.page().locator("#clear-finished").isDisabled()).isTrue();
    } finally {
      context.close();
    }
  }

  /**
   * "Redo with Quality" runs the photo again on isnet-fp16 (in a worker of its own): the row says
   * which model made the result and how long it took, the new cutout is the fp16 model's (as the
   * Java library makes it), and the ZIP holds the redone result next to the untouched one. An
   * editor open on the photo closes: the stored file it reads is replaced.
   */
  @Test
  void redoWithQualityChangesTheRowsModelAndResultAndTheZipHoldsTheCurrentResults(
      @TempDir Path downloads) throws IOException {
    BrowserContext context = chromium.newContext();
    try (Cutout fp16 = OnnxCutout.builder().model("isnet-fp16").threads(2).build()) {
      CutoutPage page = readyPage(context);
      page.choose(photo("chelsea.png"), photo("coffee.png"));
      assertThat(page.waitFinished(1)).isEqualTo("done");
      assertThat(page.waitFinished(2)).isEqualTo("done");
      Locator made = page.item(1).locator(".made");
      assertThat(made.innerText()).startsWith("Fast (isnet-uint8) · WASM · took ");
      byte[] fast = Alpha.of(page.download(1, Files.createDirectories(downloads.resolve("fast"))));

      // the editor open on the photo lets go of it: the file it reads goes with the old result
      EditorTest.openEditor(page);
      page.item(1).locator("button.redo-quality").click();
      assertThat(page.part("editor").isHidden()).as("the editor closed for the redo").isTrue();
      page.page()
          .waitForFunction(
              "item => document.querySelector(item + ' .made')?.dataset.model === 'isnet-fp16'",
              BrowserConfig.selector("queueItem"),
              new Page.WaitForFunctionOptions().setTimeout(CutoutPage.READY_TIMEOUT_MS));
      assertThat(page.item(1).getAttribute("data-state")).isEqualTo("done");
      assertThat(made.innerText()).matches("Quality \\(isnet-fp16\\) · WASM · took [0-9.]+ m?s");
      assertThat(page.item(1).locator("button.redo-quality").count())
          .as("a Quality result offers no Quality redo")
          .isZero();
      BufferedImage qualityPng =
          page.download(1, Files.createDirectories(downloads.resolve("quality")));
      byte[] quality = Alpha.of(qualityPng);

      Mask java = fp16.remove(photo("chelsea.png"), Options.defaults()).mask();
      double toFp16 = Alpha.meanDifference(quality, java.alpha());
      double fastToFp16 = Alpha.meanDifference(fast, java.alpha());
      System.out.printf(
          "chelsea: mean |alpha - java fp16| redone %.4f, first (uint8) %.4f levels%n",
          toFp16, fastToFp16);
      assertThat(toFp16).as("the redone cutout is the fp16 model's").isLessThanOrEqualTo(1.0);
      assertThat(fastToFp16).as("and not the uint8 one it replaced").isGreaterThan(toFp16);

      Map<String, byte[]> zip = downloadZip(page, downloads);
      assertThat(zip.keySet()).containsExactly("chelsea.cutout.png", "coffee.cutout.png");
      assertThat(zip.get("chelsea.cutout.png"))
          .as("the ZIP holds the redone result")
          .isEqualTo(Files.readAllBytes(downloads.resolve("quality/chelsea.cutout.png")));
      BufferedImage coffee = page.download(2, downloads);
      assertThat(Alpha.of(ImageIO.read(new ByteArrayInputStream(zip.get("coffee.cutout.png")))))
          .isEqualTo(Alpha.of(coffee));
    } finally {
      context.close();
    }
  }

  /** A page's results folder outlives it only until the next page opens: that one clears it. */
  @Test
  void aNewPageDeletesTheResultsLeftByPagesThatAreGone() {
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + PAGE);
      waitForStore(page);
      page.page()
          .evaluate(
              """
              async () => {
                const root = await navigator.storage.getDirectory();
                const results = await root.getDirectoryHandle('cutout-results', { create: true });
                const stale = await results.getDirectoryHandle('stale-session', { create: true });
                const file = await stale.getFileHandle('1-1.png', { create: true });
                const out = await file.createWritable();
                await out.write(new Uint8Array(1000));
                await out.close();
              }
              """);
      Map<String, List<String>> before = storeFolders(page);
      assertThat(before).containsKey("stale-session").hasSize(2);

      page.page().reload();
      waitForStore(page);

      Map<String, List<String>> after = storeFolders(page);
      assertThat(after).as("only the new page's folder").hasSize(1);
      assertThat(after).doesNotContainKey("stale-session");
      assertThat(after.keySet()).doesNotContainAnyElementsOf(before.keySet());
    } finally {
      context.close();
    }
  }

  private CutoutPage readyPage(BrowserContext context) {
    CutoutPage page = new CutoutPage(context.newPage());
    page.page().setViewportSize(1280, 900);
    page.page().navigate(server.uri() + PAGE);
    page.waitReady();
    return page;
  }

  private static Path photo(String name) {
    return Servers.PHOTOS.resolve(name);
  }

  private static void waitForState(CutoutPage page, int n, String state) {
    page.page()
        .waitForFunction(
            "([items, n, state]) => document.querySelectorAll(items)[n - 1]?.dataset.state === state",
            List.of(BrowserConfig.selector("queueItem"), n, state),
            new Page.WaitForFunctionOptions().setTimeout(CutoutPage.READY_TIMEOUT_MS));
  }

  private static void waitForStore(CutoutPage page) {
    page.page().waitForFunction("() => document.documentElement.dataset.resultStore === 'disk'");
  }

  /** Whether {@code url} still loads as an image in the page. */
  private static boolean imageLoads(CutoutPage page, String url) {
    return (Boolean)
        page.page()
            .evaluate(
                """
                url => new Promise(done => {
                  const img = new Image();
                  img.onload = () => done(true);
                  img.onerror = () => done(false);
                  img.src = url;
                })
                """,
                url);
  }

  /** The page's results folders in the Origin Private File System, each with its files. */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> storeFolders(CutoutPage page) {
    return (Map<String, List<String>>)
        page.page()
            .evaluate(
                """
                async () => {
                  const root = await navigator.storage.getDirectory();
                  const results = await root.getDirectoryHandle('cutout-results', { create: true });
                  const out = {};
                  for await (const [name, handle] of results.entries()) {
                    out[name] = [];
                    if (handle.kind === 'directory') {
                      for await (const file of handle.keys()) out[name].push(file);
                    }
                  }
                  return out;
                }
                """);
  }

  /** The PNGs this page keeps on disk. */
  private static List<String> storedPngs(CutoutPage page) {
    List<String> pngs = new ArrayList<>();
    for (List<String> files : storeFolders(page).values()) {
      files.stream().filter(f -> f.endsWith(".png")).forEach(pngs::add);
    }
    return pngs;
  }

  private static Map<String, byte[]> downloadZip(CutoutPage page, Path into) throws IOException {
    Download download = page.page().waitForDownload(() -> page.part("downloadZip").click());
    Path file = into.resolve("cutouts.zip");
    download.saveAs(file);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }
}
