package dev.cutout.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cutout.core.Compositor;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.DecodeGate;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ImageEncoder;
import dev.cutout.core.Mask;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Options;
import dev.cutout.core.PhaseTimings;
import dev.cutout.core.Preprocessor;
import dev.cutout.core.RgbaImage;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Removes backgrounds with one catalogued model. Build once, use from any number of threads, close
 * when done: the ONNX Runtime session is created once and reused.
 *
 * <pre>{@code
 * try (Cutout cutout = Cutout.builder().model("isnet-fp16").threads(2).build()) {
 *   cutout.remove(Path.of("photo.jpg"), Options.defaults()).write(Path.of("photo.png"), false);
 * }
 * }</pre>
 */
public final class Cutout implements AutoCloseable {
  private final ModelSpec model;
  private final DecodeGate gate;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final Startup startup;

  /** How long the engine took to become ready, in milliseconds. */
  public record Startup(double sessionCreationMs, double warmUpMs) {}

  private Cutout(Builder b) {
    ModelStore store = ModelStore.at(b.modelsDir);
    this.model = store.catalog().require(b.model);
    this.gate = DecodeGate.create(b.limits);
    long start = System.nanoTime();
    byte[] bytes = store.load(model); // checked against the catalog's SHA-256
    NativeRuntime.prepare(); // before ONNX Runtime loads its native code
    this.env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(b.threads);
      options.setInterOpNumThreads(1);
      // Without spinning, idle inference threads give their core back to decoding and encoding
      // of neighbouring images.
      options.addConfigEntry("session.intra_op.allow_spinning", b.spinning ? "1" : "0");
      this.session = env.createSession(bytes, options);
    } catch (OrtException e) {
      throw new CutoutException(
          ErrorCode.INFERENCE_FAILED, "cannot create a session for " + model.id(), e);
    }
    double sessionMs = PhaseTimings.since(start);
    double warmMs = 0;
    if (b.warmUp) {
      long warm = System.nanoTime();
      FloatBuffer zeros = newTensorBuffer(model);
      infer(zeros);
      warmMs = PhaseTimings.since(warm);
    }
    this.startup = new Startup(sessionMs, warmMs);
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

  public DecodeGate gate() {
    return gate;
  }

  /** Decodes, runs and renders one encoded image file. */
  public CutoutResult remove(Path input, Options options) {
    return remove(gate.read(input), options);
  }

  /** Decodes, runs and renders one encoded image. */
  public CutoutResult remove(byte[] input, Options options) {
    Prepared prepared = prepare(input);
    return render(prepared, segment(prepared), options);
  }

  /** Runs and renders an image already in memory. */
  public CutoutResult remove(BufferedImage input, Options options) {
    Prepared prepared = prepare(RgbaImage.of(input), 0);
    return render(prepared, segment(prepared), options);
  }

  /**
   * The first stage, with no use of the network: decode and fill the input tensor. Pipelines run it
   * on another thread while the previous image is inferred.
   */
  public Prepared prepare(byte[] input) {
    long start = System.nanoTime();
    RgbaImage image = gate.decode(input);
    return prepare(image, PhaseTimings.since(start));
  }

  private Prepared prepare(RgbaImage image, double decodeMs) {
    long start = System.nanoTime();
    FloatBuffer tensor = newTensorBuffer(model);
    Preprocessor.toTensor(image, model, tensor);
    return new Prepared(image, tensor, decodeMs, PhaseTimings.since(start));
  }

  /** The second stage: runs the network and upscales its mask to the image's size. */
  public Segmented segment(Prepared prepared) {
    long start = System.nanoTime();
    float[] probabilities = infer(prepared.tensor);
    double inferenceMs = PhaseTimings.since(start);
    long post = System.nanoTime();
    Mask mask =
        Mask.fromProbabilities(
            probabilities, model.inputSize(), prepared.image.width(), prepared.image.height());
    return new Segmented(mask, inferenceMs, PhaseTimings.since(post));
  }

