package dev.cutout.server;

import java.util.OptionalLong;

/**
 * A request the server turns away for reasons of its own, not of the image: no such route, no valid
 * key, over a rate, over capacity. (What is wrong with an image or an option is a {@link
 * dev.cutout.core.CutoutException}.) {@link HttpStatuses} maps both to statuses.
 */
final class ApiRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why; the JSON error code is the lower-case name. */
  enum Reason {
    /** Hosted processing is off on this server. */
    NOT_FOUND,
    /** No key, an unknown key, or a malformed Authorization header. */
    UNAUTHORIZED,
    /** The caller's token bucket is empty. */
    RATE_LIMITED,
    /** Every worker is busy and the queue is full, or the server is starting or stopping. */
    OVERLOADED,
    /** The request waited or ran longer than the request timeout. */
    TIMEOUT
  }

  private final Reason reason;
  private final long retryAfterSeconds;

  private ApiRefusal(Reason reason, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiRefusal of(Reason reason, String message) {
    return new ApiRefusal(reason, message, -1);
  }

  static ApiRefusal retryLater(Reason reason, String message, long retryAfterSeconds) {
    return new ApiRefusal(reason, message, Math.max(1, retryAfterSeconds));
  }

  Reason reason() {
    return reason;
  }

  /** Seconds for the {@code Retry-After} header, when the client should try again later. */
  OptionalLong retryAfterSeconds() {
    return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
  }
}
