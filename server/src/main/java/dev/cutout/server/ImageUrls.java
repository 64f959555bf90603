package dev.cutout.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Downloads the images the remove.bg-compatible API is given by URL ({@code image_url}, {@code
 * bg_image_url}), when the operator allowed it. A client choosing what the server fetches is
 * server-side request forgery waiting to happen, so every rule is strict:
 *
 * <ul>
 *   <li>only {@code http} and {@code https} URLs with a host and without user information;
 *   <li>the host is resolved here, every address it resolves to must be public ({@link
 *       PublicAddresses}), and the connection goes to the address that was checked, so a second DNS
 *       answer cannot swap in another (DNS rebinding); TLS still verifies the host name;
 *   <li>redirects are followed by hand, at most {@value #MAX_REDIRECTS}, each hop checked again;
 *   <li>the body may not pass the byte limit (refused while reading, and at once when the declared
 *       length says so), and the whole download, redirects included, has a time limit.
 * </ul>
 *
 * A plain HTTP/1.1 exchange on a socket is written here because Java's HTTP clients resolve host
 * names themselves and cannot be told which address to connect to.
 */
final class ImageUrls {
  static final int MAX_REDIRECTS = 3;

  /** Long enough for a large photo from a slow host; short next to the request timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final int MAX_HEADER_BYTES = 32 * 1024;
  private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

  /** Resolves a host name to its addresses (the system resolver, or a test's). */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final long maxBytes;
  private final Duration timeout;
  private final Resolver resolver;
  private final Predicate<InetSocketAddress> testAddresses;

  /**
   * @param testAddresses addresses (with their ports) allowed although they are not public: only
   *     tests pass anything but "none", to fetch from a server of their own on loopback
   */
  ImageUrls(
      long maxBytes,
      Duration timeout,
      Resolver resolver,
      Predicate<InetSocketAddress> testAddresses) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.resolver = resolver;
    this.testAddresses = testAddresses;
  }

  static ImageUrls create(long maxBytes) {
    return new ImageUrls(maxBytes, TIMEOUT, InetAddress::getAllByName, address -> false);
  }

  /**
   * The bytes at {@code url}.
   *
   * @param parameter the request parameter the URL came from, named in refusals
   * @throws ApiRefusal BAD_PARAMETER for a URL that is not http(s) or malformed; DOWNLOAD_FAILED
   *     when the host does not resolve, resolves to an address that is not public, does not answer
   *     200 in time, or redirects too often
   * @throws CutoutException TOO_LARGE when the body passes the byte limit
   */
  byte[] fetch(String url, String parameter) {
    URI uri = check(parse(url.strip(), parameter), parameter);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int hop = 0; ; hop++) {
      InetSocketAddress target = target(uri, parameter, deadline);
      Response response = get(uri, target, parameter, deadline);
      if (response.location().isEmpty()) {
        return response.body();
      }
      if (hop == MAX_REDIRECTS) {
        throw failed(parameter, url + " redirects more than " + MAX_REDIRECTS + " times");
      }
      try {
        uri = check(uri.resolve(new URI(response.location().get())), parameter);
      } catch (URISyntaxException e) {
        throw failed(parameter, url + " redirects to a malformed URL");
      }
    }
  }

  private static URI parse(String url, String parameter) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw ApiRefusal.about(
          ApiRefusal.Reason.BAD_PARAMETER, parameter, parameter + " is not a valid URL: " + url);
    }
  }

  /** The URL's form: http(s), a host, no user information. */
  private static URI check(URI uri, String parameter) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw ApiRefusal.about(
          ApiRefusal.Reason.BAD_PARAMETER,
          parameter,
          parameter + " must be an http or https URL, not '" + uri + "'");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw ApiRefusal.about(
          ApiRefusal.Reason.BAD_PARAMETER,
          parameter,
          parameter + " needs a host name and no user information: '" + uri + "'");
    }
    return uri;
  }

  /** The address to connect to: the host resolved here, every one of its addresses public. */
  private InetSocketAddress target(URI uri, String parameter, long deadline) {
    int port = uri.getPort() >= 0 ? uri.getPort() : isHttps(uri) ? 443 : 80;
    InetAddress[] addresses = resolve(uri.getHost(), parameter, deadline);
    for (InetAddress address : addresses) {
      InetSocketAddress candidate = new InetSocketAddress(address, port);
      Optional<String> why = PublicAddresses.whyNot(address);
      if (why.isPresent() && !testAddresses.test(candidate)) {
        throw failed(
            parameter,
            "refused to fetch "
                + uri.getHost()
                + ": it resolves to "
                + address.getHostAddress()
                + ", which is "
                + why.get()
                + "; only public addresses are fetched");
      }
    }
    return new InetSocketAddress(addresses[0], port);
  }

  /** The system resolver has no time limit of its own; the download's applies. */
  private InetAddress[] resolve(String host, String parameter, long deadline) {
    CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                lookup.complete(resolver.resolve(host));
              } catch (UnknownHostException | RuntimeException e) {
                lookup.completeExceptionally(e);
              }
            });
    try {
      InetAddress[] addresses = lookup.get(remaining(deadline), TimeUnit.NANOSECONDS);
      if (addresses.length == 0) {
        throw failed(parameter, "the host " + host + " has no address");
      }
      return addresses;
    } catch (ExecutionException e) {
      throw failed(parameter, "cannot resolve the host " + host);
    } catch (TimeoutException e) {
      throw failed(parameter, "resolving " + host + " took longer than the download may");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CutoutException(ErrorCode.CANCELLED, "interrupted while resolving " + host);
    }
  }

  /** An answer: a body (200), or where a redirect points. */
  private record Response(byte[] body, Optional<String> location) {}

  private Response get(URI uri, InetSocketAddress target, String parameter, long deadline) {
    try (Socket socket = connect(uri, target, deadline)) {
      OutputStream out = socket.getOutputStream();
      out.write(request(uri).getBytes(ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      String status = line(in, socket, deadline, parameter);
      Map<String, String> headers = headers(in, socket, deadline, parameter);
      int code = statusCode(status, parameter);
      if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
        String location = headers.get("location");
        if (location == null) {
          throw failed(parameter, uri + " answered " + code + " without a Location");
        }
        return new Response(new byte[0], Optional.of(location));
      }
      if (code != 200) {
        throw failed(parameter, uri + " answered " + code + " instead of an image");
      }
      return new Response(body(in, socket, headers, deadline, parameter), Optional.empty());
    } catch (SocketTimeoutException e) {
      throw tooSlow(parameter);
    } catch (IOException e) {
      throw failed(parameter, "cannot download " + uri + ": " + e.getMessage());
    }
  }

  private Socket connect(URI uri, InetSocketAddress target, long deadline) throws IOException {
    Socket raw = new Socket();
    try {
      raw.connect(target, millis(deadline));
      if (!isHttps(uri)) {
        return raw;
      }
      String host = uri.getHost();
      boolean literal = host.startsWith("[") || IPV4_LITERAL.matcher(host).matches();
      String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      SSLSocket tls =
          (SSLSocket)
              ((SSLSocketFactory) SSLSocketFactory.getDefault())
                  .createSocket(raw, name, target.getPort(), true);
      SSLParameters parameters = tls.getSSLParameters();
      // the certificate must name the host asked for, though the socket went to an address
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      if (!literal) {
        parameters.setServerNames(List.of(new SNIHostName(name)));
      }
      tls.setSSLParameters(parameters);
      tls.setSoTimeout(millis(deadline));
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static String request(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    boolean defaultPort = uri.getPort() < 0 || uri.getPort() == (isHttps(uri) ? 443 : 80);
    String host = uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
    return "GET "
        + path
        + query
        + " HTTP/1.1\r\nHost: "
        + host
        + "\r\nUser-Agent: Cutout\r\nAccept: image/*\r\nAccept-Encoding: identity\r\n"
        + "Connection: close\r\n\r\n";
  }

  private static int statusCode(String status, String parameter) {
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw failed(parameter, "the server did not answer HTTP/1.x");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw failed(parameter, "the server answered a malformed status line");
    }
  }

  /** Header names in lower case; the last of a repeated one wins. */
  private static Map<String, String> headers(
      InputStream in, Socket socket, long deadline, String parameter) throws IOException {
    Map<String, String> headers = new TreeMap<>();
    int total = 0;
    for (String line = line(in, socket, deadline, parameter);
        !line.isEmpty();
        line = line(in, socket, deadline, parameter)) {
      total += line.length();
      if (total > MAX_HEADER_BYTES) {
        throw failed(parameter, "the answer's headers are too long");
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private byte[] body(
      InputStream in, Socket socket, Map<String, String> headers, long deadline, String parameter)
      throws IOException {
    String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    if (encoding.contains("chunked")) {
      while (true) {
        String size = line(in, socket, deadline, parameter);
        int semicolon = size.indexOf(';');
        long chunk;
        try {
          chunk =
              Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
        } catch (NumberFormatException e) {
          throw failed(parameter, "the answer's chunked body is malformed");
        }
        if (chunk == 0) {
          return out.toByteArray();
        }
        copy(in, socket, out, chunk, deadline, parameter);
        line(in, socket, deadline, parameter);
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw failed(parameter, "the answer's Content-Length is malformed");
      }
      copy(in, socket, out, declared, deadline, parameter);
      return out.toByteArray();
    }
    copy(in, socket, out, Long.MAX_VALUE, deadline, parameter);
    return out.toByteArray();
  }

  /** Copies {@code count} bytes (or up to the end when it is Long.MAX_VALUE) within the limits. */
  private void copy(
      InputStream in,
      Socket socket,
      ByteArrayOutputStream out,
      long count,
      long deadline,
      String parameter)
      throws IOException {
    if (count != Long.MAX_VALUE && out.size() + count > maxBytes) {
      throw tooLarge();
    }
    byte[] buffer = new byte[64 * 1024];
    long left = count;
    while (left > 0) {
      socket.setSoTimeout(millis(deadline));
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        if (count == Long.MAX_VALUE) {
          return;
        }
        throw failed(parameter, "the download ended early");
      }
      if (out.size() + n > maxBytes) {
        throw tooLarge();
      }
      out.write(buffer, 0, n);
      left -= count == Long.MAX_VALUE ? 0 : n;
    }
  }

  /** One CRLF- (or LF-) terminated line of ISO-8859-1, without its terminator. */
  private static String line(InputStream in, Socket socket, long deadline, String parameter)
      throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      socket.setSoTimeout(millis(deadline));
      int c = in.read();
      if (c < 0) {
        throw failed(parameter, "the connection closed in the middle of the answer");
      }
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() >= MAX_HEADER_BYTES) {
        throw failed(parameter, "the answer has an over-long line");
      }
      line.append((char) c);
    }
  }

  private static boolean isHttps(URI uri) {
    return uri.getScheme().equalsIgnoreCase("https");
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** Milliseconds left for a socket timeout; at least 1, since 0 would mean "forever". */
  private static int millis(long deadline) throws SocketTimeoutException {
    long left = remaining(deadline) / 1_000_000L;
    if (left <= 0) {
      throw new SocketTimeoutException("the download's time is up");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private CutoutException tooLarge() {
    return new CutoutException(
        ErrorCode.TOO_LARGE, "the download is larger than the limit of " + maxBytes + " bytes");
  }

  private ApiRefusal tooSlow(String parameter) {
    return failed(parameter, "the download took longer than " + timeout.toSeconds() + " s");
  }

  private static ApiRefusal failed(String parameter, String message) {
    return ApiRefusal.about(ApiRefusal.Reason.DOWNLOAD_FAILED, parameter, message);
  }
}
