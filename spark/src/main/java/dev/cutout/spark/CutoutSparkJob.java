package dev.cutout.spark;

import dev.cutout.core.CutoutException;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ModelCatalog;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spark-submit --class dev.cutout.spark.CutoutSparkJob cutout-spark.jar --input IN --output
 * OUT [options]}: removes the background of every image below IN on the cluster it is submitted to.
 * The master comes from spark-submit (or {@code -Dspark.master}); this class never sets one.
 */
@Command(
    name = "cutout-spark",
    mixinStandardHelpOptions = true,
    version = "cutout-spark (see the jar's version)",
    sortOptions = false,
    description = {
      "Removes the background of every input image on a Spark cluster and writes one manifest row"
          + " per input.",
      "Submit with spark-submit (any master), or run spark/local-run.sh for local mode."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every input written or skipped",
      "1:some inputs failed (see the manifest)",
      "2:bad usage",
      "3:the job failed (model, native runtime, cluster)"
    })
public final class CutoutSparkJob implements Callable<Integer> {
  @Option(
      names = "--input",
      paramLabel = "PATH",
      description =
          "A folder (walked recursively), file or glob on any Hadoop file system; repeatable.")
  List<String> inputs = List.of();

  @Option(
      names = "--input-list",
      paramLabel = "FILE",
      description =
          "A text file of input paths, one per line, or (ending .parquet) a Parquet table with a"
              + " 'path' column: no listing on the driver.")
  String inputList;

  @Option(
      names = "--glob",
      paramLabel = "PATTERN",
      description = "With --input: only file names matching PATTERN, e.g. '*.{jpg,jpeg,png,webp}'.")
  String glob;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "DIR",
      description = "Output folder (created if needed).")
  String output;

  @Option(
      names = "--manifest",
      paramLabel = "DIR",
      description = "Where the manifest goes (default: OUT/_manifests/run-<time>).")
  String manifest;

  @Option(
      names = "--manifest-format",
      paramLabel = "FMT",
      defaultValue = "parquet",
      description = "parquet (default) or csv.")
  String manifestFormat;

  @Option(
      names = "--model",
      paramLabel = "ID",
      description = "isnet-fp16 (Quality, default), isnet-uint8 (Fast) or u2netp (Lite).")
  String model = ModelCatalog.builtIn().defaultModel().id();

  @Option(
      names = "--format",
      paramLabel = "FMT",
      defaultValue = "png",
      description = "png (default), webp or jpeg.")
  String format;

  @Option(names = "--mask-only", description = "Write the mask as a grey image.")
  boolean maskOnly;

  @Option(
      names = "--allow-empty",
      description =
          "Write the result even when no subject is found (else the row fails: NO_SUBJECT).")
  boolean allowEmpty;

  @Option(
      names = "--background",
      paramLabel = "#COLOUR|PATH",
      description =
          "A colour (#rgb, #rrggbb, #rrggbbaa) or the path of an image to put behind the subject.")
  String background;

  @Option(
      names = "--crop",
      arity = "0..1",
      fallbackValue = "0",
      paramLabel = "MARGIN",
      description = "Crop to the subject, leaving MARGIN pixels (or N%%) around it.")
  String crop;

  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      description =
          "A folder on every executor that holds the model. Default: the model file shipped with"
              + " spark-submit --files, else the executor user's ~/.cache/cutout/models.")
  String modelsDir;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      description =
          "Largest input read (default: ${DEFAULT-VALUE}); larger ones fail as TOO_LARGE, unread.")
  long maxBytes = DecodeLimits.DEFAULT.maxBytes();

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Inference threads per task (default: spark.task.cpus).")
  Integer threads;

  @Option(
      names = "--commit",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "rename (temporary file, then rename: HDFS, local), direct (object stores) or auto"
              + " (default: direct for s3a, gs, abfs…).")
  String commit;

  @Option(
      names = "--images-per-task",
      paramLabel = "N",
      defaultValue = "100",
      description = "About this many images per task (default: ${DEFAULT-VALUE}).")
  int imagesPerTask;

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CutoutSparkJob());
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          CutoutException typed = typed(e);
          if (typed != null && typed.code() == dev.cutout.core.ErrorCode.BAD_OPTION) {
            line.getErr().println("cutout-spark: " + typed.getMessage());
            return 2;
          }
          line.getErr()
              .println(
                  "cutout-spark: the job failed: "
                      + (typed != null ? typed.getMessage() + " [" + typed.code() + "]" : e));
          e.printStackTrace(line.getErr());
          return 3;
        });
    return cli;
  }

  /** The library's typed error inside {@code e}, if there is one (Spark wraps task failures). */
  static CutoutException typed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CutoutException c) {
        return c;
      }
    }
    return null;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (inputs.isEmpty() == (inputList == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give either --input (one or more) or --input-list");
    }
    if (glob != null && inputList != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--glob needs --input");
    }
    Job.ManifestFormat manifestAs =
        enumOption("--manifest-format", manifestFormat, Job.ManifestFormat.class);
    JobSpec.Commit commitAs = enumOption("--commit", commit, JobSpec.Commit.class);
    if (imagesPerTask < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--images-per-task must be at least 1");
    }
    ModelCatalog.builtIn().require(model); // UNKNOWN_MODEL before any cluster work

    SparkSession spark = SparkSession.builder().appName("cutout").getOrCreate();
    try {
      int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
      org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
      String qualified =
          out.getFileSystem(spark.sparkContext().hadoopConfiguration())
              .makeQualified(out)
              .toString();
      JobSpec job =
          new JobSpec(
              qualified,
              model,
              format,
              maskOnly,
              allowEmpty,
              background,
              crop,
              modelsDir,
              maxBytes,
              threads != null ? threads : taskCpus,
              commitAs);
      String manifestDir =
          manifest != null
              ? manifest
              : new org.apache.hadoop.fs.Path(
                      qualified,
                      "_manifests/run-"
                          + LocalDateTime.now()
                              .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                          + "-"
                          + spark.sparkContext().applicationId())
                  .toString();
      Dataset<Row> rows =
          inputList != null
              ? Inputs.named(spark, inputList, inputList.endsWith(".parquet"))
              : Inputs.listed(spark, inputs, glob);
      long start = System.nanoTime();
      Job.Summary summary = Job.run(spark, rows, job, manifestDir, manifestAs, imagesPerTask);
      double seconds = (System.nanoTime() - start) / 1e9;
      err.printf(
          "cutout-spark: %d written, %d skipped, %d failed%s in %.1f s; manifest %s%n",
          summary.count(Manifest.WRITTEN),
          summary.count(Manifest.SKIPPED),
          summary.count(Manifest.FAILED),
          summary.byErrorCode().isEmpty() ? "" : " " + summary.byErrorCode(),
          seconds,
          summary.manifest());
      err.flush();
      return summary.count(Manifest.FAILED) == 0 ? 0 : 1;
    } finally {
      spark.stop();
    }
  }

  private <E extends Enum<E>> E enumOption(String name, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), name + ": unknown value '" + value + "'");
    }
  }
}
