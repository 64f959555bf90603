package dev.cutout.e2e;

import dev.cutout.server.CutoutServer;
import dev.cutout.server.ServerConfig;
import java.nio.file.Path;

/** The real server, in-process on a free loopback port, serving the packed web app. */
final class Servers {
  static final Path PHOTOS = Path.of("..", "testdata", "photos");

  private Servers() {}

  static CutoutServer start() {
    return CutoutServer.create(ServerConfig.builder().port(0).build()).start();
  }

  static CutoutServer start(Path modelsDir) {
    return CutoutServer.create(ServerConfig.builder().port(0).modelsDir(modelsDir).build()).start();
  }

  /** The page's origin without the trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  static String origin(CutoutServer server) {
    String uri = server.uri().toString();
    return uri.substring(0, uri.length() - 1);
  }
}
