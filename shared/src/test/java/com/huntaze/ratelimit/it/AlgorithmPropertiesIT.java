package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.TestPlans.bucket;
import static com.huntaze.ratelimit.it.TestPlans.limit;
import static com.huntaze.ratelimit.it.TestPlans.plan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.InvalidRequestException;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.RestoreParams;

/**
 * Property-based tests of the three algorithms of the script in {@code limits/}, run against one real redis-server
 * for the whole class. Each try drives a fresh creator through a random sequence of (time step, cost)
 * on the script's test clock (time only moves forward) and compares every decision with a small exact
 * in-test model, or checks the bound the algorithm promises.
 *
 * <p>Time steps mix zero steps, steps of a few microseconds, fractions of the window, jumps to within
 * +/-20 us of the next instant at which the model's answer can change ("edges": an entry leaving the
 * sliding window, the bucket refilling one more unit, the next UTC minute or hour), jumps of about one
 * window (+/-1 ms) and jumps over several windows.
 *
 * <p>Tries: every property is a parameterized test run once per seed of {@link #seeds()}: 60 seeds by
 * default (system property {@code properties.tries}), counting up from a fixed base so that CI runs the
 * same tries every time ({@code properties.seed=<n>}, or {@code properties.seed=random} for a new base).
 * A try draws all its inputs up front from a {@link SplittableRandom}; a failure prints the seed, the
 * command line that reruns that try alone, every input, the whole generated sequence and the decisions
 * so far ({@link Try}). There is no shrinking: sequences have at most 60 steps, and the printed trace
 * shows where the script and the model parted.
 *
 * <p>Real time and the test clock are decoupled: the script sets key expiries in the server's real time
 * from the test clock's "now" (e.g. a fixed-window key written 20 us before the end of the test minute
 * expires 2 ms later in real time, while the test clock may stand still for many operations). So right
 * after every operation all keys of the creator get a long expiry ({@link #settle}); a key that expired
 * in real time before that could happen aborts the try (reported as skipped, not failed) when, and only
 * when, its expiry was legitimately that short. Expiries themselves are checked where they are set: after
 * an allowed check, each key it wrote must live at least as long (in real time) as its content can matter
 * on the script's clock (property {@code aDeniedCheckChangesNoKey...}).
 */
class AlgorithmPropertiesIT {
  private static final String TIER = "p";
  /** Every try starts somewhere in the two hours after this instant. */
  private static final String ORIGIN = "2025-03-10T12:00:00Z";
  private static final long SECOND = 1_000_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long PINNED_TTL_MS = 3_600_000;

  /** The base seed when {@code properties.seed} is not set: fixed, so that CI is reproducible. */
  private static final long DEFAULT_SEED = 20_250_310;
  private static final int DEFAULT_TRIES = 60;
  /**
   * A property that aborted more than this many tries per completed one (integer ratio) has checked too
   * little to pass: it fails in {@link #stopServer} rather than silently skipping most of its tries.
   */
  private static final int MAX_ABORTED_PER_COMPLETED = 5;

