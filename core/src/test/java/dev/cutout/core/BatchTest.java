package dev.cutout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The batch pipeline around a fake {@link Segmenter}: a failing image is reported and the batch
 * goes on; anything else ends it promptly, with the error thrown from {@code run} and no thread of
 * the batch left behind. Each run is bounded in time, so that a hang fails the test instead of the
 * build.
 */
class BatchTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final byte[] BOX = PipelineTest.whiteBoxPng();

  /** The fake network finds no subject here: an all-zero mask, a failed run. */
  private static final byte[] BLACK =
      TestImages.encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png");

  private Cutout cutout;
  private final Recorder recorder = new Recorder();
  private final List<String> written = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    cutout = Cutout.builder().segmenter(FakeSegmenter::new).build();
  }

  @AfterEach
  void stop() {
    cutout.close();
  }

  /** An image whose sink records its name. */
  private Batch.Item<String> good(String name) {
    return new Batch.Item<>(name, gate -> BOX, result -> written.add(name));
  }

  private List<Batch.Item<String>> goods(int count) {
    List<Batch.Item<String>> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(good("good-" + i));
    }
    return items;
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private int run(List<Batch.Item<String>> items, Batch.Listener<String> listener) {
    return Batch.run(cutout, items, Options.defaults(), listener);
  }

  /** Runs {@code body} within the limit, then checks that no thread of the batch is alive. */
  private static <T> T bounded(ThrowingSupplier<T> body) {
    T value = assertTimeoutPreemptively(LIMIT, body);
    assertThat(batchThreads()).as("threads of the batch still alive").isEmpty();
    return value;
  }

  private static List<String> batchThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.equals("cutout-decode") || name.equals("cutout-encode"))
        .toList();
  }

  @Test
  void everyImageIsWrittenAndReportedInOrder() {
    int failed = bounded(() -> run(goods(6), recorder));

    assertThat(failed).isZero();
    assertThat(written).containsExactly("good-0", "good-1", "good-2", "good-3", "good-4", "good-5");
    assertThat(recorder.done).containsExactlyElementsOf(written);
    assertThat(recorder.failed).isEmpty();
  }

  @Test
  void failingImagesAreReportedWithTheirCodesAndTheOthersGoOn() {
    List<Batch.Item<String>> items =
        List.of(
            good("first"),
            new Batch.Item<>("not an image", gate -> new byte[] {1, 2, 3, 4}, r -> {}),
            new Batch.Item<>(
                "unreadable",
                gate -> {
                  throw new IOException("disk gone");
                },
                r -> {}),
            new Batch.Item<>(
                "too large", gate -> gate.read(new ByteArrayInputStream(huge())), r -> {}),
            new Batch.Item<>("black", gate -> BLACK, r -> {}),
            new Batch.Item<>(
                "unwritable",
                gate -> BOX,
                r -> {
                  throw new IOException("read-only folder");
                }),
            good("last"));

    int failed = bounded(() -> run(items, recorder));

    assertThat(failed).isEqualTo(5);
    assertThat(written).containsExactly("first", "last");
    assertThat(recorder.failed)
        .containsExactly(
            "not an image UNSUPPORTED_FORMAT",
            "unreadable IO_ERROR",
            "too large TOO_LARGE",
            "black INFERENCE_FAILED",
            "unwritable IO_ERROR");
  }

  @Test
  void aListenerThatThrowsOnTheCallingThreadEndsTheBatch() {
    IllegalStateException stopHere = new IllegalStateException("stop at the first failure");
    List<Batch.Item<String>> items =
        concat(List.of(new Batch.Item<>("broken", gate -> new byte[] {0}, r -> {})), goods(8));
    Thread[] reportedOn = new Thread[1];
    Recorder throwing =
        new Recorder() {
          @Override
          public void failed(Batch.Item<String> item, CutoutException error) {
            reportedOn[0] = Thread.currentThread();
            throw stopHere;
          }
        };

    Thread[] caller = new Thread[1];
    Throwable thrown =
        bounded(
            () -> {
              caller[0] = Thread.currentThread();
              return catching(() -> run(items, throwing));
            });

    assertThat(reportedOn[0]).as("the calling thread").isSameAs(caller[0]);
    assertThat(thrown).isSameAs(stopHere);
    assertThat(written).as("no image after the failure was written").isEmpty();
  }

  @Test
  void aListenerThatThrowsOnTheEncoderThreadEndsTheBatch() {
    CutoutException stopHere = new CutoutException(ErrorCode.IO_ERROR, "the progress file broke");
    Recorder throwing =
        new Recorder() {
          @Override
          public void done(Batch.Item<String> item, CutoutResult result, double wallMs) {
            assertThat(Thread.currentThread().getName()).isEqualTo("cutout-encode");
            throw stopHere;
          }
        };

    Throwable thrown = bounded(() -> catching(() -> run(goods(8), throwing)));

    assertThat(thrown).isSameAs(stopHere);
    assertThat(written.size()).as("images written before the batch stopped").isLessThan(8);
  }

  @Test
  void anErrorWhilePreparingEndsTheBatch() {
    Error broken = new OutOfMemoryError("decoder out of memory (a test)");
    List<Batch.Item<String>> items =
        concat(
            goods(1),
            concat(
                List.of(
                    new Batch.Item<>(
                        "poison",
                        gate -> {
                          throw broken;
                        },
                        r -> {})),
                goods(8)));

    Throwable thrown = bounded(() -> catching(() -> run(items, recorder)));

    assertThat(thrown).isSameAs(broken);
    assertThat(written).doesNotContain("good-5", "good-6", "good-7");
    assertThat(recorder.failed).isEmpty();
  }

  @Test
  void anErrorWhileWritingEndsTheBatch() {
    Error broken = new StackOverflowError("encoder broke (a test)");
    List<Batch.Item<String>> items =
        concat(
            List.of(
                new Batch.Item<>(
                    "poison",
                    gate -> BOX,
                    r -> {
                      throw broken;
                    })),
            goods(8));

    Throwable thrown = bounded(() -> catching(() -> run(items, recorder)));

    assertThat(thrown).isSameAs(broken);
    assertThat(written.size()).isLessThan(8);
    assertThat(recorder.failed).isEmpty();
  }

  @Test
  void anErrorFromTheNetworkEndsTheBatch() {
    Error broken = new InternalError("native crash (a test)");
    try (Cutout failing =
        Cutout.builder()
            .segmenter(
                () ->
                    new FakeSegmenter(
                        tensor -> {
                          throw broken;
                        }))
            .warmUp(false)
            .build()) {
      Throwable thrown =
          bounded(() -> catching(() -> Batch.run(failing, goods(8), Options.defaults(), recorder)));

      assertThat(thrown).isSameAs(broken);
      assertThat(written).isEmpty();
    }
  }

  @Test
  void anInterruptEndsTheBatchAsCancelledAndKeepsTheInterruptStatus() {
    CountDownLatch reading = new CountDownLatch(1);
    List<Batch.Item<String>> items =
        concat(
            goods(1),
            concat(
                List.of(
                    new Batch.Item<>(
                        "slow",
                        gate -> {
                          reading.countDown();
                          new CountDownLatch(1).await(); // a source that never ends by itself
                          return BOX;
                        },
                        r -> {})),
                goods(4)));

    Throwable[] thrown = new Throwable[1];
    boolean interruptKept =
        bounded(
            () -> {
              Thread caller = Thread.currentThread();
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          reading.await();
                          caller.interrupt();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      });
              thrown[0] = catching(() -> run(items, recorder));
              return Thread.interrupted(); // reads and clears the caller's status
            });

    assertThat(thrown[0])
        .isInstanceOfSatisfying(
            CutoutException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    assertThat(interruptKept).as("interrupt status kept").isTrue();
    assertThat(recorder.failed).as("the cancelled image is not reported").isEmpty();
  }

  /** What {@code body} throws; fails when it returns. */
  private static Throwable catching(ThrowingSupplier<?> body) {
    try {
      body.get();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("the batch ended without an error");
  }

  private static byte[] huge() {
    return new byte[(int) DecodeLimits.DEFAULT.maxBytes() + 1];
  }

  /** Records reports as names, and failures as "name CODE". */
  private static class Recorder implements Batch.Listener<String> {
    final List<String> done = Collections.synchronizedList(new ArrayList<>());
    final List<String> failed = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void done(Batch.Item<String> item, CutoutResult result, double wallMs) {
      done.add(item.name());
    }

    @Override
    public void failed(Batch.Item<String> item, CutoutException error) {
      failed.add(item.name() + " " + error.code());
    }
  }
}
