package dev.cutout.server;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * Who may have images processed, and how often: the API keys, one token bucket per key and one per
 * client address. Cutout's API and the remove.bg-compatible one admit through the same instance, so
 * a key has one rate whichever API it calls.
 *
 * <p>Every charge tells the client where its bucket stands, as remove.bg does: {@code
 * X-RateLimit-Limit} (the bucket's size, i.e. the burst), {@code X-RateLimit-Remaining} (whole
 * requests left now) and {@code X-RateLimit-Reset} (the Unix time, in seconds, at which the bucket
 * is full again); a refusal adds {@code Retry-After} (seconds until the next request is allowed).
 */
final class Admission {
  private final Optional<ApiKeys> keys;
  private final TokenBuckets keyBuckets;
  private final TokenBuckets addressBuckets;
  private final LongSupplier epochMillis;

  Admission(ServerConfig config, LongSupplier nanoClock, LongSupplier epochMillis) {
    this.keys = config.apiKeys();
    this.keyBuckets = new TokenBuckets(config.apiRate(), nanoClock);
    this.addressBuckets = new TokenBuckets(config.fallbackRate(), nanoClock);
    this.epochMillis = epochMillis;
  }

  static Admission create(ServerConfig config) {
    return new Admission(config, System::nanoTime, System::currentTimeMillis);
  }

  boolean hasKeys() {
    return keys.isPresent();
  }

  /** The position of {@code presented} among the keys; empty when unknown or no keys are set. */
  OptionalInt key(String presented) {
    return keys.isPresent() ? keys.get().match(presented) : OptionalInt.empty();
  }

  /**
   * Takes a token from the key's bucket.
   *
   * @throws ApiRefusal RATE_LIMITED when it is empty
   */
  void chargeKey(Context ctx, int key) {
    charge(ctx, keyBuckets, "key " + key, "this API key");
  }

  /**
   * Takes a token from the client address's bucket (the keyless hosted fallback).
   *
   * @throws ApiRefusal RATE_LIMITED when it is empty
   */
  void chargeAddress(Context ctx) {
    charge(ctx, addressBuckets, ctx.req().getRemoteAddr(), "this address");
  }

  private void charge(Context ctx, TokenBuckets buckets, String caller, String who) {
    TokenBuckets.Take take = buckets.take(caller);
    long now = epochMillis.getAsLong();
    ctx.header("X-RateLimit-Limit", Integer.toString(buckets.rate().permits()));
    ctx.header("X-RateLimit-Remaining", Long.toString(take.remaining()));
    ctx.header(
        "X-RateLimit-Reset", Long.toString(ceilSeconds(now * 1_000_000L + take.nanosUntilFull())));
    if (!take.granted()) {
      throw ApiRefusal.retryLater(
          ApiRefusal.Reason.RATE_LIMITED,
          who + " is over its rate of " + describe(buckets.rate()),
          ceilSeconds(take.nanosUntilNext()));
    }
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  private static String describe(Rate rate) {
    return rate.permits() + " requests per " + rate.period().toSeconds() + " s";
  }
}
