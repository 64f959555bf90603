package dev.cutout.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Image URLs (remove.bg's {@code image_url}, {@code bg_image_url}): what may be fetched, and how
 * the download is bounded. No test needs the outside network: an address that is refused is refused
 * before any connection, and the downloads that succeed come from a server of the test's own on
 * loopback, which the fetcher is told to let through (and nothing else on loopback).
 */
class ImageUrlsTest {
  private static final byte[] IMAGE = ApiImages.scaled("coffee.png", 30, 20, "png");

  private HttpServer local;
  private int port;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    port = local.getAddress().getPort();
    local.start();
  }

  @AfterEach
  void stop() {
    local.stop(0);
  }

  /** Answers {@code path} with {@code status}, {@code headers} and {@code body}, counting hits. */
  private void serve(String path, int status, Map<String, String> headers, byte[] body) {
    hits.put(path, new AtomicInteger());
    local.createContext(
        path,
        exchange -> {
          hits.get(path).incrementAndGet();
          headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** A fetcher that may reach this test's server (and only it) although it is on loopback. */
  private ImageUrls allowingTheTestServer(long maxBytes, Duration timeout) {
    InetSocketAddress test = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    return new ImageUrls(maxBytes, timeout, InetAddress::getAllByName, test::equals);
  }

  private static ApiRefusal refusal(Runnable fetch) {
    try {
      fetch.run();
    } catch (ApiRefusal e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "127.0.0.1",
        "127.255.1.2",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "192.0.0.8",
        "192.0.2.1",
        "198.18.0.1",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::1",
        "100::1",
        "2001::1",
        "2001:2::1",
        "2001:db8::1",
        "2002:7f00:1::1",
        "2002:c0a8:101::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "4000::1"
      })
  void addressesThatAreNotPublicAreRefused(String literal) throws UnknownHostException {
    for (InetAddress address : forms(literal)) {
      assertThat(PublicAddresses.whyNot(address)).as("%s as %s", literal, address).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "93.184.215.14",
        "172.32.0.1",
        "100.128.0.1",
        "2606:4700::1111",
        "2a00:1450:4001::1",
        "64:ff9b::808:808",
        "2002:808:808::1"
      })
  void publicAddressesMayBeFetched(String literal) throws UnknownHostException {
    for (InetAddress address : forms(literal)) {
      assertThat(PublicAddresses.whyNot(address)).as("%s as %s", literal, address).isEmpty();
    }
  }

  /**
   * The address as Java makes it from text (which turns an IPv4-mapped IPv6 address into IPv4), and
   * for IPv6 text also as sixteen raw bytes, as a socket could still see it.
   */
  private static List<InetAddress> forms(String literal) throws UnknownHostException {
    InetAddress parsed = InetAddress.getByName(literal);
    if (!literal.contains(":")) {
      return List.of(parsed);
    }
    byte[] sixteen = new byte[16];
    byte[] raw = parsed.getAddress();
    if (raw.length == 4) { // was mapped
      sixteen[10] = (byte) 0xFF;
      sixteen[11] = (byte) 0xFF;
      System.arraycopy(raw, 0, sixteen, 12, 4);
    } else {
      sixteen = raw;
    }
    return List.of(parsed, Inet6Address.getByAddress(null, sixteen, null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "ftp://example.com/photo.jpg",
        "gopher://example.com/",
        "jar:http://example.com/a.jar!/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "//example.com/photo.jpg",
        "photo.jpg",
        "http:///photo.jpg",
        "http://user:secret@example.com/photo.jpg",
        "http://exa mple.com/photo.jpg"
      })
  void onlyHttpAndHttpsUrlsWithAHostAndNoCredentialsAreTried(String url) {
    ApiRefusal refused = refusal(() -> ImageUrls.create(1_000_000).fetch(url, "image_url"));

    assertThat(refused.reason()).isEqualTo(ApiRefusal.Reason.BAD_PARAMETER);
    assertThat(refused.parameter()).contains("image_url");
  }

  @Test
  void loopbackIsRefusedBeforeAnyConnectionHowEverItIsWritten() {
    serve("/photo.png", 200, Map.of(), IMAGE);
    ImageUrls urls = ImageUrls.create(1_000_000);

    for (String host : List.of("127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]")) {
      ApiRefusal refused =
          refusal(() -> urls.fetch("http://" + host + ":" + port + "/photo.png", "image_url"));
      assertThat(refused.reason()).as(host).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
      assertThat(refused.getMessage()).as(host).contains("only public addresses");
    }
    // the resolver reads both as 127.0.0.1; java.net.URI reads no host in the first at all
    for (String host : List.of("127.1", "2130706433")) {
      ApiRefusal refused =
          refusal(() -> urls.fetch("http://" + host + ":" + port + "/photo.png", "image_url"));
      assertThat(refused.reason())
          .as(host)
          .isIn(ApiRefusal.Reason.BAD_PARAMETER, ApiRefusal.Reason.DOWNLOAD_FAILED);
    }
    assertThat(hits.get("/photo.png")).as("never contacted").hasValue(0);
  }

  @Test
  void theCloudMetadataAddressAndPrivateNetworksAreRefusedWithoutConnecting() {
    ImageUrls urls = ImageUrls.create(1_000_000);

    for (String url :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/photo.jpg",
            "https://192.168.0.10/photo.jpg",
            "http://[fd00::1]/photo.jpg",
            "http://0.0.0.0:8080/")) {
      ApiRefusal refused = refusal(() -> urls.fetch(url, "bg_image_url"));
      assertThat(refused.reason()).as(url).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
      assertThat(refused.parameter()).as(url).contains("bg_image_url");
    }
  }

  @Test
  void aHostIsRefusedWhenAnyOfItsAddressesIsNotPublic() throws UnknownHostException {
    InetAddress[] mixed = {
      InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")
    };
    ImageUrls urls = new ImageUrls(1_000_000, Duration.ofSeconds(2), host -> mixed, a -> false);

    ApiRefusal refused = refusal(() -> urls.fetch("http://photos.example/a.jpg", "image_url"));

    assertThat(refused.reason()).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
    assertThat(refused.getMessage()).contains("10.0.0.7").contains("private");
  }

  @Test
  void anAllowedAddressIsDownloadedAndOneRedirectFollowed() {
    serve("/photo.png", 200, Map.of("Content-Type", "image/png"), IMAGE);
    serve("/moved", 302, Map.of("Location", "/photo.png"), new byte[0]);
    ImageUrls urls = allowingTheTestServer(1_000_000, Duration.ofSeconds(5));

    assertThat(urls.fetch(url("/photo.png"), "image_url")).isEqualTo(IMAGE);
    assertThat(urls.fetch(url("/moved"), "image_url")).isEqualTo(IMAGE);
  }

  @Test
  void everyRedirectIsCheckedAgain() throws IOException {
    serve("/to-metadata", 302, Map.of("Location", "http://169.254.169.254/"), new byte[0]);
    HttpServer other =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger otherHits = new AtomicInteger();
    other.createContext(
        "/",
        exchange -> {
          otherHits.incrementAndGet();
          exchange.sendResponseHeaders(200, IMAGE.length);
          exchange.getResponseBody().write(IMAGE);
          exchange.close();
        });
    other.start();
    try {
      String elsewhere = "http://127.0.0.1:" + other.getAddress().getPort() + "/photo.png";
      serve("/to-loopback", 307, Map.of("Location", elsewhere), new byte[0]);
      ImageUrls urls = allowingTheTestServer(1_000_000, Duration.ofSeconds(5));

      for (String path : List.of("/to-metadata", "/to-loopback")) {
        ApiRefusal refused = refusal(() -> urls.fetch(url(path), "image_url"));
        assertThat(refused.reason()).as(path).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
        assertThat(refused.getMessage()).as(path).contains("only public addresses");
      }
      assertThat(otherHits).as("the loopback server behind the redirect").hasValue(0);
    } finally {
      other.stop(0);
    }
  }

  @Test
  void moreThanThreeRedirectsAreRefused() {
    serve("/1", 301, Map.of("Location", "/2"), new byte[0]);
    serve("/2", 302, Map.of("Location", "/3"), new byte[0]);
    serve("/3", 303, Map.of("Location", "/4"), new byte[0]);
    serve("/4", 308, Map.of("Location", "/photo.png"), new byte[0]);
    serve("/photo.png", 200, Map.of(), IMAGE);
    ImageUrls urls = allowingTheTestServer(1_000_000, Duration.ofSeconds(5));

    assertThat(urls.fetch(url("/2"), "image_url")).as("three redirects").isEqualTo(IMAGE);
    ApiRefusal refused = refusal(() -> urls.fetch(url("/1"), "image_url"));
    assertThat(refused.reason()).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
    assertThat(refused.getMessage()).contains("more than 3");
  }

  @Test
  void aBodyOverTheByteLimitIsRefusedWhetherDeclaredOrChunked() {
    serve("/declared", 200, Map.of(), new byte[2_001]);
    local.createContext(
        "/chunked",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 30; i++) {
              out.write(new byte[100]);
              out.flush();
            }
          }
        });
    ImageUrls urls = allowingTheTestServer(2_000, Duration.ofSeconds(5));

    for (String path : List.of("/declared", "/chunked")) {
      assertThatThrownBy(() -> urls.fetch(url(path), "image_url"))
          .as(path)
          .isInstanceOfSatisfying(
              CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    }
  }

  @Test
  void aDownloadThatTakesTooLongIsAbandoned() {
    local.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, IMAGE.length);
          exchange.getResponseBody().write(IMAGE);
          exchange.close();
        });
    ImageUrls urls = allowingTheTestServer(1_000_000, Duration.ofMillis(500));

    long start = System.nanoTime();
    ApiRefusal refused = refusal(() -> urls.fetch(url("/slow"), "image_url"));

    assertThat(refused.reason()).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
    assertThat(refused.getMessage()).contains("longer than");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anAnswerOtherThan200IsAFailedDownload() {
    serve("/missing", 404, Map.of(), "not here".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ImageUrls urls = allowingTheTestServer(1_000_000, Duration.ofSeconds(5));

    ApiRefusal refused = refusal(() -> urls.fetch(url("/missing"), "image_url"));

    assertThat(refused.reason()).isEqualTo(ApiRefusal.Reason.DOWNLOAD_FAILED);
    assertThat(refused.getMessage()).contains("404");
  }
}
