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

/** Clearing MaxPool's ceil_mode (needed for WebGPU) leaves the native output exactly as it was. */
class ModelRewriteTest {

  @ParameterizedTest
  @ValueSource(strings = {"isnet-uint8", "isnet-fp16"})
  void theRewrittenModelGivesExactlyTheOriginalsOutputOnARealPhoto(String id) throws Exception {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec model = store.catalog().require(id);
    byte[] original = ModelInstaller.create(store, line -> {}).original(model);
    byte[] rewritten = Files.readAllBytes(store.path(model));

    assertThat(rewritten).hasSameSizeAs(original).isNotEqualTo(original);
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
    assertThat(differing(before, after)).as("values that differ").isZero();
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

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
