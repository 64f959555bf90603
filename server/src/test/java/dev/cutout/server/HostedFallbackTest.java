package dev.cutout.server;

import static dev.cutout.server.ServerHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The keyless path the web page uses when its visitor opts in, next to the keyed API, each with its
 * own rate. A request is counted against the rate before its body is read, so the tests spend
 * tokens with cheap non-images (415) rather than inferences.
 */
class HostedFallbackTest {
  private static ServerHarness http;

  @BeforeAll
  static void start() {
    http =
        ServerHarness.startReady(
            ServerHarness.withUint8Engine()
                .hostedFallback(true)
                .fallbackRate(Rate.parse("3/min"))
                .apiKeys(ApiKeys.of(List.of("key-a", "key-b")))
                .apiRate(Rate.parse("2/h")));
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  private static HttpResponse<byte[]> post(byte[] body, String... headers) {
    return http.post("/api/v1/remove", body, headers);
  }

  private static final byte[] TEXT = "not an image".getBytes(UTF_8);

  @Test
  void aVisitorWithoutAKeyIsServedUntilTheirAddressRunsOutOfItsRate() {
    // big enough for the model to find the cat (at 96×64 it finds too little: no subject, 422)
    HttpResponse<byte[]> photo = post(ApiImages.scaled("chelsea.png", 240, 160, "png"));
    assertThat(photo.statusCode()).isEqualTo(200);
    assertThat(header(photo, "Cache-Control")).isEqualTo("no-store");
    assertThat(post(TEXT).statusCode()).isEqualTo(415);
    assertThat(post(TEXT).statusCode()).isEqualTo(415);

    HttpResponse<byte[]> limited = post(TEXT);

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(header(limited, "Retry-After"))).isBetween(1L, 20L);
    assertThat(new String(limited.body(), UTF_8)).contains("\"code\":\"rate_limited\"");
  }

  @Test
  void eachKeyHasItsOwnRateAndAPresentedKeyMustBeValid() {
    assertThat(post(TEXT, "Authorization", "Bearer key-a").statusCode()).isEqualTo(415);
    assertThat(post(TEXT, "Authorization", "Bearer key-a").statusCode()).isEqualTo(415);
    HttpResponse<byte[]> limited = post(TEXT, "Authorization", "Bearer key-a");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(header(limited, "Retry-After"))).isBetween(1000L, 1800L);

    assertThat(post(TEXT, "Authorization", "Bearer key-b").statusCode()).isEqualTo(415);
    assertThat(post(TEXT, "Authorization", "Bearer key-c").statusCode()).isEqualTo(401);
  }

  @Test
  void capabilitiesTellTheWebAppThatItMayOfferServerProcessing() {
    HttpResponse<byte[]> r = http.get("/api/v1/capabilities");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), UTF_8))
        .isEqualTo(
            "{\"hostedFallback\":true,\"api\":true,\"maxBytes\":25000000,"
                + "\"maxPixels\":50000000,\"models\":[\"isnet-uint8\"]}");
    assertThat(header(r, "Content-Security-Policy")).contains("connect-src 'self';");
  }
}
