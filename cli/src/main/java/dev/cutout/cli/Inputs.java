package dev.cutout.cli;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Turns the command line's inputs into (input file, output file) pairs. */
final class Inputs {
  /** File names a folder walk picks up; named files are taken whatever their name. */
  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "jfif", "png", "webp", "gif", "bmp");

  /** The suffix of outputs written next to their input, skipped when walking folders again. */
  static final String SUFFIX = ".cutout";

  private Inputs() {}

  /** One input and where its output goes; refused when it cannot be processed. */
  sealed interface Planned {
    Path input();

    Path output();

    /** To be processed. */
    record Ready(Path input, Path output) implements Planned {}

    /** Not to be processed, for the reason given. */
    record Refused(Path input, Path output, CutoutException problem) implements Planned {}
  }

  /** Each output beside its input: {@code photo.jpg} → {@code photo.cutout.png}. */
  static List<Planned> besideInputs(List<Path> args, OutputFormat format) {
    return plan(
        args,
        new Naming() {
          @Override
          public Path named(Path file) {
            return besideInput(file, format);
          }

          @Override
          public Path walked(Path folder, Path file) {
            return besideInput(file, format);
          }
        });
  }

  /**
   * Every output in {@code outDir}: {@code photo.jpg} → {@code outDir/photo.png}; files found in a
   * folder keep their place below it.
   */
  static List<Planned> into(Path outDir, List<Path> args, OutputFormat format) {
    return plan(
        args,
        new Naming() {
          @Override
          public Path named(Path file) {
            return outDir.resolve(baseName(file) + "." + format.extension());
          }

          @Override
          public Path walked(Path folder, Path file) {
            return walkedInto(outDir, folder, file, format);
          }
        });
  }

  /**
   * Where the output of {@code file}, found in {@code folder}, goes in {@code outDir}: the same
   * place below it, named {@code <stem>.<ext>}. The folder mode and the watch both name this way.
   */
  static Path walkedInto(Path outDir, Path folder, Path file, OutputFormat format) {
    return outDir
        .resolve(folder.relativize(file))
        .resolveSibling(baseName(file) + "." + format.extension());
  }

  /** Where the output of an input goes. */
  private interface Naming {
    /** For a file named on the command line. */
    Path named(Path file);

    /** For a file found by walking {@code folder}. */
    Path walked(Path folder, Path file);
  }

  private static List<Planned> plan(List<Path> args, Naming naming) {
    List<Planned> plans = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        for (Path file : walk(arg)) {
          plans.add(new Planned.Ready(file, naming.walked(arg, file)));
        }
      } else if (!Files.exists(arg)) {
        plans.add(
            new Planned.Refused(
                arg, arg, new CutoutException(ErrorCode.IO_ERROR, "no such file or folder")));
      } else {
        plans.add(new Planned.Ready(arg, naming.named(arg)));
      }
    }
    Set<Path> inputs = new HashSet<>();
    for (Planned p : plans) {
      inputs.add(p.input().toAbsolutePath().normalize());
    }
    Set<Path> outputs = new HashSet<>();
    List<Planned> checked = new ArrayList<>();
    for (Planned p : plans) {
      Path out = p.output().toAbsolutePath().normalize();
      if (p instanceof Planned.Refused) {
        checked.add(p);
      } else if (inputs.contains(out)) {
        checked.add(
            refused(
                p,
                "its output "
                    + p.output()
                    + " would replace an input; inputs are never overwritten"));
      } else if (!outputs.add(out)) {
        checked.add(refused(p, "another input already writes " + p.output()));
      } else {
        checked.add(p);
      }
    }
    return checked;
  }

  private static Planned refused(Planned p, String message) {
    return new Planned.Refused(
        p.input(), p.output(), new CutoutException(ErrorCode.OUTPUT_EXISTS, message));
  }

  private static List<Path> walk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(Inputs::looksLikeImage).sorted().toList();
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a folder walk takes {@code file}: an image extension, not hidden, not an output written
   * beside its input. Temporary names ({@code x.part}, {@code x.jpg.crdownload}, {@code .x.jpg})
   * fail it, which is what lets the watch ignore a file until it is renamed into place.
   */
  static boolean looksLikeImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot > 0
        && IMAGE_EXTENSIONS.contains(name.substring(dot + 1))
        && !name.substring(0, dot).endsWith(SUFFIX)
        && !name.startsWith(".");
  }

  private static Path besideInput(Path input, OutputFormat format) {
    return input.resolveSibling(baseName(input) + SUFFIX + "." + format.extension());
  }

  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