  /** The third stage, with no use of the network: compose and encode. */
  public CutoutResult render(Prepared prepared, Segmented segmented, Options options) {
    Objects.requireNonNull(options);
    long post = System.nanoTime();
    Compositor.Composite composite = Compositor.compose(prepared.image, segmented.mask, options);
    double composeMs = PhaseTimings.since(post);
    long encode = System.nanoTime();
    byte[] bytes = ImageEncoder.encode(composite, options);
    PhaseTimings timings =
        new PhaseTimings(
            prepared.decodeMs,
            prepared.preprocessMs,
            segmented.inferenceMs,
            segmented.upscaleMs + composeMs,
            PhaseTimings.since(encode));
    return new CutoutResult(bytes, options.format(), composite, segmented.mask, timings);
  }

  /**
   * The raw network run on a filled input tensor, for benchmarks that compare the pipeline with
   * ONNX Runtime alone.
   */
  public float[] infer(FloatBuffer tensor) {
    long[] shape = model.input().shape().stream().mapToLong(Long::longValue).toArray();
    try (OnnxTensor input = OnnxTensor.createTensor(env, tensor.rewind(), shape);
        OrtSession.Result result =
            session.run(Map.of(model.input().name(), input), Set.of(model.output().name()))) {
      Optional<ai.onnxruntime.OnnxValue> out = result.get(model.output().name());
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

  /** A direct buffer the size of the model input, as ONNX Runtime reads without copying. */
  public static FloatBuffer newTensorBuffer(ModelSpec model) {
    int size = model.inputSize();
    return ByteBuffer.allocateDirect(3 * size * size * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new CutoutException(ErrorCode.INFERENCE_FAILED, "cannot close the session", e);
    }
  }

  /** A decoded image and its filled input tensor. */
  public static final class Prepared {
    private final RgbaImage image;
    private final FloatBuffer tensor;
    private final double decodeMs;
    private final double preprocessMs;

    private Prepared(RgbaImage image, FloatBuffer tensor, double decodeMs, double preprocessMs) {
      this.image = image;
      this.tensor = tensor;
      this.decodeMs = decodeMs;
      this.preprocessMs = preprocessMs;
    }

    public RgbaImage image() {
      return image;
    }

    public FloatBuffer tensor() {
      return tensor;
    }
  }

  /** The network's mask for a prepared image. */
  public static final class Segmented {
    private final Mask mask;
    private final double inferenceMs;
    private final double upscaleMs;

    private Segmented(Mask mask, double inferenceMs, double upscaleMs) {
      this.mask = mask;
      this.inferenceMs = inferenceMs;
      this.upscaleMs = upscaleMs;
    }

    public Mask mask() {
      return mask;
    }
  }

  /** Configures a {@link Cutout}. */
  public static final class Builder {
    private String model = ModelCatalog.builtIn().defaultModel().id();
    private int threads = Runtime.getRuntime().availableProcessors();
    private Optional<Path> modelsDir = Optional.empty();
    private DecodeLimits limits = DecodeLimits.DEFAULT;
    private boolean warmUp = true;
    private boolean spinning;

    private Builder() {}

    /** The catalog id of the model, {@code isnet-fp16} (default) or {@code isnet-uint8}. */
    public Builder model(String id) {
      this.model = Objects.requireNonNull(id);
      return this;
    }

    /** Threads for one inference (default: all processors). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new CutoutException(ErrorCode.BAD_OPTION, "threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    /** The model store's folder (default: see {@link ModelStore}). */
    public Builder modelsDir(Path dir) {
      this.modelsDir = Optional.of(dir);
      return this;
    }

    public Builder decodeLimits(DecodeLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** Whether {@link #build()} runs the network once so the first image is not slow. */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /** Whether idle inference threads spin (faster alone, slower beside other work). */
    public Builder spinning(boolean spinning) {
      this.spinning = spinning;
      return this;
    }

    /**
     * @throws CutoutException UNKNOWN_MODEL, MODEL_NOT_INSTALLED, MODEL_CORRUPT or INFERENCE_FAILED
     */
    public Cutout build() {
      return new Cutout(this);
    }
  }
}
