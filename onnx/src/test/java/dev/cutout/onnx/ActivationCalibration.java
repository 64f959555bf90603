package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cutout.core.Cutout;
import dev.cutout.core.ModelSpec;
import dev.cutout.core.Options;
import dev.cutout.core.Segmenter;
import dev.cutout.models.ChannelQuantization;
import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes the Fast model's activation caps (models/src/main/resources/dev/cutout/models/
 * isnet-fast-caps.json), a tool, not a regular test: the name does not end in "Test". Run it with
 * {@code ./mvnw -B -ntp -pl core,models,onnx verify -Dtest=ActivationCalibration
 * -Dsurefire.failIfNoSpecifiedTests=false}; the installer derives a different Fast model (and the
 * catalog's SHA-256 must follow) whenever the file changes.
 *
 * <p>The float32 ISNet runs on the calibration photos through Cutout's own pipeline (same decode,
 * resize and normalisation as every run), with every tensor that the Fast model quantises at run
 * time exposed as an output. Each tensor's cap is the largest of its per-photo {@value #PERCENTILE}
 * th percentiles (and the lowest of the mirrored ones, never above 0): values beyond it are rare
 * outliers that would otherwise set the quantisation step for the whole tensor.
 *
 * <p>The photos: half of the developer composites and two of the four photos. The other half and
 * the other two photos never reach the calibration, so the measurement on them
 * (FastModelMeasurement) says how the caps carry over to photos they were not fitted on.
 */
class ActivationCalibration {
  static final double PERCENTILE = 99.99;

  /** Calibration photos; every other composite and photo is held out. */
  static final List<String> PHOTOS = List.of("astronaut.png", "coffee.png");

  static final int SAMPLES = 1 << 21;

  /** Whether a developer composite takes part in the calibration (the even-numbered ones). */
  static boolean calibratesOn(Path composite) {
    String name = composite.getFileName().toString();
    return Integer.parseInt(name.substring(1, 4)) % 2 == 0;
  }

  @Test
  void writesTheFastModelsCaps() throws IOException, OrtException {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec fp32 = store.catalog().require("isnet-fp32");
    byte[] quantised = Files.readAllBytes(store.path(store.catalog().require("isnet-uint8")));
    List<String> tensors = ChannelQuantization.quantisedInputs(quantised);
    byte[] exposed = ChannelQuantization.exposing(Files.readAllBytes(store.path(fp32)), tensors);

    List<Path> images = new java.util.ArrayList<>();
    for (String photo : PHOTOS) {
      images.add(Testdata.photo(photo));
    }
    Testdata.compositeImages().stream()
        .filter(ActivationCalibration::calibratesOn)
        .forEach(images::add);

    Map<String, float[]> caps = new LinkedHashMap<>();
    for (String t : tensors) {
      caps.put(t, new float[] {0, 0});
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(exposed, options)) {
        Segmenter measuring = new Measuring(fp32, env, session, tensors, caps);
        try (Cutout cutout = Cutout.builder().segmenter(() -> measuring).build()) {
          for (Path image : images) {
            cutout.remove(image, Options.builder().allowEmpty(true).build());
            System.out.println("calibrated on " + image.getFileName());
          }
        }
      }
    }

    // written by hand: this module does not read Jackson's module
    StringBuilder json = new StringBuilder("{\n  \"calibration\": {\n");
    json.append(
        "    \"tool\": \"onnx/src/test/java/dev/cutout/onnx/ActivationCalibration.java\",\n");
    json.append("    \"model\": \"isnet-fp32\",\n");
    json.append("    \"percentile\": ").append(PERCENTILE).append(",\n");
    json.append("    \"images\": [");
    for (int i = 0; i < images.size(); i++) {
      json.append(i == 0 ? "\"" : ", \"").append(images.get(i).getFileName()).append('"');
    }
    json.append("]\n  },\n  \"caps\": {\n");
    int i = 0;
    for (Map.Entry<String, float[]> e : caps.entrySet()) {
      json.append("    \"")
          .append(e.getKey())
          .append("\": [")
          .append(e.getValue()[0])
          .append(", ")
          .append(e.getValue()[1])
          .append(++i < caps.size() ? "],\n" : "]\n");
    }
    json.append("  }\n}\n");
    Path out =
        Path.of("..", "models", "src", "main", "resources", "dev", "cutout", "models")
            .resolve("isnet-fast-caps.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    assertThat(caps).hasSize(tensors.size());
    assertThat(caps.values()).allSatisfy(c -> assertThat(c[1]).isPositive());
  }

  /** Runs the exposing model, widens each tensor's cap, and hands the mask on. */
  private record Measuring(
      ModelSpec model,
      OrtEnvironment env,
      OrtSession session,
      List<String> tensors,
      Map<String, float[]> caps)
      implements Segmenter {
    @Override
    public float[] segment(FloatBuffer tensor) {
      long[] shape = model.input().shape().stream().mapToLong(Long::longValue).toArray();
      try (OnnxTensor input = OnnxTensor.createTensor(env, tensor.duplicate().rewind(), shape);
          OrtSession.Result result = session.run(Map.of(model.input().name(), input))) {
        for (String t : tensors) {
          float[] values = values(result.get(t).orElseThrow());
          float[] cap = caps.get(t);
          cap[0] = Math.min(cap[0], percentile(values, 100 - PERCENTILE));
          cap[1] = Math.max(cap[1], percentile(values, PERCENTILE));
        }
        return values(result.get(model.output().name()).orElseThrow());
      } catch (OrtException e) {
        throw new UncheckedIOException(new IOException(e));
      }
    }

    @Override
    public void close() {}
  }

  private static float[] values(OnnxValue value) {
    FloatBuffer b = ((OnnxTensor) value).getFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  /** The p-th percentile of an evenly strided sample of at most {@value #SAMPLES} values. */
  static float percentile(float[] values, double p) {
    int stride = Math.max(1, values.length / SAMPLES);
    float[] sample = new float[(values.length + stride - 1) / stride];
    for (int i = 0, j = 0; i < values.length; i += stride, j++) {
      sample[j] = values[i];
    }
    Arrays.sort(sample);
    int at = (int) Math.round(p / 100 * (sample.length - 1));
    return sample[Math.clamp(at, 0, sample.length - 1)];
  }
}
