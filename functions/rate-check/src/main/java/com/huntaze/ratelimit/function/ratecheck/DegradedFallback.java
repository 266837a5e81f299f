package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.Unit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What fail-open admits while Redis is unreachable: bounded, never unlimited. Each execution environment
 * keeps a token bucket per creator at the plan's per-minute request rate (its requests limit with the
 * shortest window, scaled to a minute, at most 1,000,000; 60 when the plan has none), holding at most a
 * minute's worth. The buckets of the least recently seen creators are dropped beyond
 * {@link #MAX_CREATORS}, so memory stays bounded; a dropped creator starts full again.
 */
final class DegradedFallback {
  static final int MAX_CREATORS = 10_000;
  static final long DEFAULT_PER_MINUTE = 60;
  /** A fallback beyond this many requests a minute per creator bounds nothing; it also keeps the arithmetic exact. */
  static final long MAX_PER_MINUTE = 1_000_000;
  private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_CREATORS;
    }
  };

  DegradedFallback(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  DegradedFallback() {
    this(System::nanoTime);
  }

  /** Whether this environment admits one more request of the creator on the plan while Redis is down. */
  synchronized boolean admit(String creatorId, Plan plan) {
    long perMinute = perMinute(plan);
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(plan.name() + "\u0000" + creatorId, k -> new Bucket(perMinute, now));
    return bucket.take(perMinute, now);
  }

  /** How many creators' buckets this environment keeps now. */
  synchronized int creatorsKept() {
    return buckets.size();
  }

  /** The plan's request rate per minute: its requests limit with the shortest window. */
  static long perMinute(Plan plan) {
    return plan.limits().stream()
        .filter(l -> l.unit() == Unit.REQUESTS)
        .min((a, b) -> Long.compare(DecisionAnswers.windowSeconds(a), DecisionAnswers.windowSeconds(b)))
        .map(DegradedFallback::scaledToAMinute)
        .orElse(DEFAULT_PER_MINUTE);
  }

  private static long scaledToAMinute(Limit limit) {
    long perMinute = limit.limit() * 60 / Math.max(1, DecisionAnswers.windowSeconds(limit));
    return Math.min(MAX_PER_MINUTE, Math.max(1, perMinute));
  }

  /** Tokens scaled by a minute of nanoseconds, so that refill is exact integer arithmetic. */
  private static final class Bucket {
    private long scaledTokens;
    private long updatedNanos;

    Bucket(long perMinute, long now) {
      this.scaledTokens = perMinute * NANOS_PER_MINUTE;
      this.updatedNanos = now;
    }

    boolean take(long perMinute, long now) {
      long capacity = perMinute * NANOS_PER_MINUTE;
      long elapsed = Math.max(0, now - updatedNanos);
      // perMinute tokens a minute: a minute or more refills it all; less, elapsed x perMinute in this scale
      scaledTokens = elapsed >= NANOS_PER_MINUTE ? capacity : Math.min(capacity, scaledTokens + elapsed * perMinute);
      updatedNanos = now;
      if (scaledTokens < NANOS_PER_MINUTE) {
        return false;
      }
      scaledTokens -= NANOS_PER_MINUTE;
      return true;
    }
  }
}
