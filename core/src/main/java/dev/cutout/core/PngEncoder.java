package dev.cutout.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small, fast PNG writer: 8-bit grey, RGB or RGBA, the Sub filter on every row, one deflate
 * stream at a chosen level. It writes no metadata chunks but sRGB, so no EXIF or GPS can leak.
 */
final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private PngEncoder() {}

  static byte[] encode(RgbaImage image, boolean grey, int level) {
    int w = image.width();
    int h = image.height();
    int channels = grey ? 1 : image.hasAlpha() ? 4 : 3;
    int colourType = grey ? 0 : image.hasAlpha() ? 6 : 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream(w * h * channels / 3 + 1024);
    out.writeBytes(SIGNATURE);
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8;
    ihdr[9] = (byte) colourType;
    chunk(out, "IHDR", ihdr, ihdr.length);
    chunk(out, "sRGB", new byte[] {0}, 1);

    Deflater deflater = new Deflater(level);
    try {
      int stride = w * channels;
      byte[] row = new byte[1 + stride];
      byte[] raw = new byte[stride];
      byte[] buffer = new byte[1 << 17];
      ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h * channels / 4 + 1024);
      int[] px = image.argb();
      for (int y = 0; y < h; y++) {
        int base = y * w;
        int p = 0;
        for (int x = 0; x < w; x++) {
          int c = px[base + x];
          if (grey) {
            raw[p++] = (byte) c;
          } else {
            raw[p++] = (byte) (c >> 16);
            raw[p++] = (byte) (c >> 8);
            raw[p++] = (byte) c;
            if (channels == 4) {
              raw[p++] = (byte) (c >>> 24);
            }
          }
        }
        row[0] = 1; // Sub: each byte minus the same channel of the pixel to its left
        System.arraycopy(raw, 0, row, 1, channels);
        for (int i = channels; i < stride; i++) {
          row[1 + i] = (byte) (raw[i] - raw[i - channels]);
        }
        deflater.setInput(row);
        while (!deflater.needsInput()) {
          int n = deflater.deflate(buffer);
          idat.write(buffer, 0, n);
        }
      }
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        idat.write(buffer, 0, n);
      }
      byte[] data = idat.toByteArray();
      chunk(out, "IDAT", data, data.length);
    } finally {
      deflater.end();
    }
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
    byte[] head = new byte[8];
    putInt(head, 0, length);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(typeBytes, 0, head, 4, 4);
    out.writeBytes(head);
    out.write(data, 0, length);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data, 0, length);
    byte[] tail = new byte[4];
    putInt(tail, 0, (int) crc.getValue());
    out.writeBytes(tail);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
