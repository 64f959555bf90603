package dev.cutout.e2e;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * axe-core (accessibility/package.json, installed by the module's npm ci) run inside the page. The
 * page's Content-Security-Policy forbids inline scripts, so the context that checks a page must be
 * made with {@code setBypassCSP(true)}.
 */
final class Axe {
  static final Path SCRIPT = Path.of("accessibility", "node_modules", "axe-core", "axe.min.js");

  private Axe() {}

  /**
   * The violations of impact "serious" or "critical" on the page as it is now, one line each: the
   * rule, what it asks for, and the elements that break it.
   */
  static List<String> seriousViolations(Page page) {
    if (page.evaluate("() => typeof window.axe").equals("undefined")) {
      page.addScriptTag(new Page.AddScriptTagOptions().setContent(source()));
    }
    @SuppressWarnings("unchecked")
    List<String> found =
        (List<String>)
            page.evaluate(
                """
                async () => {
                  const result = await axe.run(document, { resultTypes: ['violations'] });
                  return result.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}): ${v.help} — `
                      + v.nodes.map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | '));
                }
                """);
    return found;
  }

  private static String source() {
    try {
      return Files.readString(SCRIPT);
    } catch (IOException e) {
      throw new UncheckedIOException(
          SCRIPT.toAbsolutePath().normalize() + " is missing: the module's npm ci installs it", e);
    }
  }
}
