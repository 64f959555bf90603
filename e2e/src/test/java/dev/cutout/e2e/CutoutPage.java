package dev.cutout.e2e;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/** The web app's page, as a person uses it: drop photos, wait, download the PNGs. */
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

  /** Waits until the model is downloaded, verified, loaded and warmed up. */
  CutoutPage waitReady() {
    page.waitForFunction(
        "() => document.querySelector('#phase')?.textContent === 'Ready'",
        null,
        new Page.WaitForFunctionOptions().setTimeout(READY_TIMEOUT_MS));
    return this;
  }

  String engineBackend() {
    return page.locator("#engine").getAttribute("data-backend");
  }

  String engineModel() {
    return page.locator("#engine").getAttribute("data-model");
  }

  String engineThreads() {
    return page.locator("#engine").getAttribute("data-threads");
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
        () => {
          const data = window.__heldDrop;
          const target = document.querySelector('main') ?? document.body;
          for (const kind of ['dragenter', 'dragover', 'drop']) {
            target.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true }));
          }
        }
        """);
  }

  /** Chooses files with the page's file input, which starts processing at once. */
  void choose(Path... files) {
    page.locator("#file-input").setInputFiles(files);
  }

  /** Waits for the n-th result (1-based) to finish, successfully or not; returns its state. */
  String waitFinished(int n) {
    Locator item = page.locator("#queue li.item").nth(n - 1);
    item.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
    page.waitForFunction(
        "n => { const li = document.querySelectorAll('#queue li.item')[n - 1];"
            + " return li && (li.dataset.state === 'done' || li.dataset.state === 'failed'); }",
        n,
        new Page.WaitForFunctionOptions().setTimeout(READY_TIMEOUT_MS));
    return item.getAttribute("data-state");
  }

  /** What the n-th result's row says (its name, state and any error). */
  String itemText(int n) {
    return page.locator("#queue li.item").nth(n - 1).innerText();
  }

  /** Clicks the n-th result's download link and reads the PNG it saves. */
  BufferedImage download(int n, Path into) {
    Locator link = page.locator("#queue li.item").nth(n - 1).locator("a[download]");
    Download download = page.waitForDownload(link::click);
    Path saved = into.resolve(download.suggestedFilename());
    download.saveAs(saved);
    try {
      return ImageIO.read(saved.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The href of the n-th result's download link. */
  String downloadHref(int n) {
    return page.locator("#queue li.item").nth(n - 1).locator("a[download]").getAttribute("href");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> evaluate(String script) {
    return (Map<String, Object>) page.evaluate(script);
  }
}
