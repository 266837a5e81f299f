package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.TestPlans.bucket;
import static com.huntaze.ratelimit.it.TestPlans.limit;
import static com.huntaze.ratelimit.it.TestPlans.plan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.RateLimiterBuilder;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The behaviour every Redis deployment must show (standalone, cluster), run against real servers by
 * the subclasses. Time is set explicitly through the script's test clock unless a test says otherwise.
 */
abstract class RateLimiterContract {
  private final List<RateLimiter> opened = new ArrayList<>();

  /** How to reach the server under test (plain text, no auth). */
  abstract RedisSettings settings();

  /** A client for inspecting keys directly. */
  abstract UnifiedJedis admin();

  abstract void flushAll();

  /** Empties the script cache of every node, as a restart or failover does. */
  abstract void flushScripts();

  @BeforeEach
  void emptyServer() {
    flushAll();
  }

  @AfterEach
  void closeLimiters() {
    opened.forEach(RateLimiter::close);
    opened.clear();
  }

  RateLimiter limiter(PlanCatalog plans, TestClock clock) {
    RateLimiterBuilder builder = RateLimiter.builder(RedisClients.port(settings()), plans);
    if (clock != null) {
      builder.timeOverrideForTests(clock);
    }
    RateLimiter limiter = builder.build();
    opened.add(limiter);
    return limiter;
  }

  static LimitState state(Decision d, String limitName) {
    return d.limits().stream().filter(l -> l.name().equals(limitName)).findFirst().orElseThrow();
  }

  // ---- sliding window -------------------------------------------------------------------------------

