package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

class InMemoryImageInputStreamTest {
  @Test
  void readsTheBytesAndSeeksLikeAnyImageInputStream() throws IOException {
    try (InMemoryImageInputStream in = new InMemoryImageInputStream(new byte[] {1, 2, 3, 4, 5})) {
      assertThat(in.length()).isEqualTo(5);
      assertThat(in.read()).isEqualTo(1);
      byte[] two = new byte[2];
      assertThat(in.read(two, 0, 2)).isEqualTo(2);
      assertThat(two).containsExactly(2, 3);
      in.seek(4);
      assertThat(in.readByte()).isEqualTo((byte) 5);
      assertThat(in.read()).isEqualTo(-1);
      assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void aDecoderThatKeepsReadingPastTheEndIsStoppedWithAnErrorItCannotSwallowAsEndOfFile()
      throws IOException {
    try (InMemoryImageInputStream in = new InMemoryImageInputStream(new byte[] {1})) {
      in.read();
      for (int i = 0; i < InMemoryImageInputStream.MAX_READS_AT_END; i++) {
        assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
      }
      assertThatThrownBy(in::readByte)
          .isInstanceOf(IIOException.class)
          .isNotInstanceOf(EOFException.class)
          .hasMessageContaining("past the end");
    }
  }
}
