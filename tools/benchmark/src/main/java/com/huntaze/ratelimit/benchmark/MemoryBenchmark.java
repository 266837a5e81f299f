package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis memory (used_memory before and after, on an empty database): per creator and per limit for the
 * pro-shaped plan after one check, and for each algorithm a plan of four such limits (and one fixed-window limit)
 * after one check and saturated (at its limit, every sub-window of a sliding window used), with what each of the
 * four adds on its own. Runs on
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
      double pro = perCreator(limiter, PRO_CREATORS,
          (l, c) -> l.check(c, BenchmarkPlans.PRO, BenchmarkPlans.COST, null));
      System.out.printf(Locale.ROOT, "  %-44s %7.1f bytes per creator, %6.1f per limit%n",
          "pro plan (4 limits), after one check", pro, pro / 4);
      figures.lower("memory per limit (bytes): pro plan (4 limits), after one check", pro / 4, 150.0);
      anchor = perCreator(limiter, CREATORS, (l, c) -> check(l, c, "anchor", 1));
      System.out.printf(Locale.ROOT, "  each algorithm: a plan of %d such limits and one fixed-window limit (which"
          + " alone takes %.1f bytes per creator)%n", BenchmarkPlans.MEMORY_LIMITS, anchor);
      String one = "one check";
      limit(figures, limiter, "sliding-window", one, (l, c) -> check(l, c, "window", 1));
      limit(figures, limiter, "sliding-window", "saturated", (l, c) -> {
        for (int i = 0; i < 100; i++) {   // its limit, spread over the minute: every sub-window used
          check(l, c, "window", 1);
          clock.addAndGet(MINUTE_MICROS / 100);
        }
      });
      // a bucket's state lives until it has refilled: half of it stays for 30 s here
      limit(figures, limiter, "token-bucket", one, (l, c) -> check(l, c, "bucket", 50_000));
      limit(figures, limiter, "token-bucket", "saturated", (l, c) -> check(l, c, "bucket", 100_000));
      limit(figures, limiter, "fixed-window", one, (l, c) -> check(l, c, "fixed", 1));
      limit(figures, limiter, "fixed-window", "saturated", (l, c) -> check(l, c, "fixed", 100_000));
      limit(figures, limiter, "sliding-log (exact, opt-in)", one, (l, c) -> check(l, c, "log", 1));
      limit(figures, limiter, "sliding-log (exact, opt-in)", "saturated", (l, c) -> {
        for (int i = 0; i < 100; i++) {
          check(l, c, "log", 1);
          clock.addAndGet(MINUTE_MICROS / 200);
        }
      });
      limit(figures, limiter, "lease", "one lease", (l, c) -> lease(l, c, 1));
      limit(figures, limiter, "lease", "saturated (20 leases)", (l, c) -> lease(l, c, 20));
      System.out.println();
    }
  }

  /**
   * Per limit: the creator's bytes over the plan's limits (the measured four and the fixed-window one), as the
   * pro plan's figure; what the measured limits add on their own is printed beside it (a few bytes each, within
   * the allocator's size classes). A one-entry-per-admission algorithm (log, lease) grows with its limit by
   * design: no goal for it.
   */
  private void limit(Figures figures, RateLimiter limiter, String algorithm, String state, Load load) {
    double perCreator = perCreator(limiter, CREATORS, load);
    double perLimit = perCreator / (BenchmarkPlans.MEMORY_LIMITS + 1);
    double added = (perCreator - anchor) / BenchmarkPlans.MEMORY_LIMITS;
    System.out.printf(Locale.ROOT, "    %-42s %7.1f bytes per creator, %6.1f per limit (each adds %.1f)%n",
        algorithm + ", " + state, perCreator, perLimit, added);
    figures.lower("memory per limit (bytes): " + algorithm + ", " + state, perLimit,
        algorithm.startsWith("sliding-log") || algorithm.equals("lease") ? null : 150.0);
  }

  /** Memory per creator after {@code load} for each of {@code creators} new creators. */
  private double perCreator(RateLimiter limiter, int creators, Load load) {
    admin.flushAll();   // keeps the loaded library
    long startedAt = clock.get();
    long before = stats.usedMemory();
    for (int i = 0; i < creators; i++) {
      clock.set(startedAt);
      load.apply(limiter, String.format(Locale.ROOT, "mem-%06d", i));
    }
    return (double) (stats.usedMemory() - before) / creators;
  }

  private static void check(RateLimiter limiter, String creator, String plan, long tokens) {
    RequestCost cost = plan.equals("bucket") || plan.equals("fixed") ? RequestCost.requestWithTokens(tokens)
        : RequestCost.oneRequest();
    limiter.check(creator, plan, cost, null);
  }

  /** Takes {@code leases} leases, then drops their request records: a record is the call's, not the limit's state. */
  private void lease(RateLimiter limiter, String creator, int leases) {
    String[] records = new String[leases];
    for (int i = 0; i < leases; i++) {
      limiter.check(creator, "lease", UsageEstimate.of(null, 0, 1), "lease-" + i);
      records[i] = "rl:{" + creator + "}:req/lease-" + i;
    }
    admin.del(records);
  }
}
