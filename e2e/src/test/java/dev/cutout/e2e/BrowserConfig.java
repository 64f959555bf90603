package dev.cutout.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code config/browser.json}, which the Node scripts under {@code web/scripts} and {@code
 * bench/browser} read too: how Chromium is started, and where the page's parts are.
 */
final class BrowserConfig {
  /** From the module's folder, where Surefire runs the tests (like {@link Servers#PHOTOS}). */
  static final Path FILE = Path.of("..", "config", "browser.json");

  private static final JsonNode ROOT = read();

  private BrowserConfig() {}

  static Path chromiumExecutable() {
    return Path.of(ROOT.path("chromium").path("executable").asText());
  }

  static List<String> chromiumFlags() {
    return strings(ROOT.path("chromium").path("flags"));
  }

  /** Flags that add a software WebGPU adapter (SwiftShader). */
  static List<String> webgpuFlags() {
    return strings(ROOT.path("chromium").path("webgpuFlags"));
  }

  /** The text of {@code #phase} once the model is loaded and warmed up. */
  static String readyPhase() {
    return ROOT.path("page").path("readyPhase").asText();
  }

  /** The page's part called {@code name}; a name the file lacks is an error, not a no-match. */
  static String selector(String name) {
    JsonNode value = ROOT.path("page").path("selectors").get(name);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(FILE + " has no page selector \"" + name + "\"");
    }
    return value.asText();
  }

  /** The element that shows one timing, e.g. {@code timing("inference")}. */
  static String timing(String name) {
    return selector("timing").replace("{name}", name);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return List.copyOf(out);
  }

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(FILE.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath().normalize(), e);
    }
  }
}
