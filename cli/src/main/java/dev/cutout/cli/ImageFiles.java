package dev.cutout.cli;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images a benchmark command runs on: given files, the files of given folders, or a default.
 */
final class ImageFiles {
  private ImageFiles() {}

  /**
   * Each argument that is a folder stands for its files (not recursive, sorted); other arguments
   * are taken as they are. No arguments means {@code defaultFolder}.
   *
   * @throws CutoutException BAD_OPTION when that leaves no file
   */
  static List<Path> collect(List<Path> args, Path defaultFolder) throws IOException {
    List<Path> roots = args.isEmpty() ? List.of(defaultFolder) : args;
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.list(root)) {
          s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else {
        files.add(root);
      }
    }
    if (files.isEmpty()) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "no images to measure");
    }
    return files;
  }
}
