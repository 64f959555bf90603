package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Options;
import dev.cutout.core.Segmenter;
import dev.cutout.models.ModelInstaller;
import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's bar for Cutout's own Fast model: its mean |α − α_Quality| on the four photos and the
 * 16 developer composites is at most half of the packager's uint8 file's, over all images and over
 * those the activation calibration never saw. All three models run on the same tensor, prepared by
 * the pipeline from each image; the difference is taken on the network's 1024² output.
 */
class FastModelTest {

  @Test
  void cutoutsFastModelHalvesThePackagersErrorAgainstQuality() throws IOException {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec fast = store.catalog().require("isnet-uint8");
    ModelSpec quality = store.catalog().require("isnet-fp16");
    byte[] packaged = ModelInstaller.create(store, line -> {}).original(fast);
    List<Path> images = new ArrayList<>();
    for (String photo : List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg")) {
      images.add(Testdata.photo(photo));
    }
    images.addAll(Testdata.compositeImages());

    double[][] errors = new double[images.size()][];
    try (OrtSegmenter q =
            OrtSegmenter.create(quality, Files.readAllBytes(store.path(quality)), 2, false);
        OrtSegmenter ours =
            OrtSegmenter.create(fast, Files.readAllBytes(store.path(fast)), 2, false);
        OrtSegmenter theirs = OrtSegmenter.create(fast, packaged, 2, false)) {
      int[] at = {0};
      Segmenter all =
          new Segmenter() {
            @Override
            public ModelSpec model() {
              return fast;
            }

            @Override
            public float[] segment(FloatBuffer tensor) {
              float[] reference = q.segment(tensor);
              float[] mine = ours.segment(tensor);
              errors[at[0]] =
                  new double[] {
                    meanDifference(theirs.segment(tensor), reference),
                    meanDifference(mine, reference)
                  };
              return mine;
            }

            @Override
            public void close() {}
          };
      try (Cutout cutout = Cutout.builder().segmenter(() -> all).warmUp(false).build()) {
        for (Path image : images) {
          cutout.remove(image, Options.builder().allowEmpty(true).build());
          at[0]++;
        }
      }
    }

    StringBuilder table =
        new StringBuilder("image | calibrated on | packager's uint8 | Cutout's Fast\n");
    double[] all = new double[2];
    double[] heldOut = new double[2];
    int held = 0;
    for (int i = 0; i < images.size(); i++) {
      boolean calibrated = calibratedOn(images.get(i));
      table.append(
          String.format(
              "%s | %s | %.5f | %.5f%n",
              images.get(i).getFileName(), calibrated ? "yes" : "no", errors[i][0], errors[i][1]));
      for (int m = 0; m < 2; m++) {
        all[m] += errors[i][m] / images.size();
      }
      if (!calibrated) {
        held++;
        heldOut[0] += errors[i][0];
        heldOut[1] += errors[i][1];
      }
    }
    heldOut[0] /= held;
    heldOut[1] /= held;
    table.append(String.format("mean of all %d | | %.5f | %.5f%n", images.size(), all[0], all[1]));
    table.append(
        String.format("mean of %d held out | | %.5f | %.5f%n", held, heldOut[0], heldOut[1]));
    System.out.print("mean |p - p_quality| at 1024²\n" + table);
    Path out = Path.of("target", "quality");
    Files.createDirectories(out);
    Files.writeString(out.resolve("fast-model.txt"), table);

    assertThat(all[0]).as("the packager's file differs from Quality").isPositive();
    assertThat(all[1]).as("Cutout's Fast, all images").isLessThanOrEqualTo(0.5 * all[0]);
    assertThat(heldOut[1])
        .as("Cutout's Fast, images the calibration never saw")
        .isLessThanOrEqualTo(0.5 * heldOut[0]);
  }

  /** Whether ActivationCalibration measured this image (its list, and its even composites). */
  private static boolean calibratedOn(Path image) {
    String name = image.getFileName().toString();
    if (name.startsWith("c") && name.endsWith(".jpg")) {
      return ActivationCalibration.calibratesOn(image);
    }
    return ActivationCalibration.PHOTOS.contains(name);
  }

  private static double meanDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }
}