  private static final AtomicLong creators = new AtomicLong();
  private static final Map<String, Integer> completedTries = new ConcurrentHashMap<>();
  private static final Map<String, Integer> abortedTries = new ConcurrentHashMap<>();
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
      // a skipped try is legitimate now and then; a property whose tries are mostly skipped tests nothing
      for (String property : new TreeSet<>(abortedTries.keySet())) {
        int aborted = abortedTries.get(property);
        int completed = completedTries.getOrDefault(property, 0);
        assertTrue(aborted / Math.max(completed, 1) <= MAX_ABORTED_PER_COMPLETED, property + ": " + aborted
            + " tries aborted (a key expired in real time before it could be pinned) for " + completed
            + " completed: too few checks");
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

  /**
   * The seeds of the tries of every property: base, base + 1, ... (SplittableRandom mixes its seed, so
   * neighbouring seeds give unrelated inputs). Try 0 uses the base itself, so any failing try reruns alone
   * with {@code -Dproperties.seed=<its seed> -Dproperties.tries=1}.
   */
  static LongStream seeds() {
    String seed = System.getProperty("properties.seed", "").trim();
    long base = seed.isEmpty() ? DEFAULT_SEED : seed.equals("random") ? System.nanoTime() : Long.parseLong(seed);
    int tries = Integer.getInteger("properties.tries", DEFAULT_TRIES);
    return LongStream.range(0, tries).map(i -> base + i);
  }

  /**
   * Runs one try of a property. Assertion failures already describe the try; any other exception is
   * turned into one that does. Completed and aborted tries are counted for {@link #stopServer}.
   */
  private static void oneTry(long seed, TestInfo test, Consumer<Try> body) {
    Try t = new Try(test.getTestMethod().orElseThrow().getName(), seed);
    try {
      body.accept(t);
    } catch (RuntimeException e) {
      if (t.aborted) {
        abortedTries.merge(t.property, 1, Integer::sum);
        throw e;   // the abort itself: reported as skipped
      }
      throw new AssertionError(e + t.toString(), e);
    }
    completedTries.merge(t.property, 1, Integer::sum);
  }

  // ---- 1. sliding window ------------------------------------------------------------------------------

  /** What a sliding run checks beyond safety. */
  enum SlidingCheck { SAFETY, EXACT, WITHIN_A_SUB_WINDOW }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void slidingLogNeverAdmitsMoreThanTheLimitInAnyWindow(long seed, TestInfo test) {
    oneTry(seed, test, t -> runSliding(t, "sliding-log", SlidingCheck.SAFETY));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void slidingLogDeniesExactlyWhenAdmittingWouldExceedTheLimitInTheLastWindow(long seed, TestInfo test) {
    oneTry(seed, test, t -> runSliding(t, "sliding-log", SlidingCheck.EXACT));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void slidingWindowNeverAdmitsMoreThanTheLimitInAnyWindow(long seed, TestInfo test) {
    oneTry(seed, test, t -> runSliding(t, "sliding-window", SlidingCheck.SAFETY));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void slidingWindowDeniesOnlyWhatAnExactLogOneSubWindowLongerWouldDeny(long seed, TestInfo test) {
    oneTry(seed, test, t -> runSliding(t, "sliding-window", SlidingCheck.WITHIN_A_SUB_WINDOW));
  }

  /**
   * Limit 1..20, window "10s". Safety: at every instant t a check was admitted, the admitted cost with
   * admission time in (t - W, t] is at most L. Exactness (the log): every decision (and the reported
   * remaining) equals a sliding log's, which admits iff max(cost, 1) <= L - (cost admitted in (t - W, t]).
   * Precision (the counters): a denial at t is one an exact log over W + W/10 would also make, so the
   * counters deny at most a tenth of the window early.
   */
  private static void runSliding(Try t, String algorithm, SlidingCheck check) {
    int limit = t.intIn("limit", 1, 20);
    String unit = t.oneOf("unit", UNITS);
    long start = t.start();
    List<Step> steps = t.plan(steps(t.random), step -> step.show(limit));
    long window = 10 * SECOND;
    SlidingLog model = new SlidingLog(limit, window);
    SlidingLog wider = new SlidingLog(limit, window + window / 10);
    List<long[]> admitted = new ArrayList<>();   // {time, cost}, as the script decided
    TestClock clock = clockAt(start);
    String creator = newCreator();
    long matters = algorithm.equals("sliding-log") ? window : window + window / 10;
    try (RateLimiter limiter = limiter(plan(limit("s", unit, limit, "10s", algorithm)), clock)) {
      for (Step step : steps) {
        long before = clock.getAsLong();
        clock.advanceMicros(delta(step.gap(), before, window, model.nextEdge(before)));
        long now = clock.getAsLong();
        long cost = cost(step.costSeed(), limit);
        boolean expected = model.admits(now, cost);
        long used = model.used(now);
        long started = System.nanoTime();
        Decision d = limiter.check(creator, TIER, costIn(unit, cost), null);
        t.ran(now, d, expected);
        assertEvaluated(d, t);
        settle(keys(creator, "s"), new boolean[] {!admitted.isEmpty() || d.allowed() && cost > 0},
            new long[] {matters}, started, t);
        if (d.allowed()) {
          if (cost > 0) {
            admitted.add(new long[] {now, cost});
          }
          long inWindow = admitted.stream().filter(a -> a[0] > now - window).mapToLong(a -> a[1]).sum();
          assertTrue(inWindow <= limit, "admitted " + inWindow + " > limit " + limit + " in (t - 10s, t] at t=+"
              + (now - t.origin) + " us" + t);
        }
        if (check == SlidingCheck.EXACT) {
          assertMatchesCounter(d, expected, used, limit, cost, "the sliding log", "the last window", t);
        }
        if (check == SlidingCheck.WITHIN_A_SUB_WINDOW && !d.allowed()) {
          assertFalse(wider.admits(now, cost), "denied although the log of the last 11 s admits it ("
              + wider.used(now) + " of " + limit + " used, cost " + cost + ") at t=+" + (now - t.origin) + " us" + t);
        }
        if (d.allowed()) {
          model.add(now, cost);
          wider.add(now, cost);
        }
      }
    }
  }

  // ---- 2. token bucket ----------------------------------------------------------------------------------
  //
  // The reference is the exact token bucket (GCRA) of capacity B refilled at L per W, full at the start,
  // kept in exact integers (TAT x L, see ExactBucket) and fed with the checks the script admitted. With
  // need = max(cost, 1), it holds the cost at t iff (TAT' - t) * L <= (B - need) * W, TAT' = max(TAT, t).
  //
  // Exact equality of every decision with it is not the script's contract: the script keeps its TAT in
  // whole microseconds, rounded up after each charge (math.ceil), so it may deny a check during the last
  // microsecond(s) before the exact bucket holds the cost. What must hold exactly is:
  //  - safety (first property): never admit what the exact bucket would not. Equivalently, over any
  //    interval [a, b] bounded by two admitted checks (both included), admitted cost <= B + L * (b - a) / W;
  //    in integers cost * W <= B * W + L * (b - a), with no slack at all. No rounding can excuse an excess:
  //    rounding the TAT up only makes the script stricter than the exact bucket, and a tolerance (such as
  //    floor(x + 1e-6)) or a TAT rounded down is exactly what this property is there to catch;
  //  - precision (second property): the script denies only if the exact bucket would also have denied
  //    k microseconds earlier, k = charges since the script's bucket was last full. Each charge rounds the
  //    TAT up by less than 1 us and a charge to a full bucket restarts from `now`, so the script's TAT is
  //    less than k us ahead of the exact one; a larger lag would be drift, a denial not due to the bucket.
  //  - honest remaining (third property): whatever rounding the script does, the `remaining` a decision
  //    reports is what a check at the same instant can take: r >= 1 units are admitted, r + 1 are not.

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tokenBucketNeverAdmitsMoreThanTheBurstPlusTheRefillOfAnyInterval(long seed, TestInfo test) {
    oneTry(seed, test, t -> runBucket(t, BucketCheck.SAFETY));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tokenBucketDeniesOnlyWhenTheExactBucketLacksTheCostUpToTheRoundingOfTheTat(long seed, TestInfo test) {
    oneTry(seed, test, t -> runBucket(t, BucketCheck.PRECISION));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tokenBucketReportsAsRemainingExactlyWhatACheckAtTheSameInstantCanTake(long seed, TestInfo test) {
    oneTry(seed, test, t -> runBucket(t, BucketCheck.REMAINING));
  }

  enum BucketCheck { SAFETY, PRECISION, REMAINING }

  /** Limit 1..20 per window 1s | 10s | 1m | 1h | 1d, burst 1..20; costs up to the burst. */
  private static void runBucket(Try t, BucketCheck property) {
    int limit = t.intIn("limit", 1, 20);
    int burst = t.intIn("burst", 1, 20);
    String windowText = t.oneOf("window", BUCKET_WINDOWS);
    String unit = t.oneOf("unit", UNITS);
    long start = t.start();
    List<Step> steps = t.plan(steps(t.random), step -> step.show(burst));
    long window = rollingMicros(windowText);
    ExactBucket model = new ExactBucket(limit, window, burst);
    List<long[]> admitted = new ArrayList<>();   // {time, cost}, as the script decided
    int chargesSinceFull = 0;                     // k above, from the script's own TAT
    TestClock clock = clockAt(start);
    String creator = newCreator();
    String key = keys(creator, "b").get(0);
    String probe = newCreator();
    String what = " (bucket " + limit + " per " + windowText + ", burst " + burst + ")";
    try (RateLimiter limiter = limiter(plan(bucket("b", unit, limit, windowText, burst)), clock)) {
      for (Step step : steps) {
        long before = clock.getAsLong();
        clock.advanceMicros(delta(step.gap(), before, window, model.nextEdge(before)));
        long now = clock.getAsLong();
        long cost = cost(step.costSeed(), burst);
        Long scriptTat = bucketTat(key);
        boolean scriptFull = scriptTat == null || scriptTat <= now;
        boolean holds = model.holds(now, cost);
        long started = System.nanoTime();
        Decision d = limiter.check(creator, TIER, costIn(unit, cost), null);
        t.ran(now, d, holds);
        assertEvaluated(d, t);
        if (d.allowed() && cost > 0) {
          chargesSinceFull = scriptFull ? 1 : chargesSinceFull + 1;
          admitted.add(new long[] {now, cost});
        }
        // the script's TAT is less than chargesSinceFull us ahead of the exact one (see above)
        long scriptTatBound = Math.max(model.tatAfter(now, d.allowed() ? cost : 0), now) + chargesSinceFull;
        settle(List.of(key), new boolean[] {!admitted.isEmpty()}, new long[] {scriptTatBound - now}, started, t);
        if (property == BucketCheck.SAFETY && d.allowed() && cost > 0) {
          long sum = 0;
          for (int i = admitted.size() - 1; i >= 0; i--) {
            long a = admitted.get(i)[0];
            sum += admitted.get(i)[1];
            if (sum * window > burst * window + limit * (now - a)) {
              fail("admitted " + sum + " in [+" + (a - t.origin) + ", +" + (now - t.origin) + "] us, more than"
                  + " burst " + burst + " + " + limit + " * " + (now - a) + " / " + window + what + t);
            }
          }
        }
        if (property == BucketCheck.REMAINING) {
          long r = only(d, t).remaining();
          if (r >= 1) {
            Decision all = probe(limiter, probe, "b", key, costIn(unit, r));
            assertTrue(all.allowed(), "reported remaining " + r + ", but a check of " + r + " at the same instant is "
                + all.outcome() + what + t);
          }
          if (r + 1 <= burst) {
            Decision more = probe(limiter, probe, "b", key, costIn(unit, r + 1));
            assertTrue(!more.allowed(), "reported remaining " + r + ", but a check of " + (r + 1)
                + " at the same instant is ALLOWED" + what + t);
          }
        }
        if (property == BucketCheck.PRECISION && !d.allowed()) {
          assertTrue(!model.holds(now - chargesSinceFull, cost), "denied although the exact bucket held the cost "
              + chargesSinceFull + " us earlier already" + what + t);
        }
        if (d.allowed()) {
          model.charge(now, cost);
        }
      }
    }
  }

  // ---- 3. fixed calendar windows ------------------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fixedWindowNeverAdmitsMoreThanTheLimitInOneUtcCalendarWindow(long seed, TestInfo test) {
    oneTry(seed, test, t -> runFixed(t, false));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fixedWindowDecisionsEqualAPerUtcWindowCounter(long seed, TestInfo test) {
    oneTry(seed, test, t -> runFixed(t, true));
  }

  /**
   * Limit 1..20 per "minute" or "hour". Safety: the admitted cost within each UTC calendar window is at
   * most L. Exactness: every decision (and the reported remaining) equals a counter reset at each window
   * start.
   */
  private static void runFixed(Try t, boolean exact) {
    int limit = t.intIn("limit", 1, 20);
    String windowText = t.oneOf("window", CALENDAR_WINDOWS);
    String unit = t.oneOf("unit", UNITS);
    long start = t.start();
    List<Step> steps = t.plan(steps(t.random), step -> step.show(limit));
    long size = windowText.equals("minute") ? MINUTE : HOUR;
    CalendarCounter model = new CalendarCounter(limit, size);
    Map<Long, Long> admittedPerWindow = new HashMap<>();   // as the script decided
    TestClock clock = clockAt(start);
    String creator = newCreator();
    try (RateLimiter limiter = limiter(plan(limit("f", unit, limit, windowText, "fixed-window")), clock)) {
      for (Step step : steps) {
        long before = clock.getAsLong();
        clock.advanceMicros(delta(step.gap(), before, size, model.nextEdge(before)));
        long now = clock.getAsLong();
        long cost = cost(step.costSeed(), limit);
        boolean expected = model.admits(now, cost);
        long used = model.used(now);
        long started = System.nanoTime();
        Decision d = limiter.check(creator, TIER, costIn(unit, cost), null);
        t.ran(now, d, expected);
        assertEvaluated(d, t);
        boolean everCharged = !admittedPerWindow.isEmpty() || d.allowed() && cost > 0;
        settle(keys(creator, "f"), new boolean[] {everCharged}, new long[] {model.nextEdge(now) - now}, started, t);
        if (d.allowed() && cost > 0) {
          long total = admittedPerWindow.merge(Math.floorDiv(now, size), cost, Long::sum);
          assertTrue(total <= limit, "admitted " + total + " > limit " + limit + " in the UTC " + windowText
              + " holding +" + (now - t.origin) + " us" + t);
        }
        if (exact) {
          assertMatchesCounter(d, expected, used, limit, cost, "the per-window counter", "this " + windowText, t);
        }
        if (d.allowed()) {
          model.add(now, cost);
        }
      }
    }
  }

  // ---- 4. all or nothing ----------------------------------------------------------------------------------

  /**
   * A plan with one limit per algorithm (sliding "requests" per 10s, bucket "tokens" per 10s, fixed
   * "tokens" per UTC minute). Before and after each check: DUMP and PTTL of the three keys.
   * <ul>
   *   <li>denied: every DUMP byte-identical and every PTTL only run down by the real time elapsed (so no
   *       PTTL grew, and none was set anew);</li>
   *   <li>allowed: each limit with a cost > 0 has its key rewritten, with an expiry (PTTL > 0 unless the
   *       real time elapsed already used it up) that covers the time, on the script's clock, during which
   *       its content still matters; a limit with cost 0 is untouched.
   *   </li>
   * </ul>
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aDeniedCheckChangesNoKeyAndAnAllowedCheckChargesEveryLimitWithACost(long seed, TestInfo test) {
    oneTry(seed, test, AlgorithmPropertiesIT::runAllOrNothing);
  }

  private static void runAllOrNothing(Try t) {
    ThreeLimits plan = ThreeLimits.draw(t);
    long start = t.start();
    List<Op> ops = t.plan(checks(t.random), plan::show);
    TestClock clock = clockAt(start);
    String creator = newCreator();
    List<String> keys = keys(creator, "s", "b", "f");
    boolean[] charged = new boolean[keys.size()];
    try (RateLimiter limiter = limiter(plan.catalog(), clock)) {
      for (Op op : ops) {
        plan.advance(clock, op.gap());
        long now = clock.getAsLong();
        RequestCost cost = plan.cost(op);
        long[] costs = {cost.requests(), cost.tokens(), cost.tokens()};
        long t0 = System.nanoTime();
        Snapshot before = snapshot(keys);
        Decision d = limiter.check(creator, TIER, cost, null);
        t.ran(now, d.toString());
        assertEvaluated(d, t);
        Snapshot after = settle(keys, charge(charged, d, costs), resetMicros(d), t0, t);
        long elapsedMs = ceilDiv(System.nanoTime() - t0, 1_000_000);
        assertEquals(d.allowed(), d.limits().stream().allMatch(LimitState::fits),
            "allowed iff every limit fits" + t);
        for (int i = 0; i < keys.size(); i++) {
          String key = keys.get(i);
          if (!d.allowed() || costs[i] == 0) {
            assertUnchanged(before, after, i, elapsedMs, (d.allowed() ? "allowed check, cost 0 for " : "denied check, ")
                + key + t);
            continue;
          }
          assertNotEquals(Arrays.toString(before.dumps.get(i)), Arrays.toString(after.dumps.get(i)),
              key + " not charged by an allowed check of cost " + costs[i] + t);
          long mattersMs = switch (i) {
            case 0 -> ceilDiv(10 * SECOND, 1000);                                  // newest entry leaves at now + W
            case 1 -> ceilDiv(bucketTat(key) - now, 1000);                      // bucket full again at TAT
            default -> ceilDiv((Math.floorDiv(now, MINUTE) + 1) * MINUTE - now, 1000);   // next UTC minute
          };
          // an expiry (PTTL not -1), and one long enough: PTTL > 0 whenever the real time elapsed since the check
          // is less than how long the content matters (PTTL 0 is legitimate after that: a 2 ms expiry run out)
          long pttl = after.pttls.get(i);
          assertTrue(pttl >= 0, key + " has no expiry after an allowed check: PTTL " + pttl + t);
          assertTrue(pttl >= mattersMs - elapsedMs, key + " expires in " + pttl + " ms (" + elapsedMs
              + " ms after the check), but its content matters for " + mattersMs + " ms" + t);
        }
      }
    }
  }

  // ---- 5. status ------------------------------------------------------------------------------------------

  /**
   * Status calls at random between checks: each one leaves every DUMP identical and every PTTL only run
   * down; and a twin creator that gets the same checks at the same instants but no status calls gets the
   * same decisions and ends with byte-identical keys.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void statusChangesNothingAndLaterChecksDecideAsIfItHadNeverBeenCalled(long seed, TestInfo test) {
    oneTry(seed, test, AlgorithmPropertiesIT::runStatus);
  }

  private static void runStatus(Try t) {
    ThreeLimits plan = ThreeLimits.draw(t);
    long start = t.start();
    List<Op> ops = t.plan(checksAndStatuses(t.random), plan::show);
    TestClock clock = clockAt(start);
    String observed = newCreator();
    String twin = newCreator();
    List<String> keys = keys(observed, "s", "b", "f");
    List<String> twinKeys = keys(twin, "s", "b", "f");
    boolean[] charged = new boolean[keys.size()];
    try (RateLimiter limiter = limiter(plan.catalog(), clock)) {
      for (Op op : ops) {
        plan.advance(clock, op.gap());
        long now = clock.getAsLong();
        if (op.status()) {
          long t0 = System.nanoTime();
          Snapshot before = snapshot(keys);
          Decision status = limiter.status(observed, TIER);
          Snapshot after = snapshot(keys);
          long elapsedMs = ceilDiv(System.nanoTime() - t0, 1_000_000);
          t.ran(now, "status " + status);
          assertEvaluated(status, t);
          for (int i = 0; i < keys.size(); i++) {
            assertUnchanged(before, after, i, elapsedMs, "status, " + keys.get(i) + t);
          }
          continue;
        }
        RequestCost cost = plan.cost(op);
        long started = System.nanoTime();
        Decision d = limiter.check(observed, TIER, cost, null);
        Decision twinDecision = limiter.check(twin, TIER, cost, null);
        t.ran(now, d.toString());
        assertEvaluated(d, t);
        assertEquals(twinDecision.outcome(), d.outcome(), "twin without status calls decided otherwise" + t);
        assertEquals(twinDecision.limits(), d.limits(), "twin without status calls sees other limit states" + t);
        boolean[] mustExist = charge(charged, d, new long[] {cost.requests(), cost.tokens(), cost.tokens()});
        settle(keys, mustExist, resetMicros(d), started, t);
        settle(twinKeys, mustExist, resetMicros(d), started, t);
      }
      Snapshot end = snapshot(keys);
      Snapshot twinEnd = snapshot(twinKeys);
      for (int i = 0; i < keys.size(); i++) {
        assertArrayEquals(twinEnd.dumps.get(i), end.dumps.get(i), keys.get(i) + " differs from its twin" + t);
      }
    }
  }

  // ---- 6. oversize costs ----------------------------------------------------------------------------------

  /**
   * A cost above some limit's capacity (its burst for the bucket) could never be admitted: the limiter
   * throws InvalidRequestException naming the unit, and no key is created or changed.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aCostNoLimitCouldEverAdmitIsRejectedBeforeRedisAndWritesNothing(long seed, TestInfo test) {
    oneTry(seed, test, AlgorithmPropertiesIT::runOversize);
  }

  private static void runOversize(Try t) {
    ThreeLimits plan = ThreeLimits.draw(t);
    boolean usedBefore = t.bool("usedBefore");
    boolean tooManyRequests = t.bool("tooManyRequests");
    int excess = t.intIn("excess", 1, 2000);
    int otherUnit = t.intIn("otherUnit", 0, 1);
    TestClock clock = clockAt(0);
    String creator = newCreator();
    List<String> keys = keys(creator, "s", "b", "f");
    RequestCost oversize = tooManyRequests
        ? new RequestCost(plan.slidingLimit() + excess, otherUnit)
        : new RequestCost(otherUnit, Math.min(plan.burst(), plan.fixedLimit()) + excess);
    t.input("oversize cost", oversize);
    try (RateLimiter limiter = limiter(plan.catalog(), clock)) {
      if (usedBefore) {
        long started = System.nanoTime();
        Decision first = limiter.check(creator, TIER, new RequestCost(1, 1), null);
        t.ran(clock.getAsLong(), "first check (1 request, 1 token) " + first);
        assertTrue(first.allowed(), first + t.toString());
        settle(keys, new boolean[] {true, true, true}, resetMicros(first), started, t);
      }
      long t0 = System.nanoTime();
      Snapshot before = snapshot(keys);
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> limiter.check(creator, TIER, oversize, null), "cost " + oversize + t);
      Snapshot after = snapshot(keys);
      long elapsedMs = ceilDiv(System.nanoTime() - t0, 1_000_000);
      assertEquals(tooManyRequests ? "requests" : "tokens", e.field(), e.getMessage() + t);
      for (int i = 0; i < keys.size(); i++) {
        if (!usedBefore) {
          assertNull(after.dumps.get(i), keys.get(i) + " created by a rejected cost " + oversize + t);
        }
        assertUnchanged(before, after, i, elapsedMs, keys.get(i) + " changed by a rejected cost " + oversize + t);
      }
    }
  }

  // ---- generators -------------------------------------------------------------------------------------------

  static final List<String> UNITS = List.of("requests", "tokens");
  static final List<String> BUCKET_WINDOWS = List.of("1s", "10s", "1m", "1h", "1d");
  static final List<String> CALENDAR_WINDOWS = List.of("minute", "hour");

  enum Jump {
    /** no time passes */
    ZERO,
    /** 1 .. 1000 us */
    TINY,
    /** amount per mille (1 .. 999) of the window */
    SHORT,
    /** to within amount (-20 .. 20) us of the next instant the model's answer can change */
    EDGE,
    /** one window, +/- amount (-1000 .. 1000) us */
    NEAR_WINDOW,
    /** amount per mille (1000 .. 3000) of the window */
    OVER_WINDOW
  }

  /** How the clock moves before an operation; resolved against the limit under test by {@link #delta}. */
  record Gap(Jump jump, long amount) {
    @Override
    public String toString() {
      return jump == Jump.ZERO ? "ZERO" : jump + "(" + amount + ")";
    }
  }

  /** A check: the clock moves, then a check of a cost derived from costSeed (0 means a zero cost). */
  record Step(Gap gap, int costSeed) {
    String show(long capacity) {
      return gap + ", cost " + cost(costSeed, capacity);
    }
  }

  /** An operation on the three-limit plan: a status call, or a check of two cost seeds. */
  record Op(Gap gap, int requestsSeed, int tokensSeed, boolean status) {
  }

  /** 1 to 60 checks (every length equally likely). */
  static List<Step> steps(SplittableRandom random) {
    return listOf(random, () -> new Step(gap(random), costSeed(random)));
  }

  /** 1 to 60 checks on the three-limit plan. */
  static List<Op> checks(SplittableRandom random) {
    return listOf(random, () -> new Op(gap(random), costSeed(random), costSeed(random), false));
  }

  /** 1 to 60 operations on the three-limit plan, each a status call with probability 4/10. */
  static List<Op> checksAndStatuses(SplittableRandom random) {
    return listOf(random, () -> new Op(gap(random), costSeed(random), costSeed(random), random.nextInt(10) < 4));
  }

  private static <T> List<T> listOf(SplittableRandom random, Supplier<T> element) {
    int size = random.nextInt(1, 61);
    List<T> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(element.get());
    }
    return list;
  }

  /** Weights out of 16: zero 3, tiny 3, short 3, edge 4, about one window 2, several windows 1. */
  static Gap gap(SplittableRandom random) {
    int die = random.nextInt(16);
    if (die < 3) {
      return new Gap(Jump.ZERO, 0);
    } else if (die < 6) {
      return new Gap(Jump.TINY, between(random, 1, 1_000));
    } else if (die < 9) {
      return new Gap(Jump.SHORT, between(random, 1, 999));
    } else if (die < 13) {
      return new Gap(Jump.EDGE, between(random, -20, 20));
    } else if (die < 15) {
      return new Gap(Jump.NEAR_WINDOW, between(random, -1_000, 1_000));
    }
    return new Gap(Jump.OVER_WINDOW, between(random, 1_000, 3_000));
  }

  static int costSeed(SplittableRandom random) {
    return (int) between(random, 0, 20);
  }

  /**
   * A number in [min, max]: uniform 11 draws in 16; otherwise min, max, the value nearest zero, or (2 in
   * 16) a log-uniform distance from that value. A uniform draw alone would rarely hit what matters most:
   * limit or burst 1, a zero cost, an EDGE jump landing exactly on the edge, exactly one window, a start
   * right at 12:00 or 14:00 UTC (the hour and minute boundaries) or a few microseconds after it.
   */
  static long between(SplittableRandom random, long min, long max) {
    long nearestZero = Math.max(min, Math.min(max, 0));
    return switch (random.nextInt(16)) {
      case 0 -> min;
      case 1 -> max;
      case 2 -> nearestZero;
      case 3, 4 -> {
        int bits = 64 - Long.numberOfLeadingZeros(max - min);   // max - min < 2^bits
        long distance = random.nextLong(1L << random.nextInt(bits + 1));
        boolean down = nearestZero == max || nearestZero > min && random.nextBoolean();
        yield Math.max(min, Math.min(max, down ? nearestZero - distance : nearestZero + distance));
      }
      default -> random.nextLong(min, max + 1);
    };
  }

  /** Seed 0 is a zero cost (still needs one unit left); otherwise 1 .. capacity. */
  static long cost(int seed, long capacity) {
    return seed == 0 ? 0 : 1 + (seed - 1) % capacity;
  }

  /** The cost for a one-limit plan: {@code units} of the limit's unit, and one of the other unit. */
  static RequestCost costIn(String unit, long units) {
    return unit.equals("requests") ? new RequestCost(units, 1) : new RequestCost(1, units);
  }

  /** Microseconds the clock moves forward; never negative. */
  static long delta(Gap gap, long now, long window, long edge) {
    long d = switch (gap.jump()) {
      case ZERO -> 0;
      case TINY -> gap.amount();
      case SHORT, OVER_WINDOW -> window / 1000 * gap.amount();
      case EDGE -> edge - now + gap.amount();
      case NEAR_WINDOW -> window + gap.amount();
    };
    return Math.max(0, d);
  }

  /** One try: its seed and random source, and what a failure prints (seed, inputs, steps, decisions so far). */
  static final class Try {
    final String property;
    final long seed;
    final SplittableRandom random;
    /** The test-clock instant the try starts at; step times are printed relative to it. */
    long origin = TestPlans.micros(ORIGIN);
    /** Set just before the try is aborted (a key legitimately expired in real time). */
    boolean aborted;
    private final List<String> inputs = new ArrayList<>();
    private final List<String> planned = new ArrayList<>();
    private final List<String> happened = new ArrayList<>();

    Try(String property, long seed) {
      this.property = property;
      this.seed = seed;
      // the property's name is mixed in, so that properties sharing a runner (safety and exactness of one
      // algorithm) get different inputs from one seed; the rerun command names the property anyway
      this.random = new SplittableRandom(seed ^ property.hashCode() * 0x9E3779B97F4A7C15L);
    }

    /** Records an input for the failure message; returns it. */
    <T> T input(String name, T value) {
      inputs.add(name + " " + value);
      return value;
    }

    int intIn(String name, int min, int max) {
      return input(name, (int) between(random, min, max));
    }

    boolean bool(String name) {
      return input(name, random.nextBoolean());
    }

    String oneOf(String name, List<String> values) {
      return input(name, values.get(random.nextInt(values.size())));
    }

    /** Where the try starts on the test clock: 0 .. 2 h after {@link #ORIGIN}, in microseconds. */
    long start() {
      long start = between(random, 0, 2 * HOUR);
      origin = TestPlans.micros(ORIGIN) + start;
      input("start", "+" + start + " us = " + Instant.EPOCH.plusNanos(origin * 1000));
      return start;
    }

    /** Records the whole generated sequence, each element as {@code show} renders it; returns it. */
    <T> List<T> plan(List<T> sequence, Function<T, String> show) {
      sequence.forEach(element -> planned.add(show.apply(element)));
      return sequence;
    }

    /** What the next step of the sequence did, at {@code now} on the test clock. */
    void ran(long now, String what) {
      happened.add("+" + (now - origin) + " us: " + what);
    }

    void ran(long now, Decision d, boolean model) {
      ran(now, d.outcome() + (d.limits().size() == 1 ? " remaining " + d.limits().get(0).remaining() : "")
          + ", model " + (model ? "ALLOWED" : "DENIED"));
    }

    /** The seed and the command line that reruns this try alone. */
    String headline() {
      return property + ", seed " + seed + " (rerun alone: -Dit.test=AlgorithmPropertiesIT#" + property
          + " -Dproperties.seed=" + seed + " -Dproperties.tries=1)";
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("\n\ntry: ").append(headline())
          .append("\ninputs: ").append(String.join(", ", inputs));
      int width = planned.stream().mapToInt(String::length).max().orElse(0);
      if (!planned.isEmpty()) {
        s.append("\nsequence (").append(planned.size()).append(" generated, ").append(happened.size())
            .append(" run; times from the start):");
      }
      for (int i = 0; i < Math.max(planned.size(), happened.size()); i++) {
        String step = i < planned.size() ? planned.get(i) : "";
        if (i < happened.size()) {
          s.append(String.format("\n%4d. %-" + Math.max(width, 1) + "s  ->  %s", i + 1, step, happened.get(i)));
        } else {
          s.append(String.format("\n%4d. %s", i + 1, step));
        }
      }
      return s.append('\n').toString();   // JUnit's "==> expected: ... but was: ..." then gets a line of its own
    }
  }

  // ---- models -------------------------------------------------------------------------------------------------

  /** Exact sliding log. */
  static final class SlidingLog {
    final long limit;
    final long window;
    final List<long[]> entries = new ArrayList<>();   // {time, cost}

    SlidingLog(long limit, long window) {
      this.limit = limit;
      this.window = window;
    }

    long used(long now) {
      return entries.stream().filter(e -> e[0] > now - window).mapToLong(e -> e[1]).sum();
    }

    boolean admits(long now, long cost) {
      return Math.max(cost, 1) <= limit - used(now);
    }

    void add(long now, long cost) {
      if (cost > 0) {
        entries.add(new long[] {now, cost});
      }
    }

    /** When the oldest entry still in the window leaves it. */
    long nextEdge(long now) {
      return entries.stream().mapToLong(e -> e[0] + window).filter(t -> t > now).min().orElse(now + window);
    }
  }

  /** The exact token bucket (GCRA): the TAT is kept multiplied by L, so every quantity is an integer. */
  static final class ExactBucket {
    final long limit;
    final long window;
    final long burst;
    long scaledTat = Long.MIN_VALUE / 4;   // TAT * L, in microseconds * L

    ExactBucket(long limit, long window, long burst) {
      this.limit = limit;
      this.window = window;
      this.burst = burst;
    }

    /** Whether the bucket holds max(cost, 1) at instant {@code at}. */
    boolean holds(long at, long cost) {
      long from = Math.max(scaledTat, at * limit);
      return from - at * limit <= (burst - Math.max(cost, 1)) * window;
    }

    void charge(long now, long cost) {
      if (cost > 0) {
        scaledTat = Math.max(scaledTat, now * limit) + cost * window;
      }
    }

    /** The TAT (whole microseconds, rounded up) after charging {@code cost} at {@code now}. */
    long tatAfter(long now, long cost) {
      long scaled = cost > 0 ? Math.max(scaledTat, now * limit) + cost * window : scaledTat;
      return ceilDiv(scaled, limit);
    }

    /** The first instant (whole microsecond) at which one more whole unit is back in the bucket. */
    long nextEdge(long now) {
      long missing = Math.max(scaledTat, now * limit) - now * limit;   // in units of 1 / W
      if (missing <= 0) {
        return now + ceilDiv(window, limit);
      }
      long stillMissing = ceilDiv(missing, window) - 1;               // whole units missing at the edge
      return ceilDiv(scaledTat - stillMissing * window, limit);
    }
  }

  /** A counter per UTC calendar window of {@code size} microseconds (minute, hour: no leap seconds). */
  static final class CalendarCounter {
    final long limit;
    final long size;
    long window = Long.MIN_VALUE;
    long count;

    CalendarCounter(long limit, long size) {
      this.limit = limit;
      this.size = size;
    }

    long used(long now) {
      return Math.floorDiv(now, size) == window ? count : 0;
    }

    boolean admits(long now, long cost) {
      return Math.max(cost, 1) <= limit - used(now);
    }

    void add(long now, long cost) {
      if (cost > 0) {
        count = used(now) + cost;
        window = Math.floorDiv(now, size);
      }
    }

    long nextEdge(long now) {
      return (Math.floorDiv(now, size) + 1) * size;
    }
  }

  /** The plan of properties 4 to 6: one limit per algorithm. */
  record ThreeLimits(int slidingLimit, int bucketLimit, int burst, int fixedLimit) {
    /** Sliding limit 1..10, bucket 1..20 with burst 1..20, fixed limit 1..30. */
    static ThreeLimits draw(Try t) {
      return new ThreeLimits(t.intIn("slidingLimit", 1, 10), t.intIn("bucketLimit", 1, 20), t.intIn("burst", 1, 20),
          t.intIn("fixedLimit", 1, 30));
    }

    PlanCatalog catalog() {
      return plan(
          limit("s", "requests", slidingLimit, "10s", "sliding-log"),
          bucket("b", "tokens", bucketLimit, "10s", burst),
          limit("f", "tokens", fixedLimit, "minute", "fixed-window"));
    }

    RequestCost cost(Op op) {
      long requests = AlgorithmPropertiesIT.cost(op.requestsSeed(), slidingLimit);
      long tokens = AlgorithmPropertiesIT.cost(op.tokensSeed(), Math.min(burst, fixedLimit));
      return new RequestCost(requests == 0 && tokens == 0 ? 1 : requests, tokens);
    }

    String show(Op op) {
      RequestCost cost = cost(op);
      return op.gap() + (op.status() ? ", status" : ", check " + cost.requests() + " requests " + cost.tokens() + " tokens");
    }

    /** Steps scaled to the 10 s windows; edges are UTC minute boundaries. */
    void advance(TestClock clock, Gap gap) {
      long now = clock.getAsLong();
      clock.advanceMicros(delta(gap, now, 10 * SECOND, (Math.floorDiv(now, MINUTE) + 1) * MINUTE));
    }
  }

  // ---- Redis helpers ----------------------------------------------------------------------------------------

  /** DUMP and PTTL of some keys. */
  /** Per limit: its state's bytes, the PTTL of the key holding it, and whether that key is the shared usage hash. */
  record Snapshot(List<byte[]> dumps, List<Long> pttls, List<Boolean> inHash) {
  }

  /**
   * For each limit location rl:{creator}:name: the limit's own key (sliding log, lease) when it exists, else its
   * field of the creator's usage hash: DUMP (or the field's value), PTTL of the key holding it, 1 for the hash;
   * then PEXPIRE ARGV[1] unless it is 0 (a no-op for a missing key); atomic.
   */
  private static final byte[] SNAPSHOT_AND_PIN = ("local out = {}\n"
      + "for i, key in ipairs(KEYS) do\n"
      + "  local hash, field = string.match(key, '^(.*}:)(.*)$')\n"
      + "  hash = hash .. '@usage'\n"
      + "  if redis.call('EXISTS', key) == 1 then\n"
      + "    out[3 * i - 2], out[3 * i - 1], out[3 * i] = redis.call('DUMP', key), redis.call('PTTL', key), 0\n"
      + "  else\n"
      + "    local value = redis.call('HGET', hash, field)\n"
      + "    out[3 * i - 2], out[3 * i - 1], out[3 * i] = value, value and redis.call('PTTL', hash) or -2, 1\n"
      + "  end\n"
      + "  if ARGV[1] ~= '0' then redis.call('PEXPIRE', key, ARGV[1]) redis.call('PEXPIRE', hash, ARGV[1]) end\n"
      + "end\n"
      + "return out").getBytes(StandardCharsets.UTF_8);

  /**
   * DUMP and PTTL of the keys as they are, then every existing key gets a long expiry, in one atomic admin
   * script. The script under test computes expiries from the test clock but Redis counts them in real
   * time, so without this a key could expire (in real time) while the test clock stands still. DUMP does
   * not include the expiry, so content comparisons are unaffected.
   */
  static Snapshot snapshotAndPin(List<String> keys) {
    return snapshot(keys, PINNED_TTL_MS);
  }

  /** DUMP and PTTL of the keys, changing nothing. */
  static Snapshot snapshot(List<String> keys) {
    return snapshot(keys, 0);
  }

  private static Snapshot snapshot(List<String> keys, long pinMs) {
    List<byte[]> rawKeys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    List<?> reply = (List<?>) admin.eval(SNAPSHOT_AND_PIN, rawKeys,
        List.of(Long.toString(pinMs).getBytes(StandardCharsets.UTF_8)));
    List<byte[]> dumps = new ArrayList<>();
    List<Long> pttls = new ArrayList<>();
    List<Boolean> inHash = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      dumps.add((byte[]) reply.get(3 * i));
      pttls.add((Long) reply.get(3 * i + 1));
      inHash.add((Long) reply.get(3 * i + 2) == 1);
    }
    return new Snapshot(dumps, pttls, inHash);
  }

  /**
   * Right after an operation begun at {@code startedNanos}: {@link #snapshotAndPin}, then every key with
   * {@code mustExist} (written by an allowed check of this try) must be there. One that is not can only
   * have expired in real time before it was pinned, with the expiry this operation gave it: legitimate
   * only if its content mattered for less than the real time that has elapsed ({@code mattersMicros}, on
   * the script's clock; the script adds 1 ms). Then the try is aborted, reported as skipped (it cannot go
   * on on the test clock); otherwise the key vanished too early and the property fails.
   */
  static Snapshot settle(List<String> keys, boolean[] mustExist, long[] mattersMicros, long startedNanos, Try t) {
    Snapshot snapshot = snapshotAndPin(keys);
    long elapsedMs = ceilDiv(System.nanoTime() - startedNanos, 1_000_000);
    for (int i = 0; i < keys.size(); i++) {
      if (mustExist[i] && snapshot.dumps().get(i) == null) {
        long expiryMs = ceilDiv(mattersMicros[i], 1000) + 1;
        if (expiryMs > elapsedMs) {
          fail(keys.get(i) + " is gone " + elapsedMs + " ms after the check, though its content matters for "
              + mattersMicros[i] + " us" + t);
        }
        // overtaken by real time: the key legitimately expired before it was pinned
        t.aborted = true;
        Assumptions.abort(t.headline() + ": " + keys.get(i) + " expired in real time " + elapsedMs + " ms after the"
            + " check, before it could be pinned; legitimate, as its expiry was " + expiryMs + " ms");
      }
    }
    return snapshot;
  }

  /** Marks the limits this decision charged; returns which keys must exist now. */
  static boolean[] charge(boolean[] charged, Decision d, long[] costs) {
    for (int i = 0; i < charged.length; i++) {
      charged[i] |= d.allowed() && costs[i] > 0;
    }
    return charged.clone();
  }

  /** Per limit, how long after the decision (script's clock) it reports its state to matter, in us. */
  static long[] resetMicros(Decision d) {
    long at = d.evaluatedAt().orElseThrow().toEpochMilli();
    return d.limits().stream().mapToLong(l -> (l.resetAt().toEpochMilli() - at) * 1000).toArray();
  }

  /** Same content, and the expiry only run down by the real time elapsed (missing / persistent kept). */
  static void assertUnchanged(Snapshot before, Snapshot after, int i, long elapsedMs, String what) {
    assertArrayEquals(before.dumps.get(i), after.dumps.get(i), "DUMP changed: " + what);
    long was = before.pttls.get(i);
    long is = after.pttls.get(i);
    // the usage hash may live longer for another limit's write; it never expires sooner
    boolean extendable = before.inHash.get(i) && after.inHash.get(i);
    if (was < 0 || is < 0) {
      assertEquals(was, is, "PTTL changed: " + what);
    } else {
      assertTrue((extendable || is <= was) && is >= was - elapsedMs - 1, "PTTL went from " + was + " to " + is
          + " ms within " + elapsedMs + " ms: " + what);
    }
  }

  /**
   * A check of {@code probeCreator}, whose state of {@code limitName} is first made a copy of the state at
   * {@code source} (a limit location, as {@link #keys} names them).
   */
  static Decision probe(RateLimiter limiter, String probeCreator, String limitName, String source,
      RequestCost cost) {
    String copy = keys(probeCreator, limitName).get(0);
    String copyHash = usageHash(probeCreator);
    byte[] state = admin.dump(source);
    byte[] field = fieldAt(source);
    admin.del(copy);
    admin.hdel(copyHash, limitName);
    if (state != null) {
      admin.restore(copy, PINNED_TTL_MS, state, RestoreParams.restoreParams().replace());
    } else if (field != null) {
      admin.hset(bytes(copyHash), bytes(limitName), field);
      admin.pexpire(copyHash, PINNED_TTL_MS);
    }
    return limiter.check(probeCreator, TIER, cost, null);
  }

  /** The value of a limit's field of the creator's usage hash (a bucket's TAT, a counter), or null. */
  static byte[] fieldAt(String location) {
    String creator = location.substring(location.indexOf('{') + 1, location.indexOf('}'));
    return admin.hget(bytes(usageHash(creator)), bytes(location.substring(location.indexOf("}:") + 2)));
  }

  /** A bucket's theoretical arrival time in microseconds (its field is one little-endian double), or null. */
  static Long bucketTat(String location) {
    byte[] field = fieldAt(location);
    return field == null ? null : (long) ByteBuffer.wrap(field).order(ByteOrder.LITTLE_ENDIAN).getDouble();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String usageHash(String creator) {
    return "rl:{" + creator + "}:@usage";
  }

  static List<String> keys(String creator, String... limitNames) {
    return Arrays.stream(limitNames).map(name -> "rl:{" + creator + "}:" + name).toList();
  }

  static RateLimiter limiter(PlanCatalog plans, TestClock clock) {
    return RateLimiter.builder(RedisClients.port(settings), plans).timeOverrideForTests(clock).build();
  }

  static TestClock clockAt(long offsetMicros) {
    TestClock clock = new TestClock(ORIGIN);
    clock.advanceMicros(offsetMicros);
    return clock;
  }

  static String newCreator() {
    return "prop-" + creators.incrementAndGet();
  }

  static long rollingMicros(String window) {
    long amount = Long.parseLong(window.substring(0, window.length() - 1));
    return amount * switch (window.charAt(window.length() - 1)) {
      case 's' -> SECOND;
      case 'm' -> MINUTE;
      case 'h' -> HOUR;
      default -> 24 * HOUR;
    };
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** A decision and its remaining equal a counting model's: {@code used} of {@code limit} before the check. */
  static void assertMatchesCounter(Decision d, boolean expected, long used, long limit, long cost, String model,
      String window, Try t) {
    assertEquals(expected, d.allowed(), "decision differs from " + model + " (" + used + " of " + limit
        + " used in " + window + ", cost " + cost + ")" + t);
    long remaining = expected ? limit - used - cost : Math.max(limit - used, 0);
    assertEquals(remaining, only(d, t).remaining(), "remaining" + t);
  }

  static LimitState only(Decision d, Try t) {
    assertEquals(1, d.limits().size(), "limits in " + d + t);
    return d.limits().get(0);
  }

  static void assertEvaluated(Decision d, Try t) {
    if (d.outcome() == Outcome.REDIS_UNAVAILABLE) {
      fail("Redis unavailable: " + d + t);
    }
  }
}
