package dev.cutout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cutout remove --watch} run in-process on its own thread with the fast model, while real
 * photos are copied, written and renamed into the watched folder; stopped the way Ctrl+C's hook
 * stops it, by interrupting that thread.
 */
class WatchTest {
  private static final Path PHOTOS = Path.of("..", "testdata", "photos");

  /** Engine start, the settle second and a few images on a slow 2-core machine, with room. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * Stopping waits for the network run under way, which cannot be interrupted (a second or two,
   * several on a busy machine), never for the images still queued.
   */
  private static final Duration PROMPTLY = Duration.ofSeconds(15);

  @Test
  void processesTheImagesAlreadyThereThenEachNewOneIncludingInNewSubfolders(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    Files.copy(PHOTOS.resolve("chelsea.png"), in.resolve("cat.png"));

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitOutput(out.resolve("cat.png"));
      Files.copy(PHOTOS.resolve("coffee.png"), in.resolve("coffee.png"));
      Path nested = Files.createDirectories(in.resolve("new").resolve("deeper"));
      Files.copy(PHOTOS.resolve("rocket.jpg"), nested.resolve("rocket.jpg"));

      watch.awaitOutput(out.resolve("coffee.png"));
      watch.awaitOutput(out.resolve("new").resolve("deeper").resolve("rocket.png"));
      assertThat(watch.stop()).isEqualTo(ExitCodes.CANCELLED);
      assertThat(watch.err())
          .contains("ok    " + in.resolve("cat.png") + " -> " + out.resolve("cat.png"))
          .contains("ok    " + in.resolve("coffee.png") + " -> " + out.resolve("coffee.png"));
    }
    assertFullImage(out.resolve("coffee.png"), 600, 400);
    assertFullImage(out.resolve("new").resolve("deeper").resolve("rocket.png"), 640, 427);
  }

  @Test
  void aFileWrittenSlowlyIsProcessedOnceAfterItIsComplete(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    Path slow = in.resolve("slow.png");

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitStarted();
      byte[] photo = Files.readAllBytes(PHOTOS.resolve("chelsea.png"));
      int third = photo.length / 3;
      // Pauses shorter than the settle time, as a slow copy or download makes.
      try (OutputStream file = Files.newOutputStream(slow)) {
        file.write(photo, 0, third);
        file.flush();
        Thread.sleep(700);
        file.write(photo, third, third);
        file.flush();
        Thread.sleep(700);
        file.write(photo, 2 * third, photo.length - 2 * third);
      }

      watch.awaitOutput(out.resolve("slow.png"));
      watch.stop();
      assertThat(watch.linesAbout(slow))
          .as(watch.err())
          .hasSize(1)
          .allMatch(l -> l.startsWith("ok"));
    }
    assertFullImage(out.resolve("slow.png"), 451, 300);
  }

  @Test
  void aFileWrittenUnderATemporaryNameIsProcessedOnceWhenRenamed(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    Path part = in.resolve("x.part");

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitStarted();
      byte[] photo = Files.readAllBytes(PHOTOS.resolve("coffee.png"));
      // A pause longer than the settle time: only the temporary name keeps it from being taken.
      try (OutputStream file = Files.newOutputStream(part)) {
        file.write(photo, 0, photo.length / 2);
        file.flush();
        Thread.sleep(FolderWatch.SETTLE.toMillis() + 500);
        file.write(photo, photo.length / 2, photo.length - photo.length / 2);
      }
      Files.move(part, in.resolve("x.png"));

      watch.awaitOutput(out.resolve("x.png"));
      watch.stop();
      assertThat(watch.linesAbout(in.resolve("x.png"))).as(watch.err()).hasSize(1);
      assertThat(watch.err()).doesNotContain("x.part");
    }
    assertFullImage(out.resolve("x.png"), 600, 400);
  }

  @Test
  void newContentAtTheSamePathIsProcessedAgainAndReplacesItsOutput(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    Path photo = Files.copy(PHOTOS.resolve("chelsea.png"), in.resolve("photo.png"));
    Path output = out.resolve("photo.png");

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitOutput(output);
      assertThat(ImageIO.read(output.toFile()).getWidth()).isEqualTo(451);

      // Without --overwrite: the output is this watch's own, so a new version of its input
      // replaces it.
      Path next = Files.copy(PHOTOS.resolve("coffee.png"), in.resolve(".photo.png.tmp"));
      Files.move(next, photo, StandardCopyOption.REPLACE_EXISTING);

      watch.await("the second output", () -> widthOf(output) == 600);
      watch.stop();
      assertThat(watch.linesAbout(photo)).as(watch.err()).hasSize(2);
    }
    assertFullImage(output, 600, 400);
  }

  @Test
  void aCorruptFileGetsOneErrorLineAndTheWatchGoesOn(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    Path broken = in.resolve("broken.png");

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitStarted();
      byte[] coffee = Files.readAllBytes(PHOTOS.resolve("coffee.png"));
      Files.write(broken, Arrays.copyOf(coffee, coffee.length / 3));
      watch.await("the error line", () -> watch.err().contains("CORRUPT_IMAGE"));

      Files.copy(PHOTOS.resolve("rocket.jpg"), in.resolve("rocket.jpg"));
      watch.awaitOutput(out.resolve("rocket.png"));
      watch.stop();
      assertThat(watch.linesAbout(broken))
          .as(watch.err())
          .singleElement()
          .satisfies(line -> assertThat(line).startsWith("error ").endsWith("[CORRUPT_IMAGE]"));
    }
    assertThat(out.resolve("broken.png")).doesNotExist();
    assertFullImage(out.resolve("rocket.png"), 640, 427);
  }

  @Test
  void outputsInsideTheWatchedFolderAreNeverTakenAsInputs(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = in.resolve("out");
    // An output of an earlier run, and one written beside its input by the folder mode.
    Files.createDirectories(out);
    Files.copy(PHOTOS.resolve("astronaut.png"), out.resolve("earlier.png"));
    Files.copy(PHOTOS.resolve("astronaut.png"), in.resolve("dog.cutout.png"));
    Files.copy(PHOTOS.resolve("chelsea.png"), in.resolve("cat.png"));

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitOutput(out.resolve("cat.png"));
      // Rounds run in path order and an output would have settled no later than this file, so
      // by the time its line is printed any line about an output would have been.
      Files.copy(PHOTOS.resolve("coffee.png"), in.resolve("zz-last.png"));
      watch.awaitOutput(out.resolve("zz-last.png"));
      watch.stop();
      assertThat(watch.err())
          .as("nothing in OUT, nor a *.cutout.png, taken as an input")
          .doesNotContain("ok    " + out)
          .doesNotContain("dog.cutout")
          .doesNotContain("error ");
    }
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("earlier.png", "cat.png", "zz-last.png");
    }
  }

  @Test
  void aRestartedWatchSkipsImagesWhoseOutputIsUpToDate(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Path done = Files.copy(PHOTOS.resolve("chelsea.png"), in.resolve("done.png"));
    Files.setLastModifiedTime(done, FileTime.from(Instant.now().minusSeconds(60)));
    Files.writeString(out.resolve("done.png"), "an earlier watch's output");

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitStarted();
      assertThat(watch.err()).contains(", 1 already up to date (Ctrl+C stops)");
      // Rounds run in path order: by this file's line, one about done.png would be printed.
      Files.copy(PHOTOS.resolve("coffee.png"), in.resolve("zz-last.png"));
      watch.awaitOutput(out.resolve("zz-last.png"));
      watch.stop();
      assertThat(watch.linesAbout(done)).as(watch.err()).isEmpty();
    }
    assertThat(out.resolve("done.png")).hasContent("an earlier watch's output");
  }

  @Test
  void stoppingEndsTheWatchPromptlyAndLeavesNoPartialOutput(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    for (String name : List.of("astronaut.png", "chelsea.png")) {
      Files.copy(PHOTOS.resolve(name), in.resolve(name));
    }

    try (Watching watch = Watching.start(in, out)) {
      watch.awaitOutput(out.resolve("astronaut.png"));
      // the other one is being read, segmented or written now
      assertThat(watch.stop()).as("ended within " + PROMPTLY).isEqualTo(ExitCodes.CANCELLED);
      assertThat(watch.err()).contains("stopped watching " + in);
    }
    try (Stream<Path> files = Files.walk(out)) {
      List<Path> left = files.filter(Files::isRegularFile).toList();
      assertThat(left).as("no temporary file left").noneMatch(p -> p.toString().endsWith(".part"));
      for (Path output : left) {
        BufferedImage png = ImageIO.read(output.toFile());
        assertThat(png).as(output + " is whole").isNotNull();
        assertThat(png.getColorModel().hasAlpha()).isTrue();
      }
    }
  }

  @Test
  void watchingNeedsOneFolderAndAnOutputFolderOutsideIt(@TempDir Path dir) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path other = Files.createDirectories(dir.resolve("other"));
    Path photo = Files.copy(PHOTOS.resolve("coffee.png"), in.resolve("coffee.png"));
    String out = dir.resolve("out").toString();
    for (List<String> args :
        List.of(
            List.of(in.toString()),
            List.of(in.toString(), other.toString(), "-o", out),
            List.of(photo.toString(), "-o", out),
            List.of("-", "-o", out),
            List.of(in.toString(), "-o", in.toString()),
            List.of(in.toString(), "-o", dir.toString()))) {
      List<String> argv = new ArrayList<>(List.of("remove", "--watch", "--model", "isnet-uint8"));
      argv.addAll(args);
      CliRun run = CliRun.of(argv.toArray(String[]::new));
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).as(String.join(" ", args)).startsWith("cutout: --watch");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).as("nothing written").containsExactly(photo);
    }
  }

  private static void assertFullImage(Path png, int width, int height) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as(png + " decodes").isNotNull();
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(image.getColorModel().hasAlpha()).isTrue();
  }

  /** The width of a PNG, or 0 while it is missing. */
  private static int widthOf(Path png) {
    try {
      BufferedImage image = Files.exists(png) ? ImageIO.read(png.toFile()) : null;
      return image == null ? 0 : image.getWidth();
    } catch (IOException e) {
      return 0;
    }
  }

  /** {@code cutout remove --watch IN -o OUT --model isnet-uint8} on a thread of its own. */
  private static final class Watching implements AutoCloseable {
    private final Thread thread;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private volatile int exit = -1;

    private Watching(Path in, Path outDir) {
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      String[] args = {
        "remove", "--watch", in.toString(), "-o", outDir.toString(), "--model", "isnet-uint8"
      };
      thread = Thread.ofPlatform().name("watch-under-test").start(() -> exit = cli.execute(args));
    }

    static Watching start(Path in, Path outDir) {
      return new Watching(in, outDir);
    }

    String err() {
      return err.toString();
    }

    /** The lines naming {@code input} as the input: {@code ok in -> out} or {@code error in:}. */
    List<String> linesAbout(Path input) {
      return err()
          .lines()
          .filter(l -> l.startsWith("ok    " + input + " ") || l.startsWith("error " + input + ":"))
          .toList();
    }

    /** Until the engine is loaded and the folder listed. */
    void awaitStarted() throws InterruptedException {
      await("the watch to start", () -> err().contains("(Ctrl+C stops)"));
    }

    /** Until {@code output} is written and its line printed. */
    void awaitOutput(Path output) throws InterruptedException {
      await(output.toString(), () -> err().contains(" -> " + output + " ("));
      assertThat(output).isRegularFile();
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!condition.getAsBoolean()) {
        if (!thread.isAlive()) {
          fail("the watch ended (exit " + exit + ") before " + what + ":\n" + err() + out);
        }
        if (System.nanoTime() > deadline) {
          fail("waited " + PATIENCE + " for " + what + ":\n" + err() + out);
        }
        Thread.sleep(50);
      }
    }

    /** Stops the watch as Ctrl+C's hook does, and returns its exit code. */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(PROMPTLY.toMillis());
      assertThat(thread.isAlive()).as("still watching " + PROMPTLY + " after the stop").isFalse();
      return exit;
    }

    @Override
    public void close() throws InterruptedException {
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(PROMPTLY.toMillis());
      }
    }
  }
}
