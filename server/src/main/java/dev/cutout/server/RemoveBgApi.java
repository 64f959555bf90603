package dev.cutout.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutout.core.Background;
import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.DecodeGate;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Options;
import dev.cutout.core.PhaseTimings;
import dev.cutout.core.RgbaImage;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code POST /v1.0/removebg}: remove.bg's API, so that a program written for remove.bg (or one of
 * its client libraries) works against this server by changing the URL. It shares everything with
 * {@code /api/v1/remove}: the API keys (sent as {@code X-Api-Key}), each key's rate, the engine
 * pool and its queue, the limits and the metrics. Only the wire differs: remove.bg's parameters
 * ({@link RemoveBgRequest}), its answer headers and JSON, its error shape and codes ({@link
 * HttpStatuses#removeBg}).
 */
final class RemoveBgApi {
  static final String PATH = "/v1.0/removebg";
  static final String PREFIX = "/v1.0/";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ServerConfig config;
  private final Optional<EnginePool> pool;
  private final Admission admission;
  private final DecodeGate gate;
  private final ImageUrls urls;

  RemoveBgApi(ServerConfig config, Optional<EnginePool> pool, Admission admission, ImageUrls urls) {
    this.config = config;
    this.pool = pool;
    this.admission = admission;
    this.gate = DecodeGate.create(config.limits());
    this.urls = urls;
  }

  /**
   * The largest body: an image of the byte limit in base64 (a third larger) with room for the other
   * fields; the image itself must still be within the byte limit once decoded.
   */
  long bodyLimit() {
    return config.limits().maxBytes() / 3 * 4 + 4 + HostedApi.MULTIPART_ALLOWANCE;
  }

  void remove(Context ctx) throws IOException, InterruptedException {
    long arrived = System.nanoTime();
    if (!config.processing() || pool.isEmpty() || !admission.hasKeys()) {
      throw ApiRefusal.of(
          ApiRefusal.Reason.NOT_FOUND,
          "this server offers no remove.bg-compatible API (start it with --api-keys-file)");
    }
    admitCaller(ctx);
    String contentType = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
    if (ctx.req().getContentLengthLong() > bodyLimit()) {
      throw HostedApi.tooLarge();
    }
    EnginePool engines = pool.get();
    try (EnginePool.Place place = engines.admit()) {
      byte[] body = HostedApi.readAtMost(ctx.req().getInputStream(), bodyLimit());
      Map<String, String> fields = new HashMap<>();
      ctx.queryParamMap().forEach((name, values) -> fields.put(name, values.getLast()));
      Map<String, byte[]> files = Map.of();
      if (Multipart.isMultipart(contentType)) {
        Multipart form = Multipart.parse(contentType, body, RemoveBgRequest.FILE_PARTS);
        fields.putAll(form.fields());
        files = form.files();
      } else if (body.length > 0) {
        fields.putAll(fields(contentType, body));
      }
      RemoveBgRequest request =
          RemoveBgRequest.parse(fields, files, config.models(), config.allowImageUrls());
      byte[] image = bytes(request.source(), "image_url");
      gate.sniff(image);
      Inputs inputs =
          new Inputs(
              image,
              request.background() instanceof RemoveBgRequest.Backdrop.Picture picture
                  ? Optional.of(bytes(picture.source(), "bg_image_url"))
                  : Optional.empty());
      inputs.background().ifPresent(gate::sniff);
      Duration left = config.requestTimeout().minus(Duration.ofNanos(System.nanoTime() - arrived));
      long[] queuedNanos = new long[1];
      Processed processed =
          place.run(
              worker -> process(worker.engines().get(request.model()), request, inputs),
              left,
              nanos -> queuedNanos[0] = nanos);
      respond(ctx, request, processed, queuedNanos[0] / 1e6);
    }
  }

  /** remove.bg's key header; a missing or unknown key is remove.bg's 403. */
  private void admitCaller(Context ctx) {
    String presented = ctx.header("X-Api-Key");
    if (presented == null || presented.isBlank()) {
      throw ApiRefusal.of(ApiRefusal.Reason.UNAUTHORIZED, "Missing API Key (send X-Api-Key)");
    }
    OptionalInt key = admission.key(presented.strip());
    if (key.isEmpty()) {
      throw ApiRefusal.of(ApiRefusal.Reason.UNAUTHORIZED, "Invalid API Key");
    }
    admission.chargeKey(ctx, key.getAsInt());
  }

  /** The fields of a JSON or URL-encoded body. */
  private static Map<String, String> fields(String contentType, byte[] body) {
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json")) {
      return json(body);
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String pair : new String(body, UTF_8).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        try {
          fields.put(
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8),
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8));
        } catch (IllegalArgumentException e) {
          throw new CutoutException(ErrorCode.BAD_OPTION, "the URL-encoded body is malformed");
        }
      }
      return fields;
    }
    throw new CutoutException(
        ErrorCode.BAD_OPTION,
        "send the parameters as multipart/form-data, application/x-www-form-urlencoded or"
            + " application/json, not "
            + (contentType.isBlank() ? "a body without a Content-Type" : contentType));
  }

  /** A JSON object's members as text: strings as they are, numbers and booleans written out. */
  private static Map<String, String> json(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "the JSON body is malformed");
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.IO_ERROR, "cannot read the body: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "the JSON body must be an object");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      JsonNode value = member.getValue();
      if (value.isNull()) {
        continue; // clients send null for an option they leave unset
      }
      if (!value.isValueNode()) {
        throw ApiRefusal.about(
            ApiRefusal.Reason.BAD_PARAMETER,
            member.getKey(),
            member.getKey() + " must be a string, a number or a boolean");
      }
      fields.put(member.getKey(), value.asText());
    }
    return fields;
  }

  /**
   * The bytes of an image source, downloading a URL (which the parser let through only if allowed).
   */
  private byte[] bytes(RemoveBgRequest.Source source, String urlParameter) {
    return switch (source) {
      case RemoveBgRequest.Source.Bytes b -> b.bytes();
      case RemoveBgRequest.Source.Url u -> urls.fetch(u.url(), urlParameter);
    };
  }

  /** The encoded images of one request: the photo, and the background picture if one was sent. */
  private record Inputs(byte[] image, Optional<byte[]> background) {}

  /** What a worker hands back: the answer and where its time went. */
  private record Processed(
      RemoveBgRender.Rendered rendered, double decodeMs, PhaseTimings cutout, double renderMs) {}

  /**
   * On the worker: decode, let the library find the mask (its own compositing is skipped with
   * {@code maskOnly}), then remove.bg's arrangement.
   */
  private static Processed process(Cutout engine, RemoveBgRequest request, Inputs inputs) {
    long start = System.nanoTime();
    RgbaImage photo = engine.gate().decode(inputs.image());
    double decodeMs = millisSince(start);
    Options.Builder options = Options.builder().maskOnly(true);
    request.roi().ifPresent(options::subjectBox);
    CutoutResult cut;
    try {
      cut = engine.remove(photo.toBufferedImage(), options.build());
    } catch (CutoutException e) {
      if (e.code() == ErrorCode.BAD_OPTION && request.roi().isPresent()) {
        // the one option checked against the image: a box beside it, reversed or too small
        throw ApiRefusal.about(ApiRefusal.Reason.BAD_PARAMETER, "roi", e.getMessage());
      }
      throw e;
    }
    long render = System.nanoTime();
    Background behind =
        switch (request.background()) {
          case RemoveBgRequest.Backdrop.None none -> Background.transparent();
          case RemoveBgRequest.Backdrop.Colour colour -> Background.color(colour.argb());
          case RemoveBgRequest.Backdrop.Picture picture ->
              Background.image(engine.gate().decode(inputs.background().orElseThrow()));
        };
    RemoveBgRender.Rendered rendered = RemoveBgRender.render(photo, cut.mask(), request, behind);
    return new Processed(rendered, decodeMs, cut.timings(), millisSince(render));
  }

  private static double millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1e6;
  }

  /** Writes the answer now, inside the request's place, so a graceful stop waits for it. */
  private static void respond(
      Context ctx, RemoveBgRequest request, Processed processed, double queueMs)
      throws IOException {
    RemoveBgRender.Rendered r = processed.rendered();
    RemoveBgRender.Box fg = r.foreground();
    PhaseTimings t = processed.cutout();
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Width", Integer.toString(r.width()));
    ctx.header("X-Height", Integer.toString(r.height()));
    // Cutout does not classify what it cuts out, so it claims no class: remove.bg's "other"
    if (request.typeHeader()) {
      ctx.header("X-Type", "other");
    }
    ctx.header("X-Credits-Charged", "0");
    ctx.header("X-Foreground-Top", Integer.toString(fg.top()));
    ctx.header("X-Foreground-Left", Integer.toString(fg.left()));
    ctx.header("X-Foreground-Width", Integer.toString(fg.width()));
    ctx.header("X-Foreground-Height", Integer.toString(fg.height()));
    ctx.header("X-Cutout-Model", request.model());
    if (!request.ignored().isEmpty()) {
      ctx.header("X-Cutout-Ignored", String.join(", ", request.ignored()));
    }
    ctx.header(
        "Server-Timing",
        String.join(
            ", ",
            HostedApi.timing("queue", queueMs),
            HostedApi.timing("decode", processed.decodeMs()),
            HostedApi.timing("preprocess", t.preprocessMs()),
            HostedApi.timing("inference", t.inferenceMs()),
            HostedApi.timing("postprocess", t.postprocessMs() + t.encodeMs()),
            HostedApi.timing("render", processed.renderMs())));
    if (HostedApi.wantsJson(ctx)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("result_b64", Base64.getEncoder().encodeToString(r.bytes()));
      data.put("foreground_top", fg.top());
      data.put("foreground_left", fg.left());
      data.put("foreground_width", fg.width());
      data.put("foreground_height", fg.height());
      HostedApi.write(ctx, HostedApi.JSON, MAPPER.writeValueAsBytes(Map.of("data", data)));
    } else {
      HostedApi.write(ctx, r.mediaType(), r.bytes());
    }
  }

  /** {@link HostedApi#discardUnread(Context)} with this route's body limit. */
  void discardUnread(Context ctx) {
    HostedApi.discardUnread(ctx, bodyLimit());
  }

  /**
   * Writes remove.bg's error shape, {@code {"errors":[{"title":…,"code":…}]}}, with {@code status}.
   */
  static void error(Context ctx, int status, String code, String title) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("title", title);
    error.put("code", code);
    HostedApi.json(ctx, status, Map.of("errors", List.of(error)));
  }
}
