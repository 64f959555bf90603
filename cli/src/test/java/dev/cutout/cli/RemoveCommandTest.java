package dev.cutout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutout remove} run in-process on real photos with the fast model. */
class RemoveCommandTest {
  private static final Path PHOTOS = Path.of("..", "testdata", "photos");

  private static CliRun cutout(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aFolderWithOneBrokenFileWritesTheOthersAndFailsAtTheEnd(@TempDir Path dir)
      throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(PHOTOS.resolve("chelsea.png"), in.resolve("cat.png"));
    Files.createDirectories(in.resolve("nested"));
    Files.copy(PHOTOS.resolve("rocket.jpg"), in.resolve("nested").resolve("rocket.jpg"));
    byte[] coffee = Files.readAllBytes(PHOTOS.resolve("coffee.png"));
    Files.write(in.resolve("broken.png"), Arrays.copyOf(coffee, coffee.length / 3));
    Path out = dir.resolve("out");

    CliRun run = cutout("remove", in.toString(), "-o", out.toString(), "--model", "isnet-uint8");

    assertThat(run.exit()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(run.err())
        .contains("broken.png")
        .contains("CORRUPT_IMAGE")
        .contains("1 of 3 images failed");
    assertThat(out.resolve("cat.png")).isRegularFile();
    assertThat(out.resolve("nested").resolve("rocket.png")).isRegularFile();
    assertThat(out.resolve("broken.png")).doesNotExist();
    BufferedImage cat = ImageIO.read(out.resolve("cat.png").toFile());
    assertThat(cat.getWidth()).isEqualTo(451);
    assertThat(cat.getColorModel().hasAlpha()).isTrue();
    try (var left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString()).toList())
          .as("no temporary files left behind")
          .noneMatch(name -> name.endsWith(".part"));
    }
  }

  @Test
  void outputsGoBesideInputsAndAreNotReplacedWithoutOverwrite(@TempDir Path dir)
      throws IOException {
    Path photo = Files.copy(PHOTOS.resolve("chelsea.png"), dir.resolve("cat.png"));
    CliRun first = cutout("remove", photo.toString(), "--model", "isnet-uint8", "--json");
    assertThat(first.exit()).isZero();
    Path output = dir.resolve("cat.cutout.png");
    assertThat(output).isRegularFile();

    JsonNode line = new ObjectMapper().readTree(first.out().strip());
    assertThat(line.get("output").asText()).isEqualTo(output.toString());
    assertThat(line.get("width").asInt()).isEqualTo(451);
    assertThat(line.get("ms").get("inference").asDouble()).isPositive();
    assertThat(line.get("ms").get("decode").asDouble()).isPositive();
    BufferedImage png = ImageIO.read(output.toFile());
    int transparent = 0;
    int coloured = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int argb = png.getRGB(x, y);
        if (argb >>> 24 == 0) {
          transparent++;
          coloured += (argb & 0xFFFFFF) != 0 ? 1 : 0;
        }
      }
    }
    assertThat(transparent).as("the cat's photo has background to remove").isPositive();
    assertThat(coloured).as("transparent pixels keeping the removed background's colour").isZero();

    Files.writeString(output, "keep me");
    CliRun second = cutout("remove", photo.toString(), "--model", "isnet-uint8");
    assertThat(second.exit()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(second.err()).contains("OUTPUT_EXISTS");
    assertThat(Files.readString(output)).isEqualTo("keep me");

    CliRun third = cutout("remove", photo.toString(), "--model", "isnet-uint8", "--overwrite");
    assertThat(third.exit()).isZero();
    assertThat(ImageIO.read(output.toFile()).getWidth()).isEqualTo(451);
  }

  @Test
  void anInputIsNeverOverwrittenEvenWithOverwrite(@TempDir Path dir) throws IOException {
    Path photo = Files.copy(PHOTOS.resolve("coffee.png"), dir.resolve("coffee.png"));
    byte[] before = Files.readAllBytes(photo);
    CliRun run =
        cutout(
            "remove",
            photo.toString(),
            "-o",
            dir.toString(),
            "--overwrite",
            "--model",
            "isnet-uint8");
    assertThat(run.exit()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(run.err()).contains("inputs are never overwritten");
    assertThat(Files.readAllBytes(photo)).isEqualTo(before);
  }

  @Test
  void badOptionsAreUsageErrorsBeforeAnyWork(@TempDir Path dir) throws IOException {
    Path photo = Files.copy(PHOTOS.resolve("coffee.png"), dir.resolve("coffee.png"));
    for (List<String> args :
        List.of(
            List.of("--background", "reddish"),
            List.of("--format", "tiff"),
            List.of("--format", "jpeg"),
            List.of("--crop=wide"),
            List.of("--roi", "1,2,3"),
            List.of("--roi", "a,b,c,d"))) {
      String[] argv = concat(List.of("remove", photo.toString()), args);
      CliRun run = cutout(argv);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).as(String.join(" ", args)).startsWith("cutout: ");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("nothing written").isEqualTo(1);
    }
  }

  @Test
  void aPhotoWithoutASubjectFailsWithNoSubjectUnlessEmptyResultsAreAllowed(@TempDir Path dir)
      throws IOException {
    Path gravel =
        Files.copy(
            PHOTOS.resolveSibling("nosubject").resolve("gravel.png"), dir.resolve("gravel.png"));
    CliRun refused = cutout("remove", gravel.toString(), "--model", "isnet-uint8");
    assertThat(refused.exit()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(refused.err()).contains("NO_SUBJECT").contains("no subject found");
    assertThat(dir.resolve("gravel.cutout.png")).doesNotExist();

    CliRun allowed = cutout("remove", gravel.toString(), "--model", "isnet-uint8", "--allow-empty");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    BufferedImage png = ImageIO.read(dir.resolve("gravel.cutout.png").toFile());
    assertThat(png.getWidth()).isEqualTo(500);
  }

  @Test
  void aSubjectBoxKeepsOnlyWhatIsInsideItAndABoxBesideTheImageFails(@TempDir Path dir)
      throws IOException {
    Path photo = Files.copy(PHOTOS.resolve("chelsea.png"), dir.resolve("cat.png"));
    // 451 × 300, and the cat reaches column 396: 80% is column 360; all rows
    CliRun run =
        cutout("remove", photo.toString(), "--model", "isnet-uint8", "--roi", "0,0,80%,100%");
    assertThat(run.exit()).as(run.err()).isZero();
    BufferedImage png = ImageIO.read(dir.resolve("cat.cutout.png").toFile());
    int subject = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int alpha = png.getRGB(x, y) >>> 24;
        if (x > 360) {
          assertThat(alpha).as("alpha at %d,%d, outside the box", x, y).isZero();
        } else if (alpha >= 128) {
          subject++;
        }
      }
    }
    assertThat(subject).as("the cat inside the box").isGreaterThan(10_000);

    CliRun beside =
        cutout(
            "remove",
            photo.toString(),
            "--model",
            "isnet-uint8",
            "--overwrite",
            "--roi",
            "500,0,600,100");
    assertThat(beside.exit()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(beside.err()).contains("BAD_OPTION").contains("lies outside the 451x300 image");
  }

  @Test
  void aMissingInputIsReportedAndFails(@TempDir Path dir) {
    CliRun run = cutout("remove", dir.resolve("nope.jpg").toString(), "--model", "isnet-uint8");
    assertThat(run.exit()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(run.err()).contains("nope.jpg").contains("no such file");
  }

  private static String[] concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }
}
