package dev.cutout.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends a {@link StaticFile}: validators, conditional requests (304), one byte range (206/416), and
 * a body streamed in small buffers, so an 88 MB model never sits in memory.
 */
final class FileSender {
  /** Hashed asset names and catalogued model files never change under the same URL. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** Pages and fixed-name files (index.html, sw.js, the manifest): always revalidate. */
  static final String REVALIDATE = "no-cache";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final int BUFFER = 64 * 1024;

  private FileSender() {}

  static void send(Context ctx, StaticFile file, String cacheControl) throws IOException {
    HttpServletResponse res = ctx.res();
    String etag = file.etag();
    String lastModified = HTTP_DATE.format(Instant.ofEpochMilli(file.lastModifiedMillis()));
    res.setHeader("Cache-Control", cacheControl);
    res.setHeader("ETag", etag);
    res.setHeader("Last-Modified", lastModified);
    res.setHeader("Accept-Ranges", "bytes");

    if (notModified(ctx, etag, file.lastModifiedMillis())) {
      res.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    res.setContentType(ContentTypes.of(file.name()));

    Optional<String> range = Optional.ofNullable(ctx.header("Range"));
    String ifRange = ctx.header("If-Range");
    if (ifRange != null && !ifRange.strip().equals(etag) && !ifRange.strip().equals(lastModified)) {
      range = Optional.empty(); // the client's copy is stale: send it all
    }
    long total = file.length();
    switch (ByteRange.parse(range, total)) {
      case ByteRange.Unsatisfiable u -> {
        res.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
        res.setHeader("Content-Range", "bytes */" + total);
        res.setContentLengthLong(0);
      }
      case ByteRange.Partial p -> {
        res.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
        res.setHeader("Content-Range", p.range().contentRange(total));
        writeBody(ctx, file, p.range().first(), p.range().length());
      }
      case ByteRange.Whole w -> {
        res.setStatus(HttpServletResponse.SC_OK);
        writeBody(ctx, file, 0, total);
      }
    }
  }

  private static void writeBody(Context ctx, StaticFile file, long offset, long length)
      throws IOException {
    HttpServletResponse res = ctx.res();
    res.setContentLengthLong(length);
    if (ctx.method() == HandlerType.HEAD) {
      return;
    }
    try (InputStream in = file.open(offset)) {
      OutputStream out = res.getOutputStream();
      byte[] buffer = new byte[BUFFER];
      long remaining = length;
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException(file.name() + " ended " + remaining + " bytes early");
        }
        out.write(buffer, 0, n);
        remaining -= n;
      }
      out.flush();
    }
  }

  private static boolean notModified(Context ctx, String etag, long lastModifiedMillis) {
    String ifNoneMatch = ctx.header("If-None-Match");
    if (ifNoneMatch != null) {
      for (String candidate : ifNoneMatch.split(",")) {
        String tag = candidate.strip();
        if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = ctx.header("If-Modified-Since");
    if (ifModifiedSince == null) {
      return false;
    }
    try {
      Instant since =
          ZonedDateTime.parse(ifModifiedSince.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      return lastModifiedMillis / 1000 <= since.getEpochSecond();
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
