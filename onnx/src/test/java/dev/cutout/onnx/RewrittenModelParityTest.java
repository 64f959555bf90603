package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Options;
import dev.cutout.core.Segmenter;
import dev.cutout.models.ModelInstaller;
import dev.cutout.models.ModelStore;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The installer's two rewrites, clearing MaxPool's ceil_mode (needed for WebGPU) and cutting the
 * graph to its one used output, leave the native output as it was: bit for bit for uint8, within a
 * twentieth of an alpha step for fp16. Both models run on the tensor the pipeline prepared from a
 * real photo.
 */
class RewrittenModelParityTest {
  /**
   * The largest difference of a probability allowed between the fp32 derivation and the fp16 file:
   * a quarter of one alpha step. Measured on astronaut.png: 4.1e-4 at most, 2e-6 on average.
   */
  private static final float FP32_TOLERANCE = 1e-3f;

  @ParameterizedTest
  // isnet-uint8 is Cutout's own Fast model, meant to differ from the package's file: models'
  // ModelRewriteTest shows it is exactly the derivation of the cut graph, FastModelTest measures it
  @ValueSource(strings = {"isnet-fp16", "isnet-fp32", "u2netp"})
  void theRewrittenModelGivesExactlyTheOriginalsOutputOnARealPhoto(String id) throws Exception {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec model = store.catalog().require(id);
    byte[] original = ModelInstaller.create(store, line -> {}).original(model);
    byte[] rewritten = Files.readAllBytes(store.path(model));

    float[][] outputs = new float[2][];
    try (OrtSegmenter before = OrtSegmenter.create(model, original, 2, false);
        OrtSegmenter after = OrtSegmenter.create(model, rewritten, 2, false)) {
      Segmenter both =
          new Segmenter() {
            @Override
            public ModelSpec model() {
              return model;
            }

            @Override
            public float[] segment(FloatBuffer tensor) {
              outputs[0] = before.segment(tensor);
              outputs[1] = after.segment(tensor);
              return outputs[1];
            }

            @Override
            public void close() {}
          };
      try (Cutout cutout = Cutout.builder().segmenter(() -> both).warmUp(false).build()) {
        cutout.remove(Testdata.photo("astronaut.png"), Options.defaults());
      }
    }

    float[] beforeValues = outputs[0];
    float[] afterValues = outputs[1];
    assertThat(afterValues).hasSize(model.inputSize() * model.inputSize());
    if (model.transform().equals("fp16-to-fp32")) {
      // The original computes in fp16 between its Casts, the widened graph in float32 throughout:
      // they differ by fp16 rounding.
      float largest = maxDifference(beforeValues, afterValues);
      System.out.printf(
          "%s: largest |fp32 - fp16| = %.6f, mean %.7f%n",
          id, largest, meanDifference(beforeValues, afterValues));
      assertThat(largest).as("largest difference").isLessThan(FP32_TOLERANCE);
      assertThat(meanDifference(beforeValues, afterValues)).as("mean difference").isLessThan(1e-5f);
    } else if (model.precision().equals("fp16")) {
      // Native ONNX Runtime runs fp16 nodes through Casts it inserts itself; with the side branches
      // gone it places some of them differently, so the last fp16 bits of a value can change.
      // Measured: at most 1.7e-4, a twentieth of one alpha step.
      assertThat(maxDifference(beforeValues, afterValues))
          .as("largest difference")
          .isLessThan(1e-3f);
    } else {
      assertThat(differing(beforeValues, afterValues)).as("values that differ").isZero();
    }
    assertThat(sum(afterValues))
        .as("a real mask, not an empty one")
        .isGreaterThan(0.001 * afterValues.length);
  }

  private static float meanDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return (float) (sum / a.length);
  }

  private static int differing(float[] a, float[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
        n++;
      }
    }
    return n;
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
