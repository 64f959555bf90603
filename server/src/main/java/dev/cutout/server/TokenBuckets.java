package dev.cutout.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One token bucket per caller (an API key or a client address), all at the same {@link Rate}. */
final class TokenBuckets {
  /** Past this many callers, buckets that have filled up again are forgotten. */
  private static final int PRUNE_ABOVE = 10_000;

  private final Rate rate;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(Rate rate, LongSupplier nanoClock) {
    this.rate = rate;
    this.clock = nanoClock;
  }

  Rate rate() {
    return rate;
  }

  /**
   * The outcome of one {@link #take}, with the bucket's state after it: what the {@code
   * X-RateLimit-*} headers and {@code Retry-After} tell a client.
   *
   * @param granted whether a token was taken
   * @param remaining whole tokens left in the bucket
   * @param nanosUntilFull until the bucket holds all its tokens again
   * @param nanosUntilNext when refused, until the next token; 0 when granted
   */
  record Take(boolean granted, long remaining, long nanosUntilFull, long nanosUntilNext) {}

  /** Takes a token for {@code caller} if one is there. */
  Take take(String caller) {
    if (buckets.size() > PRUNE_ABOVE) {
      long now = clock.getAsLong();
      buckets.values().removeIf(b -> b.isFull(now));
    }
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(clock.getAsLong()));
    return bucket.take(clock.getAsLong());
  }

  /**
   * The bucket keeps the time at which it would be full ({@code fullAt}) instead of a token count:
   * tokens = (capacity - (fullAt - now) / perToken), which needs no refill bookkeeping.
   */
  private final class Bucket {
    private long fullAt;

    Bucket(long now) {
      this.fullAt = now;
    }

    synchronized Take take(long now) {
      long per = rate.nanosPerPermit();
      long capacity = per * rate.permits();
      long start = Math.max(fullAt, now);
      long after = start + per;
      if (after - now > capacity) {
        long untilFull = start - now;
        return new Take(false, (capacity - untilFull) / per, untilFull, after - now - capacity);
      }
      fullAt = after;
      return new Take(true, (capacity - (after - now)) / per, after - now, 0);
    }

    synchronized boolean isFull(long now) {
      return fullAt <= now;
    }
  }
}
