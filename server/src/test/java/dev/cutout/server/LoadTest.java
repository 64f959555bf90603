package dev.cutout.server;

import static dev.cutout.server.ServerHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bounded load on loopback: more concurrent requests than workers plus queue places. Every answer
 * is a result or an immediate 503 with Retry-After, and the server is healthy afterwards.
 */
class LoadTest {
  private static final String KEY = "load-test-key";

  private static ServerConfig.Builder config(int workers, int queue) {
    return ServerHarness.withUint8Engine()
        .apiKeys(ApiKeys.of(List.of(KEY)))
        .apiRate(Rate.parse("100000/min"))
        .workers(workers)
        .queue(queue);
  }

  private static HttpResponse<byte[]> remove(ServerHarness http, byte[] image) {
    return http.post(
        "/api/v1/remove", image, "Authorization", "Bearer " + KEY, "Content-Type", "image/png");
  }

  @Test
  void thirtyConcurrentRequestsOnOneWorkerAndTwoQueuePlacesGetResultsOrPromptRefusals()
      throws Exception {
    int workers = 1;
    int queue = 2;
    int clients = 10 * (workers + queue);
    // a real photo of ~470 KB: larger than socket buffers, so a refusal must not cut the upload off
    byte[] image = ApiImages.photo("coffee.png");
    int width = ApiImages.decode(image).getWidth();
    try (ServerHarness http = ServerHarness.startReady(config(workers, queue));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  long start = System.nanoTime();
                  HttpResponse<byte[]> r = remove(http, image);
                  if (r.statusCode() == 503) {
                    // refused at once, not after waiting for a worker
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isLessThan(Duration.ofSeconds(5));
                  }
                  return r;
                }));
      }
      go.countDown();
      int ok = 0;
      int refused = 0;
      for (Future<HttpResponse<byte[]>> answer : answers) {
        HttpResponse<byte[]> r = answer.get(5, TimeUnit.MINUTES);
        assertThat(r.statusCode()).isIn(200, 503);
        if (r.statusCode() == 200) {
          ok++;
          assertThat(ApiImages.decode(r.body()).getWidth()).isEqualTo(width);
        } else {
          refused++;
          assertThat(header(r, "Retry-After")).isNotNull();
          assertThat(new String(r.body(), UTF_8)).contains("\"code\":\"overloaded\"");
        }
      }

      assertThat(ok).isGreaterThanOrEqualTo(workers + queue);
      assertThat(refused).isPositive();
      assertThat(ok + refused).isEqualTo(clients);
      assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(remove(http, image).statusCode()).isEqualTo(200);
      assertThat(new String(http.get("/metrics").body(), UTF_8))
          .contains("cutout_rejections_total{reason=\"overloaded\"} " + refused + ".0")
          .contains("cutout_queue_waiting 0.0")
          .contains("cutout_queue_running 0.0");
    }
  }

  @Test
  void stoppingLetsTheRequestInFlightFinishAndRefusesNewOnes() throws Exception {
    byte[] image = ApiImages.scaled("chelsea.png", 128, 96, "png");
    ServerHarness http = ServerHarness.startReady(config(1, 2));
    try {
      CompletableFuture<HttpResponse<byte[]>> inFlight =
          CompletableFuture.supplyAsync(() -> remove(http, image));
      awaitMetric(http, "cutout_queue_running 1.0");
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(http.server::stop);
      awaitStatus(http, "/readyz", 503);

      HttpResponse<byte[]> late = remove(http, image);

      assertThat(late.statusCode()).isEqualTo(503);
      assertThat(header(late, "Retry-After")).isNotNull();
      assertThat(inFlight.get(2, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      stopping.get(2, TimeUnit.MINUTES);
    } finally {
      http.close();
    }
  }

  private static void awaitMetric(ServerHarness http, String line) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!new String(http.get("/metrics").body(), UTF_8).contains(line)) {
      assertThat(System.nanoTime()).as("waiting for " + line).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static void awaitStatus(ServerHarness http, String path, int status)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (http.send("GET", path, HttpRequest.BodyPublishers.noBody()).statusCode() != status) {
      assertThat(System.nanoTime()).as("waiting for " + status).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
