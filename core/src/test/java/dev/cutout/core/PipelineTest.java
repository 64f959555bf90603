package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline, decode to encode, around a fake {@link Segmenter}: no native code. */
class PipelineTest {

  /** 64×48, black, with a white 32×24 box in the middle. */
  static BufferedImage whiteBox() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(16, 12, 32, 24);
    g.dispose();
    return image;
  }

  /** A network that finds nothing: a weak, even response below half everywhere. */
  @Test
  void anImageWithoutASubjectIsRefusedUnlessEmptyResultsAreAllowed() {
    Cutout nothing =
        Cutout.builder().segmenter(() -> new FakeSegmenter(tensor -> filled(0.3f))).build();
    try (nothing) {
      assertThatThrownBy(() -> nothing.remove(whiteBoxPng(), Options.defaults()))
          .isInstanceOf(CutoutException.class)
          .extracting(e -> ((CutoutException) e).code())
          .isEqualTo(ErrorCode.NO_SUBJECT);
      CutoutResult empty =
          nothing.remove(whiteBoxPng(), Options.builder().allowEmpty(true).build());
      assertThat(empty.mask().hasSubject()).isFalse();
      assertThat(empty.mask().at(0, 0)).isEqualTo(Mask.alpha(0.3f));
    }
  }

  private static float[] filled(float p) {
    float[] out = new float[FakeSegmenter.SIZE * FakeSegmenter.SIZE];
    Arrays.fill(out, p);
    return out;
  }

  static byte[] whiteBoxPng() {
    return TestImages.encode(whiteBox(), "png");
  }

  private static Cutout engine(Segmenter segmenter) {
    return Cutout.builder().segmenter(() -> segmenter).build();
  }

  @Test
  void theSubjectTheSegmenterFindsBecomesTheOpaquePartOfAFullSizePng() throws IOException {
    try (Cutout cutout = engine(new FakeSegmenter())) {
      CutoutResult result = cutout.remove(whiteBoxPng(), Options.defaults());

      BufferedImage png = ImageIO.read(new ByteArrayInputStream(result.bytes()));
      assertThat(png.getWidth()).isEqualTo(64);
      assertThat(png.getHeight()).isEqualTo(48);
      assertThat(png.getRGB(32, 24)).as("the box, opaque and white").isEqualTo(0xFFFFFFFF);
      assertThat(png.getRGB(2, 2) >>> 24).as("the background, transparent").isZero();
      assertThat(png.getRGB(2, 2) & 0xFFFFFF).as("and without its colour").isZero();
      assertThat(result.mask().at(32, 24)).isEqualTo(255);
      assertThat(result.format()).isEqualTo(OutputFormat.PNG);
      assertThat(result.timings().totalMs()).isPositive();
    }
  }

  @Test
  void theSegmenterGetsTheCatalogedInputAndIsWarmedUpOnceWithAnEmptyOne() {
    float[][] seen = new float[1][];
    FakeSegmenter fake =
        new FakeSegmenter(
            tensor -> {
              if (seen[0] == null) {
                seen[0] = new float[tensor.remaining()];
                tensor.duplicate().get(seen[0]);
              }
              return FakeSegmenter.brightIsSubject(tensor);
            });
    try (Cutout cutout = engine(fake)) {
      assertThat(seen[0]).as("the warm-up input").hasSize(3 * 16 * 16).containsOnly(0f);
      assertThat(fake.runs).hasValue(1);
      assertThat(cutout.model()).isEqualTo(fake.model());
      assertThat(cutout.startup().warmUpMs()).isPositive();
    }
  }

  @Test
  void withoutWarmUpTheSegmenterFirstRunsOnTheFirstImage() {
    FakeSegmenter fake = new FakeSegmenter();
    try (Cutout cutout = Cutout.builder().segmenter(() -> fake).warmUp(false).build()) {
      assertThat(fake.runs).hasValue(0);
      assertThat(cutout.startup().warmUpMs()).isZero();
    }
  }

  @Test
  void pathBytesAndBufferedImageInputsGiveTheSameMask(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("box.png"), whiteBoxPng());
    try (Cutout cutout = engine(new FakeSegmenter())) {
      byte[] fromPath = cutout.remove(file, Options.defaults()).mask().alpha();
      byte[] fromBytes = cutout.remove(whiteBoxPng(), Options.defaults()).mask().alpha();
      byte[] fromImage = cutout.remove(whiteBox(), Options.defaults()).mask().alpha();
      assertThat(fromBytes).isEqualTo(fromPath);
      assertThat(fromImage).isEqualTo(fromPath);
    }
  }

  @Test
  void anEmptyMaskIsAFailedRunNotAnEmptyImage() {
    BufferedImage black = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    try (Cutout cutout = engine(new FakeSegmenter())) {
      assertThatThrownBy(() -> cutout.remove(black, Options.defaults()))
          .isInstanceOfSatisfying(
              CutoutException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_FAILED));
    }
  }

  @Test
  void theEnginesDecodeLimitsApplyToEveryInput(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("box.png"), whiteBoxPng());
    DecodeLimits tiny = new DecodeLimits(1_000_000, 100);
    try (Cutout cutout =
        Cutout.builder().segmenter(FakeSegmenter::new).decodeLimits(tiny).build()) {
      assertThat(cutout.gate().limits()).isEqualTo(tiny);
      assertThatThrownBy(() -> cutout.remove(file, Options.defaults()))
          .isInstanceOfSatisfying(
              CutoutException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS));
    }
  }

  @Test
  void aClosedEngineRefusesWithItsOwnCodeAndClosesTheSegmenterOnce() {
    FakeSegmenter fake = new FakeSegmenter();
    Cutout cutout = engine(fake);
    cutout.close();
    cutout.close();

    assertThat(fake.closes).hasValue(1);
    for (Runnable use :
        new Runnable[] {
          () -> cutout.remove(whiteBoxPng(), Options.defaults()),
          () -> cutout.remove(whiteBox(), Options.defaults()),
          () -> cutout.remove(Path.of("no-such-file.png"), Options.defaults())
        }) {
      assertThatThrownBy(use::run)
          .isInstanceOfSatisfying(
              CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_CLOSED));
    }
    assertThat(fake.runs).as("only the warm-up ran").hasValue(1);
  }

  @Test
  void closingWaitsForTheRunInProgress() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), this::closeDuringARun);
  }

  private void closeDuringARun() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FakeSegmenter fake =
        new FakeSegmenter(
            tensor -> {
              running.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return FakeSegmenter.brightIsSubject(tensor);
            });
    Cutout cutout = Cutout.builder().segmenter(() -> fake).warmUp(false).build();
    Thread user = Thread.ofPlatform().start(() -> cutout.remove(whiteBox(), Options.defaults()));
    running.await();
    Thread closer = Thread.ofPlatform().start(cutout::close);
    closer.join(200);
    assertThat(fake.closes).as("closed under a running network").hasValue(0);
    release.countDown();
    closer.join();
    user.join();
    assertThat(fake.closes).hasValue(1);
  }

  @Test
  void aFailedWarmUpClosesTheSegmenterItOpened() {
    FakeSegmenter fake =
        new FakeSegmenter(
            tensor -> {
              throw new CutoutException(ErrorCode.INFERENCE_FAILED, "no backend");
            });
    assertThatThrownBy(() -> engine(fake)).hasMessage("no backend");
    assertThat(fake.closes).hasValue(1);
  }

  @Test
  void resultsCarryNoCommandLineAdvice(@TempDir Path dir) {
    Path target = dir.resolve("out.png");
    try (Cutout cutout = engine(new FakeSegmenter())) {
      CutoutResult result = cutout.remove(whiteBoxPng(), Options.defaults());
      result.write(target, false);
      assertThat(target).hasBinaryContent(result.bytes());
      assertThatThrownBy(() -> result.write(target, false))
          .isInstanceOfSatisfying(
              CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS))
          .hasMessage(target + " exists");
    }
  }

  /** A network that calls everything it is shown the subject. */
  private static Cutout everythingIsSubject() {
    return engine(new FakeSegmenter(tensor -> filled(1f)));
  }

  @Test
  void withASubjectBoxTheNetworkSeesOnlyTheBoxAndItsContext() {
    // 20..40 × 14..30 grows by round(0.1 · 21) = 2 to 18..42 × 12..32: all inside the white box,
    // so the bright-is-subject network sees nothing but white and calls all of it subject.
    try (Cutout cutout = engine(new FakeSegmenter())) {
      Mask mask =
          cutout
              .remove(
                  whiteBoxPng(),
                  Options.builder().subjectBox(SubjectBox.pixels(20, 14, 40, 30)).build())
              .mask();
      assertThat(mask.width()).isEqualTo(64);
      assertThat(mask.height()).isEqualTo(48);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 64; x++) {
          boolean inBox = x >= 20 && x <= 40 && y >= 14 && y <= 30;
          assertThat(mask.at(x, y)).as("(%d, %d)", x, y).isEqualTo(inBox ? 255 : 0);
        }
      }
    }
  }

  @Test
  void everythingOutsideTheBoxIsBackgroundAndLosesItsColour() throws IOException {
    try (Cutout cutout = everythingIsSubject()) {
      CutoutResult result =
          cutout.remove(
              whiteBoxPng(),
              Options.builder().subjectBox(SubjectBox.parse("25% 25% 75% 75%")).build());
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(result.bytes()));
      // 25% of 64 is 16, 75% is 48 (inclusive); 25% of 48 is 12, 75% is 36
      assertThat(png.getRGB(16, 12)).isEqualTo(0xFFFFFFFF);
      assertThat(png.getRGB(48, 36) >>> 24).as("the inclusive corner").isEqualTo(0xFF);
      assertThat(png.getRGB(15, 12)).as("left of the box").isZero();
      assertThat(png.getRGB(16, 37)).as("under the box").isZero();
    }
  }

  @Test
  void theWholeImageAsABoxGivesTheSameBytesAsNoBox() {
    try (Cutout cutout = engine(new FakeSegmenter())) {
      byte[] plain = cutout.remove(whiteBoxPng(), Options.defaults()).bytes();
      byte[] boxed =
          cutout
              .remove(
                  whiteBoxPng(),
                  Options.builder().subjectBox(SubjectBox.parse("0% 0% 100% 100%")).build())
              .bytes();
      assertThat(boxed).isEqualTo(plain);
    }
  }

  @Test
  void theBoxIsPlacedOnTheUprightImageOfAnExifRotatedJpeg() {
    // Stored 48 wide and 64 high, shown a quarter turn later as 64 × 48 (orientation 6): the box
    // is in the coordinates a person sees.
    BufferedImage stored = new BufferedImage(48, 64, BufferedImage.TYPE_INT_RGB);
    byte[] jpeg = TestImages.withExifOrientation(TestImages.encode(stored, "jpeg"), 6);
    try (Cutout cutout = everythingIsSubject()) {
      Mask mask =
          cutout
              .remove(jpeg, Options.builder().subjectBox(SubjectBox.pixels(40, 2, 60, 20)).build())
              .mask();
      assertThat(mask.width()).isEqualTo(64);
      assertThat(mask.height()).isEqualTo(48);
      assertThat(mask.at(50, 10)).isEqualTo(255);
      assertThat(mask.at(10, 40)).isZero();
      assertThat(mask.at(60, 21)).isZero();
    }
  }

  @Test
  void aBoxOutsideTheImageOrTooSmallIsABadOptionAndTheEngineGoesOn() {
    try (Cutout cutout = everythingIsSubject()) {
      for (String box : new String[] {"100,0,200,40", "0,0,10,40", "40,0,20,40"}) {
        assertThatThrownBy(
                () ->
                    cutout.remove(
                        whiteBoxPng(), Options.builder().subjectBox(SubjectBox.parse(box)).build()))
            .as(box)
            .isInstanceOfSatisfying(
                CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_OPTION));
      }
      assertThat(cutout.remove(whiteBoxPng(), Options.defaults()).mask().hasSubject()).isTrue();
    }
  }

  @Test
  void withABoxTheSubjectShareIsOfTheBoxNotOfTheImage() {
    // five subject pixels of 10 000 are under 0.1% of the image, but not of a 40 × 40 box
    byte[] alpha = new byte[100 * 100];
    Arrays.fill(alpha, 0, 5, (byte) 200);
    Mask mask = new Mask(100, 100, alpha);
    assertThat(mask.hasSubject()).isFalse();
    assertThat(mask.hasSubject(40 * 40)).isTrue();
    try (Cutout nothing = engine(new FakeSegmenter(tensor -> filled(0.3f)))) {
      assertThatThrownBy(
              () ->
                  nothing.remove(
                      whiteBoxPng(),
                      Options.builder().subjectBox(SubjectBox.pixels(0, 0, 15, 15)).build()))
          .isInstanceOfSatisfying(
              CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUBJECT))
          .hasMessageContaining("in the subject box");
    }
  }
}
