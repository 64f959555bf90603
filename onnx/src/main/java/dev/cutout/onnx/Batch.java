package dev.cutout.onnx;

import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Options;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Runs many images through one {@link Cutout} as a three-stage pipeline: while the network runs on
 * one image, the next is decoded and the previous encoded and written. One failing image is
 * reported and the rest go on.
 */
public final class Batch {
  /** How many images may wait between stages; two keeps the network busy and memory bounded. */
  private static final int AHEAD = 2;

  private Batch() {}

  /**
   * One image to process.
   *
   * @param name how reports name it
   * @param source reads its bytes (through the decode gate's limits)
   * @param sink writes its result; exceptions it throws are reported for this item
   */
  public record Item<T>(T name, Supplier<byte[]> source, Sink sink) {
    public Item {
      Objects.requireNonNull(name);
      Objects.requireNonNull(source);
      Objects.requireNonNull(sink);
    }
  }

  /** Writes one result. */
  @FunctionalInterface
  public interface Sink {
    void accept(CutoutResult result) throws Exception;
  }

  /** Hears about each item as it finishes, in order, from one thread at a time. */
  public interface Listener<T> {
    void done(Item<T> item, CutoutResult result, double wallMs);

    void failed(Item<T> item, CutoutException error);
  }

  /** Processes {@code items} in order; returns how many failed. */
  public static <T> int run(
      Cutout cutout, List<Item<T>> items, Options options, Listener<T> listener) {
    BlockingQueue<Stage<T>> prepared = new ArrayBlockingQueue<>(AHEAD);
    Semaphore encoding = new Semaphore(AHEAD);
    int[] failures = {0};
    Object reportLock = new Object();
    try (ExecutorService decoder = Executors.newSingleThreadExecutor(named("cutout-decode"));
        ExecutorService encoder = Executors.newSingleThreadExecutor(named("cutout-encode"))) {
      Future<?> feeding =
          decoder.submit(
              () -> {
                for (Item<T> item : items) {
                  long start = System.nanoTime();
                  Stage<T> stage;
                  try {
                    stage = new Stage<>(item, cutout.prepare(item.source().get()), null, start);
                  } catch (RuntimeException e) {
                    stage = new Stage<>(item, null, asCutout(e), start);
                  }
                  prepared.put(stage);
                }
                return null;
              });
      for (int i = 0; i < items.size(); i++) {
        Stage<T> stage = prepared.take();
        if (stage.error != null) {
          synchronized (reportLock) {
            failures[0]++;
            listener.failed(stage.item, stage.error);
          }
          continue;
        }
        Cutout.Segmented segmented;
        try {
          segmented = cutout.segment(stage.prepared);
        } catch (RuntimeException e) {
          synchronized (reportLock) {
            failures[0]++;
            listener.failed(stage.item, asCutout(e));
          }
          continue;
        }
        encoding.acquire();
        encoder.submit(
            () -> {
              try {
                CutoutResult result = cutout.render(stage.prepared, segmented, options);
                stage.item.sink().accept(result);
                synchronized (reportLock) {
                  listener.done(stage.item, result, (System.nanoTime() - stage.startNanos) / 1e6);
                }
              } catch (Exception e) {
                synchronized (reportLock) {
                  failures[0]++;
                  listener.failed(stage.item, asCutout(e));
                }
              } finally {
                encoding.release();
              }
            });
      }
      feeding.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CutoutException(ErrorCode.IO_ERROR, "interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw asCutout(e.getCause());
    }
    synchronized (reportLock) {
      return failures[0];
    }
  }

  private record Stage<T>(
      Item<T> item, Cutout.Prepared prepared, CutoutException error, long startNanos) {}

  static CutoutException asCutout(Throwable e) {
    if (e instanceof CutoutException c) {
      return c;
    }
    if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
      return new CutoutException(ErrorCode.IO_ERROR, String.valueOf(e.getMessage()), e);
    }
    return new CutoutException(ErrorCode.IO_ERROR, e.toString(), e);
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
