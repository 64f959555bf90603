package dev.cutout.core;

import java.io.IOException;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The decoders' view of the input bytes: memory only (no cache file), and a stop for a decoder that
 * keeps reading past the end.
 *
 * <p>Some decoders swallow end-of-file and go on decoding padding for as long as the header's
 * counts say. Fuzzing found TwelveMonkeys' WebP lossless reader (an {@code ALPH} chunk, 192 bytes)
 * doing so for minutes. A well-formed or merely truncated image hits the end a handful of times;
 * past {@link #MAX_READS_AT_END} the read fails with an {@link IIOException}, which is not an
 * {@code EOFException} and so cannot be swallowed the same way.
 */
final class InMemoryImageInputStream extends ImageInputStreamImpl {
  /** Far above what any decoder needed on the test images and the fuzzing corpus. */
  static final int MAX_READS_AT_END = 4096;

  private final byte[] data;
  private int readsAtEnd;

  InMemoryImageInputStream(byte[] data) {
    this.data = data;
  }

  @Override
  public int read() throws IOException {
    checkClosed();
    bitOffset = 0;
    if (streamPos >= data.length) {
      return end();
    }
    return data[(int) streamPos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    checkClosed();
    Objects.checkFromIndexSize(off, len, b.length);
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (streamPos >= data.length) {
      return end();
    }
    int n = (int) Math.min(len, data.length - streamPos);
    System.arraycopy(data, (int) streamPos, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    return data.length;
  }

  private int end() throws IIOException {
    if (++readsAtEnd > MAX_READS_AT_END) {
      throw new IIOException("the decoder kept reading past the end of the image data");
    }
    return -1;
  }
}
