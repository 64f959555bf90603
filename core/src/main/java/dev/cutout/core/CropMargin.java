package dev.cutout.core;

/**
 * How much room to leave around the subject when cropping: pixels, or a percentage of the subject's
 * longer side.
 */
public record CropMargin(double amount, boolean percent) {
  public static final CropMargin NONE = new CropMargin(0, false);

  public CropMargin {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "crop margin must be zero or more");
    }
  }

  /** Parses {@code 20} (pixels) or {@code 5%}. */
  public static CropMargin parse(String text) {
    String t = text.strip();
    boolean percent = t.endsWith("%");
    String number = percent ? t.substring(0, t.length() - 1).strip() : t;
    try {
      return new CropMargin(Double.parseDouble(number), percent);
    } catch (NumberFormatException e) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION,
          "crop margin must be pixels (20) or a percentage (5%), not '" + text + "'");
    }
  }

  int pixels(int subjectWidth, int subjectHeight) {
    double px = percent ? amount / 100.0 * Math.max(subjectWidth, subjectHeight) : amount;
    return (int) Math.round(px);
  }
}