  @Test
  void slidingWindowAdmitsTheLimitThenDeniesUntilTheOldestRequestLeavesTheWindow() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(limit("rps", "requests", 3, "10s", "sliding-log")), clock);
    for (int i = 0; i < 3; i++) {
      Decision d = limiter.checkCreatorRateLimit("c1", "p");
      assertTrue(d.allowed(), "check " + i);
      assertEquals(2 - i, state(d, "rps").remaining());
      clock.advance(Duration.ofSeconds(1));
    }
    Decision denied = limiter.checkCreatorRateLimit("c1", "p");   // at 12:00:03
    assertEquals(Outcome.DENIED, denied.outcome());
    assertEquals("rps", denied.deniedBy().orElseThrow().name());
    assertEquals(Duration.ofSeconds(7), denied.retryAfter());
    clock.set("2025-03-10T12:00:09.999999Z");                       // one microsecond too early
    assertFalse(limiter.checkCreatorRateLimit("c1", "p").allowed());
    clock.set("2025-03-10T12:00:10Z");                              // the 12:00:00 request has left
    Decision again = limiter.checkCreatorRateLimit("c1", "p");
    assertTrue(again.allowed());
    assertEquals(0, state(again, "rps").remaining());
  }

  @Test
  void slidingWindowCountersFreeAWholeSubWindowOnceItHasLeftTheWindow() {
    // 10 s in sub-windows of 1 s: the check at 12:00:00.5 counts until 12:00:11, half a second late
    TestClock clock = new TestClock("2025-03-10T12:00:00.500Z");
    RateLimiter limiter = limiter(plan(limit("rps", "requests", 3, "10s", "sliding-window")), clock);
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed(), "check " + i);
    }
    clock.set("2025-03-10T12:00:05Z");
    Decision denied = limiter.checkCreatorRateLimit("c1", "p");
    assertEquals("rps", denied.deniedBy().orElseThrow().name());
    assertEquals(Duration.ofSeconds(6), denied.retryAfter());
    clock.set("2025-03-10T12:00:10.999999Z");
    assertFalse(limiter.checkCreatorRateLimit("c1", "p").allowed());
    clock.set("2025-03-10T12:00:11Z");
    Decision again = limiter.checkCreatorRateLimit("c1", "p");
    assertTrue(again.allowed());
    assertEquals(2, state(again, "rps").remaining());
  }

  @Test
  void slidingWindowCountersKeepOneSmallFieldHoweverManyChecksTheyAdmit() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(limit("rpm", "requests", 100_000, "1m", "sliding-window")), clock);
    for (int i = 0; i < 2000; i++) {
      assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed());
      clock.advance(Duration.ofMillis(30));
    }
    assertEquals(List.of("rl:{c1}:@usage"), limiter.keysOf("c1"));
    assertEquals(List.of("rpm"), List.copyOf(admin().hkeys("rl:{c1}:@usage")));
    long bytes = admin().memoryUsage("rl:{c1}:@usage", 0);
    assertTrue(bytes <= 150, "one short field per limit: " + bytes + " bytes");
    assertEquals(100_000 - 2000, state(limiter.status("c1", "p"), "rpm").remaining(),
        "2,000 checks in the last 60 s, all still counted");
  }

  @Test
  void slidingWindowCountsTokenCostsAndSaysWhenEnoughHaveLeft() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(limit("tpm", "tokens", 1000, "1m", "sliding-log")), clock);
    assertTrue(limiter.check("c1", "p", new RequestCost(1, 400), null).allowed());
    clock.advance(Duration.ofSeconds(10));
    assertTrue(limiter.check("c1", "p", new RequestCost(1, 500), null).allowed());
    clock.advance(Duration.ofSeconds(10));
    Decision denied = limiter.check("c1", "p", new RequestCost(1, 300), null);   // 900 used, 100 left
    assertFalse(denied.allowed());
    assertEquals(100, state(denied, "tpm").remaining());
    assertEquals(Duration.ofSeconds(40), denied.retryAfter());   // the 400 leave at 12:01:00
  }

  // ---- token bucket ---------------------------------------------------------------------------------

  @Test
  void tokenBucketAllowsTheBurstThenRefillsAtTheSteadyRate() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    // 10 per 10 s = one per second, at most 5 at once
    RateLimiter limiter = limiter(plan(bucket("b", "requests", 10, "10s", 5)), clock);
    for (int i = 0; i < 5; i++) {
      assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed(), "burst " + i);
    }
    Decision denied = limiter.checkCreatorRateLimit("c1", "p");
    assertFalse(denied.allowed());
    assertEquals(Duration.ofSeconds(1), denied.retryAfter());
    clock.advance(Duration.ofMillis(999));
    assertFalse(limiter.checkCreatorRateLimit("c1", "p").allowed());
    clock.advance(Duration.ofMillis(1));
    assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed());
    clock.advance(Duration.ofSeconds(60));                          // long idle: capped at the burst
    Decision status = limiter.status("c1", "p");
    assertEquals(5, state(status, "b").remaining());
  }

  @Test
  void tokenBucketResetIsWhenTheBucketIsFullAgain() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(bucket("b", "tokens", 600, "1m", 600)), clock);   // 10 tokens/s
    Decision d = limiter.check("c1", "p", new RequestCost(1, 300), null);
    assertEquals(300, state(d, "b").remaining());
    assertEquals(Instant.parse("2025-03-10T12:00:30Z"), state(d, "b").resetAt());
  }

  // ---- fixed calendar windows -------------------------------------------------------------------------

  @Test
  void fixedMinuteWindowResetsExactlyAtTheNextMinute() {
    TestClock clock = new TestClock("2025-03-10T12:00:59.500Z");
    RateLimiter limiter = limiter(plan(limit("m", "requests", 2, "minute", "fixed-window")), clock);
    assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed());
    assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed());
    Decision denied = limiter.checkCreatorRateLimit("c1", "p");
    assertFalse(denied.allowed());
    assertEquals(Duration.ofMillis(500), denied.retryAfter());
    assertEquals(Instant.parse("2025-03-10T12:01:00Z"), state(denied, "m").resetAt());
    clock.set("2025-03-10T12:00:59.999999Z");
    assertFalse(limiter.checkCreatorRateLimit("c1", "p").allowed());
    clock.set("2025-03-10T12:01:00Z");
    Decision next = limiter.checkCreatorRateLimit("c1", "p");
    assertTrue(next.allowed());
    assertEquals(1, state(next, "m").remaining());
  }

  @Test
  void fixedMonthWindowFollowsTheCalendarThroughLeapDaysAndYearEnds() {
    TestClock clock = new TestClock("2024-02-29T23:59:59Z");
    RateLimiter limiter = limiter(plan(limit("mo", "tokens", 1000, "month", "fixed-window")), clock);
    Decision feb = limiter.check("c1", "p", new RequestCost(1, 1000), null);
    assertTrue(feb.allowed());
    assertEquals(Instant.parse("2024-03-01T00:00:00Z"), state(feb, "mo").resetAt());
    assertFalse(limiter.check("c1", "p", new RequestCost(1, 1), null).allowed());
    clock.set("2024-03-01T00:00:00Z");
    assertTrue(limiter.check("c1", "p", new RequestCost(1, 1000), null).allowed());

    clock.set("2024-12-31T23:00:00Z");
    Decision dec = limiter.check("c2", "p", new RequestCost(1, 1000), null);
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), state(dec, "mo").resetAt());
    clock.set("2025-01-01T00:00:00Z");
    assertTrue(limiter.check("c2", "p", new RequestCost(1, 1000), null).allowed());
  }

  @Test
  void fixedDayAndHourWindowsAlignToUtc() {
    TestClock clock = new TestClock("2025-07-04T13:45:10Z");
    RateLimiter limiter = limiter(plan(
        limit("d", "requests", 100, "day", "fixed-window"),
        limit("h", "requests", 100, "hour", "fixed-window")), clock);
    Decision d = limiter.checkCreatorRateLimit("c1", "p");
    assertEquals(Instant.parse("2025-07-05T00:00:00Z"), state(d, "d").resetAt());
    assertEquals(Instant.parse("2025-07-04T14:00:00Z"), state(d, "h").resetAt());
  }

  // ---- all or nothing -------------------------------------------------------------------------------

  @Test
  void aCheckDeniedByOneLimitConsumesFromNoLimit() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(
        limit("rpm", "requests", 5, "1m", "sliding-log"),
        bucket("tpm", "tokens", 100, "1m", 100),
        limit("tpd", "tokens", 1000, "day", "fixed-window")), clock);
    assertTrue(limiter.check("c1", "p", new RequestCost(1, 90), null).allowed());
    List<byte[]> before = dumps("c1", "rpm", "rpm:sum", "tpm", "tpd");

    Decision denied = limiter.check("c1", "p", new RequestCost(1, 20), null);
    assertFalse(denied.allowed());
    assertEquals("tpm", denied.deniedBy().orElseThrow().name());
    assertTrue(state(denied, "rpm").fits());
    assertTrue(state(denied, "tpd").fits());
    assertDumpsEqual(before, dumps("c1", "rpm", "rpm:sum", "tpm", "tpd"));

    Decision status = limiter.status("c1", "p");
    assertEquals(4, state(status, "rpm").remaining());
    assertEquals(910, state(status, "tpd").remaining());
  }

  @Test
  void aStatusCallConsumesNothingAndWritesNothing() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(TestPlans.threeLimits(), clock);
    // The script sets expiries in real time from the test clock: 50,000 tokens keep the bucket key for
    // 30 s, where a few tokens would let it expire (and change) within milliseconds.
    limiter.check("c1", "p", new RequestCost(1, 50_000), null);
    List<byte[]> before = dumps("c1", "rpm", "rpm:sum", "tpm", "tpd");
    for (int i = 0; i < 5; i++) {
      Decision status = limiter.status("c1", "p");
      assertEquals(999, state(status, "rpm").remaining());
      assertEquals(50_000, state(status, "tpm").remaining());
    }
    assertDumpsEqual(before, dumps("c1", "rpm", "rpm:sum", "tpm", "tpd"));
    assertFalse(admin().exists("rl:{c2}:rpm"));
    limiter.status("c2", "p");
    assertFalse(admin().exists("rl:{c2}:rpm"), "status of an unseen creator creates no key");
  }

  @Test
  void aZeroTokenCheckIsDeniedOnceTheTokenBudgetIsSpent() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(
        limit("rpm", "requests", 100, "1m", "sliding-log"),
        limit("tpd", "tokens", 50, "day", "fixed-window")), clock);
    assertTrue(limiter.check("c1", "p", new RequestCost(1, 50), null).allowed());
    Decision denied = limiter.checkCreatorRateLimit("c1", "p");
    assertFalse(denied.allowed());
    assertEquals("tpd", denied.deniedBy().orElseThrow().name());
  }

  // ---- keys, expiry, reset --------------------------------------------------------------------------

  @Test
  void everyKeyCarriesTheCreatorHashTagAndAnExpiry() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(TestPlans.threeLimits(), clock);
    limiter.check("creator-123", "p", new RequestCost(1, 50_000), "req-1");   // bucket key lives 30 s
    for (String key : List.of("rl:{creator-123}:@usage", "rl:{creator-123}:rpm", "rl:{creator-123}:rpm:sum",
        "rl:{creator-123}:req/req-1")) {
      assertTrue(admin().exists(key), key);
      long ttl = admin().pttl(key);
      assertTrue(ttl > 0, key + " has no expiry: " + ttl);
    }
  }

  @Test
  void keysOfAnIdleCreatorExpireOnTheirOwn() throws InterruptedException {
    // real server time: windows of one second
    RateLimiter limiter = limiter(plan(
        limit("s", "requests", 5, "1s", "sliding-log"),
        bucket("b", "tokens", 100, "1s", 100)), null);
    assertTrue(limiter.check("idle", "p", new RequestCost(1, 100), null).allowed());
    List<String> keys = List.of("rl:{idle}:s", "rl:{idle}:s:sum", "rl:{idle}:@usage");
    keys.forEach(key -> assertTrue(admin().exists(key), key));
    long deadline = System.currentTimeMillis() + 5_000;
    while (keys.stream().anyMatch(admin()::exists) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    keys.forEach(key -> assertFalse(admin().exists(key), key + " outlived its window"));
  }

  @Test
  void resetForgetsTheCreatorsUsageOfEveryPlanButNoOtherCreators() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(TestPlans.threeLimits(), clock);
    limiter.check("c1", "p", new RequestCost(1, 50_000), null);   // bucket key lives 30 s
    limiter.check("c2", "p", new RequestCost(1, 50_000), null);
    assertEquals(3, limiter.reset("c1").keysDeleted());   // the usage hash (tpm, tpd), rpm and its running total
    assertEquals(1000, state(limiter.status("c1", "p"), "rpm").remaining());
    assertEquals(999, state(limiter.status("c2", "p"), "rpm").remaining());
    assertEquals(0, limiter.reset("c1").keysDeleted());
  }

  // ---- request ids ------------------------------------------------------------------------------------

  @Test
  void aRepeatedRequestIdReturnsTheFirstDecisionAndChargesNothingMore() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(TestPlans.threeLimits(), clock);
    Decision first = limiter.check("c1", "p", new RequestCost(1, 100), "call-42");
    clock.advance(Duration.ofSeconds(2));
    Decision retry = limiter.check("c1", "p", new RequestCost(1, 100), "call-42");
    assertTrue(retry.allowed());
    assertTrue(retry.replayed());
    assertFalse(first.replayed());
    assertEquals(state(first, "tpm").remaining(), state(retry, "tpm").remaining());
    assertEquals(first.evaluatedAt(), retry.evaluatedAt());
    assertEquals(999, state(limiter.status("c1", "p"), "rpm").remaining());
    Decision other = limiter.check("c1", "p", new RequestCost(1, 100), "call-43");
    assertFalse(other.replayed());
    assertEquals(998, state(other, "rpm").remaining());
  }

  @Test
  void aDeniedCheckWithARequestIdIsNotRememberedSoItsRetryIsJudgedAfresh() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(plan(limit("m", "requests", 1, "minute", "fixed-window")), clock);
    assertTrue(limiter.check("c1", "p", RequestCost.oneRequest(), "a").allowed());
    assertFalse(limiter.check("c1", "p", RequestCost.oneRequest(), "b").allowed());
    assertFalse(admin().exists("rl:{c1}:req/b"));
    clock.set("2025-03-10T12:01:00Z");
    Decision retried = limiter.check("c1", "p", RequestCost.oneRequest(), "b");
    assertTrue(retried.allowed());
    assertFalse(retried.replayed());
  }

  // ---- script cache -----------------------------------------------------------------------------------

  @Test
  void aFlushedScriptCacheIsReloadedTransparently() {
    TestClock clock = new TestClock("2025-03-10T12:00:00Z");
    RateLimiter limiter = limiter(TestPlans.threeLimits(), clock);
    assertTrue(limiter.checkCreatorRateLimit("c1", "p").allowed());
    flushScripts();
    Decision afterFlush = limiter.checkCreatorRateLimit("c1", "p");
    assertEquals(Outcome.ALLOWED, afterFlush.outcome());
    assertEquals(998, state(afterFlush, "rpm").remaining());
  }

  // ---- concurrency --------------------------------------------------------------------------------------

  @Test
  void sixteenConcurrentClientsNeverAdmitMoreThanTheLimit() throws Exception {
    // real server time; each thread has its own client, as separate Lambda execution environments do
    PlanCatalog plans = PlanCatalog.parse("{\"plans\": {"
        + "\"sliding\": {\"limits\": [" + limit("s", "requests", 50, "1h", "sliding-log") + "]},"
        + "\"bucket\": {\"limits\": [" + bucket("b", "requests", 50, "1h", 50) + "]},"
        + "\"fixed\": {\"limits\": [" + limit("f", "requests", 50, "day", "fixed-window") + "]}}}", "concurrency");
    for (String plan : List.of("sliding", "bucket", "fixed")) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Callable<Integer>> clients = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          RateLimiter limiter = limiter(plans, null);
          clients.add(() -> {
            int allowed = 0;
            for (int i = 0; i < 20; i++) {
              Decision d = limiter.checkCreatorRateLimit("hot-creator", plan);
              assertTrue(d.outcome() != Outcome.REDIS_UNAVAILABLE, () -> d.toString());
              allowed += d.allowed() ? 1 : 0;
            }
            return allowed;
          });
        }
        int total = 0;
        for (Future<Integer> f : pool.invokeAll(clients)) {
          total += f.get();
        }
        assertEquals(50, total, plan + ": 320 attempts against a limit of 50");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  List<byte[]> dumps(String creator, String... limits) {
    List<byte[]> result = new ArrayList<>();
    for (String limit : limits) {
      String key = "rl:{" + creator + "}:" + limit;
      result.add(admin().dump(key));
    }
    return result;
  }

  static void assertDumpsEqual(List<byte[]> before, List<byte[]> after) {
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "key #" + i + " changed");
    }
  }
}
