package dev.cutout.server;

import dev.cutout.core.Background;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Mask;
import dev.cutout.core.OutputFormat;
import dev.cutout.core.RgbaImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * remove.bg's output on top of Cutout's cut-out: the step after the library has found the mask that
 * arranges the subject the way remove.bg's parameters ask ({@code crop} with per-side {@code
 * crop_margin}, {@code scale}, {@code position}, {@code size}), puts the background behind it and
 * encodes it ({@code format}, {@code channels}). The library's compositing and encoders do the
 * pixel work ({@link RgbaImage#over}, {@link RgbaImage#encode}); what is added here is the
 * geometry, one resampling pass ({@link Resampler}), the ZIP and the foreground box.
 *
 * <p>The order: the canvas is the photo, or with {@code crop} the subject's box grown by the
 * margins (which may reach past the photo: that part is empty); the subject is then scaled and
 * positioned on that canvas; the whole is shrunk to the {@code size}; the background goes behind.
 */
final class RemoveBgRender {
  /**
   * Alpha above this (of 255) counts as subject for cropping and placing, as the library's own crop
   * does (its {@code Compositor.CROP_THRESHOLD}): faint noise of the mask does not widen the box.
   */
  static final int SUBJECT_THRESHOLD = 8;

  /** Alpha at or above this is foreground for {@code X-Foreground-*}: half opaque. */
  static final int FOREGROUND_ALPHA = 128;

  private RemoveBgRender() {}

  /** A rectangle in the output's pixels. */
  record Box(int left, int top, int width, int height) {}

  /**
   * The encoded answer.
   *
   * @param bytes the image (or ZIP)
   * @param mediaType its media type
   * @param width its width
   * @param height its height
   * @param foreground where the subject (alpha ≥ 0.5, before any background) is in it
   */
  record Rendered(byte[] bytes, String mediaType, int width, int height, Box foreground) {}

  /**
   * @param image the decoded photo, upright
   * @param mask the library's mask of it, at its size
   * @param behind what goes behind the subject: {@code bg_color}, the decoded {@code bg_image_*},
   *     or nothing
   */
  static Rendered render(RgbaImage image, Mask mask, RemoveBgRequest request, Background behind) {
    int w = image.width();
    int h = image.height();
    byte[] alpha = combinedAlpha(image, mask);
    Resampler.Rect subject = subjectBox(alpha, w, h);
    Layout layout = Layout.of(request, w, h, subject);
    Resampler.Source cut = new Resampler.Source(image.argb(), alpha, w, h);
    int[] placed = Resampler.draw(cut, layout.from(), layout.width(), layout.height(), layout.to());
    RgbaImage laidOut = new RgbaImage(layout.width(), layout.height(), placed, true);
    Box foreground = foreground(laidOut);
    if (request.channels() == RemoveBgRequest.Channels.ALPHA) {
      return alphaOnly(laidOut, request.format(), foreground);
    }
    RgbaImage result = laidOut.over(behind);
    return switch (request.format()) {
      case PNG -> encoded(result, OutputFormat.PNG, foreground);
      case WEBP -> encoded(result, OutputFormat.WEBP, foreground);
      // JPEG has no alpha: what is transparent shows white, as a viewer would put it on paper
      case JPG -> encoded(result.over(WHITE), OutputFormat.JPEG, foreground);
      case AUTO ->
          hasTransparency(result)
              ? encoded(result, OutputFormat.PNG, foreground)
              : encoded(result, OutputFormat.JPEG, foreground);
      case ZIP -> zip(image, layout, result, behind, foreground);
    };
  }

  private static final Background WHITE = Background.color(0xFFFFFFFF);

  private static Rendered encoded(RgbaImage image, OutputFormat format, Box foreground) {
    return new Rendered(
        image.encode(format), format.mediaType(), image.width(), image.height(), foreground);
  }

  /** The mask of the arranged subject as a grey image; {@code auto} means PNG for a mask. */
  private static Rendered alphaOnly(RgbaImage laidOut, RemoveBgRequest.Format format, Box fg) {
    int[] grey = new int[laidOut.argb().length];
    for (int i = 0; i < grey.length; i++) {
      int a = laidOut.argb()[i] >>> 24;
      grey[i] = 0xFF000000 | a << 16 | a << 8 | a;
    }
    RgbaImage mask = new RgbaImage(laidOut.width(), laidOut.height(), grey, false);
    return switch (format) {
      case JPG -> encoded(mask, OutputFormat.JPEG, fg);
      case WEBP -> encoded(mask, OutputFormat.WEBP, fg);
      case AUTO, PNG ->
          new Rendered(mask.encodeGreyPng(), "image/png", mask.width(), mask.height(), fg);
      case ZIP -> throw new IllegalStateException("refused when parsed: zip with channels=alpha");
    };
  }

  /**
   * remove.bg's compact format: {@code color.jpg} (the colours, no alpha) and {@code alpha.png}
   * (the alpha as grey), to be put together by the client. Without a background the colours are the
   * photo's own, arranged like the subject, so that colour × alpha is the cut-out; with one, the
   * composed result and its alpha.
   */
  private static Rendered zip(
      RgbaImage image, Layout layout, RgbaImage result, Background behind, Box foreground) {
    RgbaImage colour = result;
    if (behind instanceof Background.Transparent) {
      byte[] own = new byte[image.argb().length];
      for (int i = 0; i < own.length; i++) {
        own[i] = (byte) (image.argb()[i] >>> 24);
      }
      int[] photo =
          Resampler.draw(
              new Resampler.Source(image.argb(), own, image.width(), image.height()),
              layout.from(),
              layout.width(),
              layout.height(),
              layout.to());
      colour = new RgbaImage(layout.width(), layout.height(), photo, true);
    }
    int[] grey = new int[result.argb().length];
    for (int i = 0; i < grey.length; i++) {
      int a = result.argb()[i] >>> 24;
      grey[i] = 0xFF000000 | a << 16 | a << 8 | a;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      entry(zip, "color.jpg", colour.over(WHITE).encode(OutputFormat.JPEG));
      entry(
          zip,
          "alpha.png",
          new RgbaImage(result.width(), result.height(), grey, false).encodeGreyPng());
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.IO_ERROR, "cannot write the ZIP: " + e.getMessage(), e);
    }
    return new Rendered(
        bytes.toByteArray(), "application/zip", result.width(), result.height(), foreground);
  }

  private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTime(0); // no trace of when (or where) the image was processed
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }

  /** The library's rule: alpha = mask × the photo's own alpha. */
  static byte[] combinedAlpha(RgbaImage image, Mask mask) {
    byte[] m = mask.alpha();
    if (!image.hasAlpha()) {
      return m;
    }
    byte[] out = new byte[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = (byte) (((m[i] & 0xFF) * (image.argb()[i] >>> 24) + 127) / 255);
    }
    return out;
  }

  /** The box of the pixels above {@link #SUBJECT_THRESHOLD}; the whole image when none is. */
  static Resampler.Rect subjectBox(byte[] alpha, int width, int height) {
    int minX = width;
    int minY = height;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < height; y++) {
      for (int x = 0, row = y * width; x < width; x++) {
        if ((alpha[row + x] & 0xFF) > SUBJECT_THRESHOLD) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = y;
        }
      }
    }
    return maxX < 0
        ? new Resampler.Rect(0, 0, width, height)
        : new Resampler.Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
  }

  /** The box of the pixels at least half opaque; all zero when there is none. */
  static Box foreground(RgbaImage image) {
    int w = image.width();
    int minX = w;
    int minY = image.height();
    int maxX = -1;
    int maxY = -1;
    int[] px = image.argb();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0, row = y * w; x < w; x++) {
        if (px[row + x] >>> 24 >= FOREGROUND_ALPHA) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = y;
        }
      }
    }
    return maxX < 0 ? new Box(0, 0, 0, 0) : new Box(minX, minY, maxX - minX + 1, maxY - minY + 1);
  }

  private static boolean hasTransparency(RgbaImage image) {
    return Arrays.stream(image.argb()).anyMatch(p -> p >>> 24 != 0xFF);
  }

  /**
   * Where the photo's pixels go: the rectangle {@code from} of the photo is drawn at {@code to} on
   * a canvas of {@code width × height}; everything else on the canvas is empty.
   */
  record Layout(Resampler.Rect from, int width, int height, Resampler.Rect to) {

    static Layout of(
        RemoveBgRequest request, int imageWidth, int imageHeight, Resampler.Rect subject) {
      // the canvas, in the photo's coordinates (with crop it may reach past the photo)
      int cx = 0;
      int cy = 0;
      int cw = imageWidth;
      int ch = imageHeight;
      if (request.crop()) {
        RemoveBgRequest.Margins m = request.margins();
        int top = m.top().pixels(subject.height());
        int bottom = m.bottom().pixels(subject.height());
        int left = m.left().pixels(subject.width());
        int right = m.right().pixels(subject.width());
        cx = subject.x() - left;
        cy = subject.y() - top;
        cw = subject.width() + left + right;
        ch = subject.height() + top + bottom;
      }
      // what of the photo is drawn, and where on the canvas (still at the photo's scale)
      Resampler.Rect from;
      double tx;
      double ty;
      double tw;
      double th;
      OptionalDouble scale = request.scale();
      boolean arranged =
          scale.isPresent() || !(request.position() instanceof RemoveBgRequest.Position.Original);
      if (arranged) {
        from = subject;
        double f =
            scale.isPresent()
                ? Math.min(
                    scale.getAsDouble() * cw / subject.width(),
                    scale.getAsDouble() * ch / subject.height())
                : 1;
        tw = subject.width() * f;
        th = subject.height() * f;
        switch (request.position()) {
          case RemoveBgRequest.Position.At at -> {
            tx = at.x() / 100 * (cw - tw);
            ty = at.y() / 100 * (ch - th);
          }
          case RemoveBgRequest.Position.Original o -> {
            // scaled about its own centre, then kept on the canvas
            tx = keepInside(subject.x() - cx + subject.width() / 2.0 - tw / 2, tw, cw);
            ty = keepInside(subject.y() - cy + subject.height() / 2.0 - th / 2, th, ch);
          }
        }
      } else {
        int x0 = Math.max(0, cx);
        int y0 = Math.max(0, cy);
        int x1 = Math.min(imageWidth, cx + cw);
        int y1 = Math.min(imageHeight, cy + ch);
        from = new Resampler.Rect(x0, y0, x1 - x0, y1 - y0);
        tx = x0 - cx;
        ty = y0 - cy;
        tw = from.width();
        th = from.height();
      }
      // the size limit shrinks the whole canvas
      int outW = cw;
      int outH = ch;
      if (request.maxPixels().isPresent() && (long) cw * ch > request.maxPixels().getAsLong()) {
        double k = Math.sqrt((double) request.maxPixels().getAsLong() / ((long) cw * ch));
        outW = Math.max(1, (int) Math.floor(cw * k));
        outH = Math.max(1, (int) Math.floor(ch * k));
      }
      double kx = (double) outW / cw;
      double ky = (double) outH / ch;
      int x0 = (int) Math.round(tx * kx);
      int y0 = (int) Math.round(ty * ky);
      int x1 = Math.max(x0 + 1, (int) Math.round((tx + tw) * kx));
      int y1 = Math.max(y0 + 1, (int) Math.round((ty + th) * ky));
      return new Layout(from, outW, outH, new Resampler.Rect(x0, y0, x1 - x0, y1 - y0));
    }

    private static double keepInside(double at, double size, double canvas) {
      return size <= canvas ? Math.max(0, Math.min(canvas - size, at)) : (canvas - size) / 2;
    }
  }
}
