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

/**
 * Debian's Chromium, started as config/browser.json (and DESIGN.md §5) say, driven by Playwright.
 */
final class Chromium {
  static final Path EXECUTABLE = BrowserConfig.chromiumExecutable();

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

  /** A headless browser; with {@code webgpu}, one with a software WebGPU adapter (SwiftShader). */
  static Browser launch(Playwright playwright, boolean webgpu) {
    List<String> args = new ArrayList<>(BrowserConfig.chromiumFlags());
    if (webgpu) {
      args.addAll(BrowserConfig.webgpuFlags());
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
