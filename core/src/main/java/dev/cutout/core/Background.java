package dev.cutout.core;

import java.util.Locale;
import java.util.Objects;

/** What shows where the subject is not: nothing, a colour, or an image. */
public sealed interface Background {

  /** Keep the background transparent (the default). */
  static Background transparent() {
    return Transparent.INSTANCE;
  }

  /** A solid colour, packed ARGB. */
  static Background color(int argb) {
    return new Color(argb);
  }

  /** An image scaled to cover the output and centred. */
  static Background image(RgbaImage image) {
    return new Picture(image);
  }

  /**
   * Parses {@code #rgb}, {@code #rrggbb} or {@code #rrggbbaa} (the {@code #} is optional).
   *
   * @throws CutoutException BAD_OPTION for anything else
   */
  static Background parseColor(String text) {
    String hex = text.strip();
    if (hex.startsWith("#")) {
      hex = hex.substring(1);
    }
    if (!hex.matches("[0-9a-fA-F]+")) {
      throw badColour(text);
    }
    hex = hex.toLowerCase(Locale.ROOT);
    String rrggbbaa =
        switch (hex.length()) {
          case 3 ->
              ""
                  + hex.charAt(0)
                  + hex.charAt(0)
                  + hex.charAt(1)
                  + hex.charAt(1)
                  + hex.charAt(2)
                  + hex.charAt(2)
                  + "ff";
          case 6 -> hex + "ff";
          case 8 -> hex;
          default -> throw badColour(text);
        };
    long v = Long.parseLong(rrggbbaa, 16);
    int rgb = (int) (v >>> 8) & 0xFFFFFF;
    int a = (int) (v & 0xFF);
    return new Color(a << 24 | rgb);
  }

  private static CutoutException badColour(String text) {
    return new CutoutException(
        ErrorCode.BAD_OPTION,
        "background colour must be #rgb, #rrggbb or #rrggbbaa, not '" + text + "'");
  }

  /** No background. */
  enum Transparent implements Background {
    INSTANCE
  }

  /** A solid colour. */
  record Color(int argb) implements Background {
    public boolean isOpaque() {
      return argb >>> 24 == 0xFF;
    }
  }

  /** A background picture. */
  record Picture(RgbaImage image) implements Background {
    public Picture {
      Objects.requireNonNull(image);
    }
  }
}
