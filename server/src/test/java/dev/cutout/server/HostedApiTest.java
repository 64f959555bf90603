package dev.cutout.server;

import static dev.cutout.server.ServerHarness.header;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/remove} and its neighbours on a server with API keys, the real {@code
 * isnet-uint8} engine and real photos.
 */
class HostedApiTest {
  static final String KEY = "test-key-1f3a";
  static final String[] AUTH = {"Authorization", "Bearer " + KEY};
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerHarness http;

  @BeforeAll
  static void start() {
    http =
        ServerHarness.startReady(
            ServerHarness.withUint8Engine()
                .apiKeys(ApiKeys.of(List.of("# test keys", "", KEY, "another-key")))
                .apiRate(Rate.parse("10000/min"))
                .workers(1)
                .queue(8));
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  static HttpResponse<byte[]> remove(String query, byte[] body, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = AUTH[0];
    all[1] = AUTH[1];
    all[2] = "Content-Type";
    all[3] = "image/*";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return http.post("/api/v1/remove" + query, body, all);
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String errorCode(HttpResponse<byte[]> response) {
    return json(response).path("error").path("code").asText();
  }

  @Test
  void aRawPhotoComesBackAsATransparentPngWithItsSizeAndPhaseTimings() {
    HttpResponse<byte[]> r = remove("", ApiImages.photo("chelsea.png"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("image/png");
    assertThat(header(r, "Cache-Control")).isEqualTo("no-store");
    BufferedImage out = ApiImages.decode(r.body());
    assertThat(out.getColorModel().hasAlpha()).isTrue();
    assertThat(header(r, "X-Cutout-Width")).isEqualTo(Integer.toString(out.getWidth()));
    assertThat(header(r, "X-Cutout-Height")).isEqualTo(Integer.toString(out.getHeight()));
    assertThat(header(r, "X-Cutout-Model")).isEqualTo("isnet-uint8");
    assertThat(header(r, "Server-Timing"))
        .matches(
            "queue;dur=[\\d.]+, decode;dur=[\\d.]+, preprocess;dur=[\\d.]+,"
                + " inference;dur=[\\d.]+, postprocess;dur=[\\d.]+, encode;dur=[\\d.]+");
    ServerHarness.securityHeaders()
        .forEach((name, value) -> assertThat(header(r, name)).as(name).isEqualTo(value));
  }

  @Test
  void aMultipartUploadTakesItsOptionsFromFormFields() {
    ApiImages.FormBody form =
        ApiImages.multipart(
            ApiImages.scaled("coffee.png", 200, 150, "png"),
            "format",
            "jpeg",
            "background",
            "#fff");

    HttpResponse<byte[]> r =
        http.post(
            "/api/v1/remove",
            form.bytes(),
            "Authorization",
            AUTH[1],
            "Content-Type",
            form.contentType());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("image/jpeg");
    BufferedImage out = ApiImages.decode(r.body());
    assertThat(out.getWidth()).isEqualTo(200);
    assertThat(out.getHeight()).isEqualTo(150);
  }

  @Test
  void acceptJsonGivesSizeFormatModelTimingsAndTheImageInBase64() {
    HttpResponse<byte[]> r =
        remove(
            "?format=webp&crop=true&margin=1%25",
            ApiImages.scaled("coffee.png", 300, 200, "png"), "Accept", "application/json");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    assertThat(header(r, "Cache-Control")).isEqualTo("no-store");
    JsonNode body = json(r);
    assertThat(body.path("format").asText()).isEqualTo("webp");
    assertThat(body.path("model").asText()).isEqualTo("isnet-uint8");
    assertThat(body.path("timings").path("inference").asDouble()).isPositive();
    byte[] image = Base64.getDecoder().decode(body.path("image").asText());
    assertThat(new String(image, 0, 4, ISO_8859_1)).isEqualTo("RIFF");
    // cropped to the cup (the whole photo is 600x400, the cup about 407x376 of it)
    assertThat(body.path("width").asInt()).isBetween(150, 260);
    assertThat(body.path("height").asInt()).isBetween(150, 199);
  }

  @Test
  void maskOnlyReturnsTheMaskAtTheInputSize() {
    HttpResponse<byte[]> r = remove("?mask_only=1", ApiImages.scaled("rocket.jpg", 120, 90, "png"));

    assertThat(r.statusCode()).isEqualTo(200);
    BufferedImage mask = ApiImages.decode(r.body());
    assertThat(mask.getWidth()).isEqualTo(120);
    assertThat(mask.getHeight()).isEqualTo(90);
  }

  @Test
  void aCmykJpegIsConvertedAndProcessed() {
    HttpResponse<byte[]> r = remove("", ApiImages.resource("astronaut-cmyk.jpg"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiImages.decode(r.body())).isNotNull();
  }

  @Test
  void exifOrientationSixIsAppliedSoTheResultIsUpright() {
    // big enough for the cat to be found once upright (at 160×96 and 320×192 the Fast model finds
    // none)
    HttpResponse<byte[]> r = remove("", ApiImages.jpegWithOrientation6(480, 288));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-Cutout-Width")).isEqualTo("288");
    assertThat(header(r, "X-Cutout-Height")).isEqualTo("480");
  }

  @Test
  void aTruncatedJpegIsUnprocessable() {
    HttpResponse<byte[]> r = remove("", ApiImages.truncatedJpeg());

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(errorCode(r)).isEqualTo("corrupt_image");
    assertThat(header(r, "Content-Type")).startsWith("application/json");
  }

  @Test
  void aSubjectBoxMakesEverythingOutsideItBackground() {
    // chelsea.png is 451 × 300 and the cat reaches column 396; remove.bg's roi syntax, percentages
    // and pixels mixed: 80% is column 360
    HttpResponse<byte[]> r = remove("?roi=0px+0+80%25+299", ApiImages.photo("chelsea.png"));

    assertThat(r.statusCode()).isEqualTo(200);
    BufferedImage png = ApiImages.decode(r.body());
    int inside = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int alpha = png.getRGB(x, y) >>> 24;
        if (x > 360) {
          assertThat(alpha).as("alpha at %d,%d, outside the box", x, y).isZero();
        } else if (alpha >= 128) {
          inside++;
        }
      }
    }
    assertThat(inside).as("subject pixels inside the box").isGreaterThan(10_000);
  }

  @Test
  void aSubjectBoxThatCannotBeUsedIsABadRequestNamingIt() {
    for (String roi : new String[] {"1+2+3", "500+0+600+100", "100+0+50+100", "0+0+10+10"}) {
      HttpResponse<byte[]> r = remove("?roi=" + roi, ApiImages.photo("chelsea.png"));
      assertThat(r.statusCode()).as(roi).isEqualTo(400);
      assertThat(errorCode(r)).as(roi).isEqualTo("bad_option");
      assertThat(new String(r.body(), UTF_8)).as(roi).contains("subject box");
    }
  }

  @Test
  void aPhotoWithoutASubjectIsUnprocessableUnlessEmptyResultsAreAllowed() throws Exception {
    byte[] gravel =
        java.nio.file.Files.readAllBytes(
            ApiImages.PHOTOS.resolveSibling("nosubject").resolve("gravel.png"));

    HttpResponse<byte[]> refused = remove("", gravel);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(errorCode(refused)).isEqualTo("no_subject");

    HttpResponse<byte[]> empty = remove("?allow_empty=true", gravel);
    assertThat(empty.statusCode()).isEqualTo(200);
    BufferedImage png = ApiImages.decode(empty.body());
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        assertThat(png.getRGB(x, y) >>> 24).as("alpha at %d,%d", x, y).isLessThan(128);
      }
    }
  }

  @Test
  void aPngHeaderClaimingMorePixelsThanTheLimitIsUnprocessable() {
    HttpResponse<byte[]> r = remove("", ApiImages.pngClaimingHugeSize());

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(errorCode(r)).isEqualTo("too_many_pixels");
  }

  @Test
  void aTextFileIsNotAnImageByItsMagicBytes() {
    HttpResponse<byte[]> r = remove("", "just some text, not a photo\n".getBytes(UTF_8));

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(errorCode(r)).isEqualTo("unsupported_format");
  }

  @Test
  void anEmptyBodyIsABadRequest() {
    HttpResponse<byte[]> r = remove("", new byte[0]);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorCode(r)).isEqualTo("empty_input");
  }

