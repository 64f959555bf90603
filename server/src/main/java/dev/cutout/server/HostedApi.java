package dev.cutout.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.DecodeGate;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.PhaseTimings;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code /api/v1/} routes: capabilities and the OpenAPI document always; models and remove only
 * when the server processes images (an API key file, the hosted fallback, or both). The handlers
 * admit, read, and hand the bytes to the library; every decision about an image is made by {@link
 * dev.cutout.core.Cutout} and its decode gate.
 */
final class HostedApi {
  static final String PREFIX = "/api/v1/";
  static final String JSON = "application/json";

  /** Room for multipart framing and the text fields next to an image of the byte limit. */
  static final int MULTIPART_ALLOWANCE = 64 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ServerConfig config;
  private final Optional<EnginePool> pool;
  private final DecodeGate gate;
  private final Admission admission;
  private final byte[] openApi;

  HostedApi(ServerConfig config, Optional<EnginePool> pool, Admission admission) {
    this.config = config;
    this.pool = pool;
    this.gate = DecodeGate.create(config.limits());
    this.admission = admission;
    this.openApi = resource("openapi.json");
  }

  void capabilities(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("hostedFallback", config.hostedFallback());
    body.put("api", config.apiKeys().isPresent());
    body.put("maxBytes", config.limits().maxBytes());
    body.put("maxPixels", config.limits().maxPixels());
    body.put("models", config.processing() ? config.models() : List.of());
    json(ctx, 200, body);
  }

  void openApi(Context ctx) {
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(JSON).result(openApi);
  }

  void models(Context ctx) {
    requireProcessing();
    List<Map<String, Object>> models = new ArrayList<>();
    for (String id : config.models()) {
      ModelSpec m = ModelCatalog.builtIn().require(id);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", m.id());
      entry.put("label", m.label());
      entry.put("precision", m.precision());
      entry.put("bytes", m.bytes());
      entry.put("default", id.equals(config.models().getFirst()));
      models.add(entry);
    }
    json(ctx, 200, Map.of("models", models));
  }

