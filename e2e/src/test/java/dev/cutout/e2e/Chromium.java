package dev.cutout.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Debian's Chromium, started the way DESIGN.md §5 says, driven by Playwright. */
final class Chromium {
  static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  private static final List<String> FLAGS =
      List.of(
          "--no-sandbox",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic");

  /** A software WebGPU adapter (SwiftShader): limits of 1 GiB buffers, no shader-f16. */
  private static final List<String> WEBGPU_FLAGS =
      List.of(
          "--enable-unsafe-webgpu",
          "--enable-features=Vulkan",
          "--use-vulkan=swiftshader",
          "--use-webgpu-adapter=swiftshader",
          "--use-angle=swiftshader");

  private Chromium() {}

  /** Playwright and one headless browser (WASM only), closed together. */
  record Session(Playwright playwright, Browser browser) implements AutoCloseable {
    /** A fresh profile that accepts downloads, as every page test needs to read its PNGs. */
    BrowserContext newContext() {
      return browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true));
    }

    @Override
    public void close() {
      browser.close();
      playwright.close();
    }
  }

  static Session start() {
    Playwright playwright = playwright();
    return new Session(playwright, launch(playwright, false));
  }

  static Playwright playwright() {
    if (!Files.isExecutable(EXECUTABLE)) {
      throw new IllegalStateException(
          EXECUTABLE + " is missing: install Debian's chromium (.ci/run does)");
    }
    return Playwright.create(
        new Playwright.CreateOptions()
            .setEnv(
                Map.of(
                    "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1",
                    // report the service worker's own requests too
                    "PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")));
  }

  static Browser launch(Playwright playwright, boolean webgpu) {
    List<String> args = new ArrayList<>(FLAGS);
    if (webgpu) {
      args.addAll(WEBGPU_FLAGS);
    }
    return playwright
        .chromium()
        .launch(
            new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(args));
  }
}
