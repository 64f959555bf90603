package dev.cutout.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs many images through one {@link Cutout} as a three-stage pipeline: while the network runs on
 * one image (on the calling thread), the next is read and prepared (thread {@code cutout-decode})
 * and the previous rendered, encoded and written (thread {@code cutout-encode}).
 *
 * <p>A failing image does not stop the batch: any {@link Exception} from its source, the decoder,
 * the network, the encoder or its sink is reported to {@link Listener#failed} as a {@link
 * CutoutException}, and the next image goes on. Anything else ends the batch at once: an {@link
 * Error} on any stage, an exception thrown by the listener, or an interrupt of the calling thread.
 * {@link #run} then stops the other two threads, waits for them to end and throws: the error or the
 * listener's exception as it was thrown, or for an interrupt a {@code CANCELLED} {@link
 * CutoutException}, with the thread's interrupt status kept. Images not reported by then are never
 * reported.
 */
public final class Batch {
  /** How many images may wait between stages; two keeps the network busy and memory bounded. */
  private static final int AHEAD = 2;

  private Batch() {}

  /**
   * One image to process.
   *
   * @param name how reports name it
   * @param source reads its bytes
   * @param sink writes its result
   */
  public record Item<T>(T name, Source source, Sink sink) {
    public Item {
      Objects.requireNonNull(name);
      Objects.requireNonNull(source);
      Objects.requireNonNull(sink);
    }
  }

  /** Reads one image's encoded bytes; an exception it throws fails this image only. */
  @FunctionalInterface
  public interface Source {
    /**
     * @param gate the engine's decode gate: reading through it applies the engine's limits before
     *     the bytes are in memory
     */
    byte[] read(DecodeGate gate) throws Exception;
  }

  /** Writes one result; an exception it throws fails this image only. */
  @FunctionalInterface
  public interface Sink {
    void accept(CutoutResult result) throws Exception;
  }

  /**
   * Hears about each image as it finishes, one call at a time. Results and failures of rendering or
   * writing come in input order from {@code cutout-encode}; failures before the network runs come
   * from the calling thread when it reaches that image, possibly before the result of an earlier
   * one. An exception thrown here ends the batch.
   */
  public interface Listener<T> {
    void done(Item<T> item, CutoutResult result, double wallMs);

    void failed(Item<T> item, CutoutException error);
  }

  /**
   * Processes {@code items} in order.
   *
   * @return how many images failed
   * @throws CutoutException CANCELLED when the calling thread is interrupted
   */
  public static <T> int run(
      Cutout cutout, List<Item<T>> items, Options options, Listener<T> listener) {
    return new Run<>(
            Objects.requireNonNull(cutout),
            List.copyOf(items),
            Objects.requireNonNull(options),
            Objects.requireNonNull(listener))
        .execute();
  }

  /** What the decoder hands over: a prepared image, or its failure, or the signal to stop. */
  private record Stage<T>(
      Item<T> item, Cutout.Prepared prepared, CutoutException error, long startNanos) {
    boolean isStop() {
      return item == null;
    }
  }

  private static final class Run<T> {
    private final Cutout cutout;
    private final List<Item<T>> items;
    private final Options options;
    private final Listener<T> listener;
    private final BlockingDeque<Stage<T>> prepared = new LinkedBlockingDeque<>(AHEAD);
    private final Semaphore encoding = new Semaphore(AHEAD);

    /** The first failure that ends the batch; null while it runs. */
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    private final Object reportLock = new Object();
    private int failures; // guarded by reportLock
    private volatile boolean stopping;
    private Thread decoder;
    private ExecutorService encoder;
    private volatile Thread encoderThread;

    Run(Cutout cutout, List<Item<T>> items, Options options, Listener<T> listener) {
      this.cutout = cutout;
      this.items = items;
      this.options = options;
      this.listener = listener;
    }

