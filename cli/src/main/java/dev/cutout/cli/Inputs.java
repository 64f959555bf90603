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
import java.util.Optional;
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

  /** One planned image, or an input that cannot be planned ({@code problem} present). */
  record Planned(Path input, Path output, Optional<CutoutException> problem) {}

  static List<Planned> plan(List<Path> args, Optional<Path> outDir, OutputFormat format) {
    List<Planned> plans = new ArrayList<>();
    Set<Path> inputs = new HashSet<>();
    Set<Path> outputs = new HashSet<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        for (Path file : walk(arg)) {
          Path relative = arg.relativize(file);
          Path target =
              outDir
                  .map(
                      d ->
                          d.resolve(relative)
                              .resolveSibling(baseName(file) + "." + format.extension()))
                  .orElseGet(() -> besideInput(file, format));
          plans.add(new Planned(file, target, Optional.empty()));
        }
      } else if (!Files.exists(arg)) {
        plans.add(
            new Planned(
                arg,
                arg,
                Optional.of(new CutoutException(ErrorCode.IO_ERROR, "no such file or folder"))));
      } else {
        Path target =
            outDir
                .map(d -> d.resolve(baseName(arg) + "." + format.extension()))
                .orElseGet(() -> besideInput(arg, format));
        plans.add(new Planned(arg, target, Optional.empty()));
      }
    }
    for (Planned p : plans) {
      inputs.add(p.input().toAbsolutePath().normalize());
    }
    List<Planned> checked = new ArrayList<>();
    for (Planned p : plans) {
      Path out = p.output().toAbsolutePath().normalize();
      if (p.problem().isPresent()) {
        checked.add(p);
      } else if (inputs.contains(out)) {
        checked.add(
            problem(
                p,
                "its output "
                    + p.output()
                    + " would replace an input; inputs are never overwritten"));
      } else if (!outputs.add(out)) {
        checked.add(problem(p, "another input already writes " + p.output()));
      } else {
        checked.add(p);
      }
    }
    return checked;
  }

  private static Planned problem(Planned p, String message) {
    return new Planned(
        p.input(), p.output(), Optional.of(new CutoutException(ErrorCode.OUTPUT_EXISTS, message)));
  }

  private static List<Path> walk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(Inputs::looksLikeImage).sorted().toList();
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean looksLikeImage(Path file) {
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
