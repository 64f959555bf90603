package dev.cutout.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file the server can send: its size and date up front, its bytes streamed on demand. */
sealed interface StaticFile permits StaticFile.OnDisk, StaticFile.OnClassPath {

  /** The file name, which decides the media type. */
  String name();

  long length();

  long lastModifiedMillis();

  /** A stream positioned at {@code offset}; the caller closes it. */
  InputStream open(long offset) throws IOException;

  /** A strong validator from size and date, good enough for If-None-Match and If-Range. */
  default String etag() {
    return "\"" + Long.toHexString(length()) + "-" + Long.toHexString(lastModifiedMillis()) + "\"";
  }

  /** A regular file in a folder (the model store, {@code --web-dir}, or an exploded class path). */
  record OnDisk(Path path, long length, long lastModifiedMillis) implements StaticFile {
    @Override
    public String name() {
      return path.getFileName().toString();
    }

    @Override
    public InputStream open(long offset) throws IOException {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      try {
        return Channels.newInputStream(channel.position(offset));
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
  }

  /** An entry of a jar on the class path (the packed web app in production). */
  record OnClassPath(URL url, String name, long length, long lastModifiedMillis)
      implements StaticFile {
    @Override
    public InputStream open(long offset) throws IOException {
      InputStream in = url.openStream();
      try {
        in.skipNBytes(offset);
        return in;
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }
  }
}
