package dev.cutout.server;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built web app ({@code web/dist}): from a folder during development, from the class path (the
 * {@code cutout-web} jar, under {@value #CLASS_PATH_PREFIX}) otherwise.
 *
 * <p>A request path is looked up only if every segment is a plain file name (letters, digits,
 * {@code . _ - ~ @ +}, not starting with a dot), so no form of {@code ..}, encoded or not, and no
 * hidden file can be reached.
 *
 * <p>With {@link FileSender} this stands in for Javalin's static files, which cannot serve ranges
 * or strong validators (why, in {@link FileSender}).
 */
final class WebFiles {
  static final String CLASS_PATH_PREFIX = "dev/cutout/web/";
  static final String INDEX = "index.html";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_~@+-][A-Za-z0-9._~@+-]*");

  private final Lookup lookup;
  private final String origin;

  private interface Lookup {
    Optional<StaticFile> find(String relativePath) throws IOException;
  }

  private WebFiles(Lookup lookup, String origin) {
    this.lookup = lookup;
    this.origin = origin;
  }

  /**
   * The web app in {@code dir}.
   *
   * @throws CutoutException BAD_OPTION when {@code dir} holds no {@code index.html}
   */
  static WebFiles directory(Path dir) {
    Path root;
    try {
      root = dir.toRealPath();
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "web folder " + dir + " does not exist", e);
    }
    WebFiles files =
        new WebFiles(
            relative -> {
              Path file = root.resolve(relative);
              if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(root)) {
                return Optional.empty();
              }
              BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
              return Optional.of(
                  new StaticFile.OnDisk(file, a.size(), a.lastModifiedTime().toMillis()));
            },
            root.toString());
    if (files.find("/").isEmpty()) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION,
          "web folder " + root + " has no " + INDEX + " (build it with: npm run build in web/)");
    }
    return files;
  }

  /**
   * The web app packed on {@code loader}'s class path by the {@code web} module.
   *
   * @throws CutoutException IO_ERROR when it is not there
   */
  static WebFiles classPath(ClassLoader loader) {
    WebFiles files =
        new WebFiles(
            relative -> {
              URL url = loader.getResource(CLASS_PATH_PREFIX + relative);
              return url == null ? Optional.empty() : classPathFile(url, relative);
            },
            "the class path (" + CLASS_PATH_PREFIX + ")");
    if (files.find("/").isEmpty()) {
      throw new CutoutException(
          ErrorCode.IO_ERROR,
          "the web app is not on the class path ("
              + CLASS_PATH_PREFIX
              + INDEX
              + "); build the web module or pass --web-dir");
    }
    return files;
  }

  /** Where the files come from, for messages. */
  String origin() {
    return origin;
  }

  /** The file for a request path such as {@code /assets/index-Bk3f.js}; {@code /} is the index. */
  Optional<StaticFile> find(String requestPath) {
    String relative = requestPath.startsWith("/") ? requestPath.substring(1) : requestPath;
    if (relative.isEmpty()) {
      relative = INDEX;
    }
    for (String segment : relative.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        return Optional.empty();
      }
    }
    try {
      return lookup.find(relative);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative + " from " + origin, e);
    }
  }

  private static Optional<StaticFile> classPathFile(URL url, String relative) throws IOException {
    String name = relative.substring(relative.lastIndexOf('/') + 1);
    if ("file".equals(url.getProtocol())) {
      Path file;
      try {
        file = Path.of(url.toURI());
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return Optional.of(new StaticFile.OnDisk(file, a.size(), a.lastModifiedTime().toMillis()));
    }
    URLConnection connection = url.openConnection();
    if (connection instanceof JarURLConnection jar) {
      var entry = jar.getJarEntry();
      if (entry == null || entry.isDirectory() || entry.getSize() < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new StaticFile.OnClassPath(url, name, entry.getSize(), Math.max(0, entry.getTime())));
    }
    long length = connection.getContentLengthLong();
    return length < 0
        ? Optional.empty()
        : Optional.of(
            new StaticFile.OnClassPath(
                url, name, length, Math.max(0, connection.getLastModified())));
  }
}
