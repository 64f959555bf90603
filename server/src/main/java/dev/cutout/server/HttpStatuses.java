package dev.cutout.server;

import dev.cutout.core.ErrorCode;
import java.util.Set;

/**
 * The one place error codes and refusals become HTTP statuses, and for the remove.bg-compatible API
 * ({@code /v1.0/removebg}) also remove.bg's error codes.
 */
final class HttpStatuses {
  private HttpStatuses() {}

  static int of(ErrorCode code) {
    return switch (code) {
      // An empty body is a malformed request rather than an unknown media type.
      case EMPTY_INPUT, BAD_OPTION, UNKNOWN_MODEL -> 400;
      case MODEL_NOT_INSTALLED -> 404;
      case OUTPUT_EXISTS -> 409;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_FORMAT -> 415;
      // The body is an image by its magic bytes, but one we will not or cannot decode.
      case CORRUPT_IMAGE, TOO_MANY_PIXELS -> 422;
      // The request was fine and the image decoded; the network found nothing to cut out.
      case NO_SUBJECT -> 422;
      case MODEL_CORRUPT, INSTALL_FAILED, INFERENCE_FAILED, IO_ERROR, NATIVE_RUNTIME -> 500;
      // The pool hands out open engines only, and a request cancelled mid-way is the server
      // shutting down: both are the server's fault, not the client's.
      case ENGINE_CLOSED, CANCELLED -> 503;
    };
  }

  static int of(ApiRefusal.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> 404;
      case UNAUTHORIZED -> 401;
      case RATE_LIMITED -> 429;
      case OVERLOADED, TIMEOUT -> 503;
      // only the remove.bg-compatible API refuses these; should Cutout's ever, they are bad input
      case BAD_PARAMETER, MISSING_SOURCE, MULTIPLE_SOURCES, MULTIPLE_BACKGROUNDS, DOWNLOAD_FAILED ->
          400;
    };
  }

  /**
   * A status and an error code of the remove.bg-compatible API, for {@code
   * {"errors":[{"title":…,"code":…}]}}.
   */
  record RemoveBg(int status, String code) {}

  /**
   * The parameters whose bad values remove.bg's API reference gives a code of their own, {@code
   * invalid_<name>}; a bad value of any other, and an unknown name, is {@code invalid_parameters}.
   */
  private static final Set<String> OWN_CODES =
      Set.of(
          "size",
          "format",
          "channels",
          "crop_margin",
          "position",
          "roi",
          "scale",
          "bg_color",
          "semitransparency",
          "image_url",
          "bg_image_url");

  /**
   * remove.bg answers every fault of the request or the image with 400 and a code (its API
   * reference lists them); where it has none, the code says what Cutout found.
   */
  static RemoveBg removeBg(ErrorCode code) {
    return switch (code) {
      case EMPTY_INPUT, CORRUPT_IMAGE -> new RemoveBg(400, "failed_to_read_image");
      case TOO_LARGE -> new RemoveBg(400, "file_too_large");
      case TOO_MANY_PIXELS -> new RemoveBg(400, "resolution_too_high");
      case UNSUPPORTED_FORMAT -> new RemoveBg(400, "invalid_file_type");
      case BAD_OPTION, UNKNOWN_MODEL -> new RemoveBg(400, "invalid_parameters");
      case NO_SUBJECT -> new RemoveBg(400, "unknown_foreground");
      case MODEL_NOT_INSTALLED,
          MODEL_CORRUPT,
          INSTALL_FAILED,
          INFERENCE_FAILED,
          IO_ERROR,
          NATIVE_RUNTIME,
          OUTPUT_EXISTS ->
          new RemoveBg(500, "internal_error");
      case ENGINE_CLOSED, CANCELLED -> new RemoveBg(503, "service_unavailable");
    };
  }

  static RemoveBg removeBg(ApiRefusal refusal) {
    String parameter = refusal.parameter().orElse("");
    return switch (refusal.reason()) {
      case NOT_FOUND -> new RemoveBg(404, "not_found");
      // remove.bg answers a missing or unknown X-Api-Key with 403, not 401
      case UNAUTHORIZED -> new RemoveBg(403, "auth_failed");
      case RATE_LIMITED -> new RemoveBg(429, "rate_limit_exceeded");
      case OVERLOADED -> new RemoveBg(503, "overloaded");
      case TIMEOUT -> new RemoveBg(503, "timeout");
      case BAD_PARAMETER ->
          new RemoveBg(
              400, OWN_CODES.contains(parameter) ? "invalid_" + parameter : "invalid_parameters");
      case MISSING_SOURCE -> new RemoveBg(400, "missing_source");
      case MULTIPLE_SOURCES -> new RemoveBg(400, "multiple_sources");
      case MULTIPLE_BACKGROUNDS -> new RemoveBg(400, "multiple_bg_sources");
      case DOWNLOAD_FAILED ->
          new RemoveBg(
              400,
              parameter.equals("bg_image_url") ? "failed_bg_download" : "failed_image_download");
    };
  }
}
