package dev.cutout.cli;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.onnx.ModelStore;
import dev.cutout.server.CutoutServer;
import dev.cutout.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutout serve}: the web app and its model files over HTTP, until Ctrl+C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the web app and the model files. Photos are processed in the browser that opens"
          + " the page; the server receives none."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every one).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--web-dir",
      paramLabel = "DIR",
      description =
          "Serve the web app from this folder (e.g. web/dist) instead of the built-in copy.")
  Path webDir;

  @Mixin ModelOptions models;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ModelStore store = models.store();
    requireInstalled(store);

    ServerConfig.Builder config =
        ServerConfig.builder().host(host).port(port).modelsDir(store.dir());
    if (webDir != null) {
      config.webDir(webDir);
    }
    CutoutServer server = CutoutServer.create(config.build()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  stopped.countDown();
                },
                "cutout-serve-stop"));
    out.println("Cutout is serving on " + server.uri());
    out.println("Models: " + store.dir() + ". Press Ctrl+C to stop.");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /** The page would fail on a missing or altered model: say so now, with the fix. */
  private void requireInstalled(ModelStore store) {
    List<ModelStore.Check> bad = store.verifyAll().stream().filter(c -> !c.ok()).toList();
    if (bad.isEmpty()) {
      return;
    }
    boolean corrupt = bad.stream().anyMatch(c -> c.status() == ModelStore.Status.MISMATCH);
    StringBuilder message = new StringBuilder("cannot serve: ");
    for (ModelStore.Check c : bad) {
      message
          .append(System.lineSeparator())
          .append("  ")
          .append(c.model().id())
          .append(c.status() == ModelStore.Status.MISSING ? " is not installed (" : " is corrupt (")
          .append(c.file())
          .append(")");
    }
    message
        .append(System.lineSeparator())
        .append(
            corrupt
                ? "reinstall with: cutout models install --force"
                : "install with: cutout models install");
    if (models.modelsDir != null) {
      message.append(" --models-dir ").append(models.modelsDir);
    }
    throw new CutoutException(
        corrupt ? ErrorCode.MODEL_CORRUPT : ErrorCode.MODEL_NOT_INSTALLED, message.toString());
  }
}
