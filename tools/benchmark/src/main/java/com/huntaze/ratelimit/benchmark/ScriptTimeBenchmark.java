package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.RateLimiter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis's own time per call (INFO commandstats, microseconds per FCALL or EVALSHA) of the pro-shaped check on the
 * allow path and on the deny path, beside an EVALSHA that returns 1 (the floor of any script) and a one-limit GCRA
 * script ({@link ReferenceGcra}): what each call costs the server, free of network and client.
 */
final class ScriptTimeBenchmark {
  static final String RETURN_ONE = "return 1";
  private static final int CALLS = 20_000;
  private static final int CREATORS = 1_000;

  private final RateLimiter limiter;
  private final UnifiedJedis admin;
  private final ServerStats stats;

  ScriptTimeBenchmark(RateLimiter limiter, UnifiedJedis admin) {
    this.limiter = limiter;
    this.admin = admin;
    this.stats = new ServerStats(admin);
  }

  void run(Figures figures) {
    System.out.printf(Locale.ROOT, "== server time per call (INFO commandstats), %d calls each, %d creators%n", CALLS,
        CREATORS);
    String one = admin.scriptLoad(RETURN_ONE);
    ReferenceGcra gcra = new ReferenceGcra(admin, 1_000_000, 60_000_000L);
    for (int i = 0; i < CREATORS; i++) {   // the denied plan's first check per creator is allowed
      limiter.check(creator(i), BenchmarkPlans.PRO_DENIED, BenchmarkPlans.COST, null);
    }
    // interleaved rounds, so that each sees the same machine load
    double[] sums = new double[4];
    int rounds = 4;
    for (int round = 0; round < rounds; round++) {
      sums[0] += perCall(i -> limiter.check(creator(i), BenchmarkPlans.PRO, BenchmarkPlans.COST, null));
      sums[1] += perCall(i -> limiter.check(creator(i), BenchmarkPlans.PRO_DENIED, BenchmarkPlans.COST, null));
      sums[2] += perCall(i -> admin.evalsha(one, List.of(), List.of()));
      sums[3] += perCall(i -> gcra.check(creator(i)));
    }
    double allowed = sums[0] / rounds;
    double denied = sums[1] / rounds;
    double floor = sums[2] / rounds;
    double reference = sums[3] / rounds;
    System.out.printf(Locale.ROOT, "  check, allowed (pro plan, 4 limits)  %6.2f us%n", allowed);
    System.out.printf(Locale.ROOT, "  check, denied  (pro plan, 4 limits)  %6.2f us%n", denied);
    System.out.printf(Locale.ROOT, "  EVALSHA returning 1                  %6.2f us%n", floor);
    System.out.printf(Locale.ROOT, "  reference GCRA (1 limit)             %6.2f us%n", reference);
    System.out.printf(Locale.ROOT, "  ratio allowed / reference GCRA = %.2f, allowed / EVALSHA returning 1 = %.2f%n%n",
        allowed / reference, allowed / floor);
    figures.lower("script time, check allowed, pro plan (us per call)", allowed, 15.0);
    figures.lower("script time, check denied, pro plan (us per call)", denied, 15.0);
    figures.lower("script time, EVALSHA returning 1 (us per call)", floor, null);
    figures.lower("script time, reference GCRA, 1 limit (us per call)", reference, null);
  }

  private interface Call {
    void run(int i);
  }

  /** Server microseconds per script call (FCALL and EVALSHA, whichever the limiter uses) over CALLS calls. */
  private double perCall(Call call) {
    Map<String, long[]> before = stats.commandStats();
    for (int i = 0; i < CALLS; i++) {
      call.run(i % CREATORS);
    }
    Map<String, long[]> after = stats.commandStats();
    long calls = 0;
    long usec = 0;
    for (String name : List.of("fcall", "evalsha")) {
      long[] was = before.getOrDefault(name, new long[2]);
      long[] is = after.getOrDefault(name, new long[2]);
      calls += is[0] - was[0];
      usec += is[1] - was[1];
    }
    return (double) usec / calls;
  }

  private static String creator(int i) {
    return String.format(Locale.ROOT, "st-%05d", i);
  }
}
