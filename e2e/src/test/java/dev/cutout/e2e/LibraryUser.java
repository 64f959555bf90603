package dev.cutout.e2e;

import dev.cutout.core.Cutout;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import java.nio.file.Path;

/**
 * Someone else's program using Cutout as a library: no environment variables, no special JVM flags.
 * {@link NothingLeftBehindTest} starts it as its own process.
 */
public final class LibraryUser {
  private LibraryUser() {}

  /** Arguments: INPUT OUTPUT. */
  public static void main(String[] args) {
    try (Cutout cutout =
        OnnxCutout.builder().model("isnet-uint8").threads(1).warmUp(false).build()) {
      cutout.remove(Path.of(args[0]), Options.defaults()).write(Path.of(args[1]), false);
    }
  }
}
