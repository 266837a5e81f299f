package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.AlgorithmPropertiesIT.between;
import static com.huntaze.ratelimit.it.AlgorithmPropertiesIT.ceilDiv;
import static com.huntaze.ratelimit.it.UsageModel.DAY;
import static com.huntaze.ratelimit.it.UsageModel.HOUR;
import static com.huntaze.ratelimit.it.UsageModel.LIMITS;
import static com.huntaze.ratelimit.it.UsageModel.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.huntaze.ratelimit.Adjustment;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.Release;
import com.huntaze.ratelimit.ReservationException;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.it.UsageModel.Edge;
import com.huntaze.ratelimit.it.UsageModel.Lim;
import com.huntaze.ratelimit.it.UsageModel.SettleOutcome;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Property-based tests of reserve, settle and release ({@code limits/*.lua} through {@link RateLimiter}),
 * run against one real redis-server for the whole class, in the style of {@link AlgorithmPropertiesIT}.
 * Each try drives a fresh creator on a priced plan (tokens per UTC minute, day and month, usd per month,
 * tokens per sliding minute, requests per hour, 1..3 leases of 2 or 7 minutes; reservations settle within
 * 5 minutes) through up to 60 random operations on the script's test clock, starting up to 10 minutes
 * before a month end: checks (model reservations, sometimes repeating an earlier request id or the previous
 * estimate), settles (of any earlier id: open, settled, expired or denied), releases, status calls, and time
 * jumps. After every operation a status call is compared with the exact reference model {@link UsageModel}.
 * Two properties differ only in how they draw: {@link Shape#EDGES} (jumps of every size, to within +/-20 us
 * of the next minute, hour, day, month, settle deadline, lease expiry or sliding-window exit; amounts of any
 * size) and {@link Shape#BURSTS} (concurrent calls: mostly no time between operations, few distinct amounts).
 *
 * <p>What is checked, at every step (assertion messages name the property):
 * <ol>
 *   <li>the usage of every window is the actual usage of settled calls plus the estimate of unsettled ones,
 *       under the documented window rules ({@link UsageModel}): status remaining = max(0, limit - used) on
 *       every limit, and every settle's kind / reserved / actual / applied and remaining afterwards; a late
 *       settle is refused (EXPIRED) and changes nothing;</li>
 *   <li>every check's decision, reserved output ({@link Decision#maxOutputTokens()}: the largest output up to
 *       the maximum that fits every token and money limit), per-limit fits / remaining / charged and swept
 *       leases equal the model's; a denied check changes nothing and takes no lease;</li>
 *   <li>no remaining (check, settle, release, status) is ever below 0 or above its limit;</li>
 *   <li>a repeated settle answers the first settlement, replayed, and changes nothing (so does a repeated
 *       check of an allowed request id);</li>
 *   <li>leases in use equal the model's leases held and not expired, never above the limit, zero a lease TTL
 *       after the last lease was taken; a release answers RELEASED / ALREADY_RELEASED / EXPIRED /
 *       FREED_BY_SETTLE as the model does, changing nothing but the lease it frees.</li>
 * </ol>
 *
 * <p>Tries: {@code properties.tries} (default 100 per property) seeds counting up from a fixed base
 * ({@code properties.seed=<n>}, or {@code random}). A failure prints the property, the seed, the command
 * that reruns that try alone, the plan, the generated operations and what each one did ({@link Try}). With
 * the default tries the first property must reach every outcome and kind listed in {@link #stopServer}.
 * Keys are pinned after every operation as in {@link AlgorithmPropertiesIT} (real time and the test clock
 * are decoupled); a key that legitimately expired in real time before it could be pinned aborts the try.
 */
class UsagePropertiesIT {
  private static final String TIER = "p";
  private static final String MODEL = "m";
  /** Every try starts 0 to 10 minutes before one of these. */
  private static final List<String> MONTH_ENDS = List.of("2025-04-01T00:00:00Z", "2025-03-01T00:00:00Z",
      "2024-03-01T00:00:00Z", "2026-01-01T00:00:00Z", "2025-05-01T00:00:00Z");
  private static final long DEFAULT_SEED = 20_250_331;
  private static final int DEFAULT_TRIES = 100;
  private static final int MAX_ABORTED_PER_COMPLETED = 5;
  private static final long PINNED_TTL_MS = 3_600_000;
  private static final byte[] PIN = ("local out = {}\nfor i, key in ipairs(KEYS) do out[i] = redis.call('PEXPIRE',"
      + " key, ARGV[1]) end\nreturn out").getBytes(StandardCharsets.UTF_8);

  private static final AtomicLong creators = new AtomicLong();
  /** What the tries of each shape exercised (outcomes, adjustment and release kinds): printed, and checked. */
  private static final Map<String, Integer> seen = new TreeMap<>();
  private static final Map<Shape, Integer> triesRun = new EnumMap<>(Shape.class);
  private static int completed;
  private static int aborted;
  private static LocalRedisServer server;
  private static RedisSettings settings;
  private static UnifiedJedis admin;

  @BeforeAll
  static void startServer() {
    server = LocalRedisServer.startStandalone();
    settings = RedisSettings.plainText(server.host(), server.port());
    admin = RedisClients.create(settings);
  }

  @AfterAll
  static void stopServer() {
    try {
      System.out.println("UsagePropertiesIT: " + completed + " tries completed, " + aborted + " aborted; seen " + seen);
      assertTrue(aborted / Math.max(completed, 1) <= MAX_ABORTED_PER_COMPLETED, aborted + " tries aborted for "
          + completed + " completed: too few checks");
      if (triesRun.getOrDefault(Shape.EDGES, 0) >= DEFAULT_TRIES) {   // the default tries must reach every case
        for (String must : List.of("check ALLOWED", "check DENIED", "check replayed", "settle ADJUSTED",
            "settle REFUND_DROPPED", "settle CHARGED_TO_CURRENT_WINDOW", "settle UNCHANGED", "settle LEASE_RELEASED",
            "settle LEASE_EXPIRED", "settle LEASE_ALREADY_RELEASED", "settle EXPIRED", "settle REPLAYED",
            "settle UNKNOWN", "release RELEASED", "release ALREADY_RELEASED", "release EXPIRED",
            "release FREED_BY_SETTLE", "swept leases")) {
          assertTrue(seen.getOrDefault(Shape.EDGES + " " + must, 0) > 0, "no try reached '" + must
              + "': the generators are too narrow");
        }
      }
    } finally {
      if (admin != null) {
        admin.close();
      }
      if (server != null) {
        server.close();
      }
    }
  }

  static int tries() {
    return Integer.getInteger("properties.tries", DEFAULT_TRIES);
  }

  /** base, base + 1, ...: a failing try reruns alone with -Dproperties.seed=<its seed> -Dproperties.tries=1. */
  static LongStream seeds() {
    String seed = System.getProperty("properties.seed", "").trim();
    long base = seed.isEmpty() ? DEFAULT_SEED : seed.equals("random") ? System.nanoTime() : Long.parseLong(seed);
    return LongStream.range(0, tries()).map(i -> base + i);
  }

  private static synchronized void saw(Shape shape, String what) {
    seen.merge(shape + " " + what, 1, Integer::sum);
  }

  /** Time jumps of every kind, estimates and usage of any size. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyCheckSettleReleaseAndStatusAgreesWithTheUsageModelAcrossMinuteDayAndMonthEdges(long seed, TestInfo test) {
    oneTry(new Try(test, seed, Shape.EDGES));
  }

  /**
   * Concurrent calls: bursts of operations at one instant (3 in 4 gaps are zero), with few distinct
   * amounts (input 0 or 100, output 100, 200 or 400; usage as estimated, nothing, or half), so that calls
   * at one microsecond often reserve, refund and charge equal amounts.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void concurrentCallsAtOneInstantWithEqualAmountsAgreeWithTheUsageModel(long seed, TestInfo test) {
    oneTry(new Try(test, seed, Shape.BURSTS));
  }

  /** How a property draws its operations. */
  enum Shape { EDGES, BURSTS }

  private static void oneTry(Try t) {
    triesRun.merge(t.shape, 1, Integer::sum);
    try {
      new Run(t).run();
    } catch (RuntimeException e) {
      if (t.aborted) {
        aborted++;
        throw e;
      }
      throw new AssertionError(e + t.toString(), e);
    }
    completed++;
  }

  /** One try: the limiter, the model, and what the script answered so far. */
  private static final class Run {
    final Try t;
    final UsageModel.Plan plan;
    final UsageModel model;
    final List<Op> ops;
    final TestClock clock = new TestClock("1970-01-01T00:00:00Z");
    final String creator = "usage-prop-" + creators.incrementAndGet();
    final List<String> ids = new ArrayList<>();
    final Map<String, Decision> firstDecisions = new HashMap<>();
    final Map<String, Settlement> firstSettlements = new HashMap<>();
    UsageEstimate previous;

    Run(Try t) {
      this.t = t;
      long[] amounts = {between(t.random, 1500, 6000), between(t.random, 3000, 20_000), between(t.random, 5000, 40_000),
          between(t.random, 8000, 60_000), between(t.random, 1500, 6000), between(t.random, 3, 30),
          between(t.random, 1, 3)};   // in the order of UsageModel.Lim; usd in micro-dollars
      plan = t.input("plan", new UsageModel.Plan(amounts, t.random.nextBoolean() ? "2m" : "7m"));
      model = new UsageModel(plan);
      String end = MONTH_ENDS.get(t.random.nextInt(MONTH_ENDS.size()));
      t.origin = TestPlans.micros(end) - t.between("start (us before " + end + ")", 0, 10 * MINUTE);
      clock.advanceMicros(t.origin);
      ops = t.plan(Op.draw(t.random, t.shape));
    }

    void run() {
      try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings), plan.catalog())
          .timeOverrideForTests(clock).reservationTtl(Duration.ofMillis(UsageModel.RESERVATION_TTL / 1000)).build()) {
        assertTrue(limiter.status(creator, TIER).allowed(), "a fresh creator");   // connects before the first operation
        List<List<String>> keys = new ArrayList<>();
        limiter.plans().plan(TIER).orElseThrow().limits().forEach(l -> keys.add(limiter.keysOf(creator, l)));
        for (Op op : ops) {
          clock.advanceMicros(op.gap().delta(clock.getAsLong(), model));
          long now = clock.getAsLong();
          SplittableRandom r = new SplittableRandom(op.seed());
          long started = System.nanoTime();
          switch (op.kind()) {
            case CHECK, REPEAT_CHECK -> check(limiter, r, now, op.kind() == Op.Kind.REPEAT_CHECK);
            case SETTLE -> settle(limiter, r, now);
            case RELEASE -> release(limiter, r, now);
            case STATUS -> t.ran(now, "status");
          }
          pin(keys, now, started);
          status(limiter, now);
        }
      }
    }

    void check(RateLimiter limiter, SplittableRandom r, long now, boolean repeat) {
      String id = repeat && !ids.isEmpty() ? ids.get(r.nextInt(ids.size())) : "r" + (ids.size() + 1);
      if (!ids.contains(id)) {
        ids.add(id);
      }
      UsageEstimate estimate;
      if (previous != null && r.nextInt(4) == 0) {
        estimate = previous;   // the same prompt again
      } else if (t.shape == Shape.BURSTS) {
        long max = List.of(100L, 200L, 400L).get(r.nextInt(3));
        estimate = UsageEstimate.of(MODEL, r.nextBoolean() ? 0 : 100, max)
            .withMinOutputTokens(r.nextBoolean() ? 0 : max);
      } else {
        long in = between(r, 0, 600);
        long max = between(r, 0, 1500);
        long min = switch (r.nextInt(10)) {
          case 0, 1, 2, 3 -> max;
          case 4, 5, 6 -> 0;
          default -> between(r, 0, max);
        };
        // never an estimate no limit could ever admit (the limiter rejects those before Redis)
        min = Math.min(min, Math.min(plan.tokenCapacity() - in, (plan.amount(Lim.USD_PER_MONTH) - 2 * in) / 10));
        estimate = UsageEstimate.of(MODEL, in, max).withMinOutputTokens(min);
      }
      previous = estimate;
      long in = estimate.inputTokens();
      long max = estimate.maxOutputTokens();
      long min = estimate.minOutputTokens();
      Decision first = firstDecisions.get(id);
      UsageModel.Check expected = first == null ? model.check(id, now, in, max, min) : null;
      Decision d = limiter.check(creator, TIER, estimate, id);
      t.ran(now, "check " + id + " in " + in + " out " + min + ".." + max + " -> " + d.outcome() + " out "
          + d.maxOutputTokens() + remaining(d.limits()) + (d.replayed() ? " replayed" : "")
          + (expected == null ? "" : ", model " + (expected.allowed() ? "ALLOWED out " + expected.maxOutput()
          : "DENIED")));
      assertTrue(d.outcome() != Decision.Outcome.REDIS_UNAVAILABLE, t.says("Redis unavailable: " + d));
      atMostTheLimit(d.limits());
      if (first != null) {
        saw(t.shape, "check replayed");
        assertTrue(d.replayed(), t.says("property 4: a repeated request id is not replayed"));
        assertEquals(first.outcome(), d.outcome(), t.says("property 4: replayed outcome"));
        assertEquals(first.maxOutputTokens(), d.maxOutputTokens(), t.says("property 4: replayed output"));
        assertEquals(first.limits(), d.limits(), t.says("property 4: replayed limit states"));
        return;
      }
      saw(t.shape, "check " + d.outcome());
      if (expected.expiredLeases() > 0) {
        saw(t.shape, "swept leases");
      }
      assertEquals(expected.allowed(), d.allowed(), t.says("property 2: decision"));
      assertTrue(!d.replayed(), t.says("property 2: a fresh request id replayed"));
      assertEquals(expected.maxOutput(), d.maxOutputTokens(), t.says("property 2: reserved / fitting output"));
      assertEquals(expected.expiredLeases(), d.expiredLeases(), t.says("property 5: expired leases swept"));
      for (Lim l : LIMITS) {
        LimitState s = d.limits().get(l.ordinal());
        String what = " of " + l.limitName();
        assertEquals(expected.fits()[l.ordinal()], s.fits(), t.says("property 2: fits" + what));
        assertEquals(expected.remaining()[l.ordinal()], s.remaining(), t.says("property 2: remaining" + what));
        assertEquals(expected.charged()[l.ordinal()], s.charged(), t.says("property 2: charged" + what));
      }
      if (d.allowed()) {
        firstDecisions.put(id, d);
      }
    }

    void settle(RateLimiter limiter, SplittableRandom r, long now) {
      // mostly a reservation that can still be settled; otherwise any id used (denied, settled, expired)
      List<String> open = model.calls.entrySet().stream().filter(e -> !e.getValue().settled
          && now <= e.getValue().at + UsageModel.RESERVATION_TTL).map(Map.Entry::getKey).toList();
      String id = !open.isEmpty() && r.nextInt(10) < 7 ? open.get(r.nextInt(open.size()))
          : ids.isEmpty() ? "r0" : ids.get(r.nextInt(ids.size()));
      UsageModel.Call call = model.calls.get(id);
      long in = call == null ? 100 : call.in;
      long out = call == null ? 100 : call.out;
      // edges: as estimated (2 in 10), nothing (the call failed, 1 in 10), or anything near the estimate;
      // bursts: as estimated (3 in 10), nothing (3 in 10), or half the output
      int die = r.nextInt(10);
      Usage usage = t.shape == Shape.BURSTS
          ? die < 3 ? Usage.of(MODEL, in, out) : die < 6 ? Usage.of(MODEL, 0, 0) : Usage.of(MODEL, in, out / 2)
          : die < 2 ? Usage.of(MODEL, in, out) : die < 3 ? Usage.of(MODEL, 0, 0) : new Usage(MODEL,
              between(r, 0, in + 100), r.nextBoolean() ? 0 : between(r, 0, 300),
              r.nextBoolean() ? between(r, 0, out) : between(r, out, out + 800));
      UsageModel.Settle expected = model.settle(id, now, usage.inputTokens(), usage.cachedInputTokens(),
          usage.outputTokens());
      saw(t.shape, "settle " + expected.outcome());
      String what = "settle " + id + " " + usage + ", model " + expected.outcome();
      if (expected.outcome() == SettleOutcome.UNKNOWN || expected.outcome() == SettleOutcome.EXPIRED) {
        ReservationException e = assertThrows(ReservationException.class,
            () -> limiter.settle(creator, TIER, id, usage), t.says(what));
        t.ran(now, what + " -> refused " + e.reason());
        assertEquals(expected.outcome().name(), e.reason().name(), t.says("property 1: refused settle"));
        return;
      }
      Settlement s = limiter.settle(creator, TIER, id, usage);
      t.ran(now, what + " -> " + s.adjustments().stream().map(a -> a.kind() + " " + a.applied()).toList()
          + remaining(s.limits()) + (s.replayed() ? " replayed" : ""));
      assertTrue(s.settled(), t.says("Redis unavailable: " + s));
      atMostTheLimit(s.limits());
      if (expected.outcome() == SettleOutcome.REPLAYED) {
        Settlement first = firstSettlements.get(id);
        assertTrue(s.replayed(), t.says("property 4: a repeated settle is not replayed"));
        assertEquals(first.adjustments(), s.adjustments(), t.says("property 4: replayed adjustments"));
        assertEquals(first.limits(), s.limits(), t.says("property 4: replayed limit states"));
        return;
      }
      assertTrue(!s.replayed(), t.says("property 4: a first settle replayed"));
      assertEquals(Instant.ofEpochMilli(Math.floorDiv(call.at, 1000)), s.reservedAt().orElseThrow(),
          t.says("reservedAt"));
      for (Lim l : LIMITS) {
        Adjustment a = s.adjustments().get(l.ordinal());
        UsageModel.Adj e = expected.adjustments().get(l.ordinal());
        saw(t.shape, "settle " + e.kind());
        assertEquals(e, new UsageModel.Adj(a.kind(), a.reserved(), a.actual(), a.applied()),
            t.says("property 1: adjustment (kind, reserved, actual, applied) of " + l.limitName()));
        assertEquals(expected.remaining()[l.ordinal()], s.limits().get(l.ordinal()).remaining(),
            t.says("property 1: remaining after the settle of " + l.limitName()));
      }
      firstSettlements.put(id, s);
    }

    void release(RateLimiter limiter, SplittableRandom r, long now) {
      List<String> held = model.calls.entrySet().stream().filter(e -> e.getValue().lease == UsageModel.HELD)
          .map(Map.Entry::getKey).toList();
      String id = !held.isEmpty() && r.nextInt(10) < 6 ? held.get(r.nextInt(held.size()))
          : ids.isEmpty() ? "r0" : ids.get(r.nextInt(ids.size()));
      UsageModel.Released expected = model.release(id, now);
      String what = "release " + id + ", model " + (expected.kind() == null ? "UNKNOWN" : expected.kind());
      if (expected.kind() == null) {
        ReservationException e = assertThrows(ReservationException.class, () -> limiter.release(creator, TIER, id),
            t.says(what));
        t.ran(now, what + " -> refused " + e.reason());
        assertEquals(ReservationException.Reason.UNKNOWN, e.reason(), t.says("property 5: release of a denied id"));
        return;
      }
      saw(t.shape, "release " + expected.kind());
      Release rel = limiter.release(creator, TIER, id);
      t.ran(now, what + " -> " + rel.leases());
      assertTrue(rel.completed(), t.says("Redis unavailable: " + rel));
      assertEquals(1, rel.leases().size(), t.says("leases " + rel));
      Release.Lease lease = rel.leases().get(0);
      assertEquals(expected.kind(), lease.kind(), t.says("property 5: release kind"));
      assertEquals(expected.kind() == Release.Kind.RELEASED, rel.released(), t.says("property 5: released()"));
      assertEquals(expected.remaining(), lease.remaining(), t.says("property 5: leases left after the release"));
      assertTrue(lease.remaining() <= plan.amount(Lim.IN_FLIGHT), t.says("property 3: remaining above the limit"));
    }

    /** Properties 1, 3 and 5 on a status call priced for model "m". */
    void status(RateLimiter limiter, long now) {
      Decision s = limiter.status(creator, TIER, MODEL);
      assertTrue(s.outcome() != Decision.Outcome.REDIS_UNAVAILABLE, t.says("Redis unavailable: " + s));
      atMostTheLimit(s.limits());
      boolean allowed = true;
      long output = UsageModel.MAX_TOKENS;
      for (Lim l : LIMITS) {
        long left = model.remaining(l, now);
        LimitState state = s.limits().get(l.ordinal());
        assertEquals(Math.max(0, left), state.remaining(), t.says("property " + (l.unit == 'c' ? 5 : 1)
            + ": status remaining of " + l.limitName() + " at +" + (now - t.origin) + " us"));
        assertEquals(0, state.charged(), t.says("a status charged " + l.limitName()));
        allowed &= l.unit == 'c' || left >= 1;
        if (l.unit == 't') {
          output = Math.min(output, left);
        } else if (l.unit == 'u') {
          output = Math.min(output, UsageModel.affordable(left, 0, output));
        }
      }
      assertEquals(allowed, s.allowed(), t.says("status outcome"));
      assertEquals(Math.max(output, 0), s.maxOutputTokens(), t.says("status maxOutputTokens for model m"));
      long inUse = plan.amount(Lim.IN_FLIGHT) - s.limits().get(Lim.IN_FLIGHT.ordinal()).remaining();
      assertTrue(inUse >= 0 && inUse <= plan.amount(Lim.IN_FLIGHT), t.says("property 5: " + inUse + " leases in use"));
      if (now >= model.lastLeaseAt + plan.leaseTtlMicros()) {
        assertEquals(0, inUse, t.says("property 5: leases in use a lease TTL after the last lease was taken"));
      }
    }

    void atMostTheLimit(List<LimitState> states) {
      for (LimitState s : states) {
        assertTrue(s.remaining() >= 0 && s.remaining() <= s.limit().limit(), t.says("property 3: remaining "
            + s.remaining() + " of " + s.name() + " outside [0, " + s.limit().limit() + "]"));
      }
    }

    /**
     * Every key of the creator gets a long expiry (see {@link AlgorithmPropertiesIT#settle}). A key whose
     * content still matters on the test clock must exist; one missing is legitimate (the try aborts) only if
     * the expiry the operation gave it (content's horizon, +1 ms) is shorter than the real time elapsed.
     */
    void pin(List<List<String>> keys, long now, long startedNanos) {
      List<String> all = keys.stream().flatMap(List::stream).toList();
      List<?> exists = (List<?>) admin.eval(PIN, all.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList(),
          List.of(Long.toString(PINNED_TTL_MS).getBytes(StandardCharsets.UTF_8)));
      long elapsedMs = ceilDiv(System.nanoTime() - startedNanos, 1_000_000);
      int at = 0;
      for (Lim l : LIMITS) {
        long until = model.mattersUntil(l, now);
        for (String key : keys.get(l.ordinal())) {
          if ((Long) exists.get(at++) == 0 && until > now) {
            long expiryMs = ceilDiv(until - now, 1000) + 1;
            if (expiryMs > elapsedMs) {
              fail(key + " is gone " + elapsedMs + " ms after the operation, though its content matters for "
                  + (until - now) + " us" + t);
            }
            t.aborted = true;
            Assumptions.abort(t.headline() + ": " + key + " expired in real time before it could be pinned (expiry "
                + expiryMs + " ms, " + elapsedMs + " ms elapsed)");
          }
        }
      }
    }

    static String remaining(List<LimitState> states) {
      return ", remaining " + states.stream().map(s -> Long.toString(s.remaining())).toList();
    }
  }

  // ---- generators ---------------------------------------------------------------------------------------

  enum Jump {
    /** no time passes */
    ZERO,
    /** 1 .. 1000 us */
    TINY,
    /** 1 ms .. 20 s */
    SHORT,
    /** to within amount (-20 .. 20) us of the next instant of kind {@code edge} (see {@link UsageModel#nextEdge}) */
    EDGE,
    /** 1 .. 12 minutes: past lease and reservation TTLs */
    PAST_TTL,
    /** 1 hour .. 35 days */
    FAR
  }

  /** How the clock moves before an operation. */
  record Gap(Jump jump, long amount, Edge edge) {
    /** Weights out of 40: zero 6, tiny 6, short 12, edge 12, past the TTLs 3, far 1. */
    static Gap draw(SplittableRandom random) {
      int die = random.nextInt(40);
      if (die < 6) {
        return new Gap(Jump.ZERO, 0, null);
      } else if (die < 12) {
        return new Gap(Jump.TINY, between(random, 1, 1000), null);
      } else if (die < 24) {
        return new Gap(Jump.SHORT, between(random, 1000, 20_000_000), null);
      } else if (die < 36) {
        // minute 5, hour 1, day 1, month 1, settle deadline 3, lease expiry 2, sliding exit 3 (of 16)
        int[] upTo = {5, 6, 7, 8, 11, 13, 16};
        int kind = random.nextInt(16);
        int i = 0;
        while (kind >= upTo[i]) {
          i++;
        }
        Edge edge = Edge.values()[i];
        return new Gap(Jump.EDGE, between(random, -20, 20), edge);
      } else if (die < 39) {
        return new Gap(Jump.PAST_TTL, between(random, MINUTE, 12 * MINUTE), null);
      }
      return new Gap(Jump.FAR, between(random, HOUR, 35 * DAY), null);
    }

    /** Microseconds the clock moves forward from {@code now}; never negative. */
    long delta(long now, UsageModel model) {
      if (jump != Jump.EDGE) {
        return amount;
      }
      long at = model.nextEdge(edge, now);
      return Math.max(0, (at < 0 ? model.nextEdge(Edge.MINUTE, now) : at) + amount - now);
    }

    @Override
    public String toString() {
      return switch (jump) {
        case ZERO -> "ZERO";
        case EDGE -> "EDGE(" + edge + " " + (amount >= 0 ? "+" : "") + amount + " us)";
        default -> jump + "(" + amount + " us)";
      };
    }
  }

  /** An operation after a time jump; its own inputs are drawn at run time from {@code seed}. */
  record Op(Kind kind, Gap gap, long seed) {
    enum Kind { CHECK, REPEAT_CHECK, SETTLE, RELEASE, STATUS }

    /** 1 to 60 operations; weights out of 20: check 8, repeated check 1, settle 6, release 3, status 2. */
    static List<Op> draw(SplittableRandom random, Shape shape) {
      int size = random.nextInt(1, 61);
      List<Op> ops = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        int die = random.nextInt(20);
        Kind kind = die < 8 ? Kind.CHECK : die < 9 ? Kind.REPEAT_CHECK : die < 15 ? Kind.SETTLE
            : die < 18 ? Kind.RELEASE : Kind.STATUS;
        Gap gap = shape == Shape.BURSTS && random.nextInt(4) > 0 ? new Gap(Jump.ZERO, 0, null) : Gap.draw(random);
        ops.add(new Op(kind, gap, random.nextLong()));
      }
      return ops;
    }

    @Override
    public String toString() {
      return gap + ", " + kind;
    }
  }

  /** One try: its seed and random source, and what a failure prints (seed, inputs, operations, answers so far). */
  static final class Try {
    final String property;
    final long seed;
    final Shape shape;
    final SplittableRandom random;
    /** The test-clock instant the try starts at; operation times are printed relative to it. */
    long origin;
    /** Set just before the try is aborted (a key legitimately expired in real time). */
    boolean aborted;
    private final List<String> inputs = new ArrayList<>();
    private final List<String> planned = new ArrayList<>();
    private final List<String> happened = new ArrayList<>();

    Try(TestInfo test, long seed, Shape shape) {
      this.property = test.getTestMethod().orElseThrow().getName();
      this.seed = seed;
      this.shape = shape;
      // the property's name is mixed in, so that the two properties get different inputs from one seed
      this.random = new SplittableRandom(seed ^ property.hashCode() * 0x9E3779B97F4A7C15L);
    }

    /** An assertion's message: what failed, then the whole try (built only on failure). */
    Supplier<String> says(String what) {
      return () -> what + this;
    }

    <T> T input(String name, T value) {
      inputs.add(name + " " + value);
      return value;
    }

    long between(String name, long min, long max) {
      return input(name, AlgorithmPropertiesIT.between(random, min, max));
    }

    List<Op> plan(List<Op> ops) {
      ops.forEach(op -> planned.add(op.toString()));
      return ops;
    }

    void ran(long now, String what) {
      happened.add("+" + (now - origin) + " us = " + Instant.EPOCH.plusNanos(now * 1000) + ": " + what);
    }

    String headline() {
      return property + ", seed " + seed + " (rerun alone: -Dit.test=UsagePropertiesIT#" + property
          + " -Dproperties.seed=" + seed + " -Dproperties.tries=1)";
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("\n\ntry: ").append(headline()).append("\ninputs: ")
          .append(String.join(", ", inputs)).append("\noperations (").append(planned.size()).append(" generated, ")
          .append(happened.size()).append(" run; times from the start):");
      int width = planned.stream().mapToInt(String::length).max().orElse(1);
      for (int i = 0; i < planned.size(); i++) {
        s.append(String.format("\n%4d. %-" + width + "s", i + 1, planned.get(i)));
        if (i < happened.size()) {
          s.append("  ->  ").append(happened.get(i));
        }
      }
      return s.append('\n').toString();
    }
  }
}
