package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import dev.cutout.core.Cutout;
import dev.cutout.core.Mask;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heart of Cutout in a real Chromium: photos dropped on the page come back as full-size PNGs
 * whose alpha matches the Java library's, with no request carrying a body or leaving the origin,
 * and no long task on the main thread while the model runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalProcessingTest {
  private CutoutServer server;
  private Chromium.Session chromium;
  private Cutout java;

  private record Seen(String url, String method, int bodyBytes, String resourceType) {}

  @BeforeAll
  void start() {
    server = Servers.start();
    chromium = Chromium.start();
    // the page's default on WASM is the uint8 model: compare with the same model natively
    java = OnnxCutout.builder().model("isnet-uint8").threads(2).build();
  }

  @AfterAll
  void stop() {
    java.close();
    chromium.close();
    server.close();
  }

  @Test
  void droppedPhotosComeBackAsFullSizePngsMatchingTheJavaLibraryWithoutSendingAnything(
      @TempDir Path downloads) throws Exception {
    List<Seen> requests = new CopyOnWriteArrayList<>();
    BrowserContext context = chromium.newContext();
    context.onRequest(
        (Request r) -> {
          byte[] body = r.postDataBuffer();
          requests.add(
              new Seen(r.url(), r.method(), body == null ? 0 : body.length, r.resourceType()));
        });
    context.addInitScript(
        """
        window.__longTasks = [];
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
        // long animation frames name the scripts behind a long task, for the failure message
        window.__longFrames = [];
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) window.__longFrames.push({
            start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
            scripts: e.scripts.map(s => `${s.invoker} ${s.sourceURL}:${s.sourceFunctionName} ${Math.round(s.duration)}ms`) });
        }).observe({ type: 'long-animation-frame', buffered: true });
        """);
    CutoutPage page = new CutoutPage(context.newPage());
    page.page().navigate(server.uri().toString());
    page.waitReady();
    assertThat(page.engineBackend()).isEqualTo("wasm");
    assertThat(page.engineModel()).isEqualTo("isnet-uint8");
    assertThat(page.engineThreads())
        .as("all cores, cross-origin isolated")
        .isEqualTo(String.valueOf(Runtime.getRuntime().availableProcessors()));

    List<String> photos = List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg");
    // the Java masks first, so that nothing else in this process competes with the browser
    Map<String, Mask> javaMasks = new java.util.HashMap<>();
    for (String name : photos) {
      javaMasks.put(name, java.remove(Servers.PHOTOS.resolve(name), Options.defaults()).mask());
    }
    int n = 0;
    for (String name : photos) {
      Path photo = Servers.PHOTOS.resolve(name);
      n++;
      List<Map<String, Object>> longTasks = processWatchingMainThread(page, photo, n);
      if (!longTasks.isEmpty()) {
        // The machine is shared: one busy moment elsewhere can stretch a short task. Once more,
        // and this time it must be clean.
        System.out.printf(
            "%s: long tasks %s, frames %s; measuring again%n",
            name, longTasks, page.page().evaluate("JSON.stringify(window.__longFrames)"));
        n++;
        longTasks = processWatchingMainThread(page, photo, n);
      }
      assertThat(longTasks)
          .as(
              "main-thread tasks over 50 ms while %s ran; long frames: %s",
              name, page.page().evaluate("JSON.stringify(window.__longFrames)"))
          .isEmpty();

      assertThat(page.downloadHref(n)).startsWith("blob:");
      BufferedImage png = page.download(n, downloads);
      Mask javaMask = javaMasks.get(name);
      assertThat(png.getWidth()).as(name).isEqualTo(javaMask.width());
      assertThat(png.getHeight()).as(name).isEqualTo(javaMask.height());
      byte[] alpha = Alpha.of(png);
      assertThat(Alpha.hasSubjectAndBackground(alpha)).as(name + " has a real cutout").isTrue();
      double difference = Alpha.meanDifference(alpha, javaMask.alpha());
      System.out.printf("%s: mean |alpha browser - alpha java| = %.4f / 255%n", name, difference);
      if (difference > 1.0) {
        Alpha.writeForInspection(
            Path.of("target", "parity"), name, alpha, javaMask, png.getWidth());
      }
      assertThat(difference)
          .as("parity of the contract on %s (levels of 255)", name)
          .isLessThanOrEqualTo(1.0);
      assertThat(Alpha.colourUnderZeroAlpha(png))
          .as("%s: transparent pixels that still carry the removed background's colour", name)
          .isZero();
      assertThat(page.timing("postprocess").getAttribute("data-png-encoder"))
          .as("Chromium's own PNG encoder passed the worker's losslessness proof and was used")
          .isEqualTo("browser");
      if (name.endsWith(".png")) {
        // Lossless sources only: two JPEG decoders may differ in the last bit.
        assertThat(Alpha.colourMismatches(png, ImageIO.read(photo.toFile())))
            .as("%s: pixels whose colour the browser changed", name)
            .isZero();
      }
    }

    String origin = Servers.origin(server);
    assertThat(requests).as("requests were recorded").isNotEmpty();
    // Playwright shows no Blob body (postData is null), so the method check below is what would
    // catch an upload; this one catches string and form bodies.
    assertThat(requests)
        .as("no request carries a body")
        .allSatisfy(r -> assertThat(r.bodyBytes()).as(r.url()).isZero());
    assertThat(requests)
        .as("no request leaves the page's origin")
        .allSatisfy(
            r ->
                assertThat(
                        r.url().startsWith(origin + "/")
                            || r.url().startsWith("blob:")
                            || r.url().startsWith("data:"))
                    .as(r.url())
                    .isTrue());
    assertThat(requests)
        .as("every request is a read")
        .allSatisfy(r -> assertThat(r.method()).isIn("GET", "HEAD"));
    context.close();
  }

  /** Drops {@code photo} as the n-th item, waits for it, returns the long tasks meanwhile. */
  private static List<Map<String, Object>> processWatchingMainThread(
      CutoutPage page, Path photo, int n) {
    page.holdForDrop(photo);
    double before = ((Number) page.page().evaluate("performance.now()")).doubleValue();
    page.dropHeld();
    assertThat(page.waitFinished(n)).as(photo.toString()).isEqualTo("done");
    double after = ((Number) page.page().evaluate("performance.now()")).doubleValue();
    return longTasksBetween(page, before, after);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> longTasksBetween(
      CutoutPage page, double from, double to) {
    List<Map<String, Object>> all =
        (List<Map<String, Object>>) page.page().evaluate("window.__longTasks");
    return all.stream()
        .filter(
            t ->
                ((Number) t.get("start")).doubleValue() >= from
                    && ((Number) t.get("start")).doubleValue() <= to)
        .filter(t -> ((Number) t.get("duration")).doubleValue() > 50)
        .toList();
  }

  /**
   * A photo with nothing to cut out (gravel): the page says "No subject found" and what to try, not
   * "Done"; the all but transparent result stays available, as the native engine refuses it too.
   */
  @Test
  void aPhotoWithoutASubjectSaysSoInsteadOfDone() {
    Path gravel = Servers.PHOTOS.resolveSibling("nosubject").resolve("gravel.png");
    assertThatThrownBy(() -> java.remove(gravel, Options.defaults()))
        .as("the Java library with the page's model finds no subject either")
        .extracting(e -> ((dev.cutout.core.CutoutException) e).code())
        .isEqualTo(dev.cutout.core.ErrorCode.NO_SUBJECT);
    BrowserContext context = chromium.newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri().toString());
      page.waitReady();
      page.choose(gravel);
      assertThat(page.waitFinished(1)).as(page.itemText(1)).isEqualTo("empty");
      assertThat(page.itemText(1)).contains("No subject found").contains("Quality");
      assertThat(page.itemText(1)).doesNotContain("Done");
      assertThat(page.downloadHref(1)).startsWith("blob:");
    } finally {
      context.close();
    }
  }

  /**
   * A photo chosen while the model is still downloading says what it waits for and shows the photo,
   * instead of "Processing…" over a blank square; it is processed once the model arrives.
   */
  @Test
  void aPhotoChosenDuringTheModelDownloadSaysItWaitsForTheModelAndShowsThePhoto() {
    BrowserContext context = chromium.newContext();
    List<com.microsoft.playwright.Route> held = new CopyOnWriteArrayList<>();
    try {
      // the model's bytes are held back until the test lets them go
      context.route("**/*.onnx", held::add);
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + "?model=isnet-uint8");
      page.page().waitForCondition(() -> !held.isEmpty());
      page.choose(Servers.PHOTOS.resolve("chelsea.png"));

      Locator item = page.item(1);
      page.page()
          .waitForFunction(
              "item => { const li = document.querySelector(item);"
                  + " return li && li.innerText.includes('Waiting for the model'); }",
              BrowserConfig.selector("queueItem"));
      assertThat(item.getAttribute("data-state")).isEqualTo("processing");
      assertThat(page.itemText(1)).doesNotContain("Processing…");
      assertThat(item.locator("img.thumb").getAttribute("src"))
          .as("the photo is shown while it waits")
          .startsWith("blob:");

      held.forEach(com.microsoft.playwright.Route::resume);
      assertThat(page.waitFinished(1)).isEqualTo("done");
      assertThat(page.itemText(1)).doesNotContain("Waiting for the model");
    } finally {
      context.close();
    }
  }
}
