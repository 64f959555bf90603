package dev.cutout.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpDateTime;

/**
 * Sends a {@link StaticFile}: validators, conditional requests (304), one byte range (206/416), and
 * a body streamed in small buffers, so an 88 MB model never sits in memory.
 *
 * <p>Why not Javalin's static files: in Javalin 7.2 they send a weak ETag (matched only when
 * If-None-Match is exactly it) and no Last-Modified, know neither Range nor If-Range, take one
 * Cache-Control per mount and cannot limit {@code /models/} to the catalogued files. Nor Jetty's
 * ResourceService underneath: it ignores If-Range (a stale client would get a range of the new file
 * spliced onto its old bytes), and its {@code ByteRange.parse} returns the same empty list for a
 * malformed header (to be ignored) as for an unsatisfiable one (416). What Jetty does do well we
 * take from it: media types ({@link ContentTypes}) and HTTP dates.
 */
final class FileSender {
  /** Hashed asset names and catalogued model files never change under the same URL. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** Pages and fixed-name files (index.html, sw.js, the manifest): always revalidate. */
  static final String REVALIDATE = "no-cache";

  private static final int BUFFER = 64 * 1024;

  private FileSender() {}

  static void send(Context ctx, StaticFile file, String cacheControl) throws IOException {
    HttpServletResponse res = ctx.res();
    String etag = file.etag();
    String lastModified = DateGenerator.formatDate(file.lastModifiedMillis());
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
    long since = HttpDateTime.parseToEpoch(ifModifiedSince.strip());
    return since >= 0 && lastModifiedMillis / 1000 <= since / 1000;
  }
}
