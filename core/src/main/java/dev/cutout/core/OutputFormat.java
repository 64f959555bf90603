package dev.cutout.core;

import java.util.Locale;

/** The encodings Cutout writes. */
public enum OutputFormat {
  PNG("png", "image/png", true),
  WEBP("webp", "image/webp", true),
  JPEG("jpg", "image/jpeg", false);

  private final String extension;
  private final String mediaType;
  private final boolean alpha;

  OutputFormat(String extension, String mediaType, boolean alpha) {
    this.extension = extension;
    this.mediaType = mediaType;
    this.alpha = alpha;
  }

  public String extension() {
    return extension;
  }

  public String mediaType() {
    return mediaType;
  }

  /** Whether the format can carry transparency. */
  public boolean supportsAlpha() {
    return alpha;
  }

  /** Parses {@code png}, {@code webp}, {@code jpeg} or {@code jpg}, in any case. */
  public static OutputFormat parse(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "png" -> PNG;
      case "webp" -> WEBP;
      case "jpeg", "jpg" -> JPEG;
      default ->
          throw new CutoutException(
              ErrorCode.BAD_OPTION, "format must be png, webp or jpeg, not '" + name + "'");
    };
  }
}
