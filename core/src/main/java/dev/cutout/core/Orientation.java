package dev.cutout.core;

/**
 * EXIF orientation: where it is read from a JPEG and how its eight values turn pixels upright.
 *
 * <p>Value 1 is upright; 2–8 are the mirrorings and rotations of TIFF 6.0's tag 0x0112.
 */
final class Orientation {
  private static final int TAG_ORIENTATION = 0x0112;

  private Orientation() {}

  /** The orientation in a JPEG's EXIF segment, or 1 when there is none or it is unreadable. */
  static int readJpeg(byte[] jpeg) {
    int pos = 2;
    while (pos + 4 <= jpeg.length) {
      if ((jpeg[pos] & 0xFF) != 0xFF) {
        return 1;
      }
      int marker = jpeg[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return 1; // start of scan: no metadata after this point
      }
      int length = u16(jpeg, pos + 2, false);
      int segment = pos + 4;
      if (marker == 0xE1 && length >= 8 && segment + length - 2 <= jpeg.length) {
        if (jpeg[segment] == 'E'
            && jpeg[segment + 1] == 'x'
            && jpeg[segment + 2] == 'i'
            && jpeg[segment + 3] == 'f') {
          int value = readTiff(jpeg, segment + 6, segment + length - 2);
          if (value != 0) {
            return value;
          }
        }
      }
      pos += 2 + length;
    }
    return 1;
  }

  private static int readTiff(byte[] data, int start, int end) {
    if (end - start < 8) {
      return 0;
    }
    boolean little;
    if (data[start] == 'I' && data[start + 1] == 'I') {
      little = true;
    } else if (data[start] == 'M' && data[start + 1] == 'M') {
      little = false;
    } else {
      return 0;
    }
    long ifd = u32(data, start + 4, little);
    if (ifd < 8 || start + ifd + 2 > end) {
      return 0;
    }
    int entries = u16(data, start + (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      int entry = start + (int) ifd + 2 + i * 12;
      if (entry + 12 > end) {
        return 0;
      }
      if (u16(data, entry, little) == TAG_ORIENTATION) {
        int value = u16(data, entry + 8, little);
        return value >= 1 && value <= 8 ? value : 0;
      }
    }
    return 0;
  }

  /** The upright image for pixels stored with {@code orientation}. */
  static RgbaImage apply(RgbaImage image, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return image;
    }
    int w = image.width();
    int h = image.height();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] src = image.argb();
    int[] out = new int[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int ox;
        int oy;
        switch (orientation) {
          case 2 -> {
            ox = w - 1 - x;
            oy = y;
          }
          case 3 -> {
            ox = w - 1 - x;
            oy = h - 1 - y;
          }
          case 4 -> {
            ox = x;
            oy = h - 1 - y;
          }
          case 5 -> {
            ox = y;
            oy = x;
          }
          case 6 -> {
            ox = h - 1 - y;
            oy = x;
          }
          case 7 -> {
            ox = h - 1 - y;
            oy = w - 1 - x;
          }
          default -> { // 8
            ox = y;
            oy = w - 1 - x;
          }
        }
        out[oy * ow + ox] = src[y * w + x];
      }
    }
    return new RgbaImage(ow, oh, out, image.hasAlpha());
  }

  private static int u16(byte[] d, int p, boolean little) {
    return little ? (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 : (d[p] & 0xFF) << 8 | (d[p + 1] & 0xFF);
  }

  private static long u32(byte[] d, int p, boolean little) {
    return little
        ? (d[p] & 0xFFL)
            | (d[p + 1] & 0xFFL) << 8
            | (d[p + 2] & 0xFFL) << 16
            | (d[p + 3] & 0xFFL) << 24
        : (d[p] & 0xFFL) << 24
            | (d[p + 1] & 0xFFL) << 16
            | (d[p + 2] & 0xFFL) << 8
            | (d[p + 3] & 0xFFL);
  }
}
