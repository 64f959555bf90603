package dev.cutout.core;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person's hint of where the subject is: a rectangle of the upright image (after EXIF
 * orientation), corners inclusive, each coordinate in pixels or in percent of the image's width (x)
 * or height (y). remove.bg calls it {@code roi}.
 *
 * <p>The network then runs on the box plus a margin of context instead of the whole photo, and
 * everything outside the box is background. The rules, shared with the web app's {@code
 * subject-box.ts} and pinned by {@code contract-cases.json}:
 *
 * <ol>
 *   <li>A percentage {@code p} of a side of {@code n} pixels is pixel {@code floor(p * n / 100)}.
 *   <li>{@code x1 > x2} or {@code y1 > y2} is refused; so is a box that misses the image entirely.
 *   <li>The box is clipped to the image; what remains must be at least {@value #MIN_SIDE} pixels on
 *       each side (or the whole side of a smaller image).
 *   <li>The network sees the clipped box grown by {@code round(0.1 * longer side)} on every side,
 *       clipped to the image: an exact crop of the image's pixels.
 *   <li>The crop's mask is pasted back at full size; outside the box every alpha is 0.
 * </ol>
 *
 * @param x1 left column
 * @param y1 top row
 * @param x2 right column, inclusive
 * @param y2 bottom row, inclusive
 */
public record SubjectBox(Coordinate x1, Coordinate y1, Coordinate x2, Coordinate y2) {

  /** The smallest side of a box, in pixels, unless the image itself is smaller. */
  static final int MIN_SIDE = 16;

  /**
   * Context around the box as a share of its longer side. The network decides what the subject is
   * from its surroundings; a bare crop cuts the subject's edges off at the frame. Measured on the
   * 16 composites with fp16 and boxes of the true bounds + 10%: context 0.1 gives IoU 0.938 and MAE
   * 0.0063, none gives 0.931 and 0.0065 with two images losing over 0.015 IoU (docs/benchmarks.md).
   */
  static final double MARGIN_SHARE = 0.1;

  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

  public SubjectBox {
    Objects.requireNonNull(x1);
    Objects.requireNonNull(y1);
    Objects.requireNonNull(x2);
    Objects.requireNonNull(y2);
  }

  /** A box in pixels, corners inclusive. */
  public static SubjectBox pixels(int x1, int y1, int x2, int y2) {
    return new SubjectBox(
        Coordinate.pixels(x1), Coordinate.pixels(y1), Coordinate.pixels(x2), Coordinate.pixels(y2));
  }

  /**
   * Parses four coordinates separated by commas or spaces: {@code 10,20,400,300}, {@code 5% 5% 95%
   * 90%}, or remove.bg's {@code 10px 20px 400px 300px}; units may be mixed.
   *
   * @throws CutoutException BAD_OPTION for anything else
   */
  public static SubjectBox parse(String text) {
    String t = text.strip();
    List<String> parts = t.isEmpty() ? List.of() : List.of(SEPARATORS.split(t));
    if (parts.size() != 4) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION,
          "a subject box is four coordinates x1,y1,x2,y2 (pixels, or percentages such as 5%), not '"
              + text
              + "'");
    }
    return new SubjectBox(
        Coordinate.parse(parts.get(0)),
        Coordinate.parse(parts.get(1)),
        Coordinate.parse(parts.get(2)),
        Coordinate.parse(parts.get(3)));
  }

  /**
   * One coordinate: a whole number of pixels, or a percentage of the image's side.
   *
   * @param value pixels (whole) or percent
   * @param percent which of the two
   */
  public record Coordinate(double value, boolean percent) {
    public Coordinate {
      if (!Double.isFinite(value) || (!percent && value != Math.rint(value))) {
        throw new CutoutException(
            ErrorCode.BAD_OPTION, "a subject box coordinate must be whole pixels or a percentage");
      }
    }

    public static Coordinate pixels(int value) {
      return new Coordinate(value, false);
    }

    public static Coordinate percent(double value) {
      return new Coordinate(value, true);
    }

    static Coordinate parse(String token) {
      String t = token.toLowerCase(Locale.ROOT);
      boolean percent = t.endsWith("%");
      String number =
          percent
              ? t.substring(0, t.length() - 1)
              : t.endsWith("px") ? t.substring(0, t.length() - 2) : t;
      try {
        if (percent) {
          return percent(Double.parseDouble(number));
        }
        return pixels(Integer.parseInt(number));
      } catch (NumberFormatException e) {
        throw new CutoutException(
            ErrorCode.BAD_OPTION,
            "'"
                + token
                + "' is not a subject box coordinate: whole pixels (40, 40px) or a percentage (5%)");
      }
    }

    /** This coordinate on a side of {@code side} pixels, before clipping. */
    long on(int side) {
      return percent ? (long) Math.floor(value * side / 100) : (long) value;
    }

    @Override
    public String toString() {
      return percent
          ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() + "%"
          : Long.toString((long) value);
    }
  }

  @Override
  public String toString() {
    return x1 + "," + y1 + "," + x2 + "," + y2;
  }

  /** A rectangle of whole pixels. */
  record Area(int x, int y, int width, int height) {
    static Area of(int width, int height) {
      return new Area(0, 0, width, height);
    }

    long pixels() {
      return (long) width * height;
    }

    boolean isWhole(int imageWidth, int imageHeight) {
      return x == 0 && y == 0 && width == imageWidth && height == imageHeight;
    }
  }

  /**
   * Where the box falls on one image.
   *
   * @param box what may be subject: the clipped box
   * @param region what the network sees: the box with its context, clipped
   */
  record Placement(Area box, Area region) {
    /** Without a box: the whole image is both. */
    static Placement whole(int width, int height) {
      Area all = Area.of(width, height);
      return new Placement(all, all);
    }
  }

  /**
   * Places this box on an upright image of {@code width × height}.
   *
   * @throws CutoutException BAD_OPTION when the box is reversed, misses the image or is too small
   */
  Placement place(int width, int height) {
    long left = x1.on(width);
    long top = y1.on(height);
    long right = x2.on(width);
    long bottom = y2.on(height);
    if (left > right || top > bottom) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION,
          "subject box " + this + ": x2 must not be left of x1, nor y2 above y1");
    }
    if (right < 0 || bottom < 0 || left >= width || top >= height) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION,
          "subject box " + this + " lies outside the " + width + "x" + height + " image");
    }
    int x = (int) Math.max(0, left);
    int y = (int) Math.max(0, top);
    int w = (int) Math.min(width - 1, right) - x + 1;
    int h = (int) Math.min(height - 1, bottom) - y + 1;
    if (w < Math.min(MIN_SIDE, width) || h < Math.min(MIN_SIDE, height)) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION,
          "subject box "
              + this
              + " covers "
              + w
              + "x"
              + h
              + " pixels of the image; it needs at least "
              + MIN_SIDE
              + " on each side");
    }
    int margin = (int) Math.round(MARGIN_SHARE * Math.max(w, h));
    int rx = Math.max(0, x - margin);
    int ry = Math.max(0, y - margin);
    int rw = Math.min(width - 1, x + w - 1 + margin) - rx + 1;
    int rh = Math.min(height - 1, y + h - 1 + margin) - ry + 1;
    return new Placement(new Area(x, y, w, h), new Area(rx, ry, rw, rh));
  }
}
