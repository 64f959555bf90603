package dev.cutout.server;

import java.util.Locale;
import java.util.Map;

/**
 * Media types by file extension, for the few kinds of file the server hands out. Written the way
 * Jetty normalises them ({@code text/html;charset=utf-8}), so what we set is what is sent.
 */
final class ContentTypes {
  private static final String FALLBACK = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("html", "text/html;charset=utf-8"),
          Map.entry("js", "text/javascript;charset=utf-8"),
          Map.entry("mjs", "text/javascript;charset=utf-8"),
          Map.entry("css", "text/css;charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("webmanifest", "application/manifest+json"),
          // WebAssembly.compileStreaming/instantiateStreaming insist on exactly this type.
          Map.entry("wasm", "application/wasm"),
          Map.entry("onnx", "application/octet-stream"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("txt", "text/plain;charset=utf-8"),
          Map.entry("map", "application/json"));

  private ContentTypes() {}

  static String of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return FALLBACK;
    }
    return BY_EXTENSION.getOrDefault(
        fileName.substring(dot + 1).toLowerCase(Locale.ROOT), FALLBACK);
  }
}
