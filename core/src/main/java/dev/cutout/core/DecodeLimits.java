package dev.cutout.core;

/**
 * What the decode gate lets through.
 *
 * @param maxBytes the largest encoded input accepted
 * @param maxPixels the largest width × height accepted, read from the header before decoding
 */
public record DecodeLimits(long maxBytes, long maxPixels) {
  /** 25 MB and 50 megapixels: larger than any camera JPEG, small enough to bound memory. */
  public static final DecodeLimits DEFAULT = new DecodeLimits(25_000_000L, 50_000_000L);

  public DecodeLimits {
    if (maxBytes <= 0 || maxPixels <= 0) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "decode limits must be positive");
    }
  }
}