  @Test
  void aBodyDeclaredOverTheLimitIsRefusedBeforeItIsSent() throws IOException {
    long thirtyMb = 30L * 1024 * 1024;
    try (Socket socket = new Socket("127.0.0.1", http.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/remove HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + KEY
                  + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
                  + thirtyMb
                  + "\r\n\r\n")
              .getBytes(ISO_8859_1));
      out.write(new byte[64 * 1024]); // a sliver of the promised 30 MB, then nothing
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void aChunkedBodyIsCutOffOnceItPassesTheLimit() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", http.server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      Thread sender =
          Thread.ofVirtual()
              .start(
                  () -> {
                    byte[] chunk = new byte[1024 * 1024];
                    chunk[0] = (byte) 0xFF;
                    chunk[1] = (byte) 0xD8;
                    chunk[2] = (byte) 0xFF;
                    try {
                      out.write(
                          ("POST /api/v1/remove HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:"
                                  + " Bearer "
                                  + KEY
                                  + "\r\nContent-Type: image/jpeg\r\n"
                                  + "Transfer-Encoding: chunked\r\n\r\n")
                              .getBytes(ISO_8859_1));
                      for (int i = 0; i < 30; i++) {
                        out.write(
                            (Integer.toHexString(chunk.length) + "\r\n").getBytes(ISO_8859_1));
                        out.write(chunk);
                        out.write("\r\n".getBytes(ISO_8859_1));
                      }
                      out.write("0\r\n\r\n".getBytes(ISO_8859_1));
                    } catch (IOException expected) {
                      // the server answered and closed before the 30 MB were through
                    }
                  });
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
      sender.join(30_000);
    }
  }

  @Test
  void badParametersAreRefusedWithTheirReason() {
    byte[] photo = ApiImages.scaled("coffee.png", 64, 64, "png");

    assertThat(errorCode(remove("?format=tiff", photo))).isEqualTo("bad_option");
    assertThat(errorCode(remove("?mask-only=true", photo))).isEqualTo("bad_option");
    assertThat(errorCode(remove("?model=isnet-fp16", photo))).isEqualTo("bad_option");
    assertThat(errorCode(remove("?background=chartreuse", photo))).isEqualTo("bad_option");
    HttpResponse<byte[]> jpegWithoutBackground = remove("?format=jpeg", photo);
    assertThat(jpegWithoutBackground.statusCode()).isEqualTo(400);
    assertThat(json(jpegWithoutBackground).path("error").path("message").asText()).contains("JPEG");
  }

  @Test
  void aMissingOrUnknownKeyIsUnauthorized() {
    byte[] photo = ApiImages.scaled("coffee.png", 64, 64, "png");

    HttpResponse<byte[]> none = http.post("/api/v1/remove", photo, "Content-Type", "image/png");
    HttpResponse<byte[]> wrong =
        http.post("/api/v1/remove", photo, "Authorization", "Bearer not-a-key");
    HttpResponse<byte[]> basic = http.post("/api/v1/remove", photo, "Authorization", "Basic eDp5");

    for (HttpResponse<byte[]> r : List.of(none, wrong, basic)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(header(r, "WWW-Authenticate")).startsWith("Bearer");
      assertThat(errorCode(r)).isEqualTo("unauthorized");
    }
    assertThat(remove("", photo, "Authorization", "Bearer another-key").statusCode())
        .isEqualTo(200);
  }

  @Test
  void modelsListsTheServedModelsWithTheDefaultMarked() {
    JsonNode models = json(http.get("/api/v1/models")).path("models");

    assertThat(models).hasSize(1);
    assertThat(models.get(0).path("id").asText()).isEqualTo("isnet-uint8");
    assertThat(models.get(0).path("label").asText()).isEqualTo("Fast");
    assertThat(models.get(0).path("precision").asText()).isEqualTo("uint8");
    assertThat(models.get(0).path("bytes").asLong()).isPositive();
    assertThat(models.get(0).path("default").asBoolean()).isTrue();
  }

  @Test
  void capabilitiesSayTheApiIsOnAndTheFallbackOff() {
    HttpResponse<byte[]> r = http.get("/api/v1/capabilities");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), UTF_8))
        .isEqualTo(
            "{\"hostedFallback\":false,\"api\":true,\"maxBytes\":25000000,"
                + "\"maxPixels\":50000000,\"models\":[\"isnet-uint8\"]}");
  }

  @Test
  void theOpenApiDocumentDescribesEveryRouteAndError() {
    JsonNode doc = json(http.get("/api/v1/openapi.json"));

    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(doc.path("paths").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "/api/v1/remove", "/api/v1/models", "/api/v1/capabilities", "/api/v1/openapi.json");
    assertThat(doc.path("paths").path("/api/v1/remove").path("post").path("responses").fieldNames())
        .toIterable()
        .contains("200", "400", "401", "404", "413", "415", "422", "429", "503");
    assertThat(doc.path("components").path("parameters").fieldNames())
        .toIterable()
        .as("every parameter the server accepts, and no other")
        .containsExactlyInAnyOrderElementsOf(RemoveRequest.PARAMETERS);
    assertThat(
            doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
        .isEqualTo("bearer");
  }

  @Test
  void readinessAndMetricsDescribeTheServer() {
    remove("", "not an image".getBytes(UTF_8));
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);

    String metrics = new String(http.get("/metrics").body(), UTF_8);

    assertThat(metrics)
        .contains("cutout_http_requests_total{route=\"/api/v1/remove\",status=\"415\"}")
        .contains("cutout_remove_duration_seconds_bucket")
        .contains("cutout_queue_waiting")
        .contains("cutout_queue_running")
        .contains("cutout_model_load_seconds_count{model=\"isnet-uint8\"} 1")
        .contains("cutout_rejections_total{reason=\"unauthorized\"}");
  }
}
