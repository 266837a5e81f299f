package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RedisBinary;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Measures, in one run against a local redis-server it starts itself, every figure of the README's benchmark table:
 * the latency of a check of the pro-shaped plan against a PING and against an EVALSHA that returns 1 over the same
 * kind of pooled connection, a model call's check + settle against two PINGs, the round trips of a check, the
 * server's time per call ({@link ScriptTimeBenchmark}), Redis memory per limit ({@link MemoryBenchmark}), the checks
 * per second of 16 threads against bucket4j and a reference GCRA script ({@link ThroughputBenchmark}), then the
 * function jars' sizes and rate-check's cold start ({@link ColdStartBenchmark}). Ends with {@link Figures}: each
 * figure beside the README's and its goal, regressions marked. Prints figures only: no assertions.
 *
 * <p>Run: {@code ./mvnw -q -Pbenchmark -DskipTests verify -pl tools/benchmark -am}
 * (optionally {@code -Dbenchmark.iterations=50000}; {@code -Dbenchmark.throughput=false} skips the throughput
 * comparison, {@code -Dbenchmark.throughput=only} runs it alone; {@code -Dbenchmark.coldStart=false} skips the
 * cold start).
 */
public final class CheckBenchmark {
  // Round-robin over many creators, as production sees them.
  private static final int CREATORS = 1_000;
  private static final int COMMAND_STATS_CHECKS = 1_000;

  private final RateLimiter limiter;
  private final UnifiedJedis admin;
  private final ServerStats stats;
  private final Figures figures;
  private final String returnOne;
  private int nextCreator;
  private long nextCall;
  private long notAllowed;

  private CheckBenchmark(RateLimiter limiter, UnifiedJedis admin, Figures figures) {
    this.limiter = limiter;
    this.admin = admin;
    this.stats = new ServerStats(admin);
    this.figures = figures;
    this.returnOne = admin.scriptLoad(ScriptTimeBenchmark.RETURN_ONE);
  }

  public static void main(String[] args) {
    int iterations = Integer.getInteger("benchmark.iterations", 20_000);
    String throughput = System.getProperty("benchmark.throughput", "true");
    Path template = Path.of(System.getProperty("coldstart.template", "template.yaml")).toAbsolutePath().normalize();
    Figures figures = new Figures();
    LocalRedisServer server = LocalRedisServer.startStandalone();
    try {
      RedisSettings settings = RedisSettings.plainText(server.host(), server.port());
      // The limiter gets the production port (pooled RedisClient); PING, INFO and the rest go through a
      // second client built the same way, so PING pays the same client-side costs as a check.
      try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings), BenchmarkPlans.catalog()).build();
           UnifiedJedis admin = RedisClients.create(settings)) {
        if (!throughput.equals("only")) {
          new CheckBenchmark(limiter, admin, figures).run(iterations);
          new ScriptTimeBenchmark(limiter, admin).run(figures);
          new MemoryBenchmark(settings, admin).run(figures);
        }
        if (!throughput.equals("false")) {
          ThroughputBenchmark.run(settings, admin, figures);
        }
      }
    } finally {
      server.close();
    }
    if (!throughput.equals("only")) {
      FunctionJars.measure(template, figures);
      if (Boolean.parseBoolean(System.getProperty("benchmark.coldStart", "true"))) {
        ColdStartBenchmark.measure(template, figures);
      }
    }
    figures.print(template.resolveSibling("README.md"));
  }

  private void run(int iterations) {
    System.out.println("redis-server " + ServerStats.infoField(admin.info("server"), "redis_version")
        + " (" + RedisBinary.find().path() + "), Java " + System.getProperty("java.version")
        + " (" + System.getProperty("java.vm.name") + ")");
    System.out.printf(Locale.ROOT, "plan: pro-shaped, 4 limits (sliding-window requests/1m, token-bucket tokens/1m,"
        + " fixed requests/day, fixed tokens/month), cost %d request + %d tokens, %d creators round-robin%n",
        BenchmarkPlans.COST.requests(), BenchmarkPlans.COST.tokens(), CREATORS);
    System.out.printf(Locale.ROOT, "iterations: %d of each, alternating blocks of %d, after %d warm-up%n%n",
        iterations, Latencies.BLOCK, Latencies.WARMUP);
    measureLatency(iterations);
    measureReserveAndSettle(iterations / 2);
    measureCommands();
    if (notAllowed > 0) {
      System.out.println("\nNOTE: " + notAllowed + " checks were not allowed; the figures above include them.");
    }
  }

  /** Checks against PINGs, then against an EVALSHA returning 1, in alternating blocks (same JIT, GC and load). */
  private void measureLatency(int iterations) {
    System.out.println("== latency (client round trip, microseconds)");
    double[] ping = Latencies.compare("check", this::timeChecks, "PING ", this::timePings, iterations);
    double[] one = Latencies.compare("check", this::timeChecks, "EVALSHA returning 1", this::timeReturnOne, iterations);
    figures.lower("check p50 / PING p50", ping[0], 1.3);
    figures.lower("check p99 / EVALSHA returning 1 p99", one[1], 1.5);
    System.out.println();
  }

  /**
   * A model call's two round trips (a reservation with a request id, then its settle) against two PINGs.
   * Plan "usage": sliding requests, bucket and monthly tokens, monthly USD, leases.
   */
  private void measureReserveAndSettle(int pairs) {
    System.out.printf(Locale.ROOT, "== a model call: check (reserve 1,200 + 4,000 tokens and their price, take a"
        + " lease) + settle (300 output), %d pairs, microseconds%n", pairs);
    double[] ratios = Latencies.compare("check+settle", this::timeReserveAndSettle, "PING+PING   ", this::timePingPairs, pairs);
    figures.lower("check+settle p50 / two PINGs p50", ratios[0], null);
    System.out.println();
  }

  private void timeReserveAndSettle(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      String creator = creatorId("caller-", nextCreator++ % CREATORS);
      String requestId = "call-" + (nextCall++);
      long start = System.nanoTime();
      Decision decision = limiter.check(creator, BenchmarkPlans.USAGE, BenchmarkPlans.ESTIMATE, requestId);
      Settlement settlement = limiter.settle(creator, BenchmarkPlans.USAGE, requestId, BenchmarkPlans.ACTUAL);
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

  private void timeChecks(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      String creator = creatorId("creator-", nextCreator++ % CREATORS);
      long start = System.nanoTime();
      Decision decision = limiter.check(creator, BenchmarkPlans.PRO, BenchmarkPlans.COST, null);
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

  private void timeReturnOne(long[] into, int from, int count) {
    for (int i = from; i < from + count; i++) {
      long start = System.nanoTime();
      admin.evalsha(returnOne, List.of(), List.of());
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
      if (!limiter.check(creatorId("creator-", nextCreator++ % CREATORS), BenchmarkPlans.PRO, BenchmarkPlans.COST,
          null).allowed()) {
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
    figures.lower("round trips per check", client / m, 1.0);
    System.out.printf(Locale.ROOT, "commands executed inside the script per check = %.2f%n", inScript / m);
    System.out.printf(Locale.ROOT, "(excluded: %d INFO, %d other)%n%n", own, other);
  }

  private static String creatorId(String prefix, int n) {
    return String.format(Locale.ROOT, "%s%06d", prefix, n);
  }
}
