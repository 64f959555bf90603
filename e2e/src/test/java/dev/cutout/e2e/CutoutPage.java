package dev.cutout.e2e;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The web app's page, as a person uses it: drop photos, wait, download the PNGs. Its parts are
 * found by the selectors in config/browser.json, which the Node scripts use too.
 */
final class CutoutPage {
  /** Software inference is slow (WebGPU on SwiftShader takes minutes): generous limits. */
  static final double READY_TIMEOUT_MS = 600_000;

  private final Page page;

  CutoutPage(Page page) {
    this.page = page;
  }

  Page page() {
    return page;
  }

  /** The part of the page that config/browser.json calls {@code name}, e.g. "hostedSwitch". */
  Locator part(String name) {
    return page.locator(BrowserConfig.selector(name));
  }

  /** The element showing one timing, e.g. "inference". */
  Locator timing(String name) {
    return page.locator(BrowserConfig.timing(name));
  }

  /** The n-th result (1-based) in the queue. */
  Locator item(int n) {
    return part("queueItem").nth(n - 1);
  }

  /** Waits until the model is downloaded, verified, loaded and warmed up. */
  CutoutPage waitReady() {
    page.waitForFunction(
        "([phase, ready]) => document.querySelector(phase)?.textContent === ready",
        List.of(BrowserConfig.selector("phase"), BrowserConfig.readyPhase()),
        new Page.WaitForFunctionOptions().setTimeout(READY_TIMEOUT_MS));
    return this;
  }

  String engineBackend() {
    return part("engine").getAttribute("data-backend");
  }

  String engineModel() {
    return part("engine").getAttribute("data-model");
  }

  String engineThreads() {
    return part("engine").getAttribute("data-threads");
  }

  /** "true" when the session keeps an fp16 file's weights fp16 (a low-memory device, on WASM). */
  String engineLeanWeights() {
    return part("engine").getAttribute("data-lean-weights");
  }

  /**
   * Drops a file on the page as a person's drag and drop does: a drop event carrying a
   * DataTransfer. The file is built first ({@link #holdForDrop}), so that building it, which is the
   * test's work and not the app's, is not counted as the app's main-thread time.
   */
  void drop(Path file) {
    holdForDrop(file);
    dropHeld();
  }

  /**
   * Puts {@code file} into a DataTransfer in the page, ready for {@link #dropHeld()}. The bytes
   * arrive through a file input of the test's own, natively, so that no script of the test makes
   * garbage for the page's collector while the app is being timed.
   */
  void holdForDrop(Path file) {
    page.evaluate(
        """
        () => {
          if (document.getElementById('test-drop-source')) return;
          const input = document.createElement('input');
          input.type = 'file';
          input.id = 'test-drop-source';
          input.hidden = true;
          document.documentElement.append(input);
        }
        """);
    page.locator("#test-drop-source").setInputFiles(file);
    page.evaluate(
        """
        () => {
          const data = new DataTransfer();
          data.items.add(document.getElementById('test-drop-source').files[0]);
          window.__heldDrop = data;
        }
        """);
  }

  /** Drops what {@link #holdForDrop} prepared. */
  void dropHeld() {
    page.evaluate(
        """
        dropTarget => {
          const data = window.__heldDrop;
          const target = document.querySelector(dropTarget) ?? document.body;
          for (const kind of ['dragenter', 'dragover', 'drop']) {
            target.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true }));
          }
        }
        """,
        BrowserConfig.selector("dropTarget"));
  }

  /** Chooses files with the page's file input, which starts processing at once. */
  void choose(Path... files) {
    part("fileInput").setInputFiles(files);
  }

  /** Waits for the n-th result (1-based) to finish, successfully or not; returns its state. */
  String waitFinished(int n) {
    Locator item = item(n);
    item.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
    page.waitForFunction(
        "([items, n]) => { const li = document.querySelectorAll(items)[n - 1];"
            + " return li && ['done', 'empty', 'failed'].includes(li.dataset.state); }",
        List.of(BrowserConfig.selector("queueItem"), n),
        new Page.WaitForFunctionOptions().setTimeout(READY_TIMEOUT_MS));
    return item.getAttribute("data-state");
  }

  /** What the n-th result's row says (its name, state and any error). */
  String itemText(int n) {
    return item(n).innerText();
  }

  /** Clicks the n-th result's download link and reads the PNG it saves. */
  BufferedImage download(int n, Path into) {
    Locator link = downloadLink(n);
    Download download = page.waitForDownload(link::click);
    Path saved = into.resolve(download.suggestedFilename());
    download.saveAs(saved);
    try {
      return ImageIO.read(saved.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The n-th result's download link (absent until it is done). */
  Locator downloadLink(int n) {
    return item(n).locator(BrowserConfig.selector("itemDownload"));
  }

  /** Every result's download link. */
  Locator downloadLinks() {
    return part("queueItem").locator(BrowserConfig.selector("itemDownload"));
  }

  /** The href of the n-th result's download link. */
  String downloadHref(int n) {
    return downloadLink(n).getAttribute("href");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> evaluate(String script) {
    return (Map<String, Object>) page.evaluate(script);
  }
}
