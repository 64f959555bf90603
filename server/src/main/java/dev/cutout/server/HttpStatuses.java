package dev.cutout.server;

import dev.cutout.core.ErrorCode;

/** The one place error codes become HTTP statuses. */
final class HttpStatuses {
  private HttpStatuses() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case EMPTY_INPUT, BAD_OPTION, CORRUPT_IMAGE -> 400;
      case UNKNOWN_MODEL, MODEL_NOT_INSTALLED -> 404;
      case OUTPUT_EXISTS -> 409;
      case TOO_LARGE, TOO_MANY_PIXELS -> 413;
      case UNSUPPORTED_FORMAT -> 415;
      case MODEL_CORRUPT, INSTALL_FAILED, INFERENCE_FAILED, IO_ERROR -> 500;
    };
  }
}
