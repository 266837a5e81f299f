package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.UnifiedJedis;

/**
 * Checks per second from 16 threads, in one run on one local redis-server: the project's check of a pro-shaped
 * plan, bucket4j's Jedis proxy manager ({@link Bucket4jPeer}) and a one-limit GCRA script ({@link ReferenceGcra}),
 * each over its own Jedis client with a pool of 16. The contenders take turns in several rounds, the order
 * rotating, so that each sees the same machine load; figures only, no thresholds.
 *
 * <p>{@link CheckBenchmark} runs it last; {@code -Dbenchmark.throughput=only} runs it alone (so does this class's
 * main). Options: {@code -Dbenchmark.rounds=5 -Dbenchmark.roundMillis=2000}.
 */
public final class ThroughputBenchmark {
  static final int THREADS = 16;
  static final int CREATORS = 10_000;
  private static final RequestCost COST = RequestCost.requestWithTokens(Bucket4jPeer.TOKENS_PER_CHECK);
  /** One limiter under test: thread-safe, one check of one creator per call. */
  interface Contender extends AutoCloseable {
    String name();

    /** True when allowed. */
    boolean check(String creatorId);

    @Override
    void close();
  }

  /** One contender's round: checks, denied checks, wall time and the CPU that Redis and this JVM spent. */
  private record Round(long checks, long denied, double seconds, double redisCpu, double clientCpu) {
    double perSecond() {
      return checks / seconds;
    }
  }

  private final UnifiedJedis admin;
  private final String[] creators = new String[CREATORS];
  private final AtomicLong next = new AtomicLong();
  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

  private ThroughputBenchmark(UnifiedJedis admin) {
    this.admin = admin;
    for (int i = 0; i < CREATORS; i++) {
      creators[i] = String.format(Locale.ROOT, "tp-%05d", i);
    }
  }

  public static void main(String[] args) {
    try (LocalRedisServer server = LocalRedisServer.startStandalone();
         UnifiedJedis admin = RedisClients.create(RedisSettings.plainText(server.host(), server.port()))) {
      run(RedisSettings.plainText(server.host(), server.port()), admin, new Figures());
    }
  }

  /** Runs the comparison on the server {@code settings} reach; {@code admin} reads its INFO. */
  static void run(RedisSettings settings, UnifiedJedis admin, Figures figures) {
    int rounds = Integer.getInteger("benchmark.rounds", 5);
    long roundMillis = Long.getLong("benchmark.roundMillis", 2_000);
    RedisSettings pooled = settings.withPoolSize(THREADS);
    admin.flushAll();
    List<Contender> contenders = new ArrayList<>();
    ThroughputBenchmark benchmark = new ThroughputBenchmark(admin);
    try {
      contenders.add(new ProjectCheck(RateLimiter.builder(RedisClients.port(pooled), BenchmarkPlans.catalog()).build(),
          BenchmarkPlans.PRO, COST));
      contenders.add(new Bucket4jPeer(RedisClients.create(pooled), BenchmarkPlans.REQUESTS_PER_MINUTE,
          BenchmarkPlans.TOKENS_PER_MINUTE, BenchmarkPlans.REQUESTS_PER_DAY, BenchmarkPlans.TOKENS_PER_MONTH));
      contenders.add(new ReferenceGcra(RedisClients.create(pooled), BenchmarkPlans.REQUESTS_PER_MINUTE, 60_000_000L));
      benchmark.compare(contenders, rounds, roundMillis, figures);
    } finally {
      benchmark.threads.shutdownNow();
      contenders.forEach(Contender::close);
    }
  }

