package dev.cutout.server;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.onnx.ModelStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Cutout's HTTP server: the web app, the catalogued model files and a health check. It processes no
 * images: in this configuration every photo stays in the browser that opened it.
 *
 * <pre>{@code
 * try (CutoutServer server = CutoutServer.create(ServerConfig.builder().port(0).build()).start()) {
 *   URI uri = server.uri();
 * }
 * }</pre>
 */
public final class CutoutServer implements AutoCloseable {
  private static final String MODELS = "/models/";
  private static final String CATALOG_FILE = "catalog.json";

  private final ServerConfig config;
  private final Javalin app;

  private CutoutServer(ServerConfig config, Javalin app) {
    this.config = config;
    this.app = app;
  }

  /**
   * Builds a server for {@code config}; nothing listens until {@link #start()}.
   *
   * @throws CutoutException BAD_OPTION for a {@code webDir} without {@code index.html}; IO_ERROR
   *     when no web dir is given and the packed web app is not on the class path
   */
  public static CutoutServer create(ServerConfig config) {
    WebFiles web =
        config
            .webDir()
            .map(WebFiles::directory)
            .orElseGet(() -> WebFiles.classPath(CutoutServer.class.getClassLoader()));
    ModelStore store = ModelStore.at(config.modelsDir());
    Routes routes = new Routes(web, store, catalogBytes());
    Javalin app = Javalin.create(javalin -> configure(javalin, config, routes));
    return new CutoutServer(config, app);
  }

  /**
   * Starts listening.
   *
   * @throws CutoutException IO_ERROR when the address cannot be bound
   */
  public CutoutServer start() {
    try {
      app.start();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw new CutoutException(
              ErrorCode.IO_ERROR,
              "cannot listen on " + config.host() + ":" + config.port() + ": " + t.getMessage(),
              e);
        }
      }
      throw e;
    }
    return this;
  }

  /** The port listened on (the real one when the config asked for 0). */
  public int port() {
    return app.port();
  }

  /** The address of the web app, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Stops accepting connections and lets requests in flight finish. */
  public void stop() {
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  private static void configure(JavalinConfig javalin, ServerConfig config, Routes routes) {
    javalin.concurrency.useVirtualThreads = true;
    javalin.jetty.host = config.host();
    javalin.jetty.port = config.port();
    javalin.startup.showJavalinBanner = false;
    javalin.startup.showOldJavalinVersionWarning = false;
    // Byte ranges and Content-Length must describe the bytes on disk; the large files (model,
    // .wasm) are what compression would help least with on a local network anyway.
    javalin.http.compressionStrategy = CompressionStrategy.NONE;
    javalin.router.ignoreTrailingSlashes = false;
    javalin.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));

    var r = javalin.routes;
    r.before(ctx -> SecurityHeaders.ALL.forEach(ctx::header));
    both(r, "/healthz", Routes::health);
    both(r, MODELS + "{file}", routes::model);
    both(r, "/", routes::web);
    both(r, "/<path>", routes::web);
    r.error(404, ctx -> plain(ctx, "Not found"));
    r.exception(
        CutoutException.class,
        (e, ctx) -> {
          ctx.status(HttpStatuses.of(e.code()));
          plain(ctx, e.getMessage());
        });
  }

  private static void both(RoutesConfig r, String path, Handler handler) {
    r.get(path, handler);
    r.head(path, handler);
  }

  private static void plain(Context ctx, String text) {
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/plain;charset=utf-8").result(text);
  }

  private static byte[] catalogBytes() {
    try (InputStream in = ModelCatalog.class.getResourceAsStream(ModelCatalog.RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("catalog missing: " + ModelCatalog.RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The handlers: each looks a file up and hands it to {@link FileSender}. */
  private static final class Routes {
    private final WebFiles web;
    private final ModelStore store;
    private final Map<String, ModelSpec> modelsByFile;
    private final byte[] catalog;

    Routes(WebFiles web, ModelStore store, byte[] catalog) {
      this.web = web;
      this.store = store;
      this.catalog = catalog;
      this.modelsByFile =
          store.catalog().models().stream()
              .collect(Collectors.toUnmodifiableMap(ModelSpec::file, Function.identity()));
    }

    static void health(Context ctx) {
      plain(ctx, "ok");
    }

    /** {@code /models/catalog.json} and the catalogued model files; nothing else of the store. */
    void model(Context ctx) throws IOException {
      String file = ctx.pathParam("file");
      if (file.equals(CATALOG_FILE)) {
        ctx.header("Cache-Control", FileSender.REVALIDATE);
        ctx.contentType("application/json").result(catalog);
        return;
      }
      ModelSpec model = modelsByFile.get(file);
      if (model == null) {
        ctx.status(404);
        return;
      }
      Path path = store.path(model);
      if (!Files.isRegularFile(path)) {
        throw new CutoutException(
            ErrorCode.MODEL_NOT_INSTALLED,
            "model " + model.id() + " is not installed on this server");
      }
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      FileSender.send(
          ctx,
          new StaticFile.OnDisk(path, a.size(), a.lastModifiedTime().toMillis()),
          FileSender.IMMUTABLE);
    }

    void web(Context ctx) throws IOException {
      String path = ctx.path();
      Optional<StaticFile> file = web.find(path);
      if (file.isEmpty()) {
        ctx.status(404);
        return;
      }
      // Vite puts content-hashed names under /assets/; ORT's runtime sits under /ort/<version>/.
      boolean immutable = path.startsWith("/assets/") || path.startsWith("/ort/");
      FileSender.send(ctx, file.get(), immutable ? FileSender.IMMUTABLE : FileSender.REVALIDATE);
    }
  }
}
