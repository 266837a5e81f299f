package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RedisBinary;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Measures, in one run against a local redis-server it starts itself: the latency of one limiter check
 * compared with a PING over the same kind of pooled connection, a model call's check + settle compared
 * with two PINGs, the Redis commands one check costs, the Redis memory one creator costs, and last the checks per
 * second of 16 threads against bucket4j and a reference GCRA script ({@link ThroughputBenchmark}). Prints figures
 * only: no thresholds, no assertions.
 *
 * <p>Run: {@code ./mvnw -q -Pbenchmark -DskipTests verify -pl tools/benchmark -am}
 * (optionally {@code -Dbenchmark.iterations=50000}; {@code -Dbenchmark.throughput=false} skips the throughput
 * comparison, {@code -Dbenchmark.throughput=only} runs it alone).
 */
public final class CheckBenchmark {
  private static final String PLAN = "bench";
  // Three limits, one per algorithm. Sized so that no check is denied during the run: a denied check
  // writes nothing and would look cheaper than a real one. A bucket key expires once the bucket has
  // refilled (cost x window / limit: 86 s here), so the bucket is sized to outlive the run and the
  // memory figure counts all three keys of an active creator.
  private static final String PLANS_JSON = """
      {"plans": {"bench": {"limits": [
        {"name": "requests-per-minute", "unit": "requests", "limit": 100000, "window": "1m",
         "algorithm": "sliding-window"},
        {"name": "tokens-per-day", "unit": "tokens", "limit": 500000, "window": "1d",
         "algorithm": "token-bucket", "burst": 500000},
        {"name": "requests-per-day", "unit": "requests", "limit": 10000000, "window": "day",
         "algorithm": "fixed-window"}]},
       "usage": {"limits": [
        {"name": "requests-per-minute", "unit": "requests", "limit": 100000, "window": "1m",
         "algorithm": "sliding-window"},
        {"name": "tokens-per-day", "unit": "tokens", "limit": 500000000, "window": "1d",
         "algorithm": "token-bucket", "burst": 500000000},
        {"name": "tokens-per-month", "unit": "tokens", "limit": 900000000000, "window": "month",
         "algorithm": "fixed-window"},
        {"name": "usd-per-month", "unit": "usd", "limit": 900000, "window": "month", "algorithm": "fixed-window"},
        {"name": "generations-in-flight", "unit": "concurrent", "limit": 1000, "window": "5m"}]}},
       "models": {"gpt-4o": {"inputPerMillion": 2.5, "cachedInputPerMillion": 1.25, "outputPerMillion": 10}}}
      """;
  private static final String USAGE_PLAN = "usage";
  // A model call: reserve 1,200 input + 4,000 output tokens, then settle what it really used.
  private static final UsageEstimate ESTIMATE = UsageEstimate.of("gpt-4o", 1200, 4000);
  private static final Usage ACTUAL = Usage.of("gpt-4o", 1200, 300);
  private static final RequestCost COST = RequestCost.requestWithTokens(500);
  // Round-robin over many creators so each sliding-window ZSET holds a realistic few dozen entries
  // (one per admitted check in the last minute) instead of one creator's ever-growing log.
  private static final int CREATORS = 1_000;
  private static final int WARMUP = 5_000;
  private static final int BLOCK = 1_000;
  private static final int COMMAND_STATS_CHECKS = 1_000;
  private static final int MEMORY_CREATORS = 10_000;

  private final RateLimiter limiter;
  private final UnifiedJedis admin;
  private final ServerStats stats;
  private int nextCreator;
  private long nextCall;
  private long notAllowed;

  private CheckBenchmark(RateLimiter limiter, UnifiedJedis admin) {
    this.limiter = limiter;
    this.admin = admin;
    this.stats = new ServerStats(admin);
  }

