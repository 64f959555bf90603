package dev.cutout.server;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.models.ModelStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cutout's HTTP server: the web app, the catalogued model files, health, readiness and metrics. By
 * default it processes no images: every photo stays in the browser that opened it. With API keys or
 * the hosted fallback in its {@link ServerConfig}, {@code POST /api/v1/remove} processes images on
 * a fixed pool of engines behind a bounded queue, and with API keys so does remove.bg's {@code POST
 * /v1.0/removebg} on the same keys, rates and engines (see docs/api.md).
 *
 * <pre>{@code
 * try (CutoutServer server = CutoutServer.create(ServerConfig.builder().port(0).build()).start()) {
 *   URI uri = server.uri();
 * }
 * }</pre>
 */
public final class CutoutServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CutoutServer.class);

  private final ServerConfig config;
  private final Javalin app;
  private final Optional<EnginePool> pool;
  private final Metrics metrics;
  private final ModelStore store;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private CutoutServer(
      ServerConfig config,
      Javalin app,
      Optional<EnginePool> pool,
      Metrics metrics,
      ModelStore store) {
    this.config = config;
    this.app = app;
    this.pool = pool;
    this.metrics = metrics;
    this.store = store;
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
    ModelStore store = config.modelsDir().map(ModelStore::at).orElseGet(ModelStore::defaultStore);
    Metrics metrics = new Metrics();
    Optional<EnginePool> pool =
        config.processing()
            ? Optional.of(new EnginePool(config.workers(), config.queue()))
            : Optional.empty();
    pool.ifPresent(metrics::watch);
    Routes routes = new Routes(web, store, pool, metrics);
    Admission admission = Admission.create(config);
    HostedApi api = new HostedApi(config, pool, admission);
    RemoveBgApi removeBg =
        new RemoveBgApi(config, pool, admission, ImageUrls.create(config.limits().maxBytes()));
    Javalin app =
        Javalin.create(javalin -> configure(javalin, config, routes, api, removeBg, metrics));
    return new CutoutServer(config, app, pool, metrics, store);
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
    pool.ifPresent(
        engines ->
            Thread.ofPlatform()
                .name("cutout-engines")
                .daemon(true)
                .start(
                    () -> {
                      try {
                        engines.load(
                            config.models(),
                            store.dir(),
                            config.limits(),
                            config.threadsPerWorker(),
                            metrics::modelLoaded);
                      } catch (RuntimeException e) {
                        LOG.error("cannot load the engines: {}", e.getMessage());
                      }
                    }));
    return this;
  }

  /**
   * Waits until {@code /readyz} would answer 200: at once without processing, else once every
   * worker's engines are loaded and warmed.
   *
   * @return whether it is ready (false after {@code timeout}, or when loading failed)
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      if (System.nanoTime() > deadline || pool.map(p -> p.failure() != null).orElse(false)) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private boolean ready() {
    return !stopped.get() && pool.map(EnginePool::ready).orElse(true);
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

  /**
   * Stops: new processing requests get 503 at once, admitted ones finish (waiting up to the request
   * timeout), then the listener closes and the engines are released.
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    try {
      if (pool.isPresent()) {
        pool.get().drain(config.requestTimeout().plusSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      app.stop();
      pool.ifPresent(EnginePool::close);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void configure(
      JavalinConfig javalin,
      ServerConfig config,
      Routes routes,
      HostedApi api,
      RemoveBgApi removeBg,
      Metrics metrics) {
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

    routes.addTo(javalin.routes, api, removeBg);
    mapErrors(javalin.routes, api, removeBg, metrics);
  }

  /**
   * The one place failures become responses: Cutout's API paths get the JSON error body of
   * docs/api.md, the remove.bg-compatible path remove.bg's, everything else a short text; error
   * codes and refusals get their statuses (and remove.bg's codes) from {@link HttpStatuses}.
   */
  private static void mapErrors(
      RoutesConfig r, HostedApi api, RemoveBgApi removeBg, Metrics metrics) {
    r.error(
        404,
        ctx -> {
          String type = ctx.res().getContentType();
          boolean answered = type != null && type.startsWith(HostedApi.JSON);
          if (isRemoveBg(ctx)) {
            if (!answered) {
              RemoveBgApi.error(ctx, 404, "not_found", "no such route");
            }
          } else if (isApi(ctx)) {
            if (!answered) {
              HostedApi.error(ctx, 404, "not_found", "no such API route");
            }
          } else {
            Routes.plain(ctx, "Not found");
          }
        });
    r.exception(
        CutoutException.class,
        (e, ctx) -> {
          if (isRemoveBg(ctx)) {
            if (e.code() != ErrorCode.TOO_LARGE) {
              removeBg.discardUnread(ctx);
            }
            HttpStatuses.RemoveBg mapped = HttpStatuses.removeBg(e.code());
            RemoveBgApi.error(ctx, mapped.status(), mapped.code(), e.getMessage());
          } else if (isApi(ctx)) {
            if (e.code() != ErrorCode.TOO_LARGE) {
              api.discardUnread(ctx);
            }
            HostedApi.error(
                ctx,
                HttpStatuses.of(e.code()),
                e.code().name().toLowerCase(Locale.ROOT),
                e.getMessage());
          } else {
            ctx.status(HttpStatuses.of(e.code()));
            Routes.plain(ctx, e.getMessage());
          }
        });
    r.exception(
        ApiRefusal.class,
        (e, ctx) -> {
          if (!e.reason().isRequestFault()) {
            metrics.rejection(e.reason());
          }
          e.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
          if (isRemoveBg(ctx)) {
            removeBg.discardUnread(ctx);
            HttpStatuses.RemoveBg mapped = HttpStatuses.removeBg(e);
            RemoveBgApi.error(ctx, mapped.status(), mapped.code(), e.getMessage());
            return;
          }
          api.discardUnread(ctx);
          if (e.reason() == ApiRefusal.Reason.UNAUTHORIZED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"cutout\"");
          }
          HostedApi.error(
              ctx,
              HttpStatuses.of(e.reason()),
              e.reason().name().toLowerCase(Locale.ROOT),
              e.getMessage());
        });
    r.exception(
        Exception.class,
        (e, ctx) -> {
          // The class and message only: never a request's bytes, never a key.
          LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
          if (isRemoveBg(ctx)) {
            RemoveBgApi.error(
                ctx, 500, "internal_error", "the server failed to process the request");
          } else if (isApi(ctx)) {
            HostedApi.error(ctx, 500, "internal", "the server failed to process the request");
          } else {
            ctx.status(500);
            Routes.plain(ctx, "Internal error");
          }
        });
  }

  private static boolean isApi(Context ctx) {
    return ctx.path().startsWith(HostedApi.PREFIX);
  }

  private static boolean isRemoveBg(Context ctx) {
    return ctx.path().startsWith(RemoveBgApi.PREFIX);
  }
}
