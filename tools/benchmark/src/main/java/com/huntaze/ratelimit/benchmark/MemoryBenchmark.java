package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis memory (used_memory before and after, on an empty database): per creator and per limit for the
 * pro-shaped plan after one check, and what one limit of each algorithm adds to a creator, after one check and
 * saturated (at its limit, every sub-window of a sliding window used): a plan with four such limits minus the same
 * plan without them (one fixed-window limit), over four, so that the creator's key is not counted as the limits'
 * and the allocator's size classes even out. Runs on
 * its own clock (the script's time override), so that a minute of checks takes milliseconds.
 */
final class MemoryBenchmark {
  private static final int PRO_CREATORS = 10_000;
  private static final int CREATORS = 1_000;
  private static final long MINUTE_MICROS = 60_000_000L;

  private final RedisSettings settings;
  private final UnifiedJedis admin;
  private final ServerStats stats;
  private final AtomicLong clock = new AtomicLong(System.currentTimeMillis() * 1000);
  private double anchor;

  MemoryBenchmark(RedisSettings settings, UnifiedJedis admin) {
    this.settings = settings;
    this.admin = admin;
    this.stats = new ServerStats(admin);
  }

  /** One saturation: what each creator does before the memory is read. */
  private interface Load {
    void apply(RateLimiter limiter, String creator);
  }

  void run(Figures figures) {
    try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings), BenchmarkPlans.catalog())
        .timeOverrideForTests(clock::get).build()) {
      System.out.println("== Redis memory (used_memory delta on an empty database)");
      double pro = perCreator(limiter, BenchmarkPlans.PRO, PRO_CREATORS,
          (l, c) -> l.check(c, BenchmarkPlans.PRO, BenchmarkPlans.COST, null));
      System.out.printf(Locale.ROOT, "  %-44s %7.1f bytes per creator, %6.1f per limit%n",
          "pro plan (4 limits), after one check", pro, pro / 4);
      figures.lower("memory per limit (bytes): pro plan (4 limits), after one check", pro / 4, 150.0);
      anchor = perCreator(limiter, "anchor", CREATORS, (l, c) -> check(l, c, "anchor", 1));
      System.out.printf(Locale.ROOT, "  what one limit adds to a creator (a plan with %d such limits minus the"
          + " plan without them, %.1f bytes, divided by %d):%n", BenchmarkPlans.MEMORY_LIMITS, anchor,
          BenchmarkPlans.MEMORY_LIMITS);
      String one = "one check";
      limit(figures, limiter, "sliding-window", "window", one, (l, c) -> check(l, c, "window", 1));
      limit(figures, limiter, "sliding-window", "window", "saturated", (l, c) -> {
        for (int i = 0; i < 100; i++) {   // its limit, spread over the minute: every sub-window used
          check(l, c, "window", 1);
          clock.addAndGet(MINUTE_MICROS / 100);
        }
      });
      // a bucket's state lives until it has refilled: half of it stays for 30 s here
      limit(figures, limiter, "token-bucket", "bucket", one, (l, c) -> check(l, c, "bucket", 50_000));
      limit(figures, limiter, "token-bucket", "bucket", "saturated", (l, c) -> check(l, c, "bucket", 100_000));
      limit(figures, limiter, "fixed-window", "fixed", one, (l, c) -> check(l, c, "fixed", 1));
      limit(figures, limiter, "fixed-window", "fixed", "saturated", (l, c) -> check(l, c, "fixed", 100_000));
      limit(figures, limiter, "sliding-log (exact, opt-in)", "log", one, (l, c) -> check(l, c, "log", 1));
      limit(figures, limiter, "sliding-log (exact, opt-in)", "log", "saturated", (l, c) -> {
        for (int i = 0; i < 100; i++) {
          check(l, c, "log", 1);
          clock.addAndGet(MINUTE_MICROS / 200);
        }
      });
      limit(figures, limiter, "lease", "lease", "one lease", (l, c) -> lease(l, c, 1));
      limit(figures, limiter, "lease", "lease", "saturated (20 leases)", (l, c) -> lease(l, c, 20));
      System.out.println();
    }
  }

  /** A one-entry-per-admission algorithm (log, lease) grows with its limit by design: no goal for it. */
  private void limit(Figures figures, RateLimiter limiter, String algorithm, String plan, String state, Load load) {
    double added = (perCreator(limiter, plan, CREATORS, load) - anchor) / BenchmarkPlans.MEMORY_LIMITS;
    System.out.printf(Locale.ROOT, "    %-42s %7.1f bytes%n", algorithm + ", " + state, added);
    figures.lower("memory per limit (bytes): " + algorithm + ", " + state, added,
        algorithm.startsWith("sliding-log") || algorithm.equals("lease") ? null : 150.0);
  }

  /** Memory per creator after {@code load} for each of {@code creators} new creators; request records removed. */
  private double perCreator(RateLimiter limiter, String plan, int creators, Load load) {
    admin.flushAll();   // keeps the loaded library
    long startedAt = clock.get();
    long before = stats.usedMemory();
    List<String> records = new ArrayList<>();
    for (int i = 0; i < creators; i++) {
      String creator = String.format(Locale.ROOT, "mem-%06d", i);
      clock.set(startedAt);
      load.apply(limiter, creator);
      records.add(creator);
    }
    for (String creator : records) {
      for (int i = 0; i < 20; i++) {
        admin.del("rl:{" + creator + "}:req/lease-" + i);   // a lease's request record is not the limit's state
      }
    }
    return (double) (stats.usedMemory() - before) / creators;
  }

  private static void check(RateLimiter limiter, String creator, String plan, long tokens) {
    RequestCost cost = plan.equals("bucket") || plan.equals("fixed") ? RequestCost.requestWithTokens(tokens)
        : RequestCost.oneRequest();
    limiter.check(creator, plan, cost, null);
  }

  private static void lease(RateLimiter limiter, String creator, int leases) {
    for (int i = 0; i < leases; i++) {
      limiter.check(creator, "lease", UsageEstimate.of(null, 0, 1), "lease-" + i);
    }
  }
}
