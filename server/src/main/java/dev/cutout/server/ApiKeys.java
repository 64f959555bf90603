package dev.cutout.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The API keys a server accepts. Only their SHA-256 digests are kept; a presented key is hashed and
 * compared with every digest in constant time, without stopping at the first match, so neither the
 * comparison nor the position of a key in the file shows in the response time. Keys are never
 * logged, and {@link #toString()} shows only how many there are.
 */
public final class ApiKeys {
  private final List<byte[]> digests;

  private ApiKeys(List<byte[]> digests) {
    this.digests = List.copyOf(digests);
  }

  /**
   * Reads a keys file: one key per line, surrounding white space ignored, blank lines and lines
   * starting with {@code #} skipped.
   *
   * @throws CutoutException IO_ERROR when it cannot be read; BAD_OPTION when it holds no key
   */
  public static ApiKeys read(Path file) {
    try {
      return of(Files.readAllLines(file, UTF_8), file.toString());
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot read the API keys file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The keys in {@code lines}, with the same rules as {@link #read(Path)}. */
  public static ApiKeys of(List<String> lines) {
    return of(lines, "the key list");
  }

  private static ApiKeys of(List<String> lines, String source) {
    List<byte[]> digests = new ArrayList<>();
    for (String line : lines) {
      String key = line.strip();
      if (!key.isEmpty() && !key.startsWith("#")) {
        digests.add(sha256(key));
      }
    }
    if (digests.isEmpty()) {
      throw new CutoutException(ErrorCode.BAD_OPTION, source + " holds no API key");
    }
    return new ApiKeys(digests);
  }

  public int size() {
    return digests.size();
  }

  /** The position of {@code presented} among the keys, examining every key whatever matches. */
  OptionalInt match(String presented) {
    byte[] digest = sha256(presented);
    int found = -1;
    for (int i = 0; i < digests.size(); i++) {
      boolean equal = MessageDigest.isEqual(digests.get(i), digest);
      found = equal && found < 0 ? i : found;
    }
    return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeys[" + digests.size() + " keys]";
  }
}
