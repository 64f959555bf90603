package dev.cutout.spark;

import dev.cutout.core.Background;
import dev.cutout.core.CropMargin;
import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Options;
import dev.cutout.core.OutputFormat;
import dev.cutout.onnx.OnnxCutout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;

/**
 * One engine per executor JVM and per setting that shapes it (model, where the model comes from,
 * threads): created by the first task that needs it, then shared by every task and partition that
 * runs in this JVM, closed when the JVM ends. Tasks running at once share it; the engine allows
 * that, and ONNX Runtime runs one session from several threads.
 */
final class ExecutorEngines {
  private static final Map<String, Cutout> ENGINES = new ConcurrentHashMap<>();
  private static final Map<String, Options> OPTIONS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("cutout-engines-close")
                .unstarted(() -> ENGINES.values().forEach(Cutout::close)));
  }

  private ExecutorEngines() {}

  /**
   * The engine for {@code spec} in this JVM.
   *
   * @throws CutoutException MODEL_NOT_INSTALLED or MODEL_CORRUPT (a shipped or installed file that
   *     does not hash to the catalog's SHA-256), NATIVE_RUNTIME, UNKNOWN_MODEL: these fail the
   *     task, since no image of it could succeed
   */
  static Cutout engine(JobSpec spec) {
    Path modelsDir = modelsDir(spec);
    String key = spec.model() + "|" + modelsDir + "|" + spec.threads() + "|" + spec.maxBytes();
    return ENGINES.computeIfAbsent(
        key,
        k -> {
          OnnxCutout.Builder b =
              OnnxCutout.builder()
                  .model(spec.model())
                  .threads(spec.threads())
                  .decodeLimits(new DecodeLimits(spec.maxBytes(), DecodeLimits.DEFAULT.maxPixels()))
                  .warmUp(false);
          if (modelsDir != null) {
            b.modelsDir(modelsDir);
          }
          return b.build();
        });
  }

  /**
   * Where the executor finds the model: {@code --models-dir} when given (a folder on every
   * executor, e.g. baked into the image); else the file shipped with {@code spark-submit --files},
   * which Spark puts in {@link SparkFiles#getRootDirectory()}; else null, the default store of the
   * user the executor runs as.
   */
  static Path modelsDir(JobSpec spec) {
    if (spec.modelsDir() != null) {
      return Path.of(spec.modelsDir());
    }
    ModelSpec model = ModelCatalog.builtIn().require(spec.model());
    Path shipped = Path.of(SparkFiles.get(model.file()));
    return Files.isRegularFile(shipped) ? shipped.getParent() : null;
  }

  /** The library's options for {@code spec}; a background image is read once per JVM. */
  static Options options(JobSpec spec, Configuration hadoop) {
    return OPTIONS.computeIfAbsent(
        spec.outputKey() + "\nallow-empty=" + spec.allowEmpty(), key -> build(spec, hadoop));
  }

  private static Options build(JobSpec spec, Configuration hadoop) {
    Options.Builder b =
        Options.builder()
            .format(OutputFormat.parse(spec.format()))
            .maskOnly(spec.maskOnly())
            .allowEmpty(spec.allowEmpty());
    if (spec.background() != null) {
      b.background(background(spec, hadoop));
    }
    if (spec.crop() != null) {
      b.crop(CropMargin.parse(spec.crop()));
    }
    return b.build();
  }

  private static Background background(JobSpec spec, Configuration hadoop) {
    String value = spec.background();
    if (value.startsWith("#")) {
      return Background.parseColor(value);
    }
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(value);
    Cutout cutout = engine(spec);
    try (FileSystem fs = FileSystem.newInstance(file.toUri(), hadoop);
        InputStream in = fs.open(file)) {
      return Background.image(cutout.gate().decode(cutout.gate().read(in)));
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION, "cannot read the background image " + value + ": " + e, e);
    }
  }
}