    int execute() {
      boolean interrupted = false;
      try {
        encoder =
            Executors.newSingleThreadExecutor(
                task -> {
                  // kept to be joined: the executor reports termination before its thread ends
                  encoderThread =
                      Thread.ofPlatform().name("cutout-encode").daemon(true).unstarted(task);
                  return encoderThread;
                });
        decoder = Thread.ofPlatform().name("cutout-decode").daemon(true).start(this::decodeAll);
        segmentAll();
      } catch (InterruptedException e) {
        interrupted = true;
        fail(new CutoutException(ErrorCode.CANCELLED, "interrupted before the batch ended", e));
      } catch (RuntimeException | Error e) {
        fail(e);
      } finally {
        interrupted |= stop();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      Throwable first = fatal.get();
      if (first == null) {
        synchronized (reportLock) {
          return failures;
        }
      }
      if (first instanceof RuntimeException e) {
        throw e;
      }
      if (first instanceof Error e) {
        throw e;
      }
      throw new CutoutException(ErrorCode.IO_ERROR, first.toString(), first);
    }

    /** The calling thread's part: the network, in order, until every image is handed on. */
    private void segmentAll() throws InterruptedException {
      for (int i = 0; i < items.size(); i++) {
        Stage<T> stage = prepared.takeFirst();
        if (stage.isStop() || fatal.get() != null) {
          return;
        }
        if (stage.error() != null) {
          failed(stage.item(), stage.error());
          continue;
        }
        Cutout.Segmented segmented;
        try {
          segmented = cutout.segment(stage.prepared());
        } catch (RuntimeException e) {
          failed(stage.item(), asCutout(e));
          continue;
        }
        encoding.acquire();
        if (fatal.get() != null) {
          return;
        }
        encoder.execute(() -> encode(stage, segmented));
      }
      encoder.shutdown();
      encoder.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    private void decodeAll() {
      try {
        for (Item<T> item : items) {
          if (stopping) {
            return;
          }
          long start = System.nanoTime();
          Stage<T> stage;
          try {
            stage =
                new Stage<>(
                    item, cutout.prepare(item.source().read(cutout.gate()), options), null, start);
          } catch (Exception e) {
            stage = new Stage<>(item, null, asCutout(e), start);
          }
          prepared.putLast(stage);
        }
      } catch (InterruptedException e) {
        // only stop() interrupts this thread: the batch is over
      } catch (Throwable t) {
        fail(t);
      }
    }

    private void encode(Stage<T> stage, Cutout.Segmented segmented) {
      try {
        if (stopping || fatal.get() != null) {
          return;
        }
        CutoutResult result;
        try {
          result = cutout.render(stage.prepared(), segmented, options);
          stage.item().sink().accept(result);
        } catch (Exception e) {
          failed(stage.item(), asCutout(e));
          return;
        }
        double wallMs = (System.nanoTime() - stage.startNanos()) / 1e6;
        synchronized (reportLock) {
          if (!stopping) {
            listener.done(stage.item(), result, wallMs);
          }
        }
      } catch (Throwable t) {
        fail(t);
      } finally {
        encoding.release();
      }
    }

    private void failed(Item<T> item, CutoutException error) {
      synchronized (reportLock) {
        if (!stopping) {
          failures++;
          listener.failed(item, error);
        }
      }
    }

    /** Records what ends the batch and wakes the calling thread wherever it waits. */
    private void fail(Throwable t) {
      if (!fatal.compareAndSet(null, t) && fatal.get() != t) {
        fatal.get().addSuppressed(t);
      }
      // when the queue is full the calling thread is not waiting on it, and sees `fatal` next
      prepared.offerFirst(new Stage<>(null, null, null, 0));
      encoding.release(AHEAD);
    }

    /**
     * Ends both threads and waits for them: every wait of theirs is interruptible, and the work
     * between waits is one image's. Returns whether this thread was interrupted meanwhile.
     */
    private boolean stop() {
      stopping = true;
      if (decoder != null) {
        decoder.interrupt();
      }
      if (encoder != null) {
        encoder.shutdownNow();
      }
      boolean interrupted = false;
      while (true) {
        try {
          if (decoder != null) {
            decoder.join();
          }
          if (encoder != null) {
            encoder.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
          }
          Thread encodeThread = encoderThread;
          if (encodeThread != null) {
            encodeThread.join();
          }
          return interrupted;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
  }

  static CutoutException asCutout(Throwable e) {
    if (e instanceof CutoutException c) {
      return c;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return new CutoutException(ErrorCode.IO_ERROR, String.valueOf(e.getMessage()), e);
    }
    return new CutoutException(ErrorCode.IO_ERROR, e.toString(), e);
  }
}
