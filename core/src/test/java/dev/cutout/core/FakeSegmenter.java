package dev.cutout.core;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Segmenter} without a network, for testing the pipeline without native code: by default
 * the subject is wherever the input's red channel is brighter than mid-grey.
 */
final class FakeSegmenter implements Segmenter {
  /** The side of the fake model's input: small, so that a test runs in milliseconds. */
  static final int SIZE = 16;

  /** What one run returns for an input tensor. */
  @FunctionalInterface
  interface Network {
    float[] run(FloatBuffer tensor);
  }

  private final ModelSpec model = spec(SIZE);
  private final Network network;
  final AtomicInteger runs = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();

  FakeSegmenter() {
    this(FakeSegmenter::brightIsSubject);
  }

  FakeSegmenter(Network network) {
    this.network = network;
  }

  @Override
  public ModelSpec model() {
    return model;
  }

  @Override
  public float[] segment(FloatBuffer tensor) {
    runs.incrementAndGet();
    return network.run(tensor);
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }

  /** Probability 1 where the red plane is above mid-grey (tensor value above 0), else 0. */
  static float[] brightIsSubject(FloatBuffer tensor) {
    float[] out = new float[SIZE * SIZE];
    for (int i = 0; i < out.length; i++) {
      out[i] = tensor.get(i) > 0 ? 1f : 0f;
    }
    return out;
  }

  /** A catalog entry for a {@code size}² input normalised as ISNet's (mean 0.5, std 1). */
  static ModelSpec spec(int size) {
    long side = size;
    return new ModelSpec(
        "fake",
        "Fake",
        "fake.onnx",
        "/models/fake",
        "",
        0,
        "fp32",
        new ModelSpec.Tensor("input", List.of(1L, 3L, side, side)),
        new ModelSpec.Tensor("output", List.of(1L, 1L, side, side)),
        List.of(0.5, 0.5, 0.5),
        List.of(1.0, 1.0, 1.0),
        "MIT",
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
