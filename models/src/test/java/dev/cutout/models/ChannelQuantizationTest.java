package dev.cutout.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.ModelSpec;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Fast model's derivation: its rounding, and the inputs it refuses. */
class ChannelQuantizationTest {

  @Test
  void everyChannelSpansItsOwnLevelsAroundTheFixedZeroPoint() {
    float[] weights = {-1f, 0.5f, 0f, 0.25f, 0.015f, -0.02f, 0.005f, 0f};
    byte[] levels = new byte[weights.length];
    float[] scales = ChannelQuantization.perChannel(weights, 2, levels);

    assertThat(scales[0]).isEqualTo(1f / 127);
    assertThat(scales[1]).isEqualTo(0.02f / 127);
    // the largest magnitude of each channel reaches the end of the range, however small it is
    assertThat(levels[0] & 0xFF).isEqualTo(128 - 127);
    assertThat(levels[5] & 0xFF).isEqualTo(128 - 127);
    assertThat(levels[4] & 0xFF).isEqualTo(128 + 95); // 0.015 / (0.02/127) = 95.25 → 95
    assertThat(levels[2] & 0xFF).isEqualTo(128);
    for (int i = 0; i < weights.length; i++) {
      float back = ((levels[i] & 0xFF) - 128) * scales[i / 4];
      assertThat(Math.abs(back - weights[i])).isLessThanOrEqualTo(scales[i / 4] / 2 + 1e-9f);
    }
  }

  @Test
  void aChannelOfZerosStaysZero() {
    byte[] levels = new byte[3];
    float[] scales = ChannelQuantization.perChannel(new float[] {0, 0, 0}, 1, levels);
    assertThat(scales[0]).isPositive();
    assertThat(levels).containsOnly((byte) 128);
  }

  @Test
  void refusesWhatItDoesNotUnderstand() throws Exception {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec fp16 = store.catalog().require("isnet-fp16");
    byte[] fp16File = Files.readAllBytes(store.path(fp16));

    assertThatThrownBy(() -> ChannelQuantization.derive(fp16File, fp16File, ActivationCaps.isnet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ConvInteger");
    assertThatThrownBy(
            () ->
                ChannelQuantization.derive(new byte[] {1, 2, 3}, fp16File, ActivationCaps.isnet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an ONNX model");
  }

  @Test
  void aQuantiserWithoutACapIsRefused() throws Exception {
    ModelStore store = ModelStore.defaultStore();
    ModelInstaller installer = ModelInstaller.create(store, line -> {});
    byte[] packaged = installer.original(store.catalog().require("isnet-uint8"));
    byte[] fp16 = installer.original(store.catalog().require("isnet-fp16"));
    ActivationCaps one = ActivationCaps.of(Map.of("input", new float[] {-0.5f, 0.5f}));

    // the uncut package graph quantises 119 tensors, 5 of them on side branches the installer cuts
    assertThat(ChannelQuantization.quantisedInputs(packaged)).hasSize(119).contains("input");
    assertThat(ActivationCaps.isnet().size()).isEqualTo(114);
    assertThatThrownBy(() -> ChannelQuantization.derive(packaged, fp16, one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no activation cap for");
  }

  @Test
  void aCapMustSpanZero() {
    assertThatThrownBy(() -> ActivationCaps.of(Map.of("x", new float[] {0.1f, 2f})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("span 0");
  }
}
