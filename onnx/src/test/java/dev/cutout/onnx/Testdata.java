package dev.cutout.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's test images, as seen from a module folder where Maven runs tests. */
final class Testdata {
  static final Path ROOT = Path.of("..", "testdata");

  private Testdata() {}

  static Path photo(String name) {
    return ROOT.resolve("photos").resolve(name);
  }

  /** The 16 composites' images, sorted by name. */
  static List<Path> compositeImages() {
    try (Stream<Path> files = Files.list(ROOT.resolve("composites").resolve("images"))) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The true alpha of a composite image ({@code cNNN.jpg} → {@code alpha/cNNN.png}). */
  static Path alphaOf(Path image) {
    String name = image.getFileName().toString().replace(".jpg", ".png");
    return ROOT.resolve("composites").resolve("alpha").resolve(name);
  }

  /** The true foreground colour of a composite ({@code cNNN.jpg} → {@code foreground/cNNN.png}). */
  static Path foregroundOf(Path image) {
    String name = image.getFileName().toString().replace(".jpg", ".png");
    return ROOT.resolve("composites").resolve("foreground").resolve(name);
  }
}
