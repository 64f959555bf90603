package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Hostile bytes against the decode gate: whatever arrives, the gate either returns an image within
 * its limits or refuses with a {@link CutoutException}. Any other exception or error is a finding.
 *
 * <p>In the normal build this runs as a regression test over the committed seeds in {@code
 * DecodeGateFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} it fuzzes (see README.md).
 */
class DecodeGateFuzzTest {
  /** Small limits so that a decompression bomb is refused long before it can exhaust memory. */
  private static final DecodeLimits LIMITS = new DecodeLimits(64 * 1024, 256 * 256);

  private static final DecodeGate GATE = DecodeGate.create(LIMITS);

  @FuzzTest(maxDuration = "5m")
  void decodeEitherSucceedsOrRefusesWithCutoutException(byte[] bytes) {
    RgbaImage image;
    try {
      image = GATE.decode(bytes);
    } catch (CutoutException refused) {
      assertThat(refused.code()).isNotNull();
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat((long) image.width() * image.height()).isLessThanOrEqualTo(LIMITS.maxPixels());
    assertThat(image.argb()).hasSize(image.width() * image.height());
  }
}
