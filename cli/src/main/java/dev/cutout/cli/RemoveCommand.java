package dev.cutout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutout.core.Background;
import dev.cutout.core.Batch;
import dev.cutout.core.CropMargin;
import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.DecodeGate;
import dev.cutout.core.DecodeLimits;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.OutputFormat;
import dev.cutout.core.PhaseTimings;
import dev.cutout.core.SubjectBox;
import dev.cutout.onnx.OnnxCutout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cutout remove}: files, folders and standard input. */
@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = {
      "Removes the background of each image.",
      "Without -o, photo.jpg becomes photo.cutout.png beside it; with -o DIR, DIR/photo.png.",
      "Folders are walked recursively. '-' reads standard input and writes standard output."
    })
final class RemoveCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The one set of decode limits: the engine reads every input with them, and the background. */
  private static final DecodeLimits LIMITS = DecodeLimits.DEFAULT;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "Image files, folders, or '-'.")
  List<String> inputs;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT_DIR",
      description = "Folder for the outputs.")
  Path outDir;

  @Option(
      names = "--model",
      paramLabel = "ID",
      description = "isnet-fp16 (Quality, default), isnet-uint8 (Fast) or u2netp (Lite).")
  String model;

  @Option(
      names = "--format",
      paramLabel = "FMT",
      defaultValue = "png",
      description = "png (default), webp or jpeg.")
  String format;

  @Option(names = "--mask-only", description = "Write the mask as a grey image.")
  boolean maskOnly;

  @Option(
      names = "--background",
      paramLabel = "COLOUR|IMAGE",
      description = "#rgb, #rrggbb, #rrggbbaa, or an image file to put behind the subject.")
  String background;

  @Option(
      names = "--crop",
      arity = "0..1",
      fallbackValue = "0",
      paramLabel = "MARGIN",
      description = "Crop to the subject, leaving MARGIN pixels (or N%%) around it.")
  String crop;

  @Option(
      names = "--roi",
      paramLabel = "X1,Y1,X2,Y2",
      description = {
        "The subject box: only what is inside it can be subject. Corners inclusive, in pixels of",
        "the image as shown (after EXIF orientation), or percentages such as 5%%."
      })
  String roi;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Inference threads (default: all cores).")
  Integer threads;

  @Option(
      names = "--allow-empty",
      description =
          "Write the result even when no subject is found (an all but transparent image);"
              + " otherwise such an image fails with NO_SUBJECT.")
  boolean allowEmpty;

  @Option(names = "--overwrite", description = "Replace existing outputs (never an input).")
  boolean overwrite;

  @Option(names = "--json", description = "Print one JSON line per image, with phase timings.")
  boolean json;

  @Option(
      names = "--watch",
      description = {
        "Watch the one input folder: process its images, then each new or replaced one once it",
        "is complete (unchanged for 1 s), until Ctrl+C (exit code 130). Needs -o OUT_DIR."
      })
  boolean watch;

  @Mixin ModelOptions models;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    dev.cutout.core.Options options = options();
    PrintWriter err = spec.commandLine().getErr();
    if (watch) {
      return watch(options, err);
    }
    if (inputs.contains("-")) {
      if (inputs.size() > 1) {
        throw new CutoutException(
            ErrorCode.BAD_OPTION, "'-' (standard input) must be the only input");
      }
      try (Cutout cutout = engine()) {
        byte[] bytes = cutout.gate().read(System.in);
        CutoutResult result = cutout.remove(bytes, options);
        System.out.write(result.bytes());
        System.out.flush();
        if (json) {
          err.println(JSON.writeValueAsString(report("-", "-", result)));
        }
      }
      return ExitCodes.OK;
    }

    List<Path> paths = inputs.stream().map(Path::of).toList();
    List<Inputs.Planned> plans =
        outDir == null
            ? Inputs.besideInputs(paths, options.format())
            : Inputs.into(outDir, paths, options.format());
    int failures = 0;
    List<Batch.Item<Inputs.Planned>> items = new ArrayList<>();
    Progress progress = new Progress(err, !json && Progress.onTerminal(), plans.size());
    for (Inputs.Planned plan : plans) {
      switch (plan) {
        case Inputs.Planned.Refused refused -> {
          failures++;
          reportFailure(refused, refused.problem(), progress);
        }
        case Inputs.Planned.Ready ready when !overwrite && Files.exists(ready.output()) -> {
          failures++;
          reportFailure(
              ready,
              new CutoutException(ErrorCode.OUTPUT_EXISTS, existsMessage(ready.output())),
              progress);
        }
        case Inputs.Planned.Ready ready -> items.add(item(ready, overwrite));
      }
    }
    if (items.isEmpty()) {
      progress.finish();
      return failures == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
    try (Cutout cutout = engine()) {
      failures += Batch.run(cutout, items, options, printer(progress));
    }
    progress.finish();
    if (failures > 0 && !json) {
      err.println(failures + " of " + plans.size() + " images failed");
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
  }

  /**
   * {@code --watch}: the folder's images, then each new one, until stopped; one engine throughout,
   * each round of complete files one batch, printed like the folder mode's.
   */
  private int watch(dev.cutout.core.Options options, PrintWriter err) {
    FolderWatch folder = FolderWatch.of(inputs, outDir, options.format(), overwrite, err);
    Batch.Listener<Inputs.Planned> lines = printer(new Progress(err, false, 0));
    return folder.run(
        this::engine,
        (cutout, jobs) ->
            Batch.run(
                cutout,
                jobs.stream().map(job -> item(job.plan(), job.replace())).toList(),
                options,
                lines));
  }

  /** Prints each image's line as the batch finishes it: the folder mode's and the watch's. */
  private Batch.Listener<Inputs.Planned> printer(Progress progress) {
    return new Batch.Listener<>() {
      @Override
      public void done(Batch.Item<Inputs.Planned> item, CutoutResult result, double wallMs) {
        Inputs.Planned p = item.name();
        if (json) {
          spec.commandLine()
              .getOut()
              .println(toJson(report(p.input().toString(), p.output().toString(), result)));
        } else {
          progress.line(String.format("ok    %s -> %s (%.0f ms)", p.input(), p.output(), wallMs));
        }
        progress.advance();
      }

      @Override
      public void failed(Batch.Item<Inputs.Planned> item, CutoutException error) {
        reportFailure(item.name(), error, progress);
        progress.advance();
      }
    };
  }

  /**
   * One image for the batch: read through the engine's decode gate, written with {@code replace}
   * saying whether an existing output is replaced.
   */
  private Batch.Item<Inputs.Planned> item(Inputs.Planned.Ready plan, boolean replace) {
    return new Batch.Item<>(
        plan, gate -> gate.read(plan.input()), result -> write(result, plan.output(), replace));
  }

  private void write(CutoutResult result, Path target, boolean replace) {
    try {
      result.write(target, replace);
    } catch (CutoutException e) {
      if (e.code() != ErrorCode.OUTPUT_EXISTS) {
        throw e;
      }
      throw new CutoutException(ErrorCode.OUTPUT_EXISTS, existsMessage(target), e);
    }
  }

  /** The library says that an output exists; the command line also says what to do about it. */
  private static String existsMessage(Path target) {
    return target + " exists (pass --overwrite to replace it)";
  }

  private void reportFailure(Inputs.Planned plan, CutoutException error, Progress progress) {
    if (json) {
      ObjectNode line = JSON.createObjectNode();
      line.put("input", plan.input().toString());
      ObjectNode e = line.putObject("error");
      e.put("code", error.code().name());
      e.put("message", error.getMessage());
      spec.commandLine().getOut().println(toJson(line));
    } else {
      progress.line(
          "error " + plan.input() + ": " + error.getMessage() + " [" + error.code() + "]");
    }
  }

  private static String toJson(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.IO_ERROR, "cannot write JSON", e);
    }
  }

  private static ObjectNode report(String input, String output, CutoutResult result) {
    ObjectNode line = JSON.createObjectNode();
    line.put("input", input);
    line.put("output", output);
    line.put("width", result.width());
    line.put("height", result.height());
    line.put("bytes", result.bytes().length);
    PhaseTimings t = result.timings();
    ObjectNode ms = line.putObject("ms");
    ms.put("decode", round(t.decodeMs()));
    ms.put("preprocess", round(t.preprocessMs()));
    ms.put("inference", round(t.inferenceMs()));
    ms.put("postprocess", round(t.postprocessMs()));
    ms.put("encode", round(t.encodeMs()));
    ms.put("total", round(t.totalMs()));
    return line;
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  private Cutout engine() {
    OnnxCutout.Builder b = OnnxCutout.builder().decodeLimits(LIMITS);
    if (model != null) {
      b.model(model);
    }
    if (threads != null) {
      b.threads(threads);
    }
    if (models.modelsDir != null) {
      b.modelsDir(models.modelsDir);
    }
    return b.build();
  }

  private dev.cutout.core.Options options() {
    dev.cutout.core.Options.Builder b =
        dev.cutout.core.Options.builder()
            .format(OutputFormat.parse(format))
            .maskOnly(maskOnly)
            .allowEmpty(allowEmpty);
    if (background != null) {
      b.background(parseBackground(background));
    }
    if (crop != null) {
      b.crop(CropMargin.parse(crop));
    }
    if (roi != null) {
      b.subjectBox(SubjectBox.parse(roi));
    }
    return b.build();
  }

  private static Background parseBackground(String value) {
    if (value.startsWith("#") || value.matches("[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8}")) {
      if (!Files.exists(Path.of(value))) {
        return Background.parseColor(value);
      }
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new CutoutException(
          ErrorCode.BAD_OPTION, "--background is neither a colour nor an image file: " + value);
    }
    DecodeGate gate = DecodeGate.create(LIMITS);
    return Background.image(gate.decode(gate.read(file)));
  }
}
