package dev.cutout.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** remove.bg's parameters, read with remove.bg's meaning, and the codes of their refusals. */
class RemoveBgRequestTest {
  private static final List<String> SERVED = List.of("isnet-uint8", "isnet-fp16");
  private static final byte[] IMAGE = {1, 2, 3};

  /** A request with an uploaded image and the given text fields (name, value, …). */
  private static RemoveBgRequest parse(String... fields) {
    return parse(true, fields);
  }

  private static RemoveBgRequest parse(boolean urls, String... fields) {
    Map<String, String> text = new HashMap<>();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      text.put(fields[i], fields[i + 1]);
    }
    Map<String, byte[]> files =
        text.containsKey("image_url") || text.containsKey("image_file_b64")
            ? Map.of()
            : Map.of("image_file", IMAGE);
    return RemoveBgRequest.parse(text, files, SERVED, urls);
  }

  private static ApiRefusal refusal(Runnable parse) {
    try {
      parse.run();
    } catch (ApiRefusal e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  /** The code remove.bg clients would see. */
  private static String code(Runnable parse) {
    return HttpStatuses.removeBg(refusal(parse)).code();
  }

  @Test
  void theDefaultsAreRemoveBgs() {
    RemoveBgRequest r = parse();

    assertThat(r.source()).isInstanceOf(RemoveBgRequest.Source.Bytes.class);
    assertThat(r.model()).isEqualTo("isnet-uint8");
    assertThat(r.maxPixels()).as("size=preview").hasValue(250_000);
    assertThat(r.format()).isEqualTo(RemoveBgRequest.Format.AUTO);
    assertThat(r.channels()).isEqualTo(RemoveBgRequest.Channels.RGBA);
    assertThat(r.crop()).isFalse();
    assertThat(r.scale()).isEmpty();
    assertThat(r.position()).isInstanceOf(RemoveBgRequest.Position.Original.class);
    assertThat(r.background()).isInstanceOf(RemoveBgRequest.Backdrop.None.class);
    assertThat(r.roi()).isEmpty();
    assertThat(r.typeHeader()).isTrue();
    assertThat(r.ignored()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "preview, 250000",
    "small, 250000",
    "regular, 250000",
    "medium, 1500000",
    "hd, 4000000",
    "full, -1",
    "4k, -1",
    "auto, -1",
    "50MP, -1",
    "FULL, -1"
  })
  void sizesCapTheOutputOrKeepItsFullSize(String size, long pixels) {
    assertThat(parse("size", size).maxPixels())
        .isEqualTo(pixels < 0 ? OptionalLong.empty() : OptionalLong.of(pixels));
  }

  @Test
  void unknownParametersAreRefusedAndNamed() {
    ApiRefusal refused = refusal(() -> parse("sise", "full", "bg_colour", "fff"));

    assertThat(refused.reason()).isEqualTo(ApiRefusal.Reason.BAD_PARAMETER);
    assertThat(refused.getMessage()).contains("bg_colour, sise");
    assertThat(HttpStatuses.removeBg(refused))
        .isEqualTo(new HttpStatuses.RemoveBg(400, "invalid_parameters"));
  }

  @Test
  void blankValuesCountAsAbsent() {
    RemoveBgRequest r = parse("bg_color", "", "size", " ", "crop_margin", "");

    assertThat(r.background()).isInstanceOf(RemoveBgRequest.Backdrop.None.class);
    assertThat(r.maxPixels()).hasValue(250_000);
  }

  @Test
  void exactlyOneImageSourceIsNeeded() {
    Map<String, String> none = Map.of("size", "full");
    assertThat(
            HttpStatuses.removeBg(
                refusal(() -> RemoveBgRequest.parse(none, Map.of(), SERVED, true))))
        .isEqualTo(new HttpStatuses.RemoveBg(400, "missing_source"));

    Map<String, String> b64 = Map.of("image_file_b64", Base64.getEncoder().encodeToString(IMAGE));
    assertThat(code(() -> RemoveBgRequest.parse(b64, Map.of("image_file", IMAGE), SERVED, true)))
        .isEqualTo("multiple_sources");
    assertThat(
            code(() -> parse("image_url", "https://example.com/a.jpg", "image_file_b64", "AQID")))
        .isEqualTo("multiple_sources");
  }

  @Test
  void base64IsDecodedStandardOrUrlSafeWithLineBreaks() {
    byte[] bytes = new byte[300];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    String mime = Base64.getMimeEncoder().encodeToString(bytes);
    String urlSafe = Base64.getUrlEncoder().encodeToString(bytes);

    for (String text : List.of(mime, urlSafe)) {
      RemoveBgRequest r = parse("image_file_b64", text);
      assertThat(((RemoveBgRequest.Source.Bytes) r.source()).bytes()).isEqualTo(bytes);
    }
    assertThat(code(() -> parse("image_file_b64", "not base64!"))).isEqualTo("invalid_parameters");
  }

  @Test
  void imageUrlsAreOffUnlessTheOperatorAllowsThem() {
    ApiRefusal off = refusal(() -> parse(false, "image_url", "https://example.com/a.jpg"));
    assertThat(HttpStatuses.removeBg(off).code()).isEqualTo("invalid_image_url");
    assertThat(off.getMessage()).contains("--allow-image-urls");
    assertThat(code(() -> parse(false, "bg_image_url", "https://example.com/b.jpg")))
        .isEqualTo("invalid_bg_image_url");

    assertThat(parse(true, "image_url", "https://example.com/a.jpg").source())
        .isEqualTo(new RemoveBgRequest.Source.Url("https://example.com/a.jpg"));
  }

  @Test
  void fileParametersMustBeFileParts() {
    assertThat(code(() -> parse("bg_image_file", "/etc/passwd"))).isEqualTo("invalid_parameters");
  }

  @ParameterizedTest
  @CsvSource({
    "81d4fa, 0xFF81D4FA",
    "#81d4fa, 0xFF81D4FA",
    "fff, 0xFFFFFFFF",
    "#f0f8, 0x88FF00FF",
    "81d4fa77, 0x7781D4FA",
    "green, 0xFF008000",
    "RebeccaPurple, 0xFF663399",
    "aliceblue, 0xFFF0F8FF"
  })
  void bgColorIsHexOrACssName(String text, String argb) {
    RemoveBgRequest r = parse("bg_color", text);

    assertThat(r.background())
        .isEqualTo(
            new RemoveBgRequest.Backdrop.Colour((int) Long.parseLong(argb.substring(2), 16)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345", "#1234567", "ggg", "not-a-colour", "rgb(1,2,3)"})
  void aBadBgColorIsInvalidBgColor(String text) {
    assertThat(code(() -> parse("bg_color", text))).isEqualTo("invalid_bg_color");
  }

  @Test
  void oneBackgroundAtMost() {
    assertThat(
            code(
                () ->
                    RemoveBgRequest.parse(
                        Map.of("bg_color", "fff"),
                        Map.of("image_file", IMAGE, "bg_image_file", IMAGE),
                        SERVED,
                        true)))
        .isEqualTo("multiple_bg_sources");
  }

  @Test
  void cropMarginsAreOneTwoOrFourValuesLikeCss() {
    RemoveBgRequest.Margin px30 = new RemoveBgRequest.Margin(30, false);
    RemoveBgRequest.Margin pc10 = new RemoveBgRequest.Margin(10, true);

    assertThat(parse("crop", "true", "crop_margin", "30px").margins())
        .isEqualTo(new RemoveBgRequest.Margins(px30, px30, px30, px30));
    assertThat(parse("crop", "true", "crop_margin", "30px 10%").margins())
        .isEqualTo(new RemoveBgRequest.Margins(px30, pc10, px30, pc10));
    assertThat(parse("crop", "true", "crop_margin", "30 10% 0 50%").margins())
        .isEqualTo(
            new RemoveBgRequest.Margins(
                px30,
                pc10,
                new RemoveBgRequest.Margin(0, false),
                new RemoveBgRequest.Margin(50, true)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"51%", "501px", "1 2 3", "wide", "-5px", "10%%"})
  void cropMarginsPastRemoveBgsLimitsOrMalformedAreRefused(String margin) {
    assertThat(code(() -> parse("crop", "true", "crop_margin", margin)))
        .isEqualTo("invalid_crop_margin");
  }

  @Test
  void scaleIsOriginalOrTenToAHundredPercentAndImpliesCenter() {
    RemoveBgRequest half = parse("scale", "50%");

    assertThat(half.scale()).isEqualTo(OptionalDouble.of(0.5));
    assertThat(half.position()).isEqualTo(new RemoveBgRequest.Position.At(50, 50));
    assertThat(parse("scale", "original").scale()).isEmpty();
    assertThat(parse("scale", "50%", "position", "original").position())
        .isInstanceOf(RemoveBgRequest.Position.Original.class);
    for (String bad : List.of("5%", "101%", "50", "half")) {
      assertThat(code(() -> parse("scale", bad))).as(bad).isEqualTo("invalid_scale");
    }
  }

  @Test
  void positionIsOriginalCenterOrOneOrTwoPercentages() {
    assertThat(parse("position", "center").position())
        .isEqualTo(new RemoveBgRequest.Position.At(50, 50));
    assertThat(parse("position", "25% 75%").position())
        .isEqualTo(new RemoveBgRequest.Position.At(25, 75));
    assertThat(parse("position", "40%").position())
        .isEqualTo(new RemoveBgRequest.Position.At(40, 40));
    for (String bad : List.of("left", "120%", "10% 20% 30%", "50")) {
      assertThat(code(() -> parse("position", bad))).as(bad).isEqualTo("invalid_position");
    }
  }

  @Test
  void theRoiUsesTheSubjectBoxSyntax() {
    assertThat(parse("roi", "10px 20px 300px 200px").roi()).isPresent();
    assertThat(parse("roi", "0% 0% 100% 100%").roi()).isPresent();
    assertThat(code(() -> parse("roi", "10 20 30"))).isEqualTo("invalid_roi");
  }

  @Test
  void formatsAndChannels() {
    assertThat(parse("format", "png").format()).isEqualTo(RemoveBgRequest.Format.PNG);
    assertThat(parse("format", "jpg").format()).isEqualTo(RemoveBgRequest.Format.JPG);
    assertThat(parse("format", "webp").format()).isEqualTo(RemoveBgRequest.Format.WEBP);
    assertThat(parse("format", "zip").format()).isEqualTo(RemoveBgRequest.Format.ZIP);
    assertThat(parse("channels", "alpha").channels()).isEqualTo(RemoveBgRequest.Channels.ALPHA);
    assertThat(code(() -> parse("format", "tiff"))).isEqualTo("invalid_format");
    assertThat(code(() -> parse("channels", "rgb"))).isEqualTo("invalid_channels");
    assertThat(code(() -> parse("channels", "alpha", "format", "zip"))).isEqualTo("invalid_format");
  }

  @Test
  void whatCutoutCannotHonourIsAcceptedAndListedAsIgnored() {
    RemoveBgRequest r =
        parse(
            "type", "person",
            "add_shadow", "true",
            "semitransparency", "false",
            "shadow_method", "legacy");

    assertThat(r.ignored())
        .containsExactly("type", "add_shadow", "semitransparency", "shadow_method");
    assertThat(parse("type", "auto", "add_shadow", "false", "semitransparency", "true").ignored())
        .isEmpty();
    assertThat(code(() -> parse("type", "spaceship"))).isEqualTo("invalid_parameters");
    assertThat(code(() -> parse("crop", "maybe"))).isEqualTo("invalid_parameters");
    assertThat(code(() -> parse("semitransparency", "maybe")))
        .isEqualTo("invalid_semitransparency");
  }

  @Test
  void typeLevelNoneDropsTheTypeHeader() {
    assertThat(parse("type_level", "none").typeHeader()).isFalse();
    assertThat(parse("type_level", "2").typeHeader()).isTrue();
    assertThat(code(() -> parse("type_level", "3"))).isEqualTo("invalid_parameters");
  }

  @Test
  void refusalsOfTheServerItselfHaveRemoveBgsStatuses() {
    assertThat(HttpStatuses.removeBg(ApiRefusal.of(ApiRefusal.Reason.UNAUTHORIZED, "x")))
        .isEqualTo(new HttpStatuses.RemoveBg(403, "auth_failed"));
    assertThat(HttpStatuses.removeBg(ApiRefusal.retryLater(ApiRefusal.Reason.RATE_LIMITED, "x", 1)))
        .isEqualTo(new HttpStatuses.RemoveBg(429, "rate_limit_exceeded"));
    assertThat(HttpStatuses.removeBg(dev.cutout.core.ErrorCode.NO_SUBJECT))
        .isEqualTo(new HttpStatuses.RemoveBg(400, "unknown_foreground"));
    assertThat(HttpStatuses.removeBg(dev.cutout.core.ErrorCode.TOO_LARGE))
        .isEqualTo(new HttpStatuses.RemoveBg(400, "file_too_large"));
    assertThat(
            HttpStatuses.removeBg(
                ApiRefusal.about(ApiRefusal.Reason.DOWNLOAD_FAILED, "bg_image_url", "x")))
        .isEqualTo(new HttpStatuses.RemoveBg(400, "failed_bg_download"));
  }
}
