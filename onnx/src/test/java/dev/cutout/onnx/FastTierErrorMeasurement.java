package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.Mask;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Options;
import dev.cutout.models.ModelStore;
import dev.cutout.models.WeightQuantization;
import dev.cutout.models.WeightQuantization.Granularity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the Fast tier's error comes from (issue 14), measured, not a regular test: the name does
 * not end in "Test", so {@code ./test} leaves it out. Run it with {@code ./mvnw -B -ntp -pl
 * core,models,onnx verify -Dtest=FastTierErrorMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Against the Quality model's alpha, on the four photos and the 16 composites: the shipped uint8
 * file (weights and activations quantised), and the float32 ISNet with only its convolution weights
 * rounded to 256 levels, per tensor (as the packager's dynamic quantisation stores them) and per
 * output channel. What the weights alone do not explain comes from quantising activations.
 */
class FastTierErrorMeasurement {

  @Test
  void meanAlphaErrorOfEachQuantisationAgainstQuality() throws IOException {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec fp32 = store.catalog().require("isnet-fp32");
    byte[] widened = Files.readAllBytes(store.path(fp32));
    List<Path> images = new ArrayList<>();
    for (String photo : List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg")) {
      images.add(Testdata.photo(photo));
    }
    images.addAll(Testdata.compositeImages());

    Map<String, Mask[]> masks = new LinkedHashMap<>();
    masks.put(
        "isnet-fp16", run(OnnxCutout.builder().model("isnet-fp16").threads(2).build(), images));
    masks.put(
        "isnet-uint8", run(OnnxCutout.builder().model("isnet-uint8").threads(2).build(), images));
    for (Granularity g : Granularity.values()) {
      WeightQuantization.Result rounded = WeightQuantization.fakeQuantize(widened, g);
      assertThat(rounded.tensors()).as("Conv weight tensors rounded").isEqualTo(114);
      OrtSegmenter segmenter = OrtSegmenter.create(fp32, rounded.model(), 2, false);
      masks.put(
          "weights " + g.name().toLowerCase(java.util.Locale.ROOT),
          run(Cutout.builder().segmenter(() -> segmenter).build(), images));
    }

    Mask[] quality = masks.get("isnet-fp16");
    StringBuilder table = new StringBuilder("image");
    masks.keySet().stream().skip(1).forEach(k -> table.append(" | ").append(k));
    table.append('\n');
    double[] sums = new double[masks.size()];
    for (int i = 0; i < images.size(); i++) {
      table.append(images.get(i).getFileName());
      int m = 0;
      for (Mask[] other : masks.values()) {
        if (other == quality) {
          m++;
          continue;
        }
        double d = meanDifference(other[i], quality[i]);
        sums[m++] += d;
        table.append(String.format(" | %.5f", d));
      }
      table.append('\n');
    }
    table.append("mean");
    for (int m = 1; m < sums.length; m++) {
      table.append(String.format(" | %.5f", sums[m] / images.size()));
    }
    table.append('\n');
    System.out.print("mean |alpha - alpha_quality| (0..1)\n" + table);
    Path out = Path.of("target", "quality");
    Files.createDirectories(out);
    Files.writeString(out.resolve("fast-tier-error.txt"), table);
    assertThat(sums[1]).as("the shipped uint8 file differs from Quality").isPositive();
  }

  private static Mask[] run(Cutout cutout, List<Path> images) {
    try (cutout) {
      Mask[] out = new Mask[images.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = cutout.remove(images.get(i), Options.builder().allowEmpty(true).build()).mask();
      }
      return out;
    }
  }

  private static double meanDifference(Mask a, Mask b) {
    double sum = 0;
    for (int i = 0; i < a.alpha().length; i++) {
      sum += Math.abs((a.alpha()[i] & 0xFF) - (b.alpha()[i] & 0xFF));
    }
    return sum / 255.0 / a.alpha().length;
  }
}
