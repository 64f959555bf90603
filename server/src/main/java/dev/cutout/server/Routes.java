package dev.cutout.server;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every URL the server answers, in one table ({@link #addTo}), and the handlers that are not the
 * API's: health, readiness, metrics, the catalogued model files and the web app. What a failure
 * looks like on the wire is decided once, in {@link CutoutServer}'s error mapping.
 */
final class Routes {
  static final String MODELS = "/models/";
  private static final String CATALOG_FILE = "catalog.json";
  private static final String STARTED = "cutout.started";

  private final WebFiles web;
  private final ModelStore store;
  private final Map<String, ModelSpec> modelsByFile;
  private final byte[] catalog;
  private final Optional<EnginePool> pool;
  private final Metrics metrics;

  Routes(WebFiles web, ModelStore store, Optional<EnginePool> pool, Metrics metrics) {
    this.web = web;
    this.store = store;
    this.catalog = catalogBytes();
    this.pool = pool;
    this.metrics = metrics;
    this.modelsByFile =
        store.catalog().models().stream()
            .collect(Collectors.toUnmodifiableMap(ModelSpec::file, Function.identity()));
  }

  /** Registers the table: GET and HEAD everywhere, POST only for processing. */
  void addTo(RoutesConfig r, HostedApi api, RemoveBgApi removeBg) {
    r.before(
        ctx -> {
          ctx.attribute(STARTED, System.nanoTime());
          SecurityHeaders.ALL.forEach(ctx::header);
        });
    r.after(this::measure);
    both(r, "/healthz", Routes::health);
    both(r, "/readyz", this::readiness);
    both(r, "/metrics", this::metrics);
    both(r, HostedApi.PREFIX + "capabilities", api::capabilities);
    both(r, HostedApi.PREFIX + "openapi.json", api::openApi);
    both(r, HostedApi.PREFIX + "models", api::models);
    r.post(HostedApi.PREFIX + "remove", api::remove);
    r.post(RemoveBgApi.PATH, removeBg::remove);
    both(r, MODELS + "{file}", this::model);
    both(r, "/", this::web);
    both(r, "/<path>", this::web);
  }

  private static void both(RoutesConfig r, String path, Handler handler) {
    r.get(path, handler);
    r.head(path, handler);
  }

  /** A short text answer that no cache keeps: health, readiness and the non-API errors. */
  static void plain(Context ctx, String text) {
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/plain;charset=utf-8").result(text);
  }

  private static void health(Context ctx) {
    plain(ctx, "ok");
  }

  /** 200 once the engines are loaded and warmed (at once when nothing is processed). */
  private void readiness(Context ctx) {
    if (pool.isEmpty() || pool.get().ready()) {
      plain(ctx, "ready");
      return;
    }
    String failure = pool.get().failure();
    ctx.status(503);
    ctx.header("Retry-After", "2");
    plain(ctx, failure != null ? "engines failed to load: " + failure : "not ready");
  }

  private void metrics(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape());
  }

  /** Counts every response by route and status; times the processing requests (both APIs). */
  private void measure(Context ctx) {
    String route = label(ctx.path());
    int status = ctx.statusCode();
    metrics.request(route, status);
    Long started = ctx.attribute(STARTED);
    boolean processing = route.equals("/api/v1/remove") || route.equals(RemoveBgApi.PATH);
    if (processing && started != null) {
      metrics.removeLatency(route, status, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** A bounded set of route labels, whatever paths clients make up. */
  private static String label(String path) {
    if (path.startsWith(HostedApi.PREFIX)) {
      String rest = path.substring(HostedApi.PREFIX.length());
      return switch (rest) {
        case "remove", "models", "capabilities", "openapi.json" -> path;
        default -> "/api/other";
      };
    }
    if (path.startsWith(RemoveBgApi.PREFIX)) {
      return path.equals(RemoveBgApi.PATH) ? path : "/v1.0/other";
    }
    return switch (path) {
      case "/healthz", "/readyz", "/metrics" -> path;
      default -> path.startsWith(MODELS) ? "/models" : "/web";
    };
  }

  /** {@code /models/catalog.json} and the catalogued model files; nothing else of the store. */
  private void model(Context ctx) throws IOException {
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

  private void web(Context ctx) throws IOException {
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

  /** The catalog exactly as the Java side reads it, so the page and the server never disagree. */
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
}
