package dev.cutout.spark;

import dev.cutout.core.OutputFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder on any Hadoop file system: deterministic names, the check that an existing
 * output is whole, and writes that never leave half a file under a final name.
 */
final class OutputStore {
  /** Where attempts write before the rename; deleted by the driver when the job ends. */
  static final String TEMPORARY = "_cutout_temporary";

  /** Schemes whose stores make an object visible only when it is closed, and rename by copying. */
  private static final Set<String> OBJECT_STORES =
      Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cosn", "obs");

  private final FileSystem fs;
  private final Path dir;
  private final boolean direct;

  /**
   * @param fs a file system instance of this store's own: local file systems stop writing {@code
   *     .crc} files beside the outputs
   */
  OutputStore(FileSystem fs, Path dir, JobSpec.Commit commit) {
    this.fs = fs;
    fs.setWriteChecksum(false);
    this.dir = dir;
    this.direct =
        switch (commit) {
          case DIRECT -> true;
          case RENAME -> false;
          case AUTO -> isObjectStore(dir.toUri());
        };
  }

  static boolean isObjectStore(URI uri) {
    return uri.getScheme() != null
        && OBJECT_STORES.contains(uri.getScheme().toLowerCase(Locale.ROOT));
  }

  /**
   * The output's name: the input's file name without its extension, then 12 hex digits of the
   * SHA-256 of the input's full path and the settings that shape the output, then the format's
   * extension. The same input with the same settings always maps to the same name, whichever
   * executor runs it and however often; different inputs with the same file name do not collide.
   */
  static String name(String inputPath, String outputKey, OutputFormat format) {
    String file = inputPath.substring(inputPath.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    String stem = dot > 0 ? file.substring(0, dot) : file;
    stem = stem.replaceAll("[^A-Za-z0-9._-]", "_");
    if (stem.length() > 80) {
      stem = stem.substring(0, 80);
    }
    if (stem.isEmpty() || stem.startsWith(".") || stem.startsWith("_")) {
      stem = "image" + stem; // Hadoop and Spark hide names starting with . or _
    }
    String hash;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(inputPath.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(outputKey.getBytes(StandardCharsets.UTF_8));
      hash = HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    return stem + "-" + hash + "." + format.extension();
  }

  Path path(String name) {
    return new Path(dir, name);
  }

  /**
   * Whether {@code target} holds a whole output of {@code format}: its first and last bytes are
   * those every complete file of the format has (PNG ends with its IEND chunk, JPEG with EOI,
   * WebP's RIFF header gives the file's length). A file cut short by a crash fails this check.
   */
  boolean isComplete(Path target, OutputFormat format) throws IOException {
    return completeLength(target, format) >= 0;
  }

  /**
   * The length of {@code target} when it {@link #isComplete is complete}, else -1: one status call.
   */
  long completeLength(Path target, OutputFormat format) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(target);
    } catch (FileNotFoundException e) {
      return -1;
    }
    long length = status.getLen();
    if (!status.isFile() || length < 16) {
      return -1;
    }
    byte[] head = new byte[12];
    byte[] tail = new byte[12];
    try (FSDataInputStream in = fs.open(target)) {
      in.readFully(0, head);
      in.readFully(length - tail.length, tail);
    }
    boolean whole =
        switch (format) {
          case PNG ->
              startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)
                  && endsWith(tail, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82);
          case JPEG -> startsWith(head, 0xFF, 0xD8) && endsWith(tail, 0xFF, 0xD9);
          case WEBP ->
              startsWith(head, 'R', 'I', 'F', 'F')
                  && head[8] == 'W'
                  && head[9] == 'E'
                  && head[10] == 'B'
                  && head[11] == 'P'
                  && littleEndian32(head, 4) + 8 == length;
        };
    return whole ? length : -1;
  }

  /**
   * Writes {@code bytes} as {@code target}. On a file system with rename the bytes go to a
   * temporary file of this attempt first and are renamed into place, so that a killed task leaves
   * at most a temporary file; two attempts of one task (a retry, a speculative copy) write the same
   * bytes, so whichever rename lands last changes nothing. On an object store the object is written
   * directly: it becomes visible only when the stream closes, whole.
   */
  void write(Path target, byte[] bytes, String attempt) throws IOException {
    if (direct) {
      try (FSDataOutputStream out = fs.create(target, true)) {
        out.write(bytes);
      }
      return;
    }
    Path temp = new Path(new Path(dir, TEMPORARY), target.getName() + "." + attempt + ".part");
    try {
      try (FSDataOutputStream out = fs.create(temp, true)) {
        out.write(bytes);
      }
      if (!fs.rename(temp, target)) {
        // HDFS refuses to rename onto an existing file: another attempt got there first
        if (!isComplete(target, formatOf(target))) {
          fs.delete(target, false);
          if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
          }
        }
      }
    } finally {
      // nothing after a rename; this attempt's copy after a lost race or a failed write
      fs.delete(temp, false);
    }
  }

  /** Removes what killed attempts left in the temporary folder. */
  void removeTemporary() throws IOException {
    fs.delete(new Path(dir, TEMPORARY), true);
  }

  private static OutputFormat formatOf(Path target) {
    String name = target.getName();
    return OutputFormat.parse(name.substring(name.lastIndexOf('.') + 1));
  }

  private static boolean startsWith(byte[] bytes, int... expected) {
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWith(byte[] bytes, int... expected) {
    int offset = bytes.length - expected.length;
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static long littleEndian32(byte[] b, int at) {
    return (b[at] & 0xFFL)
        | (b[at + 1] & 0xFFL) << 8
        | (b[at + 2] & 0xFFL) << 16
        | (b[at + 3] & 0xFFL) << 24;
  }
}
