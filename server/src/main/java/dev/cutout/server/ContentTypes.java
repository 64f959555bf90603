package dev.cutout.server;

import org.eclipse.jetty.http.MimeTypes;

/**
 * Media types by file name. Jetty's table (the one under Javalin) already knows what the browser is
 * strict about: {@code .wasm} as {@code application/wasm} (required by {@code
 * WebAssembly.instantiateStreaming}) and {@code .js}/{@code .mjs} as {@code text/javascript}
 * (module scripts and workers are refused under {@code nosniff} with anything else). We add what it
 * lacks, and give every text type UTF-8, written the way Jetty normalises it so what we set is what
 * is sent.
 */
final class ContentTypes {
  private static final String FALLBACK = "application/octet-stream";

  private static final MimeTypes TYPES = withOurs();

  private ContentTypes() {}

  static String of(String fileName) {
    String type = TYPES.getMimeByExtension(fileName);
    if (type == null) {
      return FALLBACK;
    }
    return type.startsWith("text/") ? type + ";charset=utf-8" : type;
  }

  private static MimeTypes withOurs() {
    MimeTypes.Mutable types = new MimeTypes.Mutable(MimeTypes.DEFAULTS);
    types.addMimeMapping("webmanifest", "application/manifest+json");
    return types;
  }
}
