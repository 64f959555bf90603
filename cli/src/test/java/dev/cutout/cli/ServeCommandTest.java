package dev.cutout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code cutout serve} does before it starts listening. (The server has its own tests.) */
class ServeCommandTest {
  private static CliRun cutout(String... args) {
    return CliRun.of(args);
  }

  @Test
  void refusesToServeWithoutTheModelsAndSaysHowToInstallThem(@TempDir Path empty) {
    CliRun run = cutout("serve", "--port", "0", "--models-dir", empty.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.MODEL);
    assertThat(run.err())
        .contains("isnet-fp16 is not installed")
        .contains("isnet-uint8 is not installed")
        .contains("cutout models install --models-dir " + empty);
    assertThat(run.out()).doesNotContain("serving");
  }

  @Test
  void refusesAModelFileThatDoesNotMatchTheCatalogAndSaysWhy(@TempDir Path store)
      throws IOException {
    // what an upgrade leaves behind, or a damaged disk: a file under the right name, other bytes
    Files.write(store.resolve("isnet-uint8.onnx"), new byte[] {8, 7, 18, 0});

    CliRun run = cutout("serve", "--port", "0", "--models-dir", store.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.MODEL);
    assertThat(run.err())
        .contains(
            "isnet-uint8 does not match the catalog: damaged, or installed by an older Cutout")
        .contains("isnet-fp16 is not installed")
        .contains("reinstall with: cutout models install --models-dir " + store);
    assertThat(run.out()).doesNotContain("serving");
  }

  @Test
  void documentsItsOptions() {
    CliRun run = cutout("serve", "--help");

    assertThat(run.exit()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("--host", "--port", "--models-dir", "--web-dir", "127.0.0.1")
        .contains("--api-keys-file", "--api-rate", "--hosted-fallback", "--fallback-rate")
        .contains("--workers", "--queue", "--request-timeout", "--api-model", "--max-bytes")
        .contains("--allow-image-urls", "/v1.0/removebg");
  }

  @Test
  void refusesAnUnreadableRateOrTimeoutBeforeListening() {
    CliRun rate = cutout("serve", "--port", "0", "--hosted-fallback", "--api-rate", "lots");
    CliRun timeout =
        cutout("serve", "--port", "0", "--hosted-fallback", "--request-timeout", "soon");

    assertThat(rate.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(rate.err()).contains("60/min");
    assertThat(timeout.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(timeout.err()).contains("60s");
    assertThat(rate.out() + timeout.out()).doesNotContain("serving");
  }

  @Test
  void readsDurationsInMillisecondsSecondsMinutesAndHours() {
    assertThat(ServeCommand.parseDuration("500ms")).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(ServeCommand.parseDuration("60s")).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(ServeCommand.parseDuration("90")).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(ServeCommand.parseDuration("2m")).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(ServeCommand.parseDuration("1h")).isEqualTo(java.time.Duration.ofHours(1));
  }
}
