package dev.cutout.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.server.ApiKeys;
import dev.cutout.server.CutoutServer;
import dev.cutout.server.Rate;
import dev.cutout.server.ServerConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cutout's remove.bg-compatible API against a client nobody here wrote: the npm package {@code
 * remove.bg} 1.3.0, installed unmodified from the lockfile in {@code removebg-client/} by the
 * build's {@code npm ci}, driven by {@code client-test.cjs} in Node. Only its endpoint is moved:
 * {@code redirect.cjs}, preloaded with {@code --require}, hands its requests for
 * https://api.remove.bg to this server over plain HTTP (see that file for how). The script's checks
 * are printed here; the images it wrote are then looked at pixel by pixel.
 */
class RemoveBgClientTest {
  private static final Path CLIENT = Path.of("removebg-client");
  private static final String KEY = "remove-bg-client-key-5d1";
  private static final List<String> CHECKS =
      List.of(
          "file upload",
          "base64 upload",
          "size=preview",
          "crop",
          "bg_color",
          "roi",
          "channels=alpha",
          "invalid key",
          "image_url off by default");

  @Test
  void theRemoveBgNpmClientWorksAgainstCutoutWithOnlyItsUrlChanged(@TempDir Path dir)
      throws Exception {
    Path keys = dir.resolve("api-keys");
    Files.writeString(keys, "# the remove.bg client's key\n" + KEY + "\n");
    Path out = Files.createDirectory(dir.resolve("out"));
    try (CutoutServer server =
        CutoutServer.create(
                ServerConfig.builder()
                    .port(0)
                    .models(List.of("isnet-uint8"))
                    .apiKeys(ApiKeys.read(keys))
                    .apiRate(Rate.parse("600/min"))
                    .build())
            .start()) {
      assertThat(server.awaitReady(Duration.ofMinutes(3))).as("engines ready").isTrue();

      Run run = node(server.port(), out);

      System.out.println(run.output());
      assertThat(run.exitCode()).as("client-test.cjs exit status").isZero();
      for (int i = 0; i < CHECKS.size(); i++) {
        assertThat(run.output()).contains("ok " + (i + 1) + " - " + CHECKS.get(i) + ":");
      }
      assertThat(run.output()).doesNotContain("not ok").contains("# 9 checks, 0 failed");
    }

    int corner = read(out.resolve("bg_color.jpg")).getRGB(2, 2);
    assertThat(corner >> 16 & 0xFF).as("red of 81d4fa").isBetween(0x81 - 8, 0x81 + 8);
    assertThat(corner >> 8 & 0xFF).as("green of 81d4fa").isBetween(0xd4 - 8, 0xd4 + 8);
    assertThat(corner & 0xFF).as("blue of 81d4fa").isBetween(0xfa - 8, 0xff);

    BufferedImage roi = read(out.resolve("roi.png"));
    for (int y = 0; y < roi.getHeight(); y++) {
      for (int x = 361; x < roi.getWidth(); x++) {
        assertThat(roi.getRGB(x, y) >>> 24).as("alpha at %d,%d, outside the roi", x, y).isZero();
      }
    }

    BufferedImage alpha = read(out.resolve("alpha.png"));
    assertThat(alpha.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(alpha.getRaster().getSample(2, 2, 0)).as("background").isLessThan(16);
    assertThat(alpha.getRaster().getSample(300, 250, 0)).as("the cup").isGreaterThan(240);
  }

  private record Run(int exitCode, String output) {}

  /** Runs the script against {@code port}; its output, stdout and stderr together. */
  private static Run node(int port, Path out) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("node", "--require", "./redirect.cjs", "client-test.cjs")
            .directory(CLIENT.toFile())
            .redirectErrorStream(true);
    builder.environment().put("CUTOUT_PORT", Integer.toString(port));
    builder.environment().put("CUTOUT_KEY", KEY);
    builder.environment().put("CUTOUT_PHOTOS", Servers.PHOTOS.toAbsolutePath().toString());
    builder.environment().put("CUTOUT_OUT", out.toAbsolutePath().toString());
    Process process = builder.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (InputStream in = process.getInputStream()) {
                    in.transferTo(output);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("client-test.cjs ran over 5 minutes:\n" + output.toString(UTF_8));
    }
    reader.join(10_000);
    return new Run(process.exitValue(), output.toString(UTF_8));
  }

  private static BufferedImage read(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as(file.getFileName().toString()).isNotNull();
    return image;
  }
}