  public static void main(String[] args) {
    int iterations = Integer.getInteger("benchmark.iterations", 20_000);
    String throughput = System.getProperty("benchmark.throughput", "true");
    LocalRedisServer server = LocalRedisServer.startStandalone();
    try {
      RedisSettings settings = RedisSettings.plainText(server.host(), server.port());
      PlanCatalog plans = PlanCatalog.parse(PLANS_JSON, "benchmark plan");
      // The limiter gets the production port (pooled RedisClient); PING, INFO and the rest go through a
      // second client built the same way, so PING pays the same client-side costs as a check.
      try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings), plans).build();
           UnifiedJedis admin = RedisClients.create(settings)) {
        if (!throughput.equals("only")) {
          new CheckBenchmark(limiter, admin).run(iterations);
        }
        if (!throughput.equals("false")) {
          ThroughputBenchmark.run(settings, admin);
        }
      }
    } finally {
      server.close();
    }
  }

  private void run(int iterations) {
    System.out.println("redis-server " + ServerStats.infoField(admin.info("server"), "redis_version")
        + " (" + RedisBinary.find().path() + "), Java " + System.getProperty("java.version")
        + " (" + System.getProperty("java.vm.name") + ")");
    System.out.printf(Locale.ROOT, "plan: 3 limits (sliding-window 1m, token-bucket 1d, fixed-window day),"
        + " cost %d request + %d tokens, %d creators round-robin%n", COST.requests(), COST.tokens(), CREATORS);
    System.out.printf(Locale.ROOT, "iterations: %d checks and %d PINGs, alternating blocks of %d, after %d + %d"
        + " warm-up%n%n", iterations, iterations, BLOCK, WARMUP, WARMUP);
    measureLatency(iterations);
    measureReserveAndSettle(iterations / 2);
    measureCommands();
    measureMemory();
    if (notAllowed > 0) {
      System.out.println("\nNOTE: " + notAllowed + " checks were not allowed; the figures above include them.");
    }
  }

  /** Checks and PINGs in alternating blocks, so both see the same JIT state, GC and machine load. */
  private void measureLatency(int iterations) {
    System.out.println("== latency (client round trip, microseconds)");
    compare("check", this::timeChecks, "PING ", this::timePings, iterations);
    // A sliding window is 10 sub-window counters: its key stays this small however many checks it admits.
    System.out.printf(Locale.ROOT, "sliding-window key at the end: %d bytes per creator%n%n",
        admin.memoryUsage(limiter.keysOf(creatorId("creator-", 0), limit("requests-per-minute")).get(0), 0));
  }

  /**
   * A model call's two round trips (a reservation with a request id, then its settle) against two PINGs.
   * Plan "usage": sliding requests, bucket and monthly tokens, monthly USD, leases.
   */
  private void measureReserveAndSettle(int pairs) {
    System.out.printf(Locale.ROOT, "== a model call: check (reserve 1,200 + 4,000 tokens and their price, take a"
        + " lease) + settle (300 output), %d pairs, microseconds%n", pairs);
    compare("check+settle", this::timeReserveAndSettle, "PING+PING   ", this::timePingPairs, pairs);
    System.out.println();
  }

  /** Times {@code count} runs of something into {@code into[from..]}, in nanoseconds. */
  private interface Timed {
    void time(long[] into, int from, int count);
  }

  /** Warms both up, then times them in alternating blocks and prints both and their ratios. */
  private static void compare(String name, Timed measured, String floorName, Timed floor, int iterations) {
    long[] scratch = new long[BLOCK];
    for (int done = 0; done < WARMUP; done += BLOCK) {
      measured.time(scratch, 0, Math.min(BLOCK, WARMUP - done));
      floor.time(scratch, 0, Math.min(BLOCK, WARMUP - done));
    }
    long[] a = new long[iterations];
    long[] b = new long[iterations];
    for (int done = 0; done < iterations; done += BLOCK) {
      int n = Math.min(BLOCK, iterations - done);
      measured.time(a, done, n);
      floor.time(b, done, n);
    }
    Arrays.sort(a);
    Arrays.sort(b);
    Latencies.print(name, a);
    Latencies.print(floorName, b);
    System.out.printf(Locale.ROOT, "ratio %s/%s p50 = %.2f, p99 = %.2f, mean = %.2f%n", name.strip(),
        floorName.strip(), Latencies.percentile(a, 50) / Latencies.percentile(b, 50),
        Latencies.percentile(a, 99) / Latencies.percentile(b, 99), Latencies.mean(a) / Latencies.mean(b));
  }

  private void timeReserveAndSettle(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      String creator = creatorId("caller-", nextCreator++ % CREATORS);
      String requestId = "call-" + (nextCall++);
      long start = System.nanoTime();
      Decision decision = limiter.check(creator, USAGE_PLAN, ESTIMATE, requestId);
      Settlement settlement = limiter.settle(creator, USAGE_PLAN, requestId, ACTUAL);
      into[i] = System.nanoTime() - start;
      if (!decision.allowed() || !settlement.settled()) {
        notAllowed++;
      }
    }
  }

  private void timePingPairs(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      long start = System.nanoTime();
      admin.ping();
      admin.ping();
      into[i] = System.nanoTime() - start;
    }
  }

  private Limit limit(String name) {
    return limiter.plans().plan(PLAN).orElseThrow().limits().stream().filter(l -> l.name().equals(name))
        .findFirst().orElseThrow();
  }

  private void timeChecks(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      String creator = creatorId("creator-", nextCreator++ % CREATORS);
      long start = System.nanoTime();
      Decision decision = limiter.check(creator, PLAN, COST, null);
      into[i] = System.nanoTime() - start;
      if (!decision.allowed()) {
        notAllowed++;
      }
    }
  }

  private void timePings(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      long start = System.nanoTime();
      admin.ping();
      into[i] = System.nanoTime() - start;
    }
  }

  /**
   * Per-command deltas of INFO commandstats around exactly M checks. Redis counts a command when it
   * completes, so the INFO taking the first snapshot shows up once in the second snapshot and the second
   * INFO not at all. Since Redis 7, commands a script runs with redis.call are counted under their own
   * names too, so the delta mixes what the client sent with what the script executed.
   */
  private void measureCommands() {
    Map<String, long[]> before = stats.commandStats();
    for (int i = 0; i < COMMAND_STATS_CHECKS; i++) {
      if (!limiter.check(creatorId("creator-", nextCreator++ % CREATORS), PLAN, COST, null).allowed()) {
        notAllowed++;
      }
    }
    Map<String, long[]> after = stats.commandStats();
    double m = COMMAND_STATS_CHECKS;
    long client = 0;
    long inScript = 0;
    long own = 0;
    long other = 0;
    System.out.printf(Locale.ROOT, "== Redis commands around %d checks (INFO commandstats deltas)%n",
        COMMAND_STATS_CHECKS);
    for (Map.Entry<String, long[]> entry : after.entrySet()) {
      long[] was = before.getOrDefault(entry.getKey(), new long[2]);
      long calls = entry.getValue()[0] - was[0];
      long usec = entry.getValue()[1] - was[1];
      if (calls == 0) {
        continue;
      }
      String name = entry.getKey();
      String kind;
      if (name.startsWith("eval") || name.startsWith("script|") || name.startsWith("fcall")) {
        kind = "sent by the limiter";
        client += calls;
      } else if (name.equals("info")) {
        kind = "the benchmark's own first INFO snapshot";
        own += calls;
      } else if (name.equals("ping")) {
        // Jedis pools test idle connections with PING every 30 s (testWhileIdle); the script has no PING.
        kind = "not the limiter: pool idle validation";
        other += calls;
      } else {
        kind = "inside the script (redis.call)";
        inScript += calls;
      }
      System.out.printf(Locale.ROOT, "  %-18s calls = %6d  (%5.2f per check, %6.2f us server time each)  %s%n",
          name, calls, calls / m, (double) usec / calls, kind);
    }
    System.out.printf(Locale.ROOT, "client commands per check = %.2f%n", client / m);
    System.out.printf(Locale.ROOT, "commands executed inside the script per check = %.2f%n", inScript / m);
    System.out.printf(Locale.ROOT, "(excluded: %d INFO, %d other)%n%n", own, other);
  }

  /** One check for each of C new creators on an empty database: what a creator's keys cost. */
  private void measureMemory() {
    admin.flushAll(); // keeps the script cache, so no SCRIPT LOAD below
    long before = stats.usedMemory();
    for (int i = 0; i < MEMORY_CREATORS; i++) {
      if (!limiter.check(creatorId("mem-", i), PLAN, COST, null).allowed()) {
        notAllowed++;
      }
    }
    long after = stats.usedMemory();
    long keyCount = admin.dbSize();
    System.out.printf(Locale.ROOT, "== Redis memory after one check for each of %d creators%n", MEMORY_CREATORS);
    System.out.printf(Locale.ROOT, "used_memory %d -> %d bytes: %.1f bytes per creator%n", before, after,
        (double) (after - before) / MEMORY_CREATORS);
    System.out.printf(Locale.ROOT, "keys = %d: %.2f keys per creator%n", keyCount,
        (double) keyCount / MEMORY_CREATORS);
    // MEMORY USAGE ... SAMPLES 0: exact size of every element, not an estimate from a sample.
    List<String> keys = limiter.plans().plan(PLAN).orElseThrow().limits().stream()
        .flatMap(limit -> limiter.keysOf(creatorId("mem-", 0), limit).stream()).toList();
    for (String key : keys) {
      System.out.printf(Locale.ROOT, "  MEMORY USAGE %-36s = %4d bytes (%s, ttl %d ms)%n", key,
          admin.memoryUsage(key, 0), admin.type(key), admin.pttl(key));
    }
  }

  private static String creatorId(String prefix, int n) {
    return String.format(Locale.ROOT, "%s%06d", prefix, n);
  }
}
