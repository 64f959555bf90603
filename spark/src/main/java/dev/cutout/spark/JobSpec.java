package dev.cutout.spark;

import dev.cutout.core.CropMargin;
import dev.cutout.core.OutputFormat;
import java.io.Serializable;

/**
 * What one run of the job does to every image: the settings that travel from the driver to the
 * executors, in plain values (the library's {@code Options} are built on the executor).
 *
 * @param output the output folder (a Hadoop path: file:, hdfs:, s3a:, gs:, …)
 * @param model the catalog id of the model
 * @param format png, webp or jpeg
 * @param maskOnly write the mask as a grey image
 * @param allowEmpty write a result without a subject instead of failing it with NO_SUBJECT
 * @param background a colour ({@code #rrggbb}) or a Hadoop path of an image, or null
 * @param crop the crop margin ({@code 0}, {@code 12}, {@code 5%}), or null for no crop
 * @param modelsDir a folder present on every executor that holds the model, or null (then a model
 *     shipped with {@code --files}, else the executor's default store)
 * @param maxBytes the largest input read; larger files are a manifest row, never read
 * @param threads inference threads per task ({@code spark.task.cpus})
 * @param commit how outputs reach their final name
 */
public record JobSpec(
    String output,
    String model,
    String format,
    boolean maskOnly,
    boolean allowEmpty,
    String background,
    String crop,
    String modelsDir,
    long maxBytes,
    int threads,
    Commit commit)
    implements Serializable {

  /** How an output is made visible under its final name. */
  public enum Commit {
    /**
     * Written under a temporary name, then renamed: file systems with atomic rename (HDFS, local).
     */
    RENAME,
    /** Written straight to its name: object stores, where an object appears only when closed. */
    DIRECT,
    /**
     * DIRECT for the object-store schemes (s3, s3a, gs, abfs, wasb, oss, cos), RENAME otherwise.
     */
    AUTO
  }

  public JobSpec {
    OutputFormat.parse(format); // fails early, on the driver, with BAD_OPTION
    if (crop != null) {
      CropMargin.parse(crop);
    }
  }

  /**
   * The settings that change an output's bytes, in one canonical line: part of each output's name,
   * so that a rerun with other settings never mistakes an old output for its own.
   */
  String outputKey() {
    return String.join(
        "\n",
        "model=" + model,
        "format=" + OutputFormat.parse(format).name(),
        "mask-only=" + maskOnly,
        "background=" + (background == null ? "" : background),
        "crop=" + (crop == null ? "" : crop));
  }
}
