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

  private ExitCodes() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case BAD_OPTION -> USAGE;
      case UNKNOWN_MODEL, MODEL_NOT_INSTALLED, MODEL_CORRUPT -> MODEL;
      case INSTALL_FAILED -> INSTALL;
      default -> SOME_FAILED;
    };
  }
}
