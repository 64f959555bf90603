package dev.cutout.server;

import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A started in-process server and an HTTP client for it. */
final class ServerHarness implements AutoCloseable {
  final CutoutServer server;
  final HttpClient client = HttpClient.newHttpClient();

  private ServerHarness(CutoutServer server) {
    this.server = server;
  }

  /** A configuration that processes with the installed {@code isnet-uint8}, the tests' engine. */
  static ServerConfig.Builder withUint8Engine() {
    return ServerConfig.builder()
        .modelsDir(ModelStore.defaultStore().dir())
        .models(List.of("isnet-uint8"));
  }

  static ServerHarness start(ServerConfig.Builder config) {
    return new ServerHarness(CutoutServer.create(config.port(0).build()).start());
  }

  /** Starts and waits until {@code /readyz} would answer 200 (engines loaded and warmed). */
  static ServerHarness startReady(ServerConfig.Builder config) {
    ServerHarness harness = start(config);
    try {
      if (!harness.server.awaitReady(java.time.Duration.ofMinutes(2))) {
        harness.close();
        throw new IllegalStateException("the server did not become ready");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return harness;
  }

  HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, headers);
  }

  HttpResponse<byte[]> head(String path, String... headers) {
    return send("HEAD", path, headers);
  }

  HttpResponse<byte[]> send(String method, String path, String... headers) {
    return send(method, path, HttpRequest.BodyPublishers.noBody(), headers);
  }

  HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
    return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
  }

  HttpResponse<byte[]> send(
      String method, String path, HttpRequest.BodyPublisher body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, body);
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static Map<String, String> securityHeaders() {
    return SecurityHeaders.ALL;
  }

  @Override
  public void close() {
    server.close();
  }
}
