package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.cutout.server.CutoutServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The page for someone on a keyboard or a screen reader: a focus ring they can see on every control
 * (the photo picker included, whose real input is a transparent pixel), queue changes announced
 * politely, and axe-core finding nothing serious or critical on the page with a result in its list,
 * nor in the open editor. One page with one finished result serves the tests, in order: the editor
 * is opened last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessibilityTest {
  private CutoutServer server;
  private Chromium.Session chromium;
  private BrowserContext context;
  private CutoutPage page;

  @BeforeAll
  void start() {
    server = Servers.start();
    chromium = Chromium.start();
    context = chromium.browser().newContext(new Browser.NewContextOptions().setBypassCSP(true));
    page = new CutoutPage(context.newPage());
    page.page().setViewportSize(1280, 900);
    page.page().navigate(server.uri() + "?model=isnet-uint8");
    page.waitReady();
  }

  @AfterAll
  void stop() {
    context.close();
    chromium.close();
    server.close();
  }

  /** The outline the focused element (or, for the file input, its label) is drawn with. */
  private static String ringOf(Locator element) {
    return (String)
        element.evaluate(
            "e => { const s = getComputedStyle(e);"
                + " return s.outlineStyle === 'none' ? 'none' : s.outlineWidth + ' ' + s.outlineStyle; }");
  }

  @Test
  @Order(1)
  void tabbingReachesChoosePhotosFirstAndItsLabelShowsARing() {
    Page p = page.page();
    p.locator("body").click(new Locator.ClickOptions().setPosition(1, 1));
    p.keyboard().press("Tab");
    assertThat(p.evaluate("() => document.activeElement.id"))
        .as("the first stop of the tab order")
        .isEqualTo("file-input");
    Locator label = p.locator("label.file-button");
    assertThat(ringOf(label))
        .as("the label's ring while its input has focus")
        .isEqualTo("3px solid");

    p.keyboard().press("Tab");
    String next = (String) p.evaluate("() => document.activeElement.outerHTML.slice(0, 80)");
    assertThat(ringOf(p.locator(":focus")))
        .as("the next stop (%s) shows a ring too", next)
        .isEqualTo("3px solid");

    p.locator("#results-title").click();
    assertThat(ringOf(label)).as("no ring once focus has left").isEqualTo("none");
  }

  @Test
  @Order(2)
  void queueChangesAreAnnouncedPolitely() {
    page.choose(Servers.PHOTOS.resolve("chelsea.png"));
    assertThat(page.waitFinished(1)).isEqualTo("done");
    Locator region = page.page().locator("#announcer");
    assertThat(region.getAttribute("aria-live")).isEqualTo("polite");
    page.page()
        .waitForFunction(
            "() => document.getElementById('announcer').textContent.includes('chelsea.png: done')");
    assertThat(region.textContent()).contains("chelsea.png added").contains("chelsea.png: done");
  }

  @Test
  @Order(3)
  void axeFindsNothingSeriousOnThePageWithAResult() {
    page.waitFinished(1);
    // the check can fail: an unnamed button is found, and then taken away again
    page.page()
        .evaluate(
            "() => { const b = document.createElement('button'); b.id = 'test-unnamed';"
                + " document.querySelector('main').append(b); }");
    assertThat(Axe.seriousViolations(page.page()))
        .as("an unnamed button planted by the test")
        .anyMatch(v -> v.startsWith("button-name") && v.contains("#test-unnamed"));
    page.page().evaluate("() => document.getElementById('test-unnamed').remove()");

    assertThat(Axe.seriousViolations(page.page())).isEmpty();
  }

  @Test
  @Order(4)
  void axeFindsNothingSeriousInTheOpenEditor() {
    page.item(1).locator(BrowserConfig.selector("itemEdit")).click();
    page.page()
        .waitForFunction(
            "([editor, download]) => !document.querySelector(editor).hidden"
                + " && !document.querySelector(download).disabled",
            List.of(BrowserConfig.selector("editor"), BrowserConfig.selector("editorDownload")));
    assertThat(Axe.seriousViolations(page.page())).isEmpty();
  }
}
