package dev.cutout.cli;

import dev.cutout.core.ErrorCode;

/** The one place error codes become exit codes. */
final class ExitCodes {
  static final int OK = 0;

  /** Some inputs could not be processed; the others were. */
  static final int SOME_FAILED = 1;

  /** The command line itself is wrong (picocli's usage code). */
  static final int USAGE = 2;

  /** A model is missing, unknown or does not verify. */
  static final int MODEL = 3;

  /** Installing models failed. */
  static final int INSTALL = 4;

  /** ONNX Runtime's native libraries could not be installed, verified or trusted. */
  static final int NATIVE_RUNTIME = 5;

  /** Interrupted (Ctrl+C) before every input was processed; the shell's code for SIGINT. */
  static final int CANCELLED = 130;

  private ExitCodes() {}

  /** Exhaustive on purpose: a new error code must be given its exit code here. */
  static int of(ErrorCode code) {
    return switch (code) {
      case BAD_OPTION -> USAGE;
      case UNKNOWN_MODEL, MODEL_NOT_INSTALLED, MODEL_CORRUPT -> MODEL;
      case INSTALL_FAILED -> INSTALL;
      case NATIVE_RUNTIME -> NATIVE_RUNTIME;
      case CANCELLED -> CANCELLED;
      case EMPTY_INPUT,
          TOO_LARGE,
          TOO_MANY_PIXELS,
          UNSUPPORTED_FORMAT,
          CORRUPT_IMAGE,
          INFERENCE_FAILED,
          IO_ERROR,
          OUTPUT_EXISTS,
          ENGINE_CLOSED,
          NO_SUBJECT ->
          SOME_FAILED;
    };
  }
}
