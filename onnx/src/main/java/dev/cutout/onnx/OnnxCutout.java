package dev.cutout.onnx;

import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds a {@link Cutout} engine that runs its model with ONNX Runtime on the CPU.
 *
 * <pre>{@code
 * try (Cutout cutout = OnnxCutout.builder().model("isnet-fp16").threads(2).build()) {
 *   cutout.remove(Path.of("photo.jpg"), Options.defaults()).write(Path.of("photo.png"), false);
 * }
 * }</pre>
 */
public final class OnnxCutout {
  private OnnxCutout() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Configures the engine; {@link #build()} loads the model and creates the session. */
  public static final class Builder {
    private String model = ModelCatalog.builtIn().defaultModel().id();
    private int threads = Runtime.getRuntime().availableProcessors();
    private ModelStore store;
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
      this.store = ModelStore.at(dir);
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

    /** Whether idle inference threads spin (faster alone, slower beside other work). */
    public Builder spinning(boolean spinning) {
      this.spinning = spinning;
      return this;
    }

    /**
     * @throws CutoutException UNKNOWN_MODEL, MODEL_NOT_INSTALLED, MODEL_CORRUPT, NATIVE_RUNTIME or
     *     INFERENCE_FAILED
     */
    public Cutout build() {
      ModelStore models = store != null ? store : ModelStore.defaultStore();
      ModelSpec spec = models.catalog().require(model);
      int sessionThreads = threads;
      boolean spin = spinning;
      return Cutout.builder()
          .segmenter(() -> OrtSegmenter.create(spec, models.load(spec), sessionThreads, spin))
          .decodeLimits(limits)
          .warmUp(warmUp)
          .build();
    }
  }
}
