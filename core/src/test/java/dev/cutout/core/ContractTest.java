package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The processing contract's arithmetic, on the worked examples of {@code contract-cases.json},
 * which the web app's {@code web/test/contract.test.ts} checks too.
 */
class ContractTest {
  private static final JsonNode CASES = load();

  @ParameterizedTest(name = "{0}")
  @MethodSource("resizeTaps")
  void resizeTaps(JsonNode c) {
    BilinearAxis axis = new BilinearAxis(c.get("src").asInt(), c.get("dst").asInt());
    assertThat(axis.lo).containsExactly(ints(c.get("lo")));
    assertThat(axis.hi).containsExactly(ints(c.get("hi")));
    assertThat(axis.frac).containsExactly(floats(c.get("frac")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tensor")
  void tensor(JsonNode c) {
    checkTensor(c, "255", 255);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputScale")
  void inputScale(JsonNode c) {
    checkTensor(c, "image-max", c.get("divisor").asDouble());
  }

  private static void checkTensor(JsonNode c, String inputScale, double divisor) {
    int width = c.get("width").asInt();
    int size = c.get("size").asInt();
    int[] argb = new int[width * c.get("height").asInt()];
    for (int i = 0; i < argb.length; i++) {
      int[] p = ints(c.get("pixels").get(i));
      argb[i] = p[3] << 24 | p[0] << 16 | p[1] << 8 | p[2];
    }
    ModelSpec model =
        model(size, doubles(c.get("mean")), doubles(c.get("std")), inputScale, "none");
    FloatBuffer tensor = FloatBuffer.allocate(3 * size * size);
    Preprocessor.toTensor(new RgbaImage(width, argb.length / width, argb, true), model, tensor);

    double tolerance = CASES.get("tensor").get("tolerance").asDouble();
    int plane = size * size;
    for (JsonNode sample : c.get("samples")) {
      int x = sample.get(0).asInt();
      int y = sample.get(1).asInt();
      for (int channel = 0; channel < 3; channel++) {
        double value = sample.get(2 + channel).asDouble();
        double expected = (value / divisor - model.mean().get(channel)) / model.std().get(channel);
        assertThat((double) tensor.get(channel * plane + y * size + x))
            .as("channel %d at (%d, %d)", channel, x, y)
            .isCloseTo(expected, within(tolerance));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outputScaling")
  void outputScaling(JsonNode c) {
    float[] output = floats(c.get("output"));
    ModelSpec model = model(1, List.of(0.5, 0.5, 0.5), List.of(1.0, 1.0, 1.0), "255", "min-max");
    assertThat(Mask.scaled(output, model))
        .containsExactly(floats(c.get("expect")), org.assertj.core.data.Offset.offset(1e-6f));
  }

  static Stream<Named<JsonNode>> inputScale() {
    return named(CASES.get("inputScale"));
  }

  static Stream<Named<JsonNode>> outputScaling() {
    return named(CASES.get("outputScaling"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("maskUpscale")
  void maskUpscale(JsonNode c) {
    int size = c.get("size").asInt();
    float[] probabilities;
    if (c.has("fill")) {
      probabilities = new float[size * size];
      Arrays.fill(probabilities, (float) c.get("fill").asDouble());
      for (JsonNode set : c.path("set")) {
        probabilities[set.get(0).asInt()] = (float) set.get(1).asDouble();
      }
    } else {
      probabilities = floats(c.get("probabilities"));
    }
    int width = c.get("width").asInt();
    Mask mask = Mask.fromProbabilities(probabilities, size, width, c.get("height").asInt());

    // Java keeps the mask as alpha: each expected probability as its rounded alpha value
    int[] expected =
        IntStream.range(0, c.get("expect").size())
            .map(i -> Mask.alpha((float) c.get("expect").get(i).asDouble()))
            .toArray();
    int[] actual =
        IntStream.range(0, mask.alpha().length).map(i -> mask.alpha()[i] & 0xFF).toArray();
    assertThat(mask.width()).isEqualTo(width);
    assertThat(actual).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alpha")
  void alpha(JsonNode c) {
    float[] values = floats(c.get("mask"));
    byte[] alpha = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      alpha[i] = (byte) Mask.alpha(values[i]);
    }
    Mask mask = new Mask(values.length, 1, alpha);
    byte[] combined = alpha;
    if (c.has("imageAlpha")) {
      int[] own = ints(c.get("imageAlpha"));
      int[] argb = Arrays.stream(own).map(a -> a << 24 | 0x090909).toArray();
      combined = Compositor.combinedAlpha(new RgbaImage(own.length, 1, argb, true), mask);
    }
    int[] actual = new int[combined.length];
    for (int i = 0; i < combined.length; i++) {
      actual[i] = combined[i] & 0xFF;
    }
    assertThat(actual).containsExactly(ints(c.get("expect")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cutout")
  void cutout(JsonNode c) {
    JsonNode pixels = c.get("pixels");
    int[] argb = new int[pixels.size()];
    for (int i = 0; i < argb.length; i++) {
      int[] p = ints(pixels.get(i));
      argb[i] = p[3] << 24 | p[0] << 16 | p[1] << 8 | p[2];
    }
    float[] values = floats(c.get("mask"));
    byte[] alpha = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      alpha[i] = (byte) Mask.alpha(values[i]);
    }
    var composite =
        Compositor.compose(
            new RgbaImage(argb.length, 1, argb, true),
            new Mask(values.length, 1, alpha),
            Options.defaults());
    int[] out = composite.image().argb();
    JsonNode expect = c.get("expect");
    for (int i = 0; i < out.length; i++) {
      int[] e = ints(expect.get(i));
      assertThat(new int[] {out[i] >> 16 & 0xFF, out[i] >> 8 & 0xFF, out[i] & 0xFF, out[i] >>> 24})
          .as("pixel %d", i)
          .containsExactly(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subject")
  void subject(JsonNode c) {
    byte[] alpha = new byte[c.get("pixels").asInt()];
    Arrays.fill(alpha, (byte) c.get("fill").asInt());
    int at = 0;
    for (JsonNode run : c.get("runs")) {
      for (int i = 0; i < run.get(0).asInt(); i++) {
        alpha[at++] = (byte) run.get(1).asInt();
      }
    }
    assertThat(new Mask(alpha.length, 1, alpha).hasSubject())
        .isEqualTo(c.get("expect").asBoolean());
  }

  @Test
  void anAllZeroOrNanOutputIsAFailedRunNotAMask() {
    assertThatThrownBy(() -> Mask.fromProbabilities(new float[4], 2, 2, 2))
        .isInstanceOf(CutoutException.class)
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.INFERENCE_FAILED);
    float[] nan = {0.1f, Float.NaN, 0.2f, 0.3f};
    assertThatThrownBy(() -> Mask.fromProbabilities(nan, 2, 2, 2))
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining("NaN");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjectBox")
  void subjectBox(JsonNode c) {
    int width = c.get("width").asInt();
    int height = c.get("height").asInt();
    String text = c.get("text").asText();
    if (c.has("error")) {
      assertThatThrownBy(() -> SubjectBox.parse(text).place(width, height))
          .isInstanceOfSatisfying(
              CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_OPTION))
          .hasMessageContaining(c.get("error").asText());
      return;
    }
    SubjectBox.Placement placement = SubjectBox.parse(text).place(width, height);
    assertThat(placement.box()).isEqualTo(area(c.get("box")));
    assertThat(placement.region()).isEqualTo(area(c.get("region")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("placement")
  void placement(JsonNode c) {
    SubjectBox.Area region = area(c.get("region"));
    int[] values = ints(c.get("mask"));
    byte[] mask = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      mask[i] = (byte) values[i];
    }
    Mask placed =
        Mask.placed(
            new Mask(region.width(), region.height(), mask),
            new SubjectBox.Placement(area(c.get("box")), region),
            c.get("width").asInt(),
            c.get("height").asInt());
    int[] alpha = new int[placed.alpha().length];
    for (int i = 0; i < alpha.length; i++) {
      alpha[i] = placed.alpha()[i] & 0xFF;
    }
    assertThat(alpha).containsExactly(ints(c.get("expect")));
  }

  static Stream<Named<JsonNode>> subjectBox() {
    return named(CASES.get("subjectBox"));
  }

  static Stream<Named<JsonNode>> placement() {
    return named(CASES.get("placement"));
  }

  private static SubjectBox.Area area(JsonNode xywh) {
    int[] v = ints(xywh);
    return new SubjectBox.Area(v[0], v[1], v[2], v[3]);
  }

  static Stream<Named<JsonNode>> resizeTaps() {
    return named(CASES.get("resizeTaps"));
  }

  static Stream<Named<JsonNode>> tensor() {
    return named(CASES.get("tensor").get("cases"));
  }

  static Stream<Named<JsonNode>> maskUpscale() {
    return named(CASES.get("maskUpscale"));
  }

  static Stream<Named<JsonNode>> alpha() {
    return named(CASES.get("alpha"));
  }

  static Stream<Named<JsonNode>> subject() {
    return named(CASES.get("subject"));
  }

  static Stream<Named<JsonNode>> cutout() {
    return named(CASES.get("cutout"));
  }

  private static Stream<Named<JsonNode>> named(JsonNode cases) {
    return StreamSupport.stream(cases.spliterator(), false)
        .map(c -> Named.of(c.get("name").asText(), c));
  }

  /** A catalog entry with the case's input size and normalisation. */
  private static ModelSpec model(int size, List<Double> mean, List<Double> std) {
    return model(size, mean, std, "255", "none");
  }

  private static ModelSpec model(
      int size, List<Double> mean, List<Double> std, String inputScale, String outputScaling) {
    long side = size;
    return new ModelSpec(
        "contract",
        "contract",
        "contract.onnx",
        "/models/contract",
        "",
        0,
        "fp32",
        new ModelSpec.Tensor("input", List.of(1L, 3L, side, side)),
        new ModelSpec.Tensor("output", List.of(1L, 1L, side, side)),
        mean,
        std,
        "MIT",
        null,
        null,
        inputScale,
        outputScaling,
        null,
        null);
  }

  private static int[] ints(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
  }

  private static List<Double> doubles(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asDouble).toList();
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static JsonNode load() {
    try (InputStream in = ContractTest.class.getResourceAsStream("contract-cases.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
