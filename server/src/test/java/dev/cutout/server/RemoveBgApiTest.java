package dev.cutout.server;

import static dev.cutout.server.ServerHarness.header;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1.0/removebg}, remove.bg's API on Cutout's engines: each parameter, each error, the
 * JSON answer and the headers, with the real {@code isnet-uint8} engine and real photos.
 */
class RemoveBgApiTest {
  static final String KEY = "removebg-key-7c2e";
  static final String OTHER_KEY = "removebg-key-other";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerHarness http;

  @BeforeAll
  static void start() {
    http =
        ServerHarness.startReady(
            ServerHarness.withUint8Engine()
                .apiKeys(ApiKeys.of(List.of(KEY, OTHER_KEY)))
                .apiRate(Rate.parse("10000/min"))
                .workers(1)
                .queue(8));
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  /** A multipart/form-data body: parts given as name, value; a byte[] value is a file part. */
  record Form(String contentType, byte[] bytes) {
    static Form of(Object... parts) {
      String boundary = "rbg-" + Long.toHexString(System.nanoTime());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i + 1 < parts.length; i += 2) {
        String name = (String) parts[i];
        boolean file = parts[i + 1] instanceof byte[];
        out.writeBytes(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\""
                    + name
                    + "\""
                    + (file ? "; filename=\"" + name + ".bin\"\r\nContent-Type: image/png" : "")
                    + "\r\n\r\n")
                .getBytes(UTF_8));
        out.writeBytes(file ? (byte[]) parts[i + 1] : ((String) parts[i + 1]).getBytes(UTF_8));
        out.writeBytes("\r\n".getBytes(UTF_8));
      }
      out.writeBytes(("--" + boundary + "--\r\n").getBytes(UTF_8));
      return new Form("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }
  }

  static HttpResponse<byte[]> post(ServerHarness server, Form form, String... headers) {
    List<String> all =
        new ArrayList<>(List.of("X-Api-Key", KEY, "Content-Type", form.contentType()));
    all.addAll(List.of(headers));
    return server.post(RemoveBgApi.PATH, form.bytes(), all.toArray(String[]::new));
  }

  static HttpResponse<byte[]> upload(byte[] image, Object... fields) {
    Object[] parts = new Object[fields.length + 2];
    parts[0] = "image_file";
    parts[1] = image;
    System.arraycopy(fields, 0, parts, 2, fields.length);
    return post(http, Form.of(parts));
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first error's code, checking remove.bg's shape {"errors":[{"title":…,"code":…}]}. */
  static String errorCode(HttpResponse<byte[]> response) {
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    JsonNode error = json(response).path("errors").path(0);
    assertThat(error.path("title").asText()).as("title").isNotBlank();
    return error.path("code").asText();
  }

  static int intHeader(HttpResponse<byte[]> r, String name) {
    return Integer.parseInt(header(r, name));
  }

  private static byte[] small() {
    return ApiImages.scaled("coffee.png", 200, 150, "png");
  }

  @Test
  void aFileUploadGivesTheCutOutWithRemoveBgsHeaders() {
    long sent = System.currentTimeMillis() / 1000;
    HttpResponse<byte[]> r = upload(ApiImages.photo("chelsea.png"), "size", "full");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("image/png");
    assertThat(header(r, "Cache-Control")).isEqualTo("no-store");
    BufferedImage png = ApiImages.decode(r.body());
    assertThat(png.getColorModel().hasAlpha()).isTrue();
    assertThat(header(r, "X-Width")).isEqualTo("451");
    assertThat(header(r, "X-Height")).isEqualTo("300");
    assertThat(header(r, "X-Type")).isEqualTo("other");
    assertThat(header(r, "X-Credits-Charged")).isEqualTo("0");
    assertThat(header(r, "X-Cutout-Model")).isEqualTo("isnet-uint8");
    assertThat(header(r, "X-Cutout-Ignored")).isNull();
    assertThat(header(r, "X-RateLimit-Limit")).isEqualTo("10000");
    assertThat(header(r, "X-RateLimit-Remaining")).matches("\\d+");
    long reset = Long.parseLong(header(r, "X-RateLimit-Reset"));
    assertThat(reset).as("when the bucket is full again").isBetween(sent, sent + 61);
    assertThat(foregroundHeaders(r)).isEqualTo(alphaBox(png));
  }

  /** top, left, width, height from the X-Foreground-* headers. */
  private static List<Integer> foregroundHeaders(HttpResponse<byte[]> r) {
    return List.of(
        intHeader(r, "X-Foreground-Top"),
        intHeader(r, "X-Foreground-Left"),
        intHeader(r, "X-Foreground-Width"),
        intHeader(r, "X-Foreground-Height"));
  }

  /** top, left, width, height of the pixels at least half opaque. */
  private static List<Integer> alphaBox(BufferedImage image) {
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRGB(x, y) >>> 24 >= 128) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return List.of(minY, minX, maxX - minX + 1, maxY - minY + 1);
  }

  @Test
  void base64InJsonWithAcceptJsonAnswersRemoveBgsJson() throws IOException {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "image_file_b64",
                Base64.getEncoder().encodeToString(small()),
                "size",
                "full",
                "crop",
                false,
                "scale",
                "original"));

