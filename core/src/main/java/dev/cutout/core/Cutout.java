package dev.cutout.core;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Removes backgrounds with one catalogued model: decode → prepare → segment → render → encode.
 * Build once, use from any number of threads, close when done; the {@link Segmenter} is opened once
 * and reused.
 *
 * <p>The engine that runs the model with ONNX Runtime is built by the {@code onnx} module's {@code
 * OnnxCutout.builder()}; {@link #builder()} takes any {@link Segmenter}.
 */
public final class Cutout implements AutoCloseable {
  private final Segmenter segmenter;
  private final ModelSpec model;
  private final DecodeGate gate;
  private final Startup startup;

  /** Runs hold the read lock while they use the segmenter, so closing waits for them. */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private volatile boolean closed;

  /**
   * How long the engine took to become ready, in milliseconds.
   *
   * @param sessionCreationMs opening the segmenter (for ONNX Runtime: reading and checking the
   *     model file, creating the session)
   * @param warmUpMs the first run, on an empty input; 0 without warm-up
   */
  public record Startup(double sessionCreationMs, double warmUpMs) {}

  private Cutout(Segmenter segmenter, DecodeGate gate, double openMs, double warmUpMs) {
    this.segmenter = segmenter;
    this.model = segmenter.model();
    this.gate = gate;
    this.startup = new Startup(openMs, warmUpMs);
  }

  public static Builder builder() {
    return new Builder();
  }

  public ModelSpec model() {
    return model;
  }

  public Startup startup() {
    return startup;
  }

  /** The decode gate with this engine's limits, for reading inputs the way the engine does. */
  public DecodeGate gate() {
    return gate;
  }

  /**
   * Decodes, runs and renders one encoded image file.
   *
   * @throws CutoutException with the failure's code; ENGINE_CLOSED after {@link #close()}
   */
  public CutoutResult remove(Path input, Options options) {
    ensureOpen();
    return remove(gate.read(input), options);
  }

  /**
   * Decodes, runs and renders one encoded image.
   *
   * @throws CutoutException with the failure's code; ENGINE_CLOSED after {@link #close()}
   */
  public CutoutResult remove(byte[] input, Options options) {
    Objects.requireNonNull(options);
    Prepared prepared = prepare(input, options);
    return render(prepared, segment(prepared), options);
  }

  /**
   * Runs and renders an image already in memory.
   *
   * @throws CutoutException with the failure's code; ENGINE_CLOSED after {@link #close()}
   */
  public CutoutResult remove(BufferedImage input, Options options) {
    Objects.requireNonNull(options);
    ensureOpen();
    Prepared prepared = prepare(RgbaImage.of(input), 0, options);
    return render(prepared, segment(prepared), options);
  }

  /** Closes the segmenter once the runs in progress have ended; later calls do nothing. */
  @Override
  public void close() {
    Lock exclusive = lifecycle.writeLock();
    exclusive.lock();
    try {
      if (!closed) {
        closed = true;
        segmenter.close();
      }
    } finally {
      exclusive.unlock();
    }
  }

  /**
   * A decoded image, where the network looks on it, and the filled input tensor: the first stage,
   * which never uses the network.
   */
  record Prepared(
      RgbaImage image,
      SubjectBox.Placement placement,
      FloatBuffer tensor,
      double decodeMs,
      double preprocessMs) {}

  /** The network's mask for a prepared image, upscaled to the image's size. */
  record Segmented(Mask mask, double inferenceMs, double upscaleMs) {}

  Prepared prepare(byte[] input, Options options) {
    ensureOpen();
    long start = System.nanoTime();
    RgbaImage image = gate.decode(input);
    return prepare(image, PhaseTimings.since(start), options);
  }

  private Prepared prepare(RgbaImage image, double decodeMs, Options options) {
    long start = System.nanoTime();
    SubjectBox.Placement placement =
        options
            .subjectBox()
            .map(box -> box.place(image.width(), image.height()))
            .orElseGet(() -> SubjectBox.Placement.whole(image.width(), image.height()));
    FloatBuffer tensor = newTensor(model);
    Preprocessor.toTensor(crop(image, placement.region()), model, tensor);
    return new Prepared(image, placement, tensor, decodeMs, PhaseTimings.since(start));
  }

  /** The pixels of {@code area}: the image itself when the area is all of it. */
  private static RgbaImage crop(RgbaImage image, SubjectBox.Area area) {
    if (area.isWhole(image.width(), image.height())) {
      return image;
    }
    int[] pixels = new int[Math.multiplyExact(area.width(), area.height())];
    for (int y = 0; y < area.height(); y++) {
      System.arraycopy(
          image.argb(),
          (area.y() + y) * image.width() + area.x(),
          pixels,
          y * area.width(),
          area.width());
    }
    return new RgbaImage(area.width(), area.height(), pixels, image.hasAlpha());
  }

  Segmented segment(Prepared prepared) {
    long start = System.nanoTime();
    float[] probabilities;
    Lock shared = lifecycle.readLock();
    shared.lock();
    try {
      ensureOpen();
      probabilities = segmenter.segment(prepared.tensor());
    } finally {
      shared.unlock();
    }
    double inferenceMs = PhaseTimings.since(start);
    long upscale = System.nanoTime();
    SubjectBox.Area region = prepared.placement().region();
    Mask mask =
        Mask.placed(
            Mask.fromProbabilities(
                Mask.scaled(probabilities, model),
                model.inputSize(),
                region.width(),
                region.height()),
            prepared.placement(),
            prepared.image().width(),
            prepared.image().height());
    return new Segmented(mask, inferenceMs, PhaseTimings.since(upscale));
  }

  /** The last stage, which never uses the network: compose and encode. */
  CutoutResult render(Prepared prepared, Segmented segmented, Options options) {
    if (!options.allowEmpty()
        && !segmented.mask().hasSubject(prepared.placement().box().pixels())) {
      throw new CutoutException(
          ErrorCode.NO_SUBJECT,
          "no subject found: fewer than 0.1% of the pixels"
              + (options.subjectBox().isPresent() ? " in the subject box" : "")
              + " are at least half opaque in the mask");
    }
    long compose = System.nanoTime();
    Compositor.Composite composite =
        Compositor.compose(prepared.image(), segmented.mask(), options);
    double composeMs = PhaseTimings.since(compose);
    long encode = System.nanoTime();
    byte[] bytes = ImageEncoder.encode(composite, options);
    PhaseTimings timings =
        new PhaseTimings(
            prepared.decodeMs(),
            prepared.preprocessMs(),
            segmented.inferenceMs(),
            segmented.upscaleMs() + composeMs,
            PhaseTimings.since(encode));
    return new CutoutResult(bytes, options.format(), composite.image(), segmented.mask(), timings);
  }

  private void ensureOpen() {
    if (closed) {
      throw new CutoutException(ErrorCode.ENGINE_CLOSED, "this Cutout engine has been closed");
    }
  }

  /** A direct buffer the size of the model's input: native runtimes read it without a copy. */
  static FloatBuffer newTensor(ModelSpec model) {
    int size = model.inputSize();
    return ByteBuffer.allocateDirect(3 * size * size * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /** Configures a {@link Cutout}. */
  public static final class Builder {
    private Supplier<? extends Segmenter> segmenter;
    private DecodeLimits limits = DecodeLimits.DEFAULT;
    private boolean warmUp = true;

    private Builder() {}

    /**
     * Opens the segmenter when {@link #build()} runs; the engine owns it from then on and closes it
     * (also when building fails after opening it).
     */
    public Builder segmenter(Supplier<? extends Segmenter> opener) {
      this.segmenter = Objects.requireNonNull(opener);
      return this;
    }

    public Builder decodeLimits(DecodeLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** Whether {@link #build()} runs the network once so that the first image is not slow. */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /**
     * @throws CutoutException whatever opening or warming up the segmenter throws
     * @throws IllegalStateException when no segmenter was given
     */
    public Cutout build() {
      if (segmenter == null) {
        throw new IllegalStateException("a Cutout needs a segmenter");
      }
      DecodeGate gate = DecodeGate.create(limits);
      long start = System.nanoTime();
      Segmenter opened = Objects.requireNonNull(segmenter.get(), "the opener gave no segmenter");
      double openMs = PhaseTimings.since(start);
      try {
        double warmUpMs = 0;
        if (warmUp) {
          long warm = System.nanoTime();
          opened.segment(newTensor(opened.model()));
          warmUpMs = PhaseTimings.since(warm);
        }
        return new Cutout(opened, gate, openMs, warmUpMs);
      } catch (RuntimeException | Error e) {
        try {
          opened.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