  void remove(Context ctx) throws IOException, InterruptedException {
    long arrived = System.nanoTime();
    requireProcessing();
    admitCaller(ctx);
    String contentType = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
    boolean multipart = Multipart.isMultipart(contentType);
    long limit = config.limits().maxBytes() + (multipart ? MULTIPART_ALLOWANCE : 0);
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge();
    }
    Map<String, String> params = queryParams(ctx);
    // Options in the query string are checked before a byte of the body is read.
    RemoveRequest request = RemoveRequest.parse(params, config.models());
    EnginePool engines = pool.orElseThrow();
    try (EnginePool.Place place = engines.admit()) {
      byte[] body = readAtMost(ctx.req().getInputStream(), limit);
      byte[] image = body;
      if (multipart) {
        Multipart form = Multipart.parse(contentType, body);
        image =
            form.file()
                .orElseThrow(
                    () ->
                        new CutoutException(
                            ErrorCode.EMPTY_INPUT, "the multipart body has no 'file' part"));
        Map<String, String> merged = new HashMap<>(params);
        merged.putAll(form.fields());
        request = RemoveRequest.parse(merged, config.models());
      }
      gate.sniff(image); // empty, too large or not an image: refused before queueing
      Duration left = config.requestTimeout().minus(Duration.ofNanos(System.nanoTime() - arrived));
      long[] queuedNanos = new long[1];
      RemoveRequest chosen = request;
      byte[] input = image;
      CutoutResult result =
          place.run(
              worker -> worker.engines().get(chosen.model()).remove(input, chosen.options()),
              left,
              nanos -> queuedNanos[0] = nanos);
      respond(ctx, chosen.model(), result, queuedNanos[0] / 1e6);
    }
  }

  /** Writes the answer now, inside the request's place, so a graceful stop waits for it. */
  private void respond(Context ctx, String model, CutoutResult result, double queueMs)
      throws IOException {
    PhaseTimings t = result.timings();
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Cutout-Width", Integer.toString(result.width()));
    ctx.header("X-Cutout-Height", Integer.toString(result.height()));
    ctx.header("X-Cutout-Model", model);
    ctx.header(
        "Server-Timing",
        String.join(
            ", ",
            timing("queue", queueMs),
            timing("decode", t.decodeMs()),
            timing("preprocess", t.preprocessMs()),
            timing("inference", t.inferenceMs()),
            timing("postprocess", t.postprocessMs()),
            timing("encode", t.encodeMs())));
    if (wantsJson(ctx)) {
      Map<String, Object> timings = new LinkedHashMap<>();
      timings.put("queue", round(queueMs));
      timings.put("decode", round(t.decodeMs()));
      timings.put("preprocess", round(t.preprocessMs()));
      timings.put("inference", round(t.inferenceMs()));
      timings.put("postprocess", round(t.postprocessMs()));
      timings.put("encode", round(t.encodeMs()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("width", result.width());
      body.put("height", result.height());
      body.put("format", result.format().name().toLowerCase(Locale.ROOT));
      body.put("model", model);
      body.put("timings", timings);
      body.put("image", Base64.getEncoder().encodeToString(result.bytes()));
      write(ctx, JSON, MAPPER.writeValueAsBytes(body));
    } else {
      write(ctx, result.format().mediaType(), result.bytes());
    }
  }

  static void write(Context ctx, String contentType, byte[] bytes) throws IOException {
    ctx.status(200);
    ctx.contentType(contentType);
    ctx.res().setContentLength(bytes.length);
    var out = ctx.res().getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** 404 unless this server processes images. */
  private void requireProcessing() {
    if (!config.processing() || pool.isEmpty()) {
      throw ApiRefusal.of(
          ApiRefusal.Reason.NOT_FOUND,
          "this server processes no images (start it with --api-keys-file or --hosted-fallback)");
    }
  }

  /**
   * A key when one is presented and keys are configured (it must then be valid), else the keyless
   * fallback by client address when that is on, else 401. Then the caller's rate, with the
   * rate-limit headers of {@link Admission}.
   */
  private void admitCaller(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (admission.hasKeys() && authorization != null) {
      String prefix = "bearer ";
      if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
        throw ApiRefusal.of(ApiRefusal.Reason.UNAUTHORIZED, "use Authorization: Bearer <key>");
      }
      OptionalInt key = admission.key(authorization.substring(prefix.length()).strip());
      if (key.isEmpty()) {
        throw ApiRefusal.of(ApiRefusal.Reason.UNAUTHORIZED, "unknown API key");
      }
      admission.chargeKey(ctx, key.getAsInt());
    } else if (config.hostedFallback()) {
      admission.chargeAddress(ctx);
    } else {
      throw ApiRefusal.of(
          ApiRefusal.Reason.UNAUTHORIZED, "an API key is required: Authorization: Bearer <key>");
    }
  }

  private static Map<String, String> queryParams(Context ctx) {
    Map<String, String> params = new HashMap<>();
    ctx.queryParamMap().forEach((name, values) -> params.put(name, values.getLast()));
    return params;
  }

  /**
   * Reads at most {@code limit} bytes; one more and the request is refused without reading on. This
   * holds when the client sent no Content-Length (chunked) or lied about it.
   */
  static byte[] readAtMost(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (total > limit) {
        throw tooLarge();
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Reads and drops what is left of a refused upload (up to the byte limit), so the client gets the
   * refusal on an intact connection: answering while a client is still sending makes Jetty close
   * the connection, and most HTTP clients then report a broken pipe instead of the status. Not done
   * when the body is over the limit, nor when the client waits for {@code 100 Continue}.
   */
  void discardUnread(Context ctx) {
    discardUnread(ctx, config.limits().maxBytes() + MULTIPART_ALLOWANCE);
  }

  /** {@link #discardUnread(Context)} for a route whose bodies may be up to {@code limit} bytes. */
  static void discardUnread(Context ctx, long limit) {
    if (!ctx.method().name().equals("POST")
        || ctx.header("Expect") != null
        || ctx.req().getContentLengthLong() > limit) {
      return;
    }
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] sink = new byte[64 * 1024];
      long total = 0;
      int n;
      while (total <= limit && (n = in.read(sink)) >= 0) {
        total += n;
      }
    } catch (IOException | IllegalStateException e) {
      // the client has gone or the body was consumed; the refusal is answered either way
    }
  }

  static CutoutException tooLarge() {
    return new CutoutException(ErrorCode.TOO_LARGE, "the body is larger than the byte limit");
  }

  static boolean wantsJson(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(JSON);
  }

  static String timing(String name, double ms) {
    return name + ";dur=" + round(ms);
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  /** Writes {@code {"error":{"code":…,"message":…}}} with {@code status}. */
  static void error(Context ctx, int status, String code, String message) {
    json(ctx, status, Map.of("error", Map.of("code", code, "message", message)));
  }

  static void json(Context ctx, int status, Object body) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    try {
      ctx.contentType(JSON).result(MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = HostedApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
