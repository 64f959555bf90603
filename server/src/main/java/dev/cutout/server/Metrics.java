package dev.cutout.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/** The server's meters, scraped at {@code /metrics} in the Prometheus text format. */
final class Metrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  Metrics() {}

  /** Gauges of the pool's queue; call once the pool exists. */
  void watch(EnginePool pool) {
    Gauge.builder("cutout.queue.waiting", pool, EnginePool::waiting)
        .description("Requests admitted and waiting for a worker")
        .register(registry);
    Gauge.builder("cutout.queue.running", pool, EnginePool::running)
        .description("Requests on a worker")
        .register(registry);
    Gauge.builder("cutout.ready", pool, p -> p.ready() ? 1 : 0)
        .description("1 once the engines are loaded and warmed")
        .register(registry);
  }

  /** Every response, by route and status. */
  void request(String route, int status) {
    Counter.builder("cutout.http.requests")
        .description("HTTP responses by route and status")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
  }

  /**
   * The time of one processing request, {@code /api/v1/remove} or {@code /v1.0/removebg}, from
   * arrival to response.
   */
  void removeLatency(String route, int status, Duration took) {
    Timer.builder("cutout.remove.duration")
        .description("Time of processing requests, arrival to response")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry)
        .record(took);
  }

  /** A request turned away before processing: overloaded, timeout, rate_limited, unauthorized. */
  void rejection(ApiRefusal.Reason reason) {
    Counter.builder("cutout.rejections")
        .description("Requests refused before or instead of processing")
        .tag("reason", reason.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** How long one engine took to create and warm up. */
  void modelLoaded(String model, Duration took) {
    Timer.builder("cutout.model.load")
        .description("Engine creation and warm-up, per worker and model")
        .tag("model", model)
        .register(registry)
        .record(took);
  }

  String scrape() {
    return registry.scrape();
  }
}
