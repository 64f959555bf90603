package dev.cutout.server;

import dev.cutout.core.CutoutException;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens, what it serves, and whether (and how much) it processes images.
 *
 * @param host the address to bind, {@code 127.0.0.1} unless told otherwise
 * @param port the port; 0 picks a free one (tests)
 * @param modelsDir the model store's folder; empty means the store's default location
 * @param webDir a folder holding the built web app (development); empty means the copy packed on
 *     the class path by the {@code web} module
 * @param apiKeys the keys of the automation API; empty means the API is off
 * @param apiRate each key's rate
 * @param hostedFallback whether the web page's opt-in path may use the API without a key
 * @param fallbackRate each client address's rate on the keyless path
 * @param workers engines per served model, each used by one request at a time
 * @param queue requests admitted beyond the busy workers; more are refused with 503
 * @param threadsPerWorker inference threads of each worker's engines; 0 means cores / workers, so
 *     that the workers together use every core once
 * @param requestTimeout the longest a request may wait for and run on a worker
 * @param limits the byte and pixel limits of uploaded images
 * @param models the ids of the models processing offers, the first being the default
 * @param allowImageUrls whether the remove.bg-compatible API may fetch {@code image_url} and {@code
 *     bg_image_url} from the web (public addresses only; see {@link ImageUrls})
 */
public record ServerConfig(
    String host,
    int port,
    Optional<Path> modelsDir,
    Optional<Path> webDir,
    Optional<ApiKeys> apiKeys,
    Rate apiRate,
    boolean hostedFallback,
    Rate fallbackRate,
    int workers,
    int queue,
    int threadsPerWorker,
    Duration requestTimeout,
    DecodeLimits limits,
    List<String> models,
    boolean allowImageUrls) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_API_RATE = "60/min";
  public static final String DEFAULT_FALLBACK_RATE = "10/min";
  public static final int DEFAULT_WORKERS = 1;
  public static final int DEFAULT_QUEUE = 4;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(modelsDir, "modelsDir");
    Objects.requireNonNull(webDir, "webDir");
    Objects.requireNonNull(apiKeys, "apiKeys");
    Objects.requireNonNull(apiRate, "apiRate");
    Objects.requireNonNull(fallbackRate, "fallbackRate");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(limits, "limits");
    models = List.copyOf(models);
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (workers < 1 || queue < 0) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION, "workers must be at least 1 and the queue at least 0");
    }
    if (threadsPerWorker < 0) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION, "threads per worker must be 0 (auto) or more");
    }
    if (requestTimeout.toMillis() < 1) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "the request timeout must be positive");
    }
    if (models.isEmpty()) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "no model to serve");
    }
    models.forEach(ModelCatalog.builtIn()::require);
  }

  /** Whether the server processes images at all (an API key file or the hosted fallback). */
  public boolean processing() {
    return apiKeys.isPresent() || hostedFallback;
  }

  /** 127.0.0.1:8080, the default model store, the packed web app, no processing. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ServerConfig}; unset values take the defaults. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Path modelsDir;
    private Path webDir;
    private ApiKeys apiKeys;
    private Rate apiRate = Rate.parse(DEFAULT_API_RATE);
    private boolean hostedFallback;
    private Rate fallbackRate = Rate.parse(DEFAULT_FALLBACK_RATE);
    private int workers = DEFAULT_WORKERS;
    private int queue = DEFAULT_QUEUE;
    private int threadsPerWorker;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private DecodeLimits limits = DecodeLimits.DEFAULT;
    private List<String> models =
        ModelCatalog.builtIn().models().stream().map(ModelSpec::id).toList();
    private boolean allowImageUrls;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder modelsDir(Path modelsDir) {
      this.modelsDir = Objects.requireNonNull(modelsDir, "modelsDir");
      return this;
    }

    public Builder webDir(Path webDir) {
      this.webDir = Objects.requireNonNull(webDir, "webDir");
      return this;
    }

    /** Turns the automation API on for these keys. */
    public Builder apiKeys(ApiKeys apiKeys) {
      this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
      return this;
    }

    public Builder apiRate(Rate rate) {
      this.apiRate = Objects.requireNonNull(rate, "rate");
      return this;
    }

    /** Lets the web page's opt-in path process images here without a key. */
    public Builder hostedFallback(boolean on) {
      this.hostedFallback = on;
      return this;
    }

    public Builder fallbackRate(Rate rate) {
      this.fallbackRate = Objects.requireNonNull(rate, "rate");
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder queue(int queue) {
      this.queue = queue;
      return this;
    }

    /** Inference threads of each worker's engines; 0 (the default) means cores / workers. */
    public Builder threadsPerWorker(int threads) {
      this.threadsPerWorker = threads;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder limits(DecodeLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The models to process with, the first being the default (all catalogued ones unless set). */
    public Builder models(List<String> ids) {
      this.models = List.copyOf(ids);
      return this;
    }

    /**
     * Lets the remove.bg-compatible API download {@code image_url} and {@code bg_image_url}. Off by
     * default: the server would fetch addresses its clients choose (server-side request forgery);
     * when on, only public addresses are fetched, within the byte limit and a time limit.
     */
    public Builder allowImageUrls(boolean allow) {
      this.allowImageUrls = allow;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          Optional.ofNullable(modelsDir),
          Optional.ofNullable(webDir),
          Optional.ofNullable(apiKeys),
          apiRate,
          hostedFallback,
          fallbackRate,
          workers,
          queue,
          threadsPerWorker,
          requestTimeout,
          limits,
          models,
          allowImageUrls);
    }
  }
}
