package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.redis.RedisPort;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Builds a {@link RateLimiter}; the defaults are documented on each setter. */
public final class RateLimiterBuilder {
  final RedisPort redis;
  final PlanCatalog plans;
  String keyPrefix = RateLimiter.DEFAULT_KEY_PREFIX;
  Duration idempotencyTtl = RateLimiter.DEFAULT_IDEMPOTENCY_TTL;
  Duration reservationTtl = RateLimiter.DEFAULT_RESERVATION_TTL;
  LongSupplier timeOverrideMicros;

  RateLimiterBuilder(RedisPort redis, PlanCatalog plans) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.plans = Objects.requireNonNull(plans, "plans");
  }

  /** Prefix of every key (default "rl"): letters, digits and . _ : - only, at most 64 characters. */
  public RateLimiterBuilder keyPrefix(String prefix) {
    if (!RateLimiter.isValidKeyPrefix(prefix)) {
      throw new IllegalArgumentException("key prefix '" + prefix + "' must match " + RateLimiter.KEY_PREFIX.pattern());
    }
    this.keyPrefix = prefix;
    return this;
  }

  /** How long an allowed decision is replayed for a repeated request id (default 5 minutes). */
  public RateLimiterBuilder idempotencyTtl(Duration ttl) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("idempotency TTL must be at least 1 ms");
    }
    this.idempotencyTtl = ttl;
    return this;
  }

  /**
   * How long a reservation can be settled (default 15 minutes); after that it stays charged at its
   * estimate and a late settle is refused, changing nothing.
   */
  public RateLimiterBuilder reservationTtl(Duration ttl) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("reservation TTL must be at least 1 ms");
    }
    this.reservationTtl = ttl;
    return this;
  }

  /**
   * Tests only: the script uses this clock (epoch microseconds) instead of the Redis server's TIME.
   * Production code never sets it: time always comes from Redis.
   */
  public RateLimiterBuilder timeOverrideForTests(LongSupplier epochMicros) {
    this.timeOverrideMicros = epochMicros;
    return this;
  }

  public RateLimiter build() {
    return new RateLimiter(this);
  }
}
