package dev.cutout.server;

import java.util.OptionalLong;
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
   * Takes a token for {@code caller}: empty when granted, else the nanoseconds until the next
   * token.
   */
  OptionalLong take(String caller) {
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

    synchronized OptionalLong take(long now) {
      long per = rate.nanosPerPermit();
      long capacity = per * rate.permits();
      long start = Math.max(fullAt, now);
      long after = start + per;
      if (after - now > capacity) {
        return OptionalLong.of(after - now - capacity);
      }
      fullAt = after;
      return OptionalLong.empty();
    }

    synchronized boolean isFull(long now) {
      return fullAt <= now;
    }
  }
}
