package dev.cutout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutout.core.Batch;
import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cutout bench}: the native pipeline against ONNX Runtime alone, in one process, image by
 * image, so that machine noise affects both sides of each ratio alike.
 *
 * <p>"ONNX Runtime alone" is the segmenter's own time within the same {@code remove}: the inference
 * phase of {@link dev.cutout.core.PhaseTimings}, which spans exactly the segmenter's run (input
 * tensor handed over, {@code session.run}, output copied back) and nothing of the pipeline around
 * it.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures end-to-end time per image against the raw ONNX Runtime run time.",
      "Default images: testdata/composites/images."
    })
final class BenchCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Images or folders.")
  List<Path> images = new ArrayList<>();

  @Option(names = "--model", defaultValue = "isnet-fp16", paramLabel = "ID")
  String model;

  @Option(names = "--threads", defaultValue = "2", paramLabel = "N")
  int threads;

  @Option(
      names = "--rounds",
      defaultValue = "1",
      paramLabel = "N",
      description = "Passes over the images.")
  int rounds;

  @Option(names = "--spinning", description = "Let idle inference threads spin (default: off).")
  boolean spinning;

  @Mixin ModelOptions models;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = collect();
    OnnxCutout.Builder builder =
        OnnxCutout.builder().model(model).threads(threads).spinning(spinning);
    if (models.modelsDir != null) {
      builder.modelsDir(models.modelsDir);
    }
    List<Double> raw = new ArrayList<>();
    List<Double> sequential = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    double batchPerImage;
    try (Cutout cutout = builder.build()) {
      out.printf(
          "model %s, %d threads, %d images, session %.0f ms, warm-up %.0f ms%n",
          model,
          threads,
          files.size(),
          cutout.startup().sessionCreationMs(),
          cutout.startup().warmUpMs());
      out.printf("%-28s %10s %10s %7s%n", "image", "ort ms", "e2e ms", "ratio");
      for (int round = 0; round < rounds; round++) {
        for (Path file : files) {
          long start = System.nanoTime();
          CutoutResult result = cutout.remove(file, Options.defaults());
          double e2eMs = (System.nanoTime() - start) / 1e6;
          double ortMs = result.timings().inferenceMs();
          if (result.bytes().length == 0) {
            throw new CutoutException(ErrorCode.IO_ERROR, "empty output for " + file);
          }
          raw.add(ortMs);
          sequential.add(e2eMs);
          ratios.add(e2eMs / ortMs);
          out.printf(
              "%-28s %10.1f %10.1f %7.3f%n", file.getFileName(), ortMs, e2eMs, e2eMs / ortMs);
        }
      }
      batchPerImage = batch(cutout, files);
    }
    double ort = median(raw);
    ObjectNode summary = new ObjectMapper().createObjectNode();
    summary.put("model", model);
    summary.put("threads", threads);
    summary.put("spinning", spinning);
    summary.put("images", files.size());
    summary.put("median_ort_ms", round(ort));
    summary.put("median_sequential_ms", round(median(sequential)));
    summary.put("median_sequential_ratio", round(median(ratios)));
    summary.put("batch_ms_per_image", round(batchPerImage));
    summary.put("batch_ratio", round(batchPerImage / ort));
    out.printf(
        "median ORT %.1f ms | sequential end-to-end %.1f ms (median ratio %.3f) | "
            + "pipelined batch %.1f ms/image (%.3f x ORT)%n",
        ort, median(sequential), median(ratios), batchPerImage, batchPerImage / ort);
    out.println(summary);
    return ExitCodes.OK;
  }

  /** The pipelined batch, as {@code cutout remove} runs it, writing into a temporary folder. */
  private double batch(Cutout cutout, List<Path> files) throws IOException {
    Path dir = Files.createTempDirectory("cutout-bench");
    try {
      List<Batch.Item<Path>> items = new ArrayList<>();
      for (Path file : files) {
        Path target = dir.resolve(file.getFileName() + ".png");
        items.add(new Batch.Item<>(file, gate -> gate.read(file), r -> r.write(target, true)));
      }
      long start = System.nanoTime();
      // A failed image makes the figure meaningless: the listener ends the batch, and run()
      // throws that image's error.
      Batch.run(
          cutout,
          items,
          Options.defaults(),
          new Batch.Listener<>() {
            @Override
            public void done(Batch.Item<Path> item, CutoutResult result, double wallMs) {}

            @Override
            public void failed(Batch.Item<Path> item, CutoutException error) {
              throw error;
            }
          });
      return (System.nanoTime() - start) / 1e6 / files.size();
    } finally {
      try (Stream<Path> leftovers = Files.list(dir)) {
        for (Path p : leftovers.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private List<Path> collect() throws IOException {
    return ImageFiles.collect(images, Path.of("testdata", "composites", "images"));
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
