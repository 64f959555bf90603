package dev.cutout.core;

/**
 * Where the time of one image went, in milliseconds.
 *
 * @param decodeMs reading the bytes into upright sRGB pixels
 * @param preprocessMs resizing and filling the input tensor
 * @param inferenceMs running the network
 * @param postprocessMs upscaling the mask and composing the output
 * @param encodeMs writing the output format
 */
public record PhaseTimings(
    double decodeMs,
    double preprocessMs,
    double inferenceMs,
    double postprocessMs,
    double encodeMs) {

  public double totalMs() {
    return decodeMs + preprocessMs + inferenceMs + postprocessMs + encodeMs;
  }

  /** Milliseconds since {@code startNanos}. */
  static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