    HttpResponse<byte[]> r =
        http.post(
            RemoveBgApi.PATH,
            body.getBytes(UTF_8),
            "X-Api-Key",
            KEY,
            "Content-Type",
            "application/json",
            "Accept",
            "application/json");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    JsonNode data = json(r).path("data");
    BufferedImage png =
        ApiImages.decode(Base64.getDecoder().decode(data.path("result_b64").asText()));
    assertThat(png.getWidth()).isEqualTo(200);
    assertThat(png.getHeight()).isEqualTo(150);
    assertThat(
            List.of(
                data.path("foreground_top").asInt(),
                data.path("foreground_left").asInt(),
                data.path("foreground_width").asInt(),
                data.path("foreground_height").asInt()))
        .isEqualTo(alphaBox(png))
        .isEqualTo(foregroundHeaders(r));
  }

  @Test
  void aUrlEncodedBodyIsReadToo() {
    String body =
        "image_file_b64="
            + URLEncoder.encode(Base64.getEncoder().encodeToString(small()), UTF_8)
            + "&size=full&format=png";

    HttpResponse<byte[]> r =
        http.post(
            RemoveBgApi.PATH,
            body.getBytes(UTF_8),
            "X-Api-Key",
            KEY,
            "Content-Type",
            "application/x-www-form-urlencoded");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("image/png");
    assertThat(header(r, "X-Width")).isEqualTo("200");
  }

  @Test
  void previewIsTheDefaultAndShrinksToAQuarterMegapixel() {
    // 640 × 427 is 273 280 pixels
    HttpResponse<byte[]> r = upload(ApiImages.photo("rocket.jpg"));

    assertThat(r.statusCode()).isEqualTo(200);
    BufferedImage out = ApiImages.decode(r.body());
    assertThat((long) out.getWidth() * out.getHeight()).isLessThanOrEqualTo(250_000);
    assertThat(out.getWidth()).isEqualTo(612);
    assertThat(out.getHeight()).isEqualTo(408);
    assertThat(header(r, "X-Width")).isEqualTo("612");
    assertThat(header(r, "X-Height")).isEqualTo("408");
  }

  @Test
  void cropCutsToTheSubjectAndCropMarginAddsRoom() {
    HttpResponse<byte[]> tight = upload(small(), "size", "full", "crop", "true");
    HttpResponse<byte[]> roomy =
        upload(small(), "size", "full", "crop", "true", "crop_margin", "10px");

    assertThat(tight.statusCode()).isEqualTo(200);
    BufferedImage cut = ApiImages.decode(tight.body());
    assertThat(cut.getWidth()).isLessThan(200);
    assertThat(cut.getHeight()).isLessThanOrEqualTo(150);
    BufferedImage padded = ApiImages.decode(roomy.body());
    assertThat(padded.getWidth()).isEqualTo(cut.getWidth() + 20);
    assertThat(padded.getHeight()).isEqualTo(cut.getHeight() + 20);
    assertThat(padded.getRGB(2, 2) >>> 24).as("the margin is empty").isZero();
  }

  @Test
  void bgColorPutsAColourBehindAndAutoThenAnswersJpeg() {
    HttpResponse<byte[]> r = upload(small(), "size", "full", "bg_color", "81d4fa");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("image/jpeg");
    int corner = ApiImages.decode(r.body()).getRGB(1, 1);
    assertThat(corner >> 16 & 0xFF).isBetween(0x81 - 6, 0x81 + 6);
    assertThat(corner >> 8 & 0xFF).isBetween(0xd4 - 6, 0xd4 + 6);
    assertThat(corner & 0xFF).isBetween(0xfa - 6, 0xff);
  }

  @Test
  void bgImageFileIsPutBehindTheSubject() {
    byte[] green = solidPng(20, 20, 0xFF00C000);

    HttpResponse<byte[]> r =
        upload(small(), "size", "full", "format", "png", "bg_image_file", green);

    assertThat(r.statusCode()).isEqualTo(200);
    int corner = ApiImages.decode(r.body()).getRGB(1, 1);
    assertThat(corner).isEqualTo(0xFF00C000);
  }

  private static byte[] solidPng(int w, int h, int argb) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, argb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void roiMakesEverythingOutsideItBackground() {
    // chelsea.png is 451 × 300; the cat reaches column 396: a box ending at 80% (column 360)
    HttpResponse<byte[]> r =
        upload(ApiImages.photo("chelsea.png"), "size", "full", "roi", "0px 0px 80% 100%");

    assertThat(r.statusCode()).isEqualTo(200);
    BufferedImage png = ApiImages.decode(r.body());
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 361; x < png.getWidth(); x++) {
        assertThat(png.getRGB(x, y) >>> 24).as("alpha at %d,%d", x, y).isZero();
      }
    }
    assertThat(intHeader(r, "X-Foreground-Left") + intHeader(r, "X-Foreground-Width"))
        .isLessThanOrEqualTo(361);
  }

  @Test
  void channelsAlphaAnswersTheMaskAsAGreyPng() {
    HttpResponse<byte[]> r = upload(small(), "size", "full", "channels", "alpha");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("image/png");
    BufferedImage mask = ApiImages.decode(r.body());
    assertThat(mask.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(mask.getWidth()).isEqualTo(200);
  }

  @Test
  void formatZipHoldsColorJpgAndAlphaPng() throws IOException {
    HttpResponse<byte[]> r = upload(small(), "size", "full", "format", "zip");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("application/zip");
    Map<String, BufferedImage> entries = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), ApiImages.decode(zip.readAllBytes()));
      }
    }
    assertThat(entries.keySet()).containsExactly("color.jpg", "alpha.png");
    assertThat(entries.get("color.jpg").getWidth()).isEqualTo(200);
    assertThat(entries.get("alpha.png").getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
  }

  @Test
  void eachFormatAnswersItsMediaType() {
    assertThat(header(upload(small(), "format", "png"), "Content-Type")).isEqualTo("image/png");
    assertThat(header(upload(small(), "format", "jpg"), "Content-Type")).isEqualTo("image/jpeg");
    HttpResponse<byte[]> webp = upload(small(), "format", "webp");
    assertThat(header(webp, "Content-Type")).isEqualTo("image/webp");
    assertThat(new String(webp.body(), 8, 4, ISO_8859_1)).isEqualTo("WEBP");
  }

  @Test
  void scaleAndPositionPlaceTheSubjectOnTheCanvas() {
    HttpResponse<byte[]> r = upload(small(), "size", "full", "scale", "50%", "position", "0% 100%");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-Width")).isEqualTo("200");
    int left = intHeader(r, "X-Foreground-Left");
    int top = intHeader(r, "X-Foreground-Top");
    int width = intHeader(r, "X-Foreground-Width");
    int height = intHeader(r, "X-Foreground-Height");
    assertThat(left).as("at the left edge").isLessThanOrEqualTo(2);
    assertThat(top + height).as("at the bottom edge").isGreaterThanOrEqualTo(148);
    assertThat(Math.max(width / 200.0, height / 150.0)).as("half the canvas").isBetween(0.45, 0.51);
  }

  @Test
  void whatCutoutIgnoresIsSaidInAHeader() {
    HttpResponse<byte[]> r = upload(small(), "type", "person", "type_level", "none");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-Cutout-Ignored")).isEqualTo("type");
    assertThat(header(r, "X-Type")).as("type_level=none").isNull();
  }

  @Test
  void aMissingOrUnknownKeyIsRemoveBgs403() {
    Form form = Form.of("image_file", small());
    HttpResponse<byte[]> none =
        http.post(RemoveBgApi.PATH, form.bytes(), "Content-Type", form.contentType());
    HttpResponse<byte[]> wrong =
        http.post(
            RemoveBgApi.PATH,
            form.bytes(),
            "Content-Type",
            form.contentType(),
            "X-Api-Key",
            "nope");
    HttpResponse<byte[]> bearer =
        http.post(
            RemoveBgApi.PATH,
            form.bytes(),
            "Content-Type",
            form.contentType(),
            "Authorization",
            "Bearer " + KEY);

    for (HttpResponse<byte[]> r : List.of(none, wrong, bearer)) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(errorCode(r)).isEqualTo("auth_failed");
      assertThat(header(r, "WWW-Authenticate")).isNull();
    }
  }

  @Test
  void requestFaultsAre400WithRemoveBgsCodes() throws IOException {
    byte[] gravel =
        Files.readAllBytes(ApiImages.PHOTOS.resolveSibling("nosubject").resolve("gravel.png"));
    Map<String, HttpResponse<byte[]>> answers = new LinkedHashMap<>();
    answers.put("missing_source", post(http, Form.of("size", "full")));
    answers.put(
        "multiple_sources",
        upload(small(), "image_file_b64", Base64.getEncoder().encodeToString(small())));
    answers.put("invalid_parameters", upload(small(), "sizes", "full"));
    answers.put("invalid_size", upload(small(), "size", "huge"));
    answers.put("invalid_bg_color", upload(small(), "bg_color", "not-a-colour"));
    answers.put("invalid_crop_margin", upload(small(), "crop", "true", "crop_margin", "80%"));
    answers.put(
        "invalid_roi", upload(ApiImages.photo("chelsea.png"), "roi", "500px 0px 600px 100px"));
    answers.put("invalid_image_url", post(http, Form.of("image_url", "https://example.com/a.jpg")));
    answers.put("unknown_foreground", upload(gravel));
    answers.put("invalid_file_type", upload("just text, no photo".getBytes(UTF_8)));
    answers.put("failed_to_read_image", upload(ApiImages.truncatedJpeg()));
    answers.put("resolution_too_high", upload(ApiImages.pngClaimingHugeSize()));
    answers.put(
        "multiple_bg_sources",
        upload(small(), "bg_color", "fff", "bg_image_file", solidPng(4, 4, 0xFF000000)));

    answers.forEach(
        (code, r) -> {
          assertThat(r.statusCode()).as(code).isEqualTo(400);
          assertThat(errorCode(r)).as(code).isEqualTo(code);
        });
    assertThat(new String(answers.get("invalid_parameters").body(), UTF_8)).contains("sizes");
  }

  @Test
  void aBodyDeclaredOverTheLimitIsFileTooLargeBeforeItIsSent() throws IOException {
    long hundredMb = 100L * 1024 * 1024;
    try (Socket socket = new Socket("127.0.0.1", http.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1.0/removebg HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: "
                  + KEY
                  + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: "
                  + hundredMb
                  + "\r\n\r\n")
              .getBytes(ISO_8859_1));
      out.write(new byte[64 * 1024]);
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
      assertThat(in.readLine()).startsWith("HTTP/1.1 400");
      StringBuilder rest = new StringBuilder();
      for (String line = in.readLine();
          line != null && rest.length() < 4000;
          line = in.readLine()) {
        rest.append(line).append('\n');
        if (line.contains("errors")) {
          break;
        }
      }
      assertThat(rest.toString()).contains("file_too_large");
    }
  }

  @Test
  void otherMethodsAndPathsUnderV1AreRemoveBgs404() {
    HttpResponse<byte[]> get = http.get(RemoveBgApi.PATH, "X-Api-Key", KEY);
    HttpResponse<byte[]> account = http.get("/v1.0/account", "X-Api-Key", KEY);

    for (HttpResponse<byte[]> r : List.of(get, account)) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(errorCode(r)).isEqualTo("not_found");
    }
  }

  @Test
  void bothApisCountTheirRequestsAndTimes() {
    upload(small());
    String metrics = new String(http.get("/metrics").body(), UTF_8);

    assertThat(metrics)
        .contains("cutout_http_requests_total{route=\"/v1.0/removebg\",status=\"200\"}")
        .contains("cutout_remove_duration_seconds_count{route=\"/v1.0/removebg\",status=\"200\"}");
  }

  @Test
  void theRateIsPerKeySharedWithApiV1AndToldInHeadersOnBothApis() {
    // a server of its own: a small rate, and image URLs allowed
    try (ServerHarness limited =
        ServerHarness.startReady(
            ServerHarness.withUint8Engine()
                .apiKeys(ApiKeys.of(List.of(KEY, OTHER_KEY)))
                .apiRate(Rate.parse("3/min"))
                .allowImageUrls(true)
                .workers(1)
                .queue(2))) {
      // cheap requests: refused after admission, before any inference
      Form noImage = Form.of("size", "full");
      HttpResponse<byte[]> first = post(limited, noImage);
      assertThat(errorCode(first)).isEqualTo("missing_source");
      assertThat(header(first, "X-RateLimit-Limit")).isEqualTo("3");
      assertThat(header(first, "X-RateLimit-Remaining")).isEqualTo("2");
      HttpResponse<byte[]> own =
          limited.post(
              "/api/v1/remove",
              new byte[0],
              "Authorization",
              "Bearer " + KEY,
              "Content-Type",
              "image/png");
      assertThat(own.statusCode()).as("Cutout's API, same key").isEqualTo(400);
      assertThat(header(own, "X-RateLimit-Limit")).isEqualTo("3");
      assertThat(header(own, "X-RateLimit-Remaining")).isEqualTo("1");
      assertThat(post(limited, noImage).statusCode()).isEqualTo(400);

      HttpResponse<byte[]> refused = post(limited, noImage);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(errorCode(refused)).isEqualTo("rate_limit_exceeded");
      assertThat(header(refused, "Retry-After")).isEqualTo("20");
      assertThat(header(refused, "X-RateLimit-Remaining")).isEqualTo("0");
      assertThat(Long.parseLong(header(refused, "X-RateLimit-Reset")))
          .isGreaterThan(System.currentTimeMillis() / 1000 + 50);
      HttpResponse<byte[]> ownRefused =
          limited.post(
              "/api/v1/remove",
              new byte[0],
              "Authorization",
              "Bearer " + KEY,
              "Content-Type",
              "image/png");
      assertThat(ownRefused.statusCode()).isEqualTo(429);
      assertThat(header(ownRefused, "Retry-After")).isNotNull();
      assertThat(header(ownRefused, "X-RateLimit-Remaining")).isEqualTo("0");

      // another key has its own bucket; with URLs allowed, loopback is still refused
      Form loopback = Form.of("image_url", "http://127.0.0.1:" + limited.server.port() + "/");
      HttpResponse<byte[]> loopbackAnswer =
          limited.post(
              RemoveBgApi.PATH,
              loopback.bytes(),
              "X-Api-Key",
              OTHER_KEY,
              "Content-Type",
              loopback.contentType());
      assertThat(errorCode(loopbackAnswer)).isEqualTo("failed_image_download");
      assertThat(json(loopbackAnswer).path("errors").path(0).path("title").asText())
          .contains("loopback");
      Form metadata = Form.of("image_url", "http://169.254.169.254/latest/meta-data/");
      HttpResponse<byte[]> cloud =
          limited.post(
              RemoveBgApi.PATH,
              metadata.bytes(),
              "X-Api-Key",
              OTHER_KEY,
              "Content-Type",
              metadata.contentType());
      assertThat(errorCode(cloud)).isEqualTo("failed_image_download");
      assertThat(json(cloud).path("errors").path(0).path("title").asText()).contains("link-local");
    }
  }

  @Test
  void aServerWithoutKeysHasNoRemoveBgApi(@TempDir Path noModels) {
    try (ServerHarness fallbackOnly =
        ServerHarness.start(
            ServerConfig.builder()
                .modelsDir(noModels)
                .models(List.of("isnet-uint8"))
                .hostedFallback(true))) {
      Form form = Form.of("image_file", small());
      HttpResponse<byte[]> r = post(fallbackOnly, form);

      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(errorCode(r)).isEqualTo("not_found");
    }
  }

  @Test
  void aServerWhoseEnginesAreNotReadyAnswers503WithRetryAfter(@TempDir Path noModels) {
    try (ServerHarness loading =
        ServerHarness.start(
            ServerConfig.builder()
                .modelsDir(noModels)
                .models(List.of("isnet-uint8"))
                .apiKeys(ApiKeys.of(List.of(KEY))))) {
      HttpResponse<byte[]> r = post(loading, Form.of("image_file", small()));

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(errorCode(r)).isEqualTo("overloaded");
      assertThat(header(r, "Retry-After")).matches("\\d+");
    }
  }

  @Test
  void cutoutsOwnApiAnswersRateLimitHeadersToo() {
    HttpResponse<byte[]> r =
        http.post(
            "/api/v1/remove",
            small(),
            "Authorization",
            "Bearer " + KEY,
            "Content-Type",
            "image/png");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-RateLimit-Limit")).isEqualTo("10000");
    assertThat(header(r, "X-RateLimit-Remaining")).matches("\\d+");
    assertThat(header(r, "X-RateLimit-Reset")).matches("\\d{10,}");
  }
}
