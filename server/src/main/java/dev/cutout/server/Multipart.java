package dev.cutout.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) already read into memory, split into its fields.
 * The server parses uploads itself rather than through Jetty so that no part can ever spill into a
 * temporary file: the whole body was bounded by the byte limit before it got here.
 *
 * @param fields the text fields, by name (the last of a repeated name wins)
 * @param files the bytes of the parts read as files, by name (the last of a repeated name wins)
 */
record Multipart(Map<String, String> fields, Map<String, byte[]> files) {
  /** The file part of Cutout's own API. */
  static final String FILE_FIELD = "file";

  private static final Pattern BOUNDARY =
      Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
  private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");

  static boolean isMultipart(String contentType) {
    return contentType != null
        && contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /** The part named {@code file}, Cutout's upload, if any. */
  Optional<byte[]> file() {
    return Optional.ofNullable(files.get(FILE_FIELD));
  }

  /**
   * Parses Cutout's upload form: the part named {@code file} is the image, every other part text.
   *
   * @throws CutoutException BAD_OPTION when the body is not well-formed multipart
   */
  static Multipart parse(String contentType, byte[] body) {
    return parse(contentType, body, Set.of(FILE_FIELD));
  }

  /**
   * @param fileParts the names of the parts kept as bytes; every other part is UTF-8 text
   * @throws CutoutException BAD_OPTION when the body is not well-formed multipart
   */
  static Multipart parse(String contentType, byte[] body, Set<String> fileParts) {
    Matcher b = BOUNDARY.matcher(contentType);
    if (!b.find()) {
      throw malformed("no boundary in Content-Type");
    }
    String boundary = b.group(1) != null ? b.group(1) : b.group(2);
    byte[] delimiter = ("\r\n--" + boundary).getBytes(ISO_8859_1);
    // The first delimiter may start the body without the preceding CRLF.
    int at = startsWith(body, 0, delimiter, 2) ? 0 : indexOf(body, delimiter, 0);
    if (at < 0) {
      throw malformed("no part");
    }
    at += at == 0 && startsWith(body, 0, delimiter, 2) ? delimiter.length - 2 : delimiter.length;
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, byte[]> files = new LinkedHashMap<>();
    while (true) {
      if (startsWith(body, at, "--".getBytes(ISO_8859_1), 0)) {
        break; // closing delimiter
      }
      at = skipLine(body, at); // transport padding and the CRLF after the delimiter
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(ISO_8859_1), at);
      if (headersEnd < 0) {
        throw malformed("a part has no end of headers");
      }
      String headers = new String(body, at, headersEnd - at, UTF_8);
      int contentStart = headersEnd + 4;
      int contentEnd = indexOf(body, delimiter, contentStart - 2);
      if (contentEnd < 0) {
        throw malformed("a part has no closing boundary");
      }
      contentEnd = Math.max(contentEnd, contentStart);
      String name = partName(headers);
      if (fileParts.contains(name)) {
        files.put(name, Arrays.copyOfRange(body, contentStart, contentEnd));
      } else {
        fields.put(name, new String(body, contentStart, contentEnd - contentStart, UTF_8));
      }
      at = contentEnd + delimiter.length;
    }
    return new Multipart(Map.copyOf(fields), Map.copyOf(files));
  }

  private static String partName(String headers) {
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        Matcher m = NAME.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    throw malformed("a part has no Content-Disposition name");
  }

  private static int skipLine(byte[] data, int from) {
    for (int i = from; i + 1 < data.length; i++) {
      if (data[i] == '\r' && data[i + 1] == '\n') {
        return i + 2;
      }
    }
    throw malformed("truncated");
  }

  private static boolean startsWith(byte[] data, int at, byte[] prefix, int prefixFrom) {
    if (at < 0 || data.length - at < prefix.length - prefixFrom) {
      return false;
    }
    return Arrays.equals(
        data, at, at + prefix.length - prefixFrom, prefix, prefixFrom, prefix.length);
  }

  /** Knuth–Morris–Pratt, so a body crafted to resemble the delimiter costs linear time. */
  static int indexOf(byte[] data, byte[] pattern, int from) {
    int[] fail = new int[pattern.length];
    for (int i = 1, k = 0; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = fail[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      fail[i] = k;
    }
    for (int i = Math.max(0, from), k = 0; i < data.length; i++) {
      while (k > 0 && data[i] != pattern[k]) {
        k = fail[k - 1];
      }
      if (data[i] == pattern[k]) {
        k++;
      }
      if (k == pattern.length) {
        return i - pattern.length + 1;
      }
    }
    return -1;
  }

  private static CutoutException malformed(String why) {
    return new CutoutException(ErrorCode.BAD_OPTION, "malformed multipart body: " + why);
  }
}
