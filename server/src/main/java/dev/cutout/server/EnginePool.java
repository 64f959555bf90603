package dev.cutout.server;

import dev.cutout.core.Cutout;
import dev.cutout.core.DecodeLimits;
import dev.cutout.onnx.OnnxCutout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * A fixed number of workers, each holding its own engine ({@link Cutout}) per served model, behind
 * a bounded queue. A request either gets a place (a worker or a queue slot) at once or is refused
 * at once; nothing waits for a place. Memory is bounded too: a request holds its place while its
 * body is read and its answer written, so at most {@code workers + queue} bodies and results are in
 * memory, and draining the places lets every admitted answer go out before the server stops.
 */
final class EnginePool implements AutoCloseable {
  /** What a job needs: the engine of the model it asked for. */
  record Worker(int index, Map<String, Cutout> engines) {}

  /** Called when an engine has been created and warmed. */
  interface LoadListener {
    void loaded(String model, Duration took);
  }

  private final int workers;
  private final int capacity;
  private final Semaphore places;
  private final BlockingQueue<Worker> idle;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean ready;
  private volatile boolean draining;
  private volatile String failure;

  EnginePool(int workers, int queue) {
    this.workers = workers;
    this.capacity = workers + queue;
    this.places = new Semaphore(capacity);
    this.idle = new ArrayBlockingQueue<>(workers);
  }

  /**
   * Creates every worker's engines (warmed up); blocking. Each engine gets {@code threadsPerWorker}
   * inference threads, or when that is 0 {@code max(1, cores / workers)}, so the workers together
   * use the machine's cores once.
   */
  void load(
      List<String> models,
      Path modelsDir,
      DecodeLimits limits,
      int threadsPerWorker,
      LoadListener listener) {
    try {
      int threads =
          threadsPerWorker > 0
              ? threadsPerWorker
              : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
      for (int i = 0; i < workers; i++) {
        Map<String, Cutout> engines = new LinkedHashMap<>();
        for (String model : models) {
          long start = System.nanoTime();
          Cutout cutout =
              OnnxCutout.builder()
                  .model(model)
                  .modelsDir(modelsDir)
                  .threads(threads)
                  .decodeLimits(limits)
                  .warmUp(true)
                  .build();
          engines.put(model, cutout);
          listener.loaded(model, Duration.ofNanos(System.nanoTime() - start));
        }
        if (draining) { // stopped while loading: nobody will use or close these
          engines.values().forEach(Cutout::close);
          return;
        }
        idle.add(new Worker(i, Map.copyOf(engines)));
      }
      ready = true;
    } catch (RuntimeException e) {
      failure = e.getMessage();
      throw e;
    }
  }

  boolean ready() {
    return ready && !draining;
  }

  /** Why loading failed, or null. */
  String failure() {
    return failure;
  }

  /** Requests waiting for a worker. */
  int waiting() {
    return waiting.get();
  }

  /** Requests on a worker now. */
  int running() {
    return running.get();
  }

  /**
   * A place for one request, or an OVERLOADED refusal at once when every worker is busy and the
   * queue is full (or the pool is not ready, or stopping).
   */
  Place admit() {
    if (draining) {
      throw ApiRefusal.retryLater(ApiRefusal.Reason.OVERLOADED, "the server is shutting down", 5);
    }
    if (!ready) {
      throw ApiRefusal.retryLater(
          ApiRefusal.Reason.OVERLOADED, "the server is still loading its models", 2);
    }
    if (!places.tryAcquire()) {
      throw ApiRefusal.retryLater(
          ApiRefusal.Reason.OVERLOADED,
          "every worker is busy and the queue is full (" + capacity + " requests)",
          1);
    }
    return new Place();
  }

  /** Stops admitting and waits up to {@code grace} for the admitted requests to finish. */
  void drain(Duration grace) throws InterruptedException {
    draining = true;
    if (places.tryAcquire(capacity, grace.toMillis(), TimeUnit.MILLISECONDS)) {
      places.release(capacity);
    }
  }

  /** Closes the engines of idle workers (a worker still busy after the drain is left alone). */
  @Override
  public void close() {
    draining = true;
    Worker w;
    while ((w = idle.poll()) != null) {
      w.engines().values().forEach(Cutout::close);
    }
  }

  /**
   * One admitted request. {@link #run} at most once; {@link #close} always. The place is given back
   * when both the request is done with it (closed, after its response is written) and its job, if
   * any, has ended: a job outliving a request that gave up waiting still holds its place.
   */
  final class Place implements AutoCloseable {
    private final AtomicInteger holders = new AtomicInteger(1);
    private boolean closed;

    private void releaseOne() {
      if (holders.decrementAndGet() == 0) {
        places.release();
      }
    }

    /**
     * Runs {@code job} on the next free worker, waiting at most {@code timeout} in all.
     *
     * @param queued receives how long the job waited for a worker, in nanoseconds
     * @throws ApiRefusal TIMEOUT when the time is up (the job, if it has started, still finishes)
     */
    <T> T run(Function<Worker, T> job, Duration timeout, LongConsumer queued)
        throws InterruptedException {
      holders.incrementAndGet();
      CompletableFuture<T> result = new CompletableFuture<>();
      long enqueued = System.nanoTime();
      waiting.incrementAndGet();
      Thread thread =
          Thread.ofVirtual()
              .name("cutout-job")
              .start(
                  () -> {
                    boolean counted = true;
                    try {
                      Worker worker = idle.take();
                      waiting.decrementAndGet();
                      counted = false;
                      running.incrementAndGet();
                      try {
                        queued.accept(System.nanoTime() - enqueued);
                        result.complete(job.apply(worker));
                      } finally {
                        running.decrementAndGet();
                        idle.add(worker);
                      }
                    } catch (InterruptedException e) {
                      result.cancel(false);
                    } catch (Throwable t) {
                      result.completeExceptionally(t);
                    } finally {
                      if (counted) {
                        waiting.decrementAndGet();
                      }
                      releaseOne();
                    }
                  });
      try {
        return result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        thread.interrupt(); // takes it off the queue if still waiting; a running job finishes
        throw ApiRefusal.retryLater(
            ApiRefusal.Reason.TIMEOUT,
            "the request took longer than " + timeout.toSeconds() + " s",
            Math.max(1, timeout.toSeconds() / 2));
      } catch (InterruptedException e) {
        thread.interrupt();
        throw e;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        releaseOne();
      }
    }
  }
}
