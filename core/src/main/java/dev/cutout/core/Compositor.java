package dev.cutout.core;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Step 6 of the contract: applies the mask to the image, with the chosen background and crop. */
final class Compositor {
  /** Alpha above this (of 255) counts as subject when cropping: ignores faint model noise. */
  static final int CROP_THRESHOLD = 8;

  private Compositor() {}

  /** The composed output; {@code grey} when it is a mask, to be written as a grey image. */
  record Composite(RgbaImage image, boolean grey) {}

  /**
   * Alpha = round(255·mask) × the image's own alpha (rounded), RGB kept where alpha is above 0 and
   * 0 where it is 0, then background and crop.
   */
  static Composite compose(RgbaImage image, Mask mask, Options options) {
    if (mask.width() != image.width() || mask.height() != image.height()) {
      throw new IllegalArgumentException("mask size differs from image size");
    }
    byte[] alpha = combinedAlpha(image, mask);
    Box box =
        options
            .crop()
            .map(margin -> subjectBox(alpha, image.width(), image.height(), margin))
            .orElse(new Box(0, 0, image.width(), image.height()));
    int w = box.width();
    int h = box.height();
    int[] out = new int[Math.multiplyExact(w, h)];
    int[] src = image.argb();
    if (options.maskOnly()) {
      for (int y = 0; y < h; y++) {
        int s = (box.y() + y) * image.width() + box.x();
        for (int x = 0; x < w; x++) {
          int a = alpha[s + x] & 0xFF;
          out[y * w + x] = 0xFF000000 | a << 16 | a << 8 | a;
        }
      }
      return new Composite(new RgbaImage(w, h, out, false), true);
    }
    for (int y = 0; y < h; y++) {
      int s = (box.y() + y) * image.width() + box.x();
      for (int x = 0; x < w; x++) {
        int a = alpha[s + x] & 0xFF;
        // a removed pixel keeps no colour: flattening the file must not bring the background back
        out[y * w + x] = a == 0 ? 0 : a << 24 | (src[s + x] & 0xFFFFFF);
      }
    }
    RgbaImage cut = new RgbaImage(w, h, out, true);
    return switch (options.background()) {
      case Background.Transparent t -> new Composite(cut, false);
      case Background.Color c -> new Composite(overColour(cut, c.argb()), false);
      case Background.Picture p -> new Composite(overPicture(cut, p.image()), false);
    };
  }

  static byte[] combinedAlpha(RgbaImage image, Mask mask) {
    byte[] m = mask.alpha();
    if (!image.hasAlpha()) {
      return m;
    }
    int[] px = image.argb();
    byte[] out = new byte[m.length];
    for (int i = 0; i < m.length; i++) {
      int own = px[i] >>> 24;
      out[i] = (byte) (((m[i] & 0xFF) * own + 127) / 255);
    }
    return out;
  }

  record Box(int x, int y, int width, int height) {}

  static Box subjectBox(byte[] alpha, int width, int height, CropMargin margin) {
    int minX = width;
    int minY = height;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int x = 0; x < width; x++) {
        if ((alpha[row + x] & 0xFF) > CROP_THRESHOLD) {
          if (x < minX) {
            minX = x;
          }
          if (x > maxX) {
            maxX = x;
          }
          minY = Math.min(minY, y);
          maxY = y;
        }
      }
    }
    if (maxX < 0) {
      return new Box(0, 0, width, height); // no subject found: nothing to crop to
    }
    int m = margin.pixels(maxX - minX + 1, maxY - minY + 1);
    int x0 = Math.max(0, minX - m);
    int y0 = Math.max(0, minY - m);
    int x1 = Math.min(width - 1, maxX + m);
    int y1 = Math.min(height - 1, maxY + m);
    return new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }

  static RgbaImage overColour(RgbaImage cut, int background) {
    int[] px = cut.argb();
    int[] out = new int[px.length];
    for (int i = 0; i < px.length; i++) {
      out[i] = over(px[i], background);
    }
    return new RgbaImage(cut.width(), cut.height(), out, background >>> 24 != 0xFF);
  }

  static RgbaImage overPicture(RgbaImage cut, RgbaImage picture) {
    RgbaImage bg = cover(picture, cut.width(), cut.height());
    int[] px = cut.argb();
    int[] back = bg.argb();
    int[] out = new int[px.length];
    boolean alpha = false;
    for (int i = 0; i < px.length; i++) {
      out[i] = over(px[i], back[i]);
      alpha |= out[i] >>> 24 != 0xFF;
    }
    return new RgbaImage(cut.width(), cut.height(), out, alpha);
  }

  /** Porter–Duff "over" of two non-premultiplied ARGB pixels. */
  static int over(int fg, int bg) {
    int fa = fg >>> 24;
    int ba = bg >>> 24;
    if (fa == 255 || ba == 0) {
      return fg;
    }
    int backWeight = ba * (255 - fa); // scaled by 255²
    int outA255 = fa * 255 + backWeight; // result alpha scaled by 255
    if (outA255 == 0) {
      return 0;
    }
    int r = channel(fg >> 16, bg >> 16, fa, backWeight, outA255);
    int g = channel(fg >> 8, bg >> 8, fa, backWeight, outA255);
    int b = channel(fg, bg, fa, backWeight, outA255);
    int a = (outA255 + 127) / 255;
    return a << 24 | r << 16 | g << 8 | b;
  }

  private static int channel(int f, int b, int fa, int backWeight, int outA255) {
    long num = (long) (f & 0xFF) * fa * 255 + (long) (b & 0xFF) * backWeight;
    return (int) ((num + outA255 / 2) / outA255);
  }

  private static RgbaImage cover(RgbaImage picture, int width, int height) {
    double scale = Math.max((double) width / picture.width(), (double) height / picture.height());
    int sw = (int) Math.ceil(picture.width() * scale);
    int sh = (int) Math.ceil(picture.height() * scale);
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(picture.toBufferedImage(), (width - sw) / 2, (height - sh) / 2, sw, sh, null);
    } finally {
      g.dispose();
    }
    return RgbaImage.of(target);
  }
}
