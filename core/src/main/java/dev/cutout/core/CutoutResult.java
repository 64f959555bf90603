package dev.cutout.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One processed image: the encoded output, the mask, and where the time went.
 *
 * @param bytes the encoded output
 * @param format its format
 * @param pixels the output pixels before encoding (grey for a mask-only output)
 * @param mask the subject mask at the input's full size
 * @param timings the phases of this image
 */
public record CutoutResult(
    byte[] bytes, OutputFormat format, RgbaImage pixels, Mask mask, PhaseTimings timings) {

  public int width() {
    return pixels.width();
  }

  public int height() {
    return pixels.height();
  }

  /** The output pixels as a {@link BufferedImage} (ARGB, sharing the pixels). */
  public BufferedImage image() {
    return pixels.toBufferedImage();
  }

  /**
   * Writes the output to {@code target} through a temporary file in the same folder, moved into
   * place, so a reader never sees half a file.
   *
   * @throws CutoutException OUTPUT_EXISTS when the target exists and {@code overwrite} is false
   */
  public void write(Path target, boolean overwrite) {
    Path dir = target.toAbsolutePath().getParent();
    if (!overwrite && Files.exists(target)) {
      throw new CutoutException(ErrorCode.OUTPUT_EXISTS, target + " exists");
    }
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
      Files.write(temp, bytes);
      if (overwrite) {
        moveReplacing(temp, target);
      } else {
        Files.move(temp, target); // fails rather than replaces if another writer got there first
      }
      temp = null;
    } catch (FileAlreadyExistsException e) {
      throw new CutoutException(ErrorCode.OUTPUT_EXISTS, target + " exists", e);
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the write already failed; that error is the one to report
        }
      }
    }
  }

  private static void moveReplacing(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
