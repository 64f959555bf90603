package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeRuntimeTest {
  private final List<NativeRuntime.Pin> pins =
      NativeRuntime.pinsFor(NativeRuntime.platform(), NativeRuntime.loadPins());

  @Test
  void thisMachinesLibrariesArePinnedForTheOnnxRuntimeOnTheClassPath() throws IOException {
    assertThat(pins).isNotEmpty();
    // The jar's own library hashes to the pin (this also identifies the version where a module
    // path or a shaded jar hides the manifest).
    NativeRuntime.Pin main = pins.getFirst();
    try (var in = ai.onnxruntime.OrtEnvironment.class.getResourceAsStream(main.resource())) {
      assertThat(in).isNotNull();
      Path copy = Files.createTempFile("pin", ".so");
      try {
        Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(NativeRuntime.sha256(copy)).isEqualTo(main.sha256());
      } finally {
        Files.delete(copy);
      }
    }
    assertThat(NativeRuntime.versionOnClassPath(pins)).isEqualTo(main.version());
  }

  @Test
  void theEngineLoadedItsLibrariesFromTheVerifiedCacheNotATemporaryFolder() throws IOException {
    try (Cutout cutout =
        OnnxCutout.builder().model("isnet-uint8").threads(1).warmUp(false).build()) {
      Path dir = NativeRuntime.installedDir().orElseThrow();
      assertThat(System.getProperty("onnxruntime.native.path")).isEqualTo(dir.toString());
      assertThat(dir).startsWith(NativeRuntime.baseDir());
      for (NativeRuntime.Pin pin : pins) {
        assertThat(NativeRuntime.sha256(dir.resolve(pin.file()))).isEqualTo(pin.sha256());
      }
      // ONNX Runtime's own per-process folder stays empty: nothing was extracted into it.
      try (Stream<Path> tmp =
          Files.list(Path.of(System.getProperty("java.io.tmpdir")))
              .filter(p -> p.getFileName().toString().startsWith("onnxruntime-java"))) {
        for (Path folder : tmp.toList()) {
          try (Stream<Path> inside = Files.list(folder)) {
            assertThat(inside.toList()).as("files in %s", folder).isEmpty();
          } catch (java.nio.file.NoSuchFileException gone) {
            // another process's folder, removed meanwhile
          }
        }
      }
    }
  }

  @Test
  void installWritesVerifiedFilesAndASecondInstallKeepsThem(@TempDir Path dir) throws IOException {
    NativeRuntime.install(dir, pins);
    FileTime first = Files.getLastModifiedTime(dir.resolve(pins.getFirst().file()));
    NativeRuntime.install(dir, pins);
    assertThat(Files.getLastModifiedTime(dir.resolve(pins.getFirst().file()))).isEqualTo(first);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(pins.stream().map(NativeRuntime.Pin::file).toList());
    }
  }

  @Test
  void aDamagedInstalledLibraryIsReplaced(@TempDir Path dir) throws IOException {
    NativeRuntime.install(dir, pins);
    Path main = dir.resolve(pins.getFirst().file());
    byte[] bytes = Files.readAllBytes(main);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(main, bytes);
    NativeRuntime.install(dir, pins);
    assertThat(NativeRuntime.sha256(main)).isEqualTo(pins.getFirst().sha256());
  }

  @Test
  void concurrentFirstStartsLeaveOneIntactCopyAndNoPartFiles(@TempDir Path dir) throws Exception {
    ExecutorService starts = Executors.newFixedThreadPool(4);
    try {
      List<Future<Object>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<Object> install =
            () -> {
              NativeRuntime.install(dir, pins);
              return null;
            };
        done.add(starts.submit(install));
      }
      for (Future<Object> f : done) {
        f.get();
      }
    } finally {
      starts.shutdown();
    }
    for (NativeRuntime.Pin pin : pins) {
      assertThat(NativeRuntime.sha256(dir.resolve(pin.file()))).isEqualTo(pin.sha256());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).hasSize(pins.size());
    }
  }

  @Test
  void aLibraryThatDoesNotMatchItsPinIsRefusedAndNotInstalled(@TempDir Path dir) {
    NativeRuntime.Pin real = pins.getFirst();
    NativeRuntime.Pin wrong =
        new NativeRuntime.Pin(
            real.version(), real.platform(), real.file(), real.bytes(), "00".repeat(32));
    assertThatThrownBy(() -> NativeRuntime.install(dir, List.of(wrong)))
        .isInstanceOfSatisfying(
            CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NATIVE_RUNTIME))
        .hasMessageContaining("does not match");
    assertThat(dir.resolve(real.file())).doesNotExist();
  }

  @Test
  void anUnwritableCacheIsATypedError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertThatThrownBy(() -> NativeRuntime.install(file.resolve("native"), pins))
        .isInstanceOfSatisfying(
            CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NATIVE_RUNTIME));
  }

  @Test
  void theSweepRemovesOnlyOldEmptyOnnxRuntimeFolders(@TempDir Path tmp) throws IOException {
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    Path oldEmpty = Files.createDirectory(tmp.resolve("onnxruntime-java123"));
    Files.setLastModifiedTime(oldEmpty, old);
    Path oldFull = Files.createDirectory(tmp.resolve("onnxruntime-java456"));
    Files.writeString(oldFull.resolve("libonnxruntime.so"), "x");
    Files.setLastModifiedTime(oldFull, old);
    Path fresh = Files.createDirectory(tmp.resolve("onnxruntime-java789"));
    Path someoneElses = Files.createDirectory(tmp.resolve("other-folder"));
    Files.setLastModifiedTime(someoneElses, old);

    NativeRuntime.sweepEmptyTempFolders(tmp);

    assertThat(oldEmpty).doesNotExist();
    assertThat(oldFull).isDirectory();
    assertThat(fresh).isDirectory();
    assertThat(someoneElses).isDirectory();
  }
}
