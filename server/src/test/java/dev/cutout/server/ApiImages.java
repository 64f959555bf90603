package dev.cutout.server;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real photos from the repository's test data, and hostile inputs made from them. */
final class ApiImages {
  static final Path PHOTOS = Path.of("..", "testdata", "photos");

  private ApiImages() {}

  /** A multipart body and the Content-Type that names its boundary. */
  record FormBody(String contentType, byte[] bytes) {}

  static byte[] photo(String name) {
    try {
      return Files.readAllBytes(PHOTOS.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = ApiImages.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A photo scaled to {@code width × height}, encoded as {@code format} ("png" or "jpeg"). */
  static byte[] scaled(String photo, int width, int height, String format) {
    BufferedImage source = decode(photo(photo));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(source, 0, 0, width, height, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(small, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A JPEG of {@code width × height} stored pixels whose EXIF says "rotate 90° clockwise" (6). */
  static byte[] jpegWithOrientation6(int width, int height) {
    byte[] jpeg = scaled("chelsea.png", width, height, "jpeg");
    byte[] tiff = {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // big-endian TIFF header, first IFD at 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      6,
      0,
      0, // Orientation, SHORT, 1 value: 6
      0,
      0,
      0,
      0 // no next IFD
    };
    byte[] exif = new byte[6 + tiff.length];
    System.arraycopy(
        "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
    System.arraycopy(tiff, 0, exif, 6, tiff.length);
    int length = exif.length + 2;
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + exif.length);
    out.put(jpeg, 0, 2); // SOI
    out.put((byte) 0xFF).put((byte) 0xE1).put((byte) (length >> 8)).put((byte) length);
    out.put(exif);
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /** The first half of a real JPEG. */
  static byte[] truncatedJpeg() {
    byte[] jpeg = photo("rocket.jpg");
    return Arrays.copyOf(jpeg, jpeg.length / 2);
  }

  /** A PNG signature and an IHDR claiming 65535 × 65535 RGBA, and nothing else. */
  static byte[] pngClaimingHugeSize() {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    ihdr.putInt(65_535).putInt(65_535);
    ihdr.put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }

  /** A multipart/form-data body: the image as part "file", then text fields. */
  static FormBody multipart(byte[] image, String... fields) {
    String boundary = "cutout-test-" + Long.toHexString(System.nanoTime());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (int i = 0; i + 1 < fields.length; i += 2) {
        out.write(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\""
                    + fields[i]
                    + "\"\r\n\r\n"
                    + fields[i + 1]
                    + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      out.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo\"\r\n"
                  + "Content-Type: application/octet-stream\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.write(image);
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FormBody("multipart/form-data; boundary=" + boundary, out.toByteArray());
  }
}
