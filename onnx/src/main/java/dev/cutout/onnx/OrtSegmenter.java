package dev.cutout.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Segmenter;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One ONNX Runtime session for one catalogued model, created once and run from any number of
 * threads. The browser's counterpart is web/src/worker/segmenter.ts.
 */
final class OrtSegmenter implements Segmenter {
  private final ModelSpec model;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final long[] inputShape;

  private OrtSegmenter(ModelSpec model, OrtEnvironment env, OrtSession session) {
    this.model = model;
    this.env = env;
    this.session = session;
    this.inputShape = model.input().shape().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Creates the session.
   *
   * @param onnx the model file, already checked against the catalog
   * @param threads threads for one run
   * @param spinning whether idle inference threads spin
   * @throws CutoutException NATIVE_RUNTIME when ONNX Runtime cannot be loaded safely,
   *     INFERENCE_FAILED when the session cannot be created
   */
  static OrtSegmenter create(ModelSpec model, byte[] onnx, int threads, boolean spinning) {
    NativeRuntime.prepare(); // before ONNX Runtime loads its native code
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      // Without spinning, idle inference threads give their core back to decoding and encoding
      // of neighbouring images.
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      return new OrtSegmenter(model, env, env.createSession(onnx, options));
    } catch (OrtException e) {
      throw new CutoutException(
          ErrorCode.INFERENCE_FAILED, "cannot create a session for " + model.id(), e);
    }
  }

  @Override
  public ModelSpec model() {
    return model;
  }

  @Override
  public float[] segment(FloatBuffer tensor) {
    // A direct buffer is read in place from its position: a duplicate leaves the caller's alone.
    try (OnnxTensor input = OnnxTensor.createTensor(env, tensor.duplicate().rewind(), inputShape);
        // fetch only `output`: any other output a graph still had would be copied back for nothing
        OrtSession.Result result =
            session.run(Map.of(model.input().name(), input), Set.of(model.output().name()))) {
      Optional<OnnxValue> out = result.get(model.output().name());
      if (out.isEmpty() || !(out.get() instanceof OnnxTensor outTensor)) {
        throw new CutoutException(ErrorCode.INFERENCE_FAILED, "the model gave no output tensor");
      }
      FloatBuffer values = outTensor.getFloatBuffer();
      float[] probabilities = new float[values.remaining()];
      values.get(probabilities);
      return probabilities;
    } catch (OrtException e) {
      throw new CutoutException(
          ErrorCode.INFERENCE_FAILED, "inference failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new CutoutException(ErrorCode.INFERENCE_FAILED, "cannot close the session", e);
    }
  }
}
