package dev.cutout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The job in local mode, in this JVM, on real images with the real model, beside the files a folder
 * of photos also holds: a truncated JPEG, a text file, an empty file and a 3 GiB file.
 */
class LocalModeTest {
  private static final Path COMPOSITES = Path.of("..", "testdata", "composites", "images");
  private static final String MODEL = "isnet-uint8";
  private static final Map<String, String> SPARK =
      Map.of(
          "spark.master", "local[2]",
          "spark.driver.host", "127.0.0.1",
          "spark.driver.bindAddress", "127.0.0.1",
          "spark.ui.enabled", "false",
          "spark.sql.shuffle.partitions", "4");

  @BeforeAll
  static void sparkSettings() {
    SPARK.forEach(System::setProperty);
  }

  @AfterAll
  static void clearSparkSettings() {
    SPARK.keySet().forEach(System::clearProperty);
  }

  record Run(int exit, String err) {}

  static Run job(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = CutoutSparkJob.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, err.toString());
  }

  /** The job on a folder with the test's model and no other option. */
  static Run plainRun(Path in, Path out, Path manifest) {
    return job(
        "--input",
        in.toString(),
        "-o",
        out.toString(),
        "--model",
        MODEL,
        "--manifest",
        manifest.toString());
  }

  /** The manifest rows of a finished run, by input file name. */
  static Map<String, Row> manifest(Path dir) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    try {
      return spark.read().parquet(dir.toString()).collectAsList().stream()
          .collect(
              Collectors.toMap(r -> r.<String>getAs("input_path").replaceAll(".*/", ""), r -> r));
    } finally {
      spark.stop();
    }
  }

  private static Path photos(Path dir) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    for (String name : List.of("c000.jpg", "c001.jpg", "c002.jpg")) {
      Files.copy(COMPOSITES.resolve(name), in.resolve(name));
    }
    Files.createDirectories(in.resolve("more"));
    Files.copy(COMPOSITES.resolve("c003.jpg"), in.resolve("more/c003.jpg"));
    byte[] whole = Files.readAllBytes(COMPOSITES.resolve("c004.jpg"));
    Files.write(in.resolve("broken.jpg"), java.util.Arrays.copyOf(whole, 2000));
    Files.writeString(in.resolve("notes.txt"), "not a photo\n");
    Files.createFile(in.resolve("empty.png"));
    try (RandomAccessFile huge = new RandomAccessFile(in.resolve("huge.jpg").toFile(), "rw")) {
      huge.setLength(3L << 30); // sparse: 3 GiB of length, no disk
    }
    return in;
  }

  private static Map<Path, FileTime> outputs(Path out) throws IOException {
    Map<Path, FileTime> files = new HashMap<>();
    try (Stream<Path> all = Files.walk(out)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        if (!out.relativize(f).startsWith("_manifests")) {
          files.put(f, Files.getLastModifiedTime(f));
        }
      }
    }
    return files;
  }

  @Test
  void writesWhatTheLibraryWritesOneRowPerFileAndARerunWritesNothing(@TempDir Path dir)
      throws Exception {
    Path in = photos(dir);
    Path out = dir.resolve("out");

    Run first = plainRun(in, out, dir.resolve("m1"));

    assertThat(first.exit()).as(first.err()).isEqualTo(1);
    assertThat(first.err()).contains("4 written, 0 skipped, 4 failed");
    Map<String, Row> rows = manifest(dir.resolve("m1"));
    assertThat(rows).hasSize(8);
    assertThat(rows.get("broken.jpg").<String>getAs("error_code")).isEqualTo("CORRUPT_IMAGE");
    assertThat(rows.get("notes.txt").<String>getAs("error_code")).isEqualTo("UNSUPPORTED_FORMAT");
    assertThat(rows.get("empty.png").<String>getAs("error_code")).isEqualTo("EMPTY_INPUT");
    Row huge = rows.get("huge.jpg");
    assertThat(huge.<String>getAs("error_code")).isEqualTo("TOO_LARGE");
    assertThat(huge.<Long>getAs("input_bytes")).isEqualTo(3L << 30);
    for (String bad : List.of("broken.jpg", "notes.txt", "empty.png", "huge.jpg")) {
      assertThat(rows.get(bad).<String>getAs("status")).isEqualTo("failed");
      assertThat(rows.get(bad).<String>getAs("output_path")).isNull();
    }

    try (Cutout library = OnnxCutout.builder().model(MODEL).threads(1).build()) {
      for (String name : List.of("c000.jpg", "c001.jpg", "c002.jpg", "c003.jpg")) {
        Row row = rows.get(name);
        assertThat(row.<String>getAs("status")).as(name).isEqualTo("written");
        assertThat(row.<String>getAs("model")).isEqualTo(MODEL);
        Path written = Path.of(java.net.URI.create(row.<String>getAs("output_path")));
        assertThat(written.getParent()).isEqualTo(out);
        assertThat(written.getFileName().toString())
            .matches(name.replace(".jpg", "") + "-[0-9a-f]{12}\\.png");
        Path source = name.equals("c003.jpg") ? in.resolve("more").resolve(name) : in.resolve(name);
        var expected = library.remove(source, Options.defaults());
        assertThat(Files.readAllBytes(written))
            .as(name + ": the library's bytes")
            .isEqualTo(expected.bytes());
        assertThat(row.<Integer>getAs("width")).isEqualTo(expected.width());
        assertThat(row.<Long>getAs("input_bytes")).isEqualTo(Files.size(source));
        assertThat(row.<Double>getAs("inference_ms")).isPositive();
        assertThat(row.<String>getAs("executor_id")).isEqualTo("driver");
      }
    }
    Map<Path, FileTime> before = outputs(out);
    assertThat(before).hasSize(4);
    assertThat(out.resolve(OutputStore.TEMPORARY)).doesNotExist();

    Run rerun = plainRun(in, out, dir.resolve("m2"));

    assertThat(rerun.err()).contains("0 written, 4 skipped, 4 failed");
    assertThat(outputs(out)).as("nothing rewritten, nothing added").isEqualTo(before);
    Map<String, Row> again = manifest(dir.resolve("m2"));
    assertThat(again).hasSize(8);
    assertThat(again.get("c001.jpg").<String>getAs("status")).isEqualTo("skipped");
    assertThat(again.get("c001.jpg").<String>getAs("output_path"))
        .isEqualTo(rows.get("c001.jpg").<String>getAs("output_path"));
  }

  @Test
  void aListOfPathsNeedsNoListingAndAMissingPathIsARow(@TempDir Path dir) throws Exception {
    Path photo = Files.copy(COMPOSITES.resolve("c005.jpg"), dir.resolve("c005.jpg"));
    Path list =
        Files.writeString(
            dir.resolve("inputs.txt"),
            "# one path per line\n"
                + photo.toUri()
                + "\n\n"
                + dir.resolve("gone.jpg").toUri()
                + "\n");
    Path out = dir.resolve("out");

    Run run =
        job(
            "--input-list",
            list.toString(),
            "-o",
            out.toString(),
            "--model",
            MODEL,
            "--manifest",
            dir.resolve("m.csv").toString(),
            "--manifest-format",
            "csv",
            "--format",
            "webp",
            "--background",
            "#336699");

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("1 written, 0 skipped, 1 failed {IO_ERROR=1}");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("_")))
          .singleElement()
          .asString()
          .matches("c005-[0-9a-f]{12}\\.webp");
    }
    try (Stream<Path> parts = Files.list(dir.resolve("m.csv"))) {
      String csv =
          parts
              .filter(p -> p.toString().endsWith(".csv"))
              .map(
                  p -> {
                    try {
                      return Files.readString(p);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.joining());
      assertThat(csv)
          .contains("gone.jpg")
          .contains("IO_ERROR")
          .contains("c005.jpg")
          .contains("written");
    }
  }

  @Test
  void aShippedModelThatDoesNotMatchTheCatalogFailsTheJob(@TempDir Path dir) throws Exception {
    Path installed = dev.cutout.models.ModelStore.defaultStore().dir().resolve(MODEL + ".onnx");
    byte[] bytes = Files.readAllBytes(installed);
    bytes[bytes.length / 2] ^= 0x01;
    Path shipped = Files.write(dir.resolve(MODEL + ".onnx"), bytes);
    Files.copy(
        COMPOSITES.resolve("c006.jpg"),
        Files.createDirectories(dir.resolve("in")).resolve("c006.jpg"));
    System.setProperty("spark.files", shipped.toString());
    try {
      Run run =
          job(
              "--input",
              dir.resolve("in").toString(),
              "-o",
              dir.resolve("out").toString(),
              "--model",
              MODEL);
      assertThat(run.exit()).isEqualTo(3);
      assertThat(run.err()).contains("MODEL_CORRUPT").contains("does not match the catalog");
    } finally {
      System.clearProperty("spark.files");
    }
    assertThat(dir.resolve("out").resolve("c006.png")).doesNotExist();
  }
}
