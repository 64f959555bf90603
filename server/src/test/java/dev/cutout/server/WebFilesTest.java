package dev.cutout.server;

import static dev.cutout.server.ServerHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web app from a folder ({@code --web-dir}) and from a jar, with a tiny fixture app. */
class WebFilesTest {
  private static final byte[] WASM = {0, 'a', 's', 'm', 1, 0, 0, 0};

  @TempDir Path dir;

  private Path fixture() throws IOException {
    write("index.html", "<!doctype html><title>fixture</title>");
    write("sw.js", "self.addEventListener('fetch', () => {});");
    write("manifest.webmanifest", "{\"name\":\"fixture\"}");
    write("assets/app-AbC123.js", "console.log('hashed');");
    write("assets/app-AbC123.css", "body{}");
    write("icons/icon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    write("ort/1.30.0/ort-wasm-simd-threaded.mjs", "export default {};");
    Files.write(dir.resolve("ort/1.30.0/ort-wasm-simd-threaded.wasm"), WASM);
    write(".env", "SECRET=1");
    return dir;
  }

  private void write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void servesAWebDirWithTheRightMediaTypesAndCaching() throws IOException {
    try (ServerHarness http = ServerHarness.start(ServerConfig.builder().webDir(fixture()))) {
      assertThat(header(http.get("/"), "Content-Type")).isEqualTo("text/html;charset=utf-8");
      assertThat(header(http.get("/assets/app-AbC123.css"), "Content-Type"))
          .isEqualTo("text/css;charset=utf-8");
      assertThat(header(http.get("/icons/icon.svg"), "Content-Type")).isEqualTo("image/svg+xml");
      assertThat(header(http.get("/manifest.webmanifest"), "Content-Type"))
          .isEqualTo("application/manifest+json");

      HttpResponse<byte[]> wasm = http.get("/ort/1.30.0/ort-wasm-simd-threaded.wasm");
      assertThat(header(wasm, "Content-Type")).isEqualTo("application/wasm");
      assertThat(header(wasm, "Cache-Control")).isEqualTo(FileSender.IMMUTABLE);
      assertThat(wasm.body()).isEqualTo(WASM);

      HttpResponse<byte[]> mjs = http.get("/ort/1.30.0/ort-wasm-simd-threaded.mjs");
      assertThat(header(mjs, "Content-Type")).isEqualTo("text/javascript;charset=utf-8");

      assertThat(header(http.get("/assets/app-AbC123.js"), "Cache-Control"))
          .isEqualTo(FileSender.IMMUTABLE);
      assertThat(header(http.get("/index.html"), "Cache-Control")).isEqualTo("no-cache");
      assertThat(header(http.get("/sw.js"), "Cache-Control")).isEqualTo("no-cache");
    }
  }

  @Test
  void neverServesHiddenFilesFoldersOrAnythingOutsideTheWebDir() throws IOException {
    Files.writeString(dir.getParent().resolve("outside.txt"), "outside");
    try (ServerHarness http = ServerHarness.start(ServerConfig.builder().webDir(fixture()))) {
      assertThat(http.get("/.env").statusCode()).isEqualTo(404);
      assertThat(http.get("/assets").statusCode()).isEqualTo(404);
      assertThat(http.get("/assets/").statusCode()).isEqualTo(404);
      assertThat(http.get("/../outside.txt").statusCode()).isIn(400, 404);
      assertThat(http.get("/assets/..%2f..%2foutside.txt").statusCode()).isIn(400, 404);
    }
  }

  @Test
  void errorsJettyAnswersItselfAlsoCarryTheSecurityHeaders() throws IOException {
    try (ServerHarness http = ServerHarness.start(ServerConfig.builder().webDir(fixture()));
        Socket socket = new Socket("127.0.0.1", http.server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(UTF_8));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), UTF_8);

      assertThat(response).startsWith("HTTP/1.1 400");
      ServerHarness.securityHeaders()
          .forEach((name, value) -> assertThat(response).contains(name + ": " + value));
    }
  }

  @Test
  void refusesAWebDirWithoutAnIndex() throws IOException {
    Files.writeString(dir.resolve("other.html"), "x");

    assertThatThrownBy(() -> CutoutServer.create(ServerConfig.builder().webDir(dir).build()))
        .isInstanceOfSatisfying(
            CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_OPTION))
        .hasMessageContaining("index.html");
  }

  @Test
  void readsThePackedWebAppFromAJarWithRanges() throws IOException {
    Path jar = dir.resolve("web.jar");
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      put(out, "dev/cutout/web/", new byte[0]);
      put(out, "dev/cutout/web/index.html", "<title>packed</title>".getBytes(UTF_8));
      put(out, "dev/cutout/web/assets/", new byte[0]);
      put(out, "dev/cutout/web/assets/big-X1.wasm", big);
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      WebFiles web = WebFiles.classPath(loader);

      StaticFile index = web.find("/").orElseThrow();
      assertThat(index).isInstanceOf(StaticFile.OnClassPath.class);
      assertThat(index.length()).isEqualTo(21);
      assertThat(web.find("/assets")).isEmpty();
      assertThat(web.find("/assets/")).isEmpty();
      assertThat(web.find("/assets/missing.js")).isEmpty();

      StaticFile wasm = web.find("/assets/big-X1.wasm").orElseThrow();
      assertThat(wasm.length()).isEqualTo(big.length);
      try (InputStream in = wasm.open(250_000)) {
        assertThat(in.readNBytes(10))
            .isEqualTo(java.util.Arrays.copyOfRange(big, 250_000, 250_010));
      }
    }
  }

  @Test
  void saysWhatToDoWhenThePackedWebAppIsMissing() throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThatThrownBy(() -> WebFiles.classPath(empty))
          .isInstanceOf(CutoutException.class)
          .hasMessageContaining("--web-dir");
    }
  }

  private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }
}
