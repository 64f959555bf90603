package dev.cutout.server;

import static dev.cutout.server.ServerHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server as the browser sees it: the real web app packed by the web module, the real installed
 * models (the build installs them), an in-process server on a free port.
 */
class CutoutServerTest {
  private static final ModelStore STORE = ModelStore.defaultStore();
  private static final ModelSpec FAST = ModelCatalog.builtIn().require("isnet-uint8");
  private static ServerHarness http;

  @BeforeAll
  static void start() {
    http = ServerHarness.start(ServerConfig.builder().modelsDir(STORE.dir()));
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  /** A hashed asset of the built app, found through index.html like a browser would. */
  private static String scriptAsset() {
    String index = new String(http.get("/").body(), UTF_8);
    Matcher m = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index);
    assertThat(m.find()).as("index.html references a hashed script").isTrue();
    return m.group(1);
  }

  private static String modelPath() {
    return "/models/" + FAST.file();
  }

  @Test
  void everyKindOfResponseCarriesTheSecurityHeaders() {
    List<HttpResponse<byte[]>> responses =
        List.of(
            http.get("/"),
            http.get("/index.html"),
            http.get(scriptAsset()),
            http.head(modelPath()),
            http.get("/models/catalog.json"),
            http.get("/healthz"),
            http.get("/no-such-page"),
            http.get("/models/other.bin"),
            http.send("POST", "/"));
    for (HttpResponse<byte[]> response : responses) {
      ServerHarness.securityHeaders()
          .forEach(
              (name, value) ->
                  assertThat(header(response, name))
                      .as("%s on %s (%d)", name, response.uri(), response.statusCode())
                      .isEqualTo(value));
    }
    assertThat(responses).extracting(HttpResponse::statusCode).contains(200, 404);
  }

  @Test
  void isolatesThePageWithTheSameHeadersAsTheBrowserToolsServers() throws IOException {
    // config/browser.json is what the bench's and scripts' own servers send; ours must agree.
    JsonNode tools =
        new ObjectMapper()
            .readTree(Path.of("..", "config", "browser.json").toFile())
            .path("crossOriginIsolation");
    HttpResponse<byte[]> page = http.get("/");

    assertThat(tools.size()).isEqualTo(3);
    tools
        .fields()
        .forEachRemaining(
            e ->
                assertThat(header(page, e.getKey()))
                    .as(e.getKey())
                    .isEqualTo(e.getValue().asText()));
  }

  @Test
  void contentSecurityPolicyLetsThePageConnectToItsOwnOriginOnly() {
    String csp = header(http.get("/"), "Content-Security-Policy");
    List<String> directives = Arrays.stream(csp.split(";")).map(String::strip).toList();

    assertThat(directives)
        .filteredOn(d -> d.startsWith("connect-src"))
        .containsExactly("connect-src 'self'");
    assertThat(directives)
        .contains(
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "worker-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'");
    assertThat(csp).doesNotContain("'unsafe-eval'", "'unsafe-inline'", "*", "http:", "https:");
  }

