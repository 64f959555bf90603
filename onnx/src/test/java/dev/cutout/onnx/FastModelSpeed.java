package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelInstaller;
import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a regular test (the name does not end in "Test"): native inference time of
 * Cutout's Fast model against the packager's uint8 file it is derived from, and the Quality model,
 * on 2 threads, runs interleaved (A B C, A B C, …) so that the machine's drift falls on all three.
 * Run it on a quiet machine with {@code ./mvnw -B -ntp -pl core,models,onnx verify
 * -Dtest=FastModelSpeed -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dcutout.rounds=N} sets
 * the rounds (default 9). Prints each model's median and the medians of the per-round ratios.
 */
class FastModelSpeed {

  @Test
  void timesTheFastModelsAgainstEachOther() throws IOException {
    int rounds = Integer.getInteger("cutout.rounds", 9);
    ModelStore store = ModelStore.defaultStore();
    ModelSpec fast = store.catalog().require("isnet-uint8");
    ModelSpec quality = store.catalog().require("isnet-fp16");
    byte[] packaged = ModelInstaller.create(store, line -> {}).original(fast);
    int n = 3 * fast.inputSize() * fast.inputSize();
    FloatBuffer tensor =
        ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Random random = new Random(1);
    for (int i = 0; i < n; i++) {
      tensor.put(i, random.nextFloat() - 0.5f);
    }
    String[] names = {"packager's uint8", "Cutout's Fast", "Quality fp16"};
    double[][] ms = new double[3][rounds];
    try (OrtSegmenter theirs = OrtSegmenter.create(fast, packaged, 2, false);
        OrtSegmenter ours =
            OrtSegmenter.create(fast, Files.readAllBytes(store.path(fast)), 2, false);
        OrtSegmenter q =
            OrtSegmenter.create(quality, Files.readAllBytes(store.path(quality)), 2, false)) {
      OrtSegmenter[] all = {theirs, ours, q};
      for (OrtSegmenter s : all) {
        s.segment(tensor); // first run: allocations, kernel choices
      }
      for (int r = 0; r < rounds; r++) {
        for (int m = 0; m < 3; m++) {
          long start = System.nanoTime();
          all[m].segment(tensor);
          ms[m][r] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    double[] ratioOurs = new double[rounds];
    double[] ratioQuality = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratioOurs[r] = ms[1][r] / ms[0][r];
      ratioQuality[r] = ms[2][r] / ms[0][r];
    }
    for (int m = 0; m < 3; m++) {
      System.out.printf(
          "%s: median %.0f ms over %d runs %s%n",
          names[m], median(ms[m]), rounds, Arrays.toString(round(ms[m])));
    }
    System.out.printf(
        "median ratio Cutout's Fast / packager's: %.3f; Quality / packager's: %.3f; load %s%n",
        median(ratioOurs), median(ratioQuality), loadAverage());
    assertThat(median(ms[1])).isPositive();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }

  private static String loadAverage() {
    try {
      return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
