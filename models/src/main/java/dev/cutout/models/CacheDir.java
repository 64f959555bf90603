package dev.cutout.models;

import java.nio.file.Path;

/**
 * Cutout's folder in the user's cache: {@code $XDG_CACHE_HOME/cutout}, else {@code
 * $HOME/.cache/cutout} (the XDG rule; the JVM's {@code user.home} comes from the password database
 * and ignores {@code HOME}, so it is only the last resort). Shared by the model store and the ONNX
 * Runtime engine's native libraries.
 */
public final class CacheDir {
  private CacheDir() {}

  /** The folder that holds models, native libraries and the launcher's temporary files. */
  public static Path cutout() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "cutout");
    }
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".cache", "cutout");
  }
}
