package dev.cutout.core;

/** Why an operation failed. Front ends map these codes to exit codes and HTTP statuses. */
public enum ErrorCode {
  /** The input has no bytes. */
  EMPTY_INPUT,
  /** The input has more bytes than the configured limit. */
  TOO_LARGE,
  /** The header declares more pixels than the configured limit. */
  TOO_MANY_PIXELS,
  /** The bytes are not an image format Cutout reads (decided by magic bytes). */
  UNSUPPORTED_FORMAT,
  /** The bytes start like a supported image but cannot be decoded. */
  CORRUPT_IMAGE,
  /** An option has a value that cannot be used. */
  BAD_OPTION,
  /** The model id is not in the catalog. */
  UNKNOWN_MODEL,
  /** The model file is missing from the model store. */
  MODEL_NOT_INSTALLED,
  /** The model file does not match the catalog's SHA-256. */
  MODEL_CORRUPT,
  /** Installing a model failed. */
  INSTALL_FAILED,
  /** Running the network failed or produced an unusable mask. */
  INFERENCE_FAILED,
  /** Reading or writing a file failed. */
  IO_ERROR,
  /** An output file exists and overwriting was not asked for. */
  OUTPUT_EXISTS,
  /** ONNX Runtime's native libraries cannot be installed, verified or loaded safely. */
  NATIVE_RUNTIME,
  /** The engine was used after it was closed. */
  ENGINE_CLOSED,
  /** The work was interrupted before it finished. */
  CANCELLED,
  /**
   * The network found no subject (see {@link Mask#hasSubject()}): the result would be an empty,
   * transparent image. {@code Options.builder().allowEmpty(true)} writes it anyway.
   */
  NO_SUBJECT
}
