package dev.cutout.server;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request the server turns away for reasons of its own, not of the image: no such route, no valid
 * key, over a rate, over capacity; and the request faults of the remove.bg-compatible API that have
 * codes of their own there (a named parameter, a missing or doubled image source, a download). What
 * is wrong with an image or one of Cutout's own options is a {@link
 * dev.cutout.core.CutoutException}. {@link HttpStatuses} maps both to statuses and codes.
 */
final class ApiRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why; the JSON error code of Cutout's API is the lower-case name. */
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
    TIMEOUT,
    /** An unknown parameter, or a value of a known one that cannot be used; names the parameter. */
    BAD_PARAMETER,
    /**
     * No image was given (remove.bg: {@code image_file}, {@code image_file_b64}, {@code
     * image_url}).
     */
    MISSING_SOURCE,
    /** More than one image source was given. */
    MULTIPLE_SOURCES,
    /** More than one background was given ({@code bg_color}, {@code bg_image_file}, …). */
    MULTIPLE_BACKGROUNDS,
    /** An image URL could not be fetched, or was refused; names the parameter. */
    DOWNLOAD_FAILED;

    /**
     * Whether the request itself is at fault (like a bad option), rather than turned away by the
     * server's access, rate or capacity rules: only the latter count as rejections in the metrics.
     */
    boolean isRequestFault() {
      return switch (this) {
        case NOT_FOUND, UNAUTHORIZED, RATE_LIMITED, OVERLOADED, TIMEOUT -> false;
        case BAD_PARAMETER,
            MISSING_SOURCE,
            MULTIPLE_SOURCES,
            MULTIPLE_BACKGROUNDS,
            DOWNLOAD_FAILED ->
            true;
      };
    }
  }

  private final Reason reason;
  private final String parameter;
  private final long retryAfterSeconds;

  private ApiRefusal(Reason reason, String parameter, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.reason = reason;
    this.parameter = parameter;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiRefusal of(Reason reason, String message) {
    return new ApiRefusal(reason, "", message, -1);
  }

  static ApiRefusal retryLater(Reason reason, String message, long retryAfterSeconds) {
    return new ApiRefusal(reason, "", message, Math.max(1, retryAfterSeconds));
  }

  /** A refusal about one request parameter: BAD_PARAMETER or DOWNLOAD_FAILED. */
  static ApiRefusal about(Reason reason, String parameter, String message) {
    return new ApiRefusal(reason, Objects.requireNonNull(parameter), message, -1);
  }

  Reason reason() {
    return reason;
  }

  /** The request parameter at fault, when the refusal is about one. */
  Optional<String> parameter() {
    return parameter.isEmpty() ? Optional.empty() : Optional.of(parameter);
  }

  /** Seconds for the {@code Retry-After} header, when the client should try again later. */
  OptionalLong retryAfterSeconds() {
    return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
  }
}
