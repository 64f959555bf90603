package dev.cutout.core;

import java.util.Objects;

/** The one exception type of Cutout: every failure carries an {@link ErrorCode}. */
public final class CutoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public CutoutException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code);
  }

  public CutoutException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code);
  }

  public ErrorCode code() {
    return code;
  }
}
