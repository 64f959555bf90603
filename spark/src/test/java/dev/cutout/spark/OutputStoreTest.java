package dev.cutout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputStoreTest {
  /** A PNG run with {@code model} and {@code crop}, nothing else set. */
  private static JobSpec spec(String model, String crop) {
    return new JobSpec(
        "/out", model, "png", false, false, null, crop, null, 1000, 1, JobSpec.Commit.AUTO);
  }

  private static final JobSpec SPEC = spec("isnet-uint8", null);

  @Test
  void namesAreDeterministicReadableAndDifferWithInputAndSettings() {
    String a = OutputStore.name("hdfs://nn/shop/2026/kite.JPG", SPEC.outputKey(), OutputFormat.PNG);
    assertThat(a).matches("kite-[0-9a-f]{12}\\.png");
    assertThat(OutputStore.name("hdfs://nn/shop/2026/kite.JPG", SPEC.outputKey(), OutputFormat.PNG))
        .isEqualTo(a);
    assertThat(OutputStore.name("hdfs://nn/shop/2025/kite.JPG", SPEC.outputKey(), OutputFormat.PNG))
        .as("same file name in another folder")
        .isNotEqualTo(a);
    JobSpec cropped = spec("isnet-uint8", "5%");
    assertThat(
            OutputStore.name("hdfs://nn/shop/2026/kite.JPG", cropped.outputKey(), OutputFormat.PNG))
        .isNotEqualTo(a);
    JobSpec fp16 = spec("isnet-fp16", null);
    assertThat(OutputStore.name("hdfs://nn/shop/2026/kite.JPG", fp16.outputKey(), OutputFormat.PNG))
        .isNotEqualTo(a);
    assertThat(OutputStore.name("s3a://b/_hidden photo!.webp", SPEC.outputKey(), OutputFormat.JPEG))
        .as("names Hadoop would hide, and odd characters")
        .matches("image_hidden_photo_-[0-9a-f]{12}\\.jpg");
  }

  @Test
  void objectStoresAreWrittenDirectly() {
    assertThat(OutputStore.isObjectStore(java.net.URI.create("s3a://bucket/out"))).isTrue();
    assertThat(OutputStore.isObjectStore(java.net.URI.create("gs://bucket/out"))).isTrue();
    assertThat(OutputStore.isObjectStore(java.net.URI.create("hdfs://nn/out"))).isFalse();
    assertThat(OutputStore.isObjectStore(java.net.URI.create("file:/tmp/out"))).isFalse();
  }

  @Test
  void anOutputCutShortIsNotComplete(@TempDir Path dir) throws IOException {
    byte[] png = TestImages.png(40, 30);
    byte[] jpeg = TestImages.jpeg(40, 30);
    byte[] webp = TestImages.webp(40, 30);
    try (FileSystem fs = FileSystem.newInstance(dir.toUri(), new Configuration())) {
      OutputStore store =
          new OutputStore(fs, new org.apache.hadoop.fs.Path(dir.toUri()), JobSpec.Commit.RENAME);
      check(store, dir, "a.png", png, OutputFormat.PNG);
      check(store, dir, "a.jpg", jpeg, OutputFormat.JPEG);
      check(store, dir, "a.webp", webp, OutputFormat.WEBP);
      assertThat(store.isComplete(store.path("missing.png"), OutputFormat.PNG)).isFalse();
    }
  }

  private static void check(
      OutputStore store, Path dir, String name, byte[] whole, OutputFormat format)
      throws IOException {
    Files.write(dir.resolve(name), whole);
    assertThat(store.isComplete(store.path(name), format)).as(name + " whole").isTrue();
    Files.write(dir.resolve(name), Arrays.copyOf(whole, whole.length - 5));
    assertThat(store.isComplete(store.path(name), format)).as(name + " cut short").isFalse();
  }

  @Test
  void aRenamedWriteLeavesOnlyTheOutputAndNoChecksumFiles(@TempDir Path dir) throws IOException {
    byte[] png = TestImages.png(8, 8);
    try (FileSystem fs = FileSystem.newInstance(dir.toUri(), new Configuration())) {
      OutputStore store =
          new OutputStore(fs, new org.apache.hadoop.fs.Path(dir.toUri()), JobSpec.Commit.AUTO);
      store.write(store.path("x.png"), png, "attempt-1");
      // a second attempt of the same task (a retry, a speculative copy) writes the same bytes
      store.write(store.path("x.png"), png, "attempt-2");
      store.removeTemporary();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("x.png");
    }
    assertThat(Files.readAllBytes(dir.resolve("x.png"))).isEqualTo(png);
  }
}
