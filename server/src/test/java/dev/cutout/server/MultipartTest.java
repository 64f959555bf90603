package dev.cutout.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.CutoutException;
import org.junit.jupiter.api.Test;

/** The in-memory multipart parser. */
class MultipartTest {
  @Test
  void findsTheFileAndTheFieldsWhateverTheirOrder() {
    byte[] image = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 1, 2, '\r', '\n', '-'};
    ApiImages.FormBody body = ApiImages.multipart(image, "format", "webp", "mask_only", "true");

    Multipart parsed = Multipart.parse(body.contentType(), body.bytes());

    assertThat(parsed.file()).hasValueSatisfying(f -> assertThat(f).isEqualTo(image));
    assertThat(parsed.fields()).containsEntry("format", "webp").containsEntry("mask_only", "true");
  }

  @Test
  void acceptsAQuotedBoundaryAndAPreamble() {
    String text =
        "preamble\r\n--bx\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"
            + "\r\n--bx--\r\n";

    Multipart parsed =
        Multipart.parse("multipart/form-data; boundary=\"bx\"", text.getBytes(UTF_8));

    assertThat(parsed.file())
        .hasValueSatisfying(f -> assertThat(new String(f, UTF_8)).isEqualTo("abc"));
  }

  @Test
  void refusesBodiesThatAreNotMultipart() {
    for (String body :
        new String[] {
          "",
          "--bx\r\nno headers end",
          "--bx\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"
        }) {
      assertThatThrownBy(
              () -> Multipart.parse("multipart/form-data; boundary=bx", body.getBytes(UTF_8)))
          .as(body)
          .isInstanceOf(CutoutException.class);
    }
    assertThatThrownBy(() -> Multipart.parse("multipart/form-data", new byte[0]))
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining("boundary");
  }

  @Test
  void findsAPatternInLinearTime() {
    byte[] data = new byte[2_000_000];
    java.util.Arrays.fill(data, (byte) 'a');
    byte[] pattern = ("a".repeat(69) + "b").getBytes(UTF_8);

    long start = System.nanoTime();
    assertThat(Multipart.indexOf(data, pattern, 0)).isEqualTo(-1);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
  }
}
