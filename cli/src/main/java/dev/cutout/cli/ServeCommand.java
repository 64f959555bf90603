package dev.cutout.cli;

import dev.cutout.core.CutoutException;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ErrorCode;
import dev.cutout.models.ModelStore;
import dev.cutout.server.ApiKeys;
import dev.cutout.server.CutoutServer;
import dev.cutout.server.Rate;
import dev.cutout.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutout serve}: the web app and its model files over HTTP, until Ctrl+C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the web app and the model files. Photos are processed in the browser that opens"
          + " the page; the server receives none unless --api-keys-file or --hosted-fallback"
          + " turns on processing at POST /api/v1/remove (and, with keys, the remove.bg-compatible"
          + " POST /v1.0/removebg; see docs/api.md)."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every one).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--web-dir",
      paramLabel = "DIR",
      description =
          "Serve the web app from this folder (e.g. web/dist) instead of the built-in copy.")
  Path webDir;

  @Option(
      names = "--api-keys-file",
      paramLabel = "PATH",
      description =
          "Turn the processing API on for clients sending Authorization: Bearer <key>; one key"
              + " per line, blank and # lines ignored.")
  Path apiKeysFile;

  @Option(
      names = "--allow-image-urls",
      description =
          "Let the remove.bg-compatible API (POST /v1.0/removebg) download image_url and"
              + " bg_image_url: public addresses only, within --max-bytes and 10 s, at most 3"
              + " redirects. Off by default: the server would fetch what its clients name.")
  boolean allowImageUrls;

  @Option(
      names = "--api-rate",
      paramLabel = "RATE",
      defaultValue = ServerConfig.DEFAULT_API_RATE,
      description = "Requests per key: N/s, N/min, N/h (default: ${DEFAULT-VALUE}).")
  String apiRate;

  @Option(
      names = "--hosted-fallback",
      description =
          "Let the web page's opt-in \"Process on server\" path use the API without a key,"
              + " rate-limited per client address.")
  boolean hostedFallback;

  @Option(
      names = "--fallback-rate",
      paramLabel = "RATE",
      defaultValue = ServerConfig.DEFAULT_FALLBACK_RATE,
      description = "Keyless requests per client address (default: ${DEFAULT-VALUE}).")
  String fallbackRate;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "" + ServerConfig.DEFAULT_WORKERS,
      description =
          "Engines per model, each running one image at a time with cores/N threads"
              + " (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--threads-per-worker",
      defaultValue = "0",
      paramLabel = "N",
      description = "Inference threads of each engine (default 0: cores / workers).")
  int threadsPerWorker;

  @Option(
      names = "--queue",
      paramLabel = "N",
      defaultValue = "" + ServerConfig.DEFAULT_QUEUE,
      description =
          "Requests that may wait for a busy worker; beyond, 503 at once (default:"
              + " ${DEFAULT-VALUE}).")
  int queue;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description =
          "Longest wait plus run of one request: 500ms, 60s, 2m (default: ${DEFAULT-VALUE}).")
  String requestTimeout;

  @Option(
      names = "--api-model",
      paramLabel = "ID",
      split = ",",
      description =
          "Models to process with, the first being the default (default: every catalogued"
              + " model).")
  List<String> apiModels;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      description = "Largest upload in bytes (default: 25000000).")
  Long maxBytes;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description = "Largest width x height of an upload (default: 50000000).")
  Long maxPixels;

  @Mixin ModelOptions models;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ModelStore store = models.store();
    requireInstalled(store);

    ServerConfig.Builder config =
        ServerConfig.builder()
            .host(host)
            .port(port)
            .modelsDir(store.dir())
            .apiRate(Rate.parse(apiRate))
            .hostedFallback(hostedFallback)
            .fallbackRate(Rate.parse(fallbackRate))
            .workers(workers)
            .threadsPerWorker(threadsPerWorker)
            .queue(queue)
            .requestTimeout(parseDuration(requestTimeout))
            .allowImageUrls(allowImageUrls);
    if (webDir != null) {
      config.webDir(webDir);
    }
    if (apiKeysFile != null) {
      config.apiKeys(ApiKeys.read(apiKeysFile));
    }
    if (apiModels != null && !apiModels.isEmpty()) {
      config.models(apiModels.stream().map(String::strip).toList());
    }
    if (maxBytes != null || maxPixels != null) {
      config.limits(
          new DecodeLimits(
              maxBytes != null ? maxBytes : DecodeLimits.DEFAULT.maxBytes(),
              maxPixels != null ? maxPixels : DecodeLimits.DEFAULT.maxPixels()));
    }
    ServerConfig built = config.build();
    CutoutServer server = CutoutServer.create(built).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  stopped.countDown();
                },
                "cutout-serve-stop"));
    out.println("Cutout is serving on " + server.uri());
    out.println("Models: " + store.dir() + ". Press Ctrl+C to stop.");
    if (built.processing()) {
      out.println(describeProcessing(built));
      out.flush();
      if (server.awaitReady(Duration.ofMinutes(10))) {
        out.println("Ready: /readyz answers 200.");
      } else if (stopped.getCount() > 0) {
        spec.commandLine().getErr().println("cutout: the engines did not load; see the log above");
      }
    } else {
      out.println(
          "Processing is off: no image is accepted (see --api-keys-file, --hosted-fallback).");
    }
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private static String describeProcessing(ServerConfig c) {
    List<String> who = new ArrayList<>();
    c.apiKeys()
        .ifPresent(
            k ->
                who.add(
                    "API (and /v1.0/removebg"
                        + (c.allowImageUrls() ? " with image URLs" : "")
                        + ") for "
                        + k.size()
                        + " key(s) at "
                        + apiRateText(c.apiRate())));
    if (c.hostedFallback()) {
      who.add("keyless hosted fallback at " + apiRateText(c.fallbackRate()) + " per address");
    }
    return "Processing on: "
        + String.join(", ", who)
        + "; models "
        + String.join(", ", c.models())
        + "; "
        + c.workers()
        + " worker(s), queue "
        + c.queue()
        + ", timeout "
        + c.requestTimeout().toMillis() / 1000.0
        + " s. Loading engines...";
  }

  private static String apiRateText(Rate rate) {
    return rate.permits() + " per " + rate.period().toSeconds() + " s";
  }

  /**
   * Parses {@code 500ms}, {@code 60s}, {@code 2m} or {@code 1h}; a bare number is seconds.
   *
   * @throws CutoutException BAD_OPTION for anything else
   */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION, "a duration is like 500ms, 60s, 2m or 1h, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|)");

  /** The page would fail on a missing or altered model: say so now, with the fix. */
  private void requireInstalled(ModelStore store) {
    List<ModelStore.Check> bad = store.verifyAll().stream().filter(c -> !c.ok()).toList();
    if (bad.isEmpty()) {
      return;
    }
    boolean corrupt = bad.stream().anyMatch(c -> c.status() == ModelStore.Status.MISMATCH);
    StringBuilder message = new StringBuilder("cannot serve: ");
    for (ModelStore.Check c : bad) {
      message
          .append(System.lineSeparator())
          .append("  ")
          .append(c.model().id())
          .append(
              c.status() == ModelStore.Status.MISSING
                  ? " is not installed ("
                  : " does not match the catalog: damaged, or installed by an older Cutout (")
          .append(c.file())
          .append(")");
    }
    message
        .append(System.lineSeparator())
        .append(
            corrupt
                ? "reinstall with: cutout models install"
                : "install with: cutout models install");
    if (models.modelsDir != null) {
      message.append(" --models-dir ").append(models.modelsDir);
    }
    throw new CutoutException(
        corrupt ? ErrorCode.MODEL_CORRUPT : ErrorCode.MODEL_NOT_INSTALLED, message.toString());
  }
}
