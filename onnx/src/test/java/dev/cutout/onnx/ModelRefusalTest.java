package dev.cutout.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.ModelSpec;
import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine starts only on the catalogued model files, and says why it will not. */
class ModelRefusalTest {
  private final ModelStore installed = ModelStore.defaultStore();

  @Test
  void oneFlippedByteIsRefusedByTheEngine(@TempDir Path dir) throws IOException {
    ModelSpec uint8 = installed.catalog().require("isnet-uint8");
    byte[] bytes = Files.readAllBytes(installed.path(uint8));
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(dir.resolve(uint8.file()), bytes);
    String actual = ModelStore.at(dir).verify(uint8).actualSha256();

    assertThatThrownBy(() -> OnnxCutout.builder().model("isnet-uint8").modelsDir(dir).build())
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining(uint8.file())
        .hasMessageContaining(uint8.sha256())
        .hasMessageContaining(actual)
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.MODEL_CORRUPT);
  }

  @Test
  void aMissingModelOrUnknownIdIsATypedError(@TempDir Path empty) {
    assertThatThrownBy(() -> OnnxCutout.builder().model("isnet-uint8").modelsDir(empty).build())
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.MODEL_NOT_INSTALLED);
    assertThatThrownBy(() -> OnnxCutout.builder().model("u2net").build())
        .hasMessageContaining("isnet-fp16")
        .extracting(e -> ((CutoutException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MODEL);
  }
}
