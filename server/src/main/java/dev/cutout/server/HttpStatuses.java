package dev.cutout.server;

import dev.cutout.core.ErrorCode;

/** The one place error codes and refusals become HTTP statuses. */
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
    };
  }
}
