package dev.cutout.server;

import java.util.Map;

/**
 * The headers every response carries: pages, assets, model files, health and errors alike.
 *
 * <p>Cross-origin isolation (COOP + COEP) is what gives the page {@code SharedArrayBuffer}, without
 * which ONNX Runtime Web silently runs on one thread; CORP keeps our files out of other origins'
 * pages. The Content-Security-Policy is the privacy guarantee in header form: {@code connect-src
 * 'self'} means no script on the page can send a photo anywhere but back to this server, and the
 * default (local) path sends nothing at all.
 */
final class SecurityHeaders {

  /**
   * The page's policy, one directive per line. Besides {@code 'self'} it allows only:
   *
   * <ul>
   *   <li>{@code 'wasm-unsafe-eval'} in script-src: {@code WebAssembly.compile/instantiate} (how
   *       ORT Web loads its .wasm) is "eval" to CSP; this keyword allows WebAssembly compilation
   *       without allowing JavaScript eval or {@code new Function}.
   *   <li>{@code blob:} and {@code data:} in img-src: result thumbnails, the editor's canvases and
   *       a chosen background picture are object URLs of in-memory images.
   * </ul>
   *
   * <p>No {@code blob:} for scripts or workers: the app imports ORT directly in its own module
   * worker and points {@code env.wasm.wasmPaths} at our origin, so ORT starts its WASM threads with
   * {@code new Worker(import.meta.url)} on the same-origin .mjs; it only fetches the .mjs into a
   * blob URL when that file is cross-origin, and the proxy worker (also a blob) is off.
   */
  static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self' 'wasm-unsafe-eval'",
          "worker-src 'self'",
          "connect-src 'self'",
          "img-src 'self' blob: data:",
          "style-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "form-action 'self'");

  /** Powerful features the app never uses, denied to it and to anything embedded. */
  static final String PERMISSIONS_POLICY =
      String.join(
          ", ",
          "accelerometer=()",
          "autoplay=()",
          "camera=()",
          "display-capture=()",
          "geolocation=()",
          "gyroscope=()",
          "hid=()",
          "magnetometer=()",
          "microphone=()",
          "midi=()",
          "payment=()",
          "publickey-credentials-get=()",
          "screen-wake-lock=()",
          "serial=()",
          "usb=()",
          "xr-spatial-tracking=()");

  static final Map<String, String> ALL =
      Map.of(
          "Cross-Origin-Opener-Policy", "same-origin",
          "Cross-Origin-Embedder-Policy", "require-corp",
          "Cross-Origin-Resource-Policy", "same-origin",
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "Permissions-Policy", PERMISSIONS_POLICY,
          "Referrer-Policy", "no-referrer",
          "X-Content-Type-Options", "nosniff");

  private SecurityHeaders() {}
}
