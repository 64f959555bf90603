package dev.cutout.core;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The one way into every decoder: magic-byte sniffing, a byte limit, a pixel limit read from the
 * header before any pixel is decoded, first frame only, EXIF orientation applied, 8-bit sRGB out.
 * Anything else is a {@link CutoutException} with a code, never a crash of the caller.
 */
public final class DecodeGate {
  static {
    // No temporary files: decoders read from memory and never spill to disk.
    ImageIO.setUseCache(false);
    ImageIO.scanForPlugins();
  }

  private final DecodeLimits limits;

  private DecodeGate(DecodeLimits limits) {
    this.limits = limits;
  }

  public static DecodeGate create() {
    return new DecodeGate(DecodeLimits.DEFAULT);
  }

  public static DecodeGate create(DecodeLimits limits) {
    return new DecodeGate(limits);
  }

  public DecodeLimits limits() {
    return limits;
  }

  /** Reads a file, refusing it by size before reading it. */
  public byte[] read(Path file) {
    try {
      long size = Files.size(file);
      checkSize(size);
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CutoutException(ErrorCode.IO_ERROR, "no such file: " + file, e);
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a stream up to the byte limit; one byte more and it is refused without reading on. */
  public byte[] read(InputStream in) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        checkSize(total);
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.IO_ERROR, "cannot read input: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses an input of {@code size} bytes before it is read, as {@link #read(Path)} does: for
   * inputs whose size is known from elsewhere (a listing, a remote file's status).
   *
   * @throws CutoutException TOO_LARGE above the byte limit
   */
  public void checkSize(long size) {
    if (size > limits.maxBytes()) {
      throw new CutoutException(
          ErrorCode.TOO_LARGE, "input is larger than the limit of " + limits.maxBytes() + " bytes");
    }
  }

  /** The format of {@code bytes}, or the typed refusal the gate would give. */
  public ImageFormat sniff(byte[] bytes) {
    if (bytes.length == 0) {
      throw new CutoutException(ErrorCode.EMPTY_INPUT, "input is empty");
    }
    checkSize(bytes.length);
    return ImageFormat.sniff(bytes)
        .orElseThrow(
            () ->
                new CutoutException(
                    ErrorCode.UNSUPPORTED_FORMAT,
                    "not a supported image (JPEG, PNG, WebP, GIF, BMP), judged by its first bytes"));
  }

  /** Decodes {@code bytes} into an upright 8-bit sRGB image within the limits. */
  public RgbaImage decode(byte[] bytes) {
    ImageFormat format = sniff(bytes);
    BufferedImage decoded = decodeFirstFrame(bytes, format);
    RgbaImage image = RgbaImage.of(decoded);
    if (format == ImageFormat.JPEG) {
      image = Orientation.apply(image, Orientation.readJpeg(bytes));
    }
    return image.hasAlpha() && isOpaque(image.argb())
        ? new RgbaImage(image.width(), image.height(), image.argb(), false)
        : image;
  }

  private BufferedImage decodeFirstFrame(byte[] bytes, ImageFormat format) {
    ImageReader reader = readerFor(format);
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = new InMemoryImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      long width = reader.getWidth(0);
      long height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new CutoutException(ErrorCode.CORRUPT_IMAGE, "image header has no size");
      }
      if (width * height > limits.maxPixels()) {
        throw new CutoutException(
            ErrorCode.TOO_MANY_PIXELS,
            "image is "
                + width
                + "x"
                + height
                + ", more than the limit of "
                + limits.maxPixels()
                + " pixels");
      }
      ImageReadParam param = reader.getDefaultReadParam();
      BufferedImage image = reader.read(0, param);
      for (String warning : warnings) {
        if (isTruncation(warning)) {
          throw new CutoutException(ErrorCode.CORRUPT_IMAGE, "image data is truncated: " + warning);
        }
      }
      return image;
    } catch (CutoutException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CutoutException(
          ErrorCode.CORRUPT_IMAGE, "cannot decode " + format.name() + ": " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  private static boolean isTruncation(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncated") || w.contains("unexpected end");
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static ImageReader readerFor(ImageFormat format) {
    // TwelveMonkeys first: its JPEG reader handles CMYK/YCCK and ICC profiles, and it is the
    // WebP reader we test against (another WebP plugin on the class path also registers one).
    ImageReader fallback = null;
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.imageIoName());
        it.hasNext(); ) {
      ImageReader reader = it.next();
      if (reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
        if (fallback != null) {
          fallback.dispose();
        }
        return reader;
      }
      if (fallback == null) {
        fallback = reader;
      } else {
        reader.dispose();
      }
    }
    if (fallback == null) {
      throw new CutoutException(
          ErrorCode.UNSUPPORTED_FORMAT, "no decoder for " + format.name() + " is installed");
    }
    return fallback;
  }

  private static boolean isOpaque(int[] argb) {
    for (int p : argb) {
      if (p >>> 24 != 0xFF) {
        return false;
      }
    }
    return true;
  }
}
