package dev.cutout.cli;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.server.ApiKeys;
import dev.cutout.server.CutoutServer;
import dev.cutout.server.Rate;
import dev.cutout.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cutout bench-load}: the hosted API under load on loopback, once per worker count, with a
 * fixed number of closed-loop clients. It starts its own in-process server each time (a random key,
 * no rate limit to speak of) and reports throughput, latency percentiles and 503 refusals.
 */
@Command(
    name = "bench-load",
    mixinStandardHelpOptions = true,
    description = {
      "Measures POST /api/v1/remove on loopback for each worker count: throughput, p50/p99"
          + " latency, refusals, and how throughput scales with workers.",
      "Default images: testdata/photos."
    })
final class BenchLoadCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Images or folders.")
  List<Path> images = new ArrayList<>();

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "1,2",
      paramLabel = "N",
      description = "Worker counts to measure (default: ${DEFAULT-VALUE}).")
  List<Integer> workerCounts;

  @Option(
      names = "--clients",
      defaultValue = "4",
      paramLabel = "N",
      description = "Concurrent clients, each sending its next request when answered.")
  int clients;

  @Option(
      names = "--queue",
      defaultValue = "4",
      paramLabel = "N",
      description =
          "The server's queue places (default: ${DEFAULT-VALUE}); fewer than clients minus"
              + " workers shows refusals, each retried after 100 ms.")
  int queue;

  @Option(
      names = "--requests",
      defaultValue = "40",
      paramLabel = "N",
      description = "Successful requests per run (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--threads-per-worker",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Inference threads of each worker (default 0: cores / workers). 1 compares N workers"
              + " with N single-threaded sessions.")
  int threadsPerWorker;

  @Option(names = "--model", defaultValue = "isnet-uint8", paramLabel = "ID")
  String model;

  @Mixin ModelOptions models;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private record Run(int workers, int ok, int refused, double seconds, double p50Ms, double p99Ms) {
    double throughput() {
      return ok / seconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<byte[]> bodies = new ArrayList<>();
    for (Path file : collect()) {
      bodies.add(Files.readAllBytes(file));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "bench-load: model %s, %d images, %d clients, queue %d, %d successful requests per run,"
            + " %d cores, load average %s%n",
        model, bodies.size(), clients, queue, requests, cores, loadAverage());
    out.printf(
        "%8s %8s %6s %8s %12s %9s %9s%n",
        "workers", "threads", "ok", "refused", "images/s", "p50 ms", "p99 ms");
    out.flush();
    List<Run> runs = new ArrayList<>();
    for (int workers : workerCounts) {
      Run run = measure(workers, bodies);
      runs.add(run);
      out.printf(
          "%8d %8d %6d %8d %12.3f %9.0f %9.0f%n",
          run.workers(),
          threadsPerWorker > 0 ? threadsPerWorker : Math.max(1, cores / workers),
          run.ok(),
          run.refused(),
          run.throughput(),
          run.p50Ms(),
          run.p99Ms());
      out.flush();
    }
    // Mean throughput per worker count, so that repeated runs (--workers 1,2,1,2) average out
    // some of a shared machine's drift.
    Map<Integer, Double> mean =
        runs.stream()
            .collect(
                Collectors.groupingBy(
                    Run::workers, TreeMap::new, Collectors.averagingDouble(Run::throughput)));
    Double one = mean.get(1);
    if (one != null) {
      mean.forEach(
          (workers, throughput) -> {
            if (workers > 1) {
              out.printf(
                  "throughput(%d) / (%d x throughput(1)) = %.3f  (%.3f / %.3f images/s)%n",
                  workers, workers, throughput / (workers * one), throughput, one);
            }
          });
    }
    out.printf("load average after: %s%n", loadAverage());
    return ExitCodes.OK;
  }

  private Run measure(int workers, List<byte[]> bodies) throws Exception {
    byte[] secret = new byte[16];
    ThreadLocalRandom.current().nextBytes(secret);
    String key = HexFormat.of().formatHex(secret);
    ServerConfig.Builder config =
        ServerConfig.builder()
            .port(0)
            .models(List.of(model))
            .apiKeys(ApiKeys.of(List.of(key)))
            .apiRate(Rate.parse("1000000/s"))
            .workers(workers)
            .threadsPerWorker(threadsPerWorker)
            .queue(queue)
            .requestTimeout(Duration.ofMinutes(10));
    if (models.modelsDir != null) {
      config.modelsDir(models.modelsDir);
    }
    try (CutoutServer server = CutoutServer.create(config.build()).start();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      if (!server.awaitReady(Duration.ofMinutes(10))) {
        throw new CutoutException(ErrorCode.INFERENCE_FAILED, "the server did not become ready");
      }
      HttpClient http = HttpClient.newHttpClient();
      URI uri = server.uri().resolve("/api/v1/remove");
      AtomicInteger remaining = new AtomicInteger(requests);
      AtomicInteger refused = new AtomicInteger();
      List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        running.add(
            pool.submit(
                () -> {
                  int i = client;
                  while (remaining.get() > 0) {
                    HttpRequest request =
                        HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "image/*")
                            .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                    bodies.get(i++ % bodies.size())))
                            .build();
                    long t = System.nanoTime();
                    HttpResponse<byte[]> r =
                        http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() == 200) {
                      if (remaining.getAndDecrement() > 0) {
                        latencies.add((System.nanoTime() - t) / 1e6);
                      }
                    } else if (r.statusCode() == 503) {
                      refused.incrementAndGet();
                      Thread.sleep(100); // a short back-off rather than the advised Retry-After
                    } else {
                      throw new IOException("unexpected status " + r.statusCode());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Run(
          workers,
          sorted.length,
          refused.get(),
          seconds,
          percentile(sorted, 0.50),
          percentile(sorted, 0.99));
    }
  }

  /** Nearest-rank percentile. */
  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return String.join(" ", Arrays.copyOf(parts, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private List<Path> collect() throws IOException {
    return ImageFiles.collect(images, Path.of("testdata", "photos"));
  }
}