  @Test
  void servesTheIndexAndServiceWorkerForRevalidationAndHashedAssetsForever() {
    HttpResponse<byte[]> index = http.get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(header(index, "Content-Type")).startsWith("text/html");
    assertThat(header(index, "Cache-Control")).isEqualTo("no-cache");
    assertThat(new String(index.body(), UTF_8)).contains("<title>Cutout");

    HttpResponse<byte[]> sw = http.get("/sw.js");
    assertThat(sw.statusCode()).isEqualTo(200);
    assertThat(header(sw, "Cache-Control")).isEqualTo("no-cache");
    assertThat(header(sw, "Content-Type")).startsWith("text/javascript");

    HttpResponse<byte[]> manifest = http.get("/manifest.webmanifest");
    assertThat(header(manifest, "Content-Type")).isEqualTo("application/manifest+json");
    assertThat(header(manifest, "Cache-Control")).isEqualTo("no-cache");

    HttpResponse<byte[]> asset = http.get(scriptAsset());
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(header(asset, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(header(asset, "Content-Type")).isEqualTo("text/javascript;charset=utf-8");
    assertThat(header(asset, "Content-Length")).isEqualTo(String.valueOf(asset.body().length));
  }

  @Test
  void servesOnnxRuntimeWasmAndModuleFilesWithTheirMediaTypes() {
    String ort = "/ort/1.30.0/";
    HttpResponse<byte[]> wasm = http.head(ort + "ort-wasm-simd-threaded.wasm");
    assertThat(wasm.statusCode()).isEqualTo(200);
    assertThat(header(wasm, "Content-Type")).isEqualTo("application/wasm");
    assertThat(header(wasm, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");

    HttpResponse<byte[]> mjs = http.get(ort + "ort-wasm-simd-threaded.mjs");
    assertThat(mjs.statusCode()).isEqualTo(200);
    assertThat(header(mjs, "Content-Type")).isEqualTo("text/javascript;charset=utf-8");
  }

  @Test
  void servesModelFilesWholeWithTheirLengthAndForever() throws IOException {
    HttpResponse<byte[]> head = http.head(modelPath());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(header(head, "Content-Type")).isEqualTo("application/octet-stream");
    assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(FAST.bytes()));
    assertThat(header(head, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(header(head, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(header(head, "ETag")).isNotBlank();
    assertThat(header(head, "Last-Modified")).endsWith("GMT");
    assertThat(head.body()).isEmpty();

    HttpResponse<byte[]> whole = http.get(modelPath());
    assertThat(whole.body()).isEqualTo(Files.readAllBytes(STORE.path(FAST)));
  }

  @Test
  void answersARangeOfAModelFileWithExactlyThoseBytes() throws IOException {
    long first = 12_345_678;
    long last = first + 99_999;
    HttpResponse<byte[]> response = http.get(modelPath(), "Range", "bytes=" + first + "-" + last);

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range"))
        .isEqualTo("bytes " + first + "-" + last + "/" + FAST.bytes());
    assertThat(header(response, "Content-Length")).isEqualTo("100000");
    assertThat(response.body()).isEqualTo(slice(STORE.path(FAST), first, 100_000));
  }

  @Test
  void answersASuffixRangeWithTheLastBytes() throws IOException {
    HttpResponse<byte[]> response = http.get(modelPath(), "Range", "bytes=-1000");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range"))
        .isEqualTo(
            "bytes " + (FAST.bytes() - 1000) + "-" + (FAST.bytes() - 1) + "/" + FAST.bytes());
    assertThat(response.body()).isEqualTo(slice(STORE.path(FAST), FAST.bytes() - 1000, 1000));
  }

  @Test
  void refusesARangeBeyondTheEndWith416() {
    HttpResponse<byte[]> response =
        http.get(modelPath(), "Range", "bytes=" + FAST.bytes() + "-" + (FAST.bytes() + 10));

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes */" + FAST.bytes());
    assertThat(response.body()).isEmpty();
  }

  @Test
  void sendsTheWholeFileWhenIfRangeNoLongerMatches() {
    HttpResponse<byte[]> response =
        http.head(modelPath(), "Range", "bytes=0-9", "If-Range", "\"stale\"");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(FAST.bytes()));
  }

  @Test
  void answersARevalidationWith304() {
    String etag = header(http.head(modelPath()), "ETag");
    HttpResponse<byte[]> response = http.get(modelPath(), "If-None-Match", etag);

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
    assertThat(header(response, "Cross-Origin-Embedder-Policy")).isEqualTo("require-corp");
  }

  @Test
  void servesOnlyCataloguedModelFiles() {
    assertThat(http.get("/models/other.bin").statusCode()).isEqualTo(404);
    assertThat(http.get("/models/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(http.get("/models/../something").statusCode()).isEqualTo(404);
    assertThat(http.get("/models/%2e%2e/isnet-uint8.onnx").statusCode()).isIn(400, 404);
    assertThat(http.get("/models/").statusCode()).isEqualTo(404);
    assertThat(http.get("/models/isnet-uint8.onnx/x").statusCode()).isEqualTo(404);
    assertThat(http.get("/isnet-uint8.onnx").statusCode()).isEqualTo(404);
    assertThat(http.get("/..%2fpom.xml").statusCode()).isIn(400, 404);
  }

  @Test
  void servesTheCatalogTheJavaSideReads() throws IOException {
    HttpResponse<byte[]> response = http.get("/models/catalog.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    assertThat(header(response, "Cache-Control")).isEqualTo("no-cache");
    try (InputStream in = ModelCatalog.class.getResourceAsStream(ModelCatalog.RESOURCE)) {
      assertThat(response.body()).isEqualTo(in.readAllBytes());
    }
  }

  @Test
  void reportsHealth() {
    HttpResponse<byte[]> response = http.get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), UTF_8)).isEqualTo("ok");
  }

  @Test
  void offersNoApiAndAcceptsNoUploads() {
    assertThat(http.send("POST", "/").statusCode()).isIn(404, 405);
    assertThat(http.send("PUT", "/models/isnet-uint8.onnx").statusCode()).isIn(404, 405);
    assertThat(http.send("POST", "/api/remove").statusCode()).isIn(404, 405);
  }

  private static byte[] slice(Path file, long offset, int length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[length];
      raf.seek(offset);
      raf.readFully(bytes);
      return bytes;
    }
  }

  @Test
  void byDefaultNothingIsProcessedAndTheApiSaysSo() {
    HttpResponse<byte[]> remove =
        http.send(
            "POST",
            "/api/v1/remove",
            java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xFF, 1, 2}),
            "Content-Type",
            "image/jpeg");
    HttpResponse<byte[]> capabilities = http.get("/api/v1/capabilities");

    assertThat(remove.statusCode()).isEqualTo(404);
    assertThat(new String(remove.body(), UTF_8)).contains("\"code\":\"not_found\"");
    assertThat(http.get("/api/v1/models").statusCode()).isEqualTo(404);
    assertThat(new String(capabilities.body(), UTF_8))
        .isEqualTo(
            "{\"hostedFallback\":false,\"api\":false,\"maxBytes\":25000000,"
                + "\"maxPixels\":50000000,\"models\":[]}");
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(http.get("/api/v1/openapi.json").statusCode()).isEqualTo(200);
    for (HttpResponse<byte[]> r : List.of(remove, capabilities)) {
      ServerHarness.securityHeaders()
          .forEach((name, value) -> assertThat(header(r, name)).as(name).isEqualTo(value));
    }
  }
}