  private void compare(List<Contender> contenders, int rounds, long roundMillis, Figures figures) {
    System.out.printf(Locale.ROOT, "%n== throughput: %d threads, %,d creators round-robin, 1 request + %d tokens"
        + " per check, a pool of %d per client; %d rounds of %.1f s each, order rotating, after a warm-up round%n",
        THREADS, CREATORS, COST.tokens(), THREADS, rounds, roundMillis / 1000.0);
    System.out.println("  project:   RateLimiter.check, pro-shaped plan: sliding requests/1m, token-bucket tokens/1m,"
        + " fixed requests/day, fixed tokens/month; one FCALL");
    System.out.println("  bucket4j:  " + bucket4jVersion() + " compare-and-swap proxy manager over Jedis, 1 bucket"
        + " per creator, 4 bandwidths in checks (tokens / 500); GET + EVAL per check");
    System.out.println("  reference: one GCRA limit (requests/1m), 1 key per creator, one EVALSHA");
    int n = contenders.size();
    for (Contender contender : contenders) {
      measure(contender, roundMillis);
    }
    Round[][] results = new Round[n][rounds];
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d:", r + 1));
      for (int i = 0; i < n; i++) {
        int c = (r + i) % n;
        results[c][r] = measure(contenders.get(c), roundMillis);
        line.append(String.format(Locale.ROOT, "  %s %,.0f/s", contenders.get(c).name(), results[c][r].perSecond()));
      }
      System.out.println(line);
    }
    for (int c = 0; c < n; c++) {
      printSummary(contenders.get(c).name(), results[c]);
    }
    for (int c = 1; c < n; c++) {
      double[] perRound = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        perRound[r] = results[0][r].perSecond() / results[c][r].perSecond();
      }
      Arrays.sort(perRound);
      System.out.printf(Locale.ROOT, "ratio %s/%s checks/s = %.2f (median of rounds; %.2f to %.2f)%n",
          contenders.get(0).name(), contenders.get(c).name(), median(perRound), perRound[0],
          perRound[rounds - 1]);
      figures.higher("throughput, 16 threads: " + contenders.get(0).name() + " / " + contenders.get(c).name(),
          median(perRound), c == 1 ? 2.0 : 0.9);
    }
    if (contenders.get(0) instanceof ProjectCheck project) {
      System.out.printf(Locale.ROOT, "(keys at the end: project %d, bucket4j %d, reference %d, as a GCRA key lives"
          + " only until its arrival time, here 60 us a check; the project's usage hash takes %d bytes"
          + " for one creator's four limits)%n%n", admin.keys("rl:*").size(),
          admin.keys("b4j:*").size(), admin.keys("gcra:*").size(),
          admin.memoryUsage(project.usageKey(creators[0]), 0));
    }
  }

  private static void printSummary(String name, Round[] rounds) {
    double[] perSecond = Arrays.stream(rounds).mapToDouble(Round::perSecond).sorted().toArray();
    long checks = Arrays.stream(rounds).mapToLong(Round::checks).sum();
    long denied = Arrays.stream(rounds).mapToLong(Round::denied).sum();
    double redisCpu = Arrays.stream(rounds).mapToDouble(Round::redisCpu).sum();
    double clientCpu = Arrays.stream(rounds).mapToDouble(Round::clientCpu).sum();
    System.out.printf(Locale.ROOT, "%-14s %,8.0f checks/s (median; %,.0f to %,.0f), Redis CPU %.1f us/check,"
        + " client CPU %.1f us/check, %d denied%n", name, median(perSecond), perSecond[0],
        perSecond[perSecond.length - 1], redisCpu / checks * 1e6, clientCpu / checks * 1e6, denied);
  }

  /** All threads check creators round-robin for {@code millis}, starting together. */
  private Round measure(Contender contender, long millis) {
    LongAdder checks = new LongAdder();
    LongAdder denied = new LongAdder();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      running.add(threads.submit(() -> {
        go.await();
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
          if (!contender.check(creators[(int) (next.getAndIncrement() % CREATORS)])) {
            denied.increment();
          }
          checks.increment();
        }
        return null;
      }));
    }
    double redisBefore = redisCpuSeconds();
    long clientBefore = clientCpuNanos();
    long start = System.nanoTime();
    go.countDown();
    for (Future<?> thread : running) {
      try {
        thread.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(contender.name() + " failed a check: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Round(checks.sum(), denied.sum(), seconds, redisCpuSeconds() - redisBefore,
        (clientCpuNanos() - clientBefore) / 1e9);
  }

  /** The server's user + system CPU: one thread runs the commands (io-threads 1, the default). */
  private double redisCpuSeconds() {
    String cpu = admin.info("cpu");
    return Double.parseDouble(ServerStats.infoField(cpu, "used_cpu_user"))
        + Double.parseDouble(ServerStats.infoField(cpu, "used_cpu_sys"));
  }

  /** This JVM's CPU, all threads (JIT and GC too). */
  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(double[] sorted) {
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static String bucket4jVersion() {
    String version = io.github.bucket4j.Bucket.class.getPackage().getImplementationVersion();
    return "bucket4j" + (version == null ? "" : " " + version);
  }
}
