package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The processing contract's arithmetic, on examples small enough to compute by hand. */
class ContractTest {
  private static final ModelSpec MODEL = ModelCatalog.builtIn().require("isnet-uint8");

  @Test
  void halvingTakesTheMeanOfEachPairWithHalfPixelCentres() {
    BilinearAxis axis = new BilinearAxis(4, 2);
    // s = (d + 0.5) * 2 - 0.5 = 0.5 and 2.5
    assertThat(axis.lo).containsExactly(0, 2);
    assertThat(axis.hi).containsExactly(1, 3);
    assertThat(axis.frac[0]).isEqualTo(0.5f);
    assertThat(axis.frac[1]).isEqualTo(0.5f);
  }

  @Test
  void upscalingClampsAtTheEdges() {
    BilinearAxis axis = new BilinearAxis(2, 4);
    // s = (d + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 → clamped to 0, 0.25, 0.75, 1
    assertThat(axis.lo).containsExactly(0, 0, 0, 1);
    assertThat(axis.hi).containsExactly(1, 1, 1, 1);
    assertThat(axis.frac).containsExactly(0f, 0.25f, 0.75f, 0f);
  }

  @Test
  void theTensorIsPlanarRgbMinusOneHalf() {
    // a 1×1 image fills the whole 1024² input with its colour
    RgbaImage pixel = new RgbaImage(1, 1, new int[] {0xFF_FF_80_00}, false);
    FloatBuffer tensor = FloatBuffer.allocate(3 * 1024 * 1024);
    Preprocessor.toTensor(pixel, MODEL, tensor);
    int plane = 1024 * 1024;
    assertThat(tensor.get(0)).isCloseTo(0.5f, within(1e-6f));
    assertThat(tensor.get(plane - 1)).isCloseTo(0.5f, within(1e-6f));
    assertThat(tensor.get(plane)).isCloseTo(128 / 255f - 0.5f, within(1e-6f));
    assertThat(tensor.get(2 * plane + 12345)).isCloseTo(-0.5f, within(1e-6f));
  }

  @Test
  void aTwoPixelRowBecomesARampAcrossTheInput() {
    RgbaImage row = new RgbaImage(2, 1, new int[] {0xFF000000, 0xFFFF0000}, false);
    FloatBuffer tensor = FloatBuffer.allocate(3 * 1024 * 1024);
    Preprocessor.toTensor(row, MODEL, tensor);
    // x = 511: s = 511.5 / 512 - 0.5 = 0.4990234375 → red = 255 · s
    assertThat(tensor.get(511)).isCloseTo(255f * 0.4990234375f / 255f - 0.5f, within(1e-5f));
    assertThat(tensor.get(0)).isCloseTo(-0.5f, within(1e-6f));
    assertThat(tensor.get(1023)).isCloseTo(0.5f, within(1e-6f));
  }

  @Test
  void theMaskIsUpscaledClampedAndRounded() {
    float[] probabilities = new float[1024 * 1024];
    Arrays.fill(probabilities, 0.5f);
    probabilities[0] = 1.7f; // out of range values are clamped
    Mask mask = Mask.fromProbabilities(probabilities, 1024, 3, 2);
    assertThat(mask.width()).isEqualTo(3);
    assertThat(mask.at(1, 1)).isEqualTo(Math.round(0.5f * 255f));

    float[] ramp = new float[4];
    ramp[1] = 1f;
    ramp[3] = 1f; // left column 0, right column 1
    Mask wide = Mask.fromProbabilities(ramp, 2, 4, 1);
    // taps at s = -0.25, 0.25, 0.75, 1.25 → 0, 0.25, 0.75, 1 → 0, 64, 191, 255
    assertThat(new int[] {wide.at(0, 0), wide.at(1, 0), wide.at(2, 0), wide.at(3, 0)})
        .containsExactly(0, 64, 191, 255);
  }

  @Test
  void anAllZeroOrNanOutputIsAFailedRunNotAMask() {
    assertThatThrownBy(() -> Mask.fromProbabilities(new float[4], 2, 2, 2))
        .isInstanceOf(CutoutException.class)
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.INFERENCE_FAILED);
    float[] nan = {0.1f, Float.NaN, 0.2f, 0.3f};
    assertThatThrownBy(() -> Mask.fromProbabilities(nan, 2, 2, 2))
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining("NaN");
  }
}
