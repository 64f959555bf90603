package dev.cutout.core;

import java.nio.FloatBuffer;

/**
 * One loaded segmentation network: the one seam between Cutout's pipeline and an inference runtime.
 * The pipeline fills the input tensor as the catalog entry {@link #model()} says (size, mean and
 * std, NCHW RGB) and turns the probabilities it gets back into the mask. The web worker's {@code
 * Segmenter} (web/src/worker/segmenter.ts) is the same seam in the browser.
 *
 * <p>An engine calls {@link #segment} from several threads at once and closes the segmenter once,
 * after its last call.
 */
public interface Segmenter extends AutoCloseable {

  /** The catalog entry of the network: its input size, normalisation and tensor names. */
  ModelSpec model();

  /**
   * Runs the network once.
   *
   * @param tensor the input, {@code 3 × size × size} floats from index 0; read, never modified, its
   *     position and limit are left as they were
   * @return the {@code size × size} probabilities of the model's output, row by row
   * @throws CutoutException INFERENCE_FAILED when the run fails
   */
  float[] segment(FloatBuffer tensor);

  /** Frees the network; the segmenter is not used afterwards. */
  @Override
  void close();
}
