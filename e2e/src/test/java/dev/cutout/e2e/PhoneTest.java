package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import dev.cutout.server.CutoutServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page on a phone (390×844, touch): nothing wider than the screen, so the page never scrolls
 * sideways, even with a file name that has no place to break; every button, link and label at least
 * 44 px tall, a finger's size; and a hint that speaks of no dragging and no Ctrl+V.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhoneTest {
  static final int WIDTH = 390;
  static final int HEIGHT = 844;

  /** One word, 76 characters: it must break inside, or the row would be wider than a phone. */
  private static final String LONG_NAME =
      "holiday-on-the-beach-with-the-whole-family-and-the-dog-2024-08-17-IMG_4711.png";

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

  /** A phone's browser: small screen, touch, a mobile viewport. */
  static BrowserContext phone(Browser browser) {
    return browser.newContext(
        new Browser.NewContextOptions()
            .setViewportSize(WIDTH, HEIGHT)
            .setHasTouch(true)
            .setIsMobile(true)
            .setBypassCSP(true));
  }

  /**
   * Visible elements whose right edge is past the viewport's (the 1-pixel file input and
   * visually-hidden text aside, which are clipped), and the document's scroll width.
   */
  @SuppressWarnings("unchecked")
  static List<String> widerThanTheScreen(Page page) {
    return (List<String>)
        page.evaluate(
            """
            () => {
              const width = document.documentElement.clientWidth;
              const out = [];
              if (document.documentElement.scrollWidth > width) {
                out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
              }
              for (const e of document.body.querySelectorAll('*')) {
                const r = e.getBoundingClientRect();
                // text for screen readers only is clipped to a pixel: its lines show nowhere
                if (r.width === 0 || r.height === 0 || e.closest('[hidden], .visually-hidden')) continue;
                if (r.right > width + 0.5 || r.left < -0.5) {
                  out.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${r.left}..${r.right}`);
                }
              }
              return out;
            }
            """);
  }

  /** Visible buttons, links and labels less than 44 px tall, with their height. */
  @SuppressWarnings("unchecked")
  static List<String> smallTargets(Page page) {
    return (List<String>)
        page.evaluate(
            """
            () => [...document.querySelectorAll('button, a[href], label')]
              .filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0)
              .map((e) => [e, e.getBoundingClientRect().height])
              .filter(([, h]) => h < 44)
              .map(([e, h]) => `${e.tagName.toLowerCase()} "${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30)}": ${h}px`)
            """);
  }

  @Test
  void onAPhoneNothingIsWiderThanTheScreenTargetsAreAFingerTallAndTheHintSpeaksOfTouch()
      throws IOException {
    BrowserContext context = phone(chromium.browser());
    try {
      Page page = context.newPage();
      page.navigate(server.uri() + "?model=isnet-uint8");
      CutoutPage cutout = new CutoutPage(page).waitReady();

      assertThat(page.evaluate("() => matchMedia('(pointer: coarse)').matches"))
          .as("the phone's touch screen is its pointer")
          .isEqualTo(true);
      assertThat(page.locator("#intake-hint").innerText())
          .isEqualTo("Pick one or many from your photos, or take one with the camera.")
          .doesNotContain("drop")
          .doesNotContain("Ctrl");

      byte[] photo = Files.readAllBytes(Servers.PHOTOS.resolve("chelsea.png"));
      cutout.part("fileInput").setInputFiles(new FilePayload(LONG_NAME, "image/png", photo));
      assertThat(cutout.waitFinished(1)).isEqualTo("done");

      assertThat(widerThanTheScreen(page)).as("with a result in the list").isEmpty();
      assertThat(smallTargets(page)).as("with a result in the list").isEmpty();
      double nameHeight =
          (double)
              cutout.item(1).locator(".name").evaluate("e => e.getBoundingClientRect().height");
      double lineHeight =
          (double)
              cutout
                  .item(1)
                  .locator(".name")
                  .evaluate("e => parseFloat(getComputedStyle(e).lineHeight)");
      assertThat(nameHeight)
          .as("the long name breaks onto more lines")
          .isGreaterThan(lineHeight * 1.5);

      cutout.item(1).locator(BrowserConfig.selector("itemEdit")).tap();
      page.waitForFunction(
          "([editor, download]) => !document.querySelector(editor).hidden"
              + " && !document.querySelector(download).disabled",
          List.of(BrowserConfig.selector("editor"), BrowserConfig.selector("editorDownload")));
      assertThat(widerThanTheScreen(page)).as("with the editor open").isEmpty();
      assertThat(smallTargets(page)).as("with the editor open").isEmpty();
    } finally {
      context.close();
    }
  }

  @Test
  void withAMouseTheHintStillOffersDroppingAndPasting() {
    BrowserContext context = chromium.newContext();
    try {
      Page page = context.newPage();
      page.setViewportSize(1280, 900);
      page.navigate(server.uri() + "?model=isnet-uint8");
      // the app's script has run once it reports on the engine
      page.waitForFunction("() => document.getElementById('phase').textContent !== ''");
      assertThat(page.locator("#intake-hint").innerText())
          .isEqualTo("…or drop them anywhere on this page, or paste with Ctrl+V.");
    } finally {
      context.close();
    }
  }
}
