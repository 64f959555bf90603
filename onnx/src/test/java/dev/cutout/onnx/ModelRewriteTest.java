package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.cutout.core.DecodeGate;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Preprocessor;
import dev.cutout.core.RgbaImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The installer's two rewrites, clearing MaxPool's ceil_mode (needed for WebGPU) and cutting the
 * graph to its one used output, leave the native output as it was: bit for bit for uint8, within a
 * twentieth of an alpha step for fp16.
 */
class ModelRewriteTest {

  @ParameterizedTest
  @ValueSource(strings = {"isnet-uint8", "isnet-fp16"})
  void theRewrittenModelGivesExactlyTheOriginalsOutputOnARealPhoto(String id) throws Exception {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec model = store.catalog().require(id);
    byte[] original = ModelInstaller.create(store, line -> {}).original(model);
    byte[] rewritten = Files.readAllBytes(store.path(model));

    assertThat(rewritten.length).isLessThan(original.length);
    GraphPruning.Result originalGraph = GraphPruning.keepOnly(original, model.output().name());
    assertThat(originalGraph.outputsBefore()).isEqualTo(12);
    assertThat(originalGraph.nodesAfter()).isLessThan(originalGraph.nodesBefore());
    GraphPruning.Result installedGraph = GraphPruning.keepOnly(rewritten, model.output().name());
    assertThat(installedGraph.outputsBefore()).as("outputs left").isEqualTo(1);
    assertThat(installedGraph.nodesAfter())
        .as("nothing left to prune")
        .isEqualTo(installedGraph.nodesBefore())
        .isEqualTo(originalGraph.nodesAfter());
    assertThat(installedGraph.model()).as("pruning is idempotent").isEqualTo(rewritten);
    assertThat(MaxPoolCeilMode.clear(original.clone()))
        .isEqualTo(new MaxPoolCeilMode.Report(33, 33));
    assertThat(MaxPoolCeilMode.clear(rewritten.clone()))
        .as("nothing left to rewrite")
        .isEqualTo(new MaxPoolCeilMode.Report(33, 0));

    RgbaImage photo =
        DecodeGate.create().decode(Files.readAllBytes(Testdata.photo("astronaut.png")));
    FloatBuffer input = Cutout.newTensorBuffer(model);
    Preprocessor.toTensor(photo, model, input);

    float[] before = run(original, model, input);
    float[] after = run(rewritten, model, input);
    assertThat(after).hasSize(1024 * 1024);
    if (model.precision().equals("fp16")) {
      // Native ONNX Runtime runs fp16 nodes through Casts it inserts itself; with the side branches
      // gone it places some of them differently, so the last fp16 bits of a value can change.
      // Measured: at most 1.7e-4, a twentieth of one alpha step.
      assertThat(maxDifference(before, after)).as("largest difference").isLessThan(1e-3f);
    } else {
      assertThat(differing(before, after)).as("values that differ").isZero();
    }
    assertThat(sum(after)).as("a real mask, not an empty one").isGreaterThan(1000);
  }

  private static float[] run(byte[] onnx, ModelSpec model, FloatBuffer input) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(onnx, options);
          OnnxTensor tensor =
              OnnxTensor.createTensor(env, input.rewind(), new long[] {1, 3, 1024, 1024});
          OrtSession.Result result =
              session.run(Map.of(model.input().name(), tensor), Set.of(model.output().name()))) {
        FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
        float[] values = new float[out.remaining()];
        out.get(values);
        return values;
      }
    }
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
