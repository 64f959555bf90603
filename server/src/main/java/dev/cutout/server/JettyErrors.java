package dev.cutout.server;

import java.io.IOException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty answers some requests before Javalin sees them (a URI it cannot parse, say, gets a 400);
 * this handler gives those answers the same security headers as every other response, and no stack
 * traces.
 */
final class JettyErrors extends ErrorHandler {
  JettyErrors() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    SecurityHeaders.ALL.forEach(response.getHeaders()::put);
    super.generateResponse(request, response, code, message, cause, callback);
  }
}
