package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.cutout.server.CutoutServer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * WASM with one thread and with all, and WebGPU on a software adapter (SwiftShader, no shader-f16):
 * same masks, never fp16 on that adapter by choice, and a broken run falls back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsTest {
  private static final Path PHOTO = Servers.PHOTOS.resolve("astronaut.png");

  private CutoutServer server;
  private Playwright playwright;
  private Browser wasmBrowser;
  private Browser gpuBrowser;
  private byte[] wasmAlpha;

  @BeforeAll
  void start() {
    server = Servers.start();
    playwright = Chromium.playwright();
    wasmBrowser = Chromium.launch(playwright, false);
    gpuBrowser = Chromium.launch(playwright, true);
  }

  @AfterAll
  void stop() {
    gpuBrowser.close();
    wasmBrowser.close();
    playwright.close();
    server.close();
  }

  private byte[] cutOnce(Browser browser, String query, Path downloads, String expectBackend) {
    return cutOnce(browser, query, downloads, expectBackend, null);
  }

  private byte[] cutOnce(
      Browser browser, String query, Path downloads, String expectBackend, String expectLean) {
    BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true));
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + query);
      page.waitReady();
      page.choose(PHOTO);
      assertThat(page.waitFinished(1)).isEqualTo("done");
      assertThat(page.engineBackend())
          .as("backend that produced the result")
          .isEqualTo(expectBackend);
      if (expectLean != null) {
        assertThat(page.engineLeanWeights()).as("lean fp16 weights").isEqualTo(expectLean);
      }
      BufferedImage png = page.download(1, downloads);
      return Alpha.of(png);
    } finally {
      context.close();
    }
  }

  private synchronized byte[] wasmAlpha(Path downloads) {
    if (wasmAlpha == null) {
      wasmAlpha = cutOnce(wasmBrowser, "?model=isnet-uint8&backend=wasm", downloads, "wasm");
    }
    return wasmAlpha;
  }

  @Test
  void oneWasmThreadAndAllThreadsGiveTheSameMask(@TempDir Path downloads) {
    byte[] all = wasmAlpha(downloads);
    byte[] one =
        cutOnce(wasmBrowser, "?model=isnet-uint8&backend=wasm&threads=1", downloads, "wasm");
    double difference = Alpha.meanDifference(one, all);
    System.out.printf("1 vs N WASM threads: mean alpha difference %.4f / 255%n", difference);
    assertThat(Alpha.hasSubjectAndBackground(one)).isTrue();
    assertThat(difference).isLessThanOrEqualTo(0.5);
  }

  @Test
  void leanFp16WeightsOnALowMemoryDeviceGiveTheSameQualityMask(@TempDir Path downloads) {
    // ?memory=4 stands for a browser reporting 4 GiB: the session keeps Quality's weights fp16
    String query = "?model=isnet-fp16&backend=wasm";
    byte[] widened = cutOnce(wasmBrowser, query, downloads, "wasm", "false");
    byte[] lean = cutOnce(wasmBrowser, query + "&memory=4", downloads, "wasm", "true");
    assertThat(Alpha.hasSubjectAndBackground(lean)).isTrue();
    assertThat(lean).as("the same arithmetic, only the casts run later").isEqualTo(widened);
  }

  @Test
  void withoutShaderF16TheAppNeverChoosesFp16ForWebGpu() {
    BrowserContext context = gpuBrowser.newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri().toString());
      waitForPlan(page);
      assertThat(page.engineBackend()).as("the software adapter is used").isEqualTo("webgpu");
      assertThat(page.engineModel())
          .as("default model on WebGPU without shader-f16: float32 weights")
          .isEqualTo("isnet-fp32");

      page.page().navigate(server.uri() + "?model=isnet-fp16");
      waitForPlan(page);
      assertThat(page.engineModel()).isEqualTo("isnet-fp16");
      assertThat(page.engineBackend()).as("fp16 picked by hand runs on WASM").isEqualTo("wasm");
    } finally {
      context.close();
    }
  }

  /**
   * The default WebGPU model passes ORT's placement check: its session, created on SwiftShader's
   * adapter, leaves no compute node on the CPU, so the page moves on to warming it up on WebGPU
   * (the check runs when the session is created; the warm-up itself is not waited for, software
   * WebGPU needs minutes for it).
   */
  @Test
  void theFloat32ModelPassesTheCpuPlacementCheckOnWebGpu() {
    BrowserContext context = gpuBrowser.newContext();
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri().toString());
      page.page()
          .waitForFunction(
              "phase => /Warming up|Ready/.test(document.querySelector(phase)?.textContent ?? '')",
              BrowserConfig.selector("phase"),
              new Page.WaitForFunctionOptions().setTimeout(300_000));
      assertThat(page.engineModel()).isEqualTo("isnet-fp32");
      assertThat(page.engineBackend()).as("still on WebGPU after the check").isEqualTo("webgpu");
      assertThat(page.part("engineNotice").isHidden())
          .as("no fallback notice: %s", page.part("engineNotice").textContent())
          .isTrue();
    } finally {
      context.close();
    }
  }

  @Test
  @Disabled(
      "too slow for every run: passed alone on 2026-12-04 (2-core machine, quiet) with a mean"
          + " alpha difference of 0.0001/255, but SwiftShader took 281 s for the one photo; run it"
          + " by name when the WebGPU path changes")
  void webGpuOnSwiftShaderGivesTheWasmMaskForTheLiteModel(@TempDir Path downloads) {
    // isnet-uint8 may no longer run on WebGPU (its ConvInteger runs on the CPU there); the float
    // U²-Netp at 320² proves the WebGPU path against WASM in seconds.
    long started = System.nanoTime();
    byte[] gpu = cutOnce(gpuBrowser, "?model=u2netp", downloads, "webgpu");
    System.out.printf(
        "u2netp on SwiftShader WebGPU: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    byte[] wasm = cutOnce(wasmBrowser, "?model=u2netp&backend=wasm", downloads, "wasm");
    double difference = Alpha.meanDifference(gpu, wasm);
    System.out.printf(
        "u2netp WebGPU (SwiftShader) vs WASM: mean alpha difference %.4f / 255%n", difference);
    assertThat(Alpha.hasSubjectAndBackground(gpu)).isTrue();
    assertThat(difference).isLessThanOrEqualTo(2.0);
  }

  @Test
  void aForcedUint8OnWebGpuIsCaughtRunningOnTheCpuAndNotUsed(@TempDir Path downloads) {
    BrowserContext context =
        gpuBrowser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true));
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + "?model=isnet-uint8&backend=webgpu");
      page.choose(PHOTO);
      assertThat(page.waitFinished(1)).as(page.itemText(1)).isEqualTo("done");
      String notice = page.part("engineNotice").textContent();
      System.out.println("isnet-uint8 forced onto WebGPU: " + notice);
      assertThat(page.part("engineNotice").getAttribute("data-code"))
          .isEqualTo("webgpu-cpu-fallback");
      assertThat(notice).contains("ConvInteger");
      assertThat(page.engineBackend()).as("the CPU-bound session was not used").isEqualTo("wasm");
      assertThat(page.engineModel()).isEqualTo("isnet-uint8");
      assertThat(Alpha.hasSubjectAndBackground(Alpha.of(page.download(1, downloads)))).isTrue();
    } finally {
      context.close();
    }
  }

  @Test
  void aFailingWebGpuRunFallsBackToWasmAndTheResultIsReal(@TempDir Path downloads) {
    // Forced onto WebGPU without shader-f16, the fp16 model fails there: ONNX Runtime Web 1.30
    // refuses the session ("requires f16 but the device does not support it"), where earlier
    // versions silently returned zeros (DESIGN.md §5). Either way the run must count as failed.
    // That an all-zero or NaN mask counts as failed is proven on the worker's verdict in
    // web/test/segmentation-client.test.ts and postprocess.test.ts.
    BrowserContext context =
        gpuBrowser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true));
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri() + "?model=isnet-fp16&backend=webgpu");
      page.choose(PHOTO);
      assertThat(page.waitFinished(1)).as(page.itemText(1)).isEqualTo("done");
      String notice = page.part("engineNotice").textContent();
      System.out.println("fp16 forced onto WebGPU: " + notice);
      assertThat(page.engineBackend()).as("fell back").isEqualTo("wasm");
      assertThat(page.engineModel()).as("the model picked stays").isEqualTo("isnet-fp16");
      assertThat(notice).contains("switched to WebAssembly");

      byte[] alpha = Alpha.of(page.download(1, downloads));
      assertThat(Alpha.hasSubjectAndBackground(alpha)).as("a real mask, not the zeros").isTrue();
    } finally {
      context.close();
    }
  }

  private static void waitForPlan(CutoutPage page) {
    page.page()
        .waitForFunction(
            "engine => !!document.querySelector(engine)?.dataset.model",
            BrowserConfig.selector("engine"),
            new Page.WaitForFunctionOptions().setTimeout(60_000));
  }
}
