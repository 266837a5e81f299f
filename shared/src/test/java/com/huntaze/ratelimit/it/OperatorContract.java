package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.TestPlans.bucket;
import static com.huntaze.ratelimit.it.TestPlans.leases;
import static com.huntaze.ratelimit.it.TestPlans.limit;
import static com.huntaze.ratelimit.it.TestPlans.pricedPlan;
import static com.huntaze.ratelimit.it.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.InvalidRequestException;
import com.huntaze.ratelimit.LimitOverride;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Operators' controls: per-creator overrides applied inside the check, and shadow limits that count but
 * never deny; run against real servers (standalone, cluster) by the nested classes of their contract
 * tests. Overrides expire on Redis's own clock, so this contract's test clock starts at the real time.
 */
abstract class OperatorContract extends UsageFixture {
  private static final PlanCatalog PLAN = pricedPlan(
      limit("requests-per-minute", "requests", 2, "1m", "sliding-window"),
      bucket("tokens-per-minute", "tokens", 1000, "1m", 1000),
      usd("usd-per-day", "1", "day", "fixed-window"),
      leases("in-flight", 1, "5m"));

  OperatorContract() {
    clock.set(Instant.now().toString());
  }

  abstract UnifiedJedis admin();

  private Instant now() {
    return Instant.EPOCH.plus(clock.getAsLong(), java.time.temporal.ChronoUnit.MICROS);
  }

  private LimitOverride override(RateLimiter limiter, Map<String, Long> limits, Duration lasting) {
    return limiter.setOverride(CREATOR, limits, now().plus(lasting), "campaign", "arn:aws:iam::123456789012:user/ops");
  }

  @Test
  void anOverrideRaisesACreatorsLimitInsideTheSameCheck() {
    RateLimiter limiter = limiter(PLAN);
    override(limiter, Map.of("requests-per-minute", 5L), Duration.ofHours(1));
    for (int i = 0; i < 5; i++) {
      Decision d = limiter.checkCreatorRateLimit(CREATOR, "p");
      assertTrue(d.allowed(), "check " + (i + 1) + " of 5: " + d);
      assertEquals(5, state(d.limits(), "requests-per-minute").limit().limit());
      assertTrue(state(d.limits(), "requests-per-minute").overridden());
      assertFalse(state(d.limits(), "tokens-per-minute").overridden());
    }
    assertFalse(limiter.checkCreatorRateLimit(CREATOR, "p").allowed());
    assertTrue(limiter.checkCreatorRateLimit("creator-456", "p").allowed(), "another creator keeps the plan");
  }

  @Test
  void anOverrideEndsAtItsExpiryAndRedisDropsItByItself() {
    RateLimiter limiter = limiter(PLAN);
    override(limiter, Map.of("requests-per-minute", 5L), Duration.ofMinutes(10));
    long pttl = admin().pttl("rl:{" + CREATOR + "}:@override");
    assertTrue(pttl > 0 && pttl <= Duration.ofMinutes(10).toMillis() + 1000, "expires with the override: " + pttl);
    assertEquals(5, state(limiter.status(CREATOR, "p").limits(), "requests-per-minute").limit().limit());
    clock.advance(Duration.ofMinutes(10).plusMillis(1));
    Decision after = limiter.status(CREATOR, "p");
    assertEquals(2, state(after.limits(), "requests-per-minute").limit().limit());
    assertFalse(state(after.limits(), "requests-per-minute").overridden());
    assertTrue(limiter.override(CREATOR).isEmpty(), "an expired override is not shown");
  }

  @Test
  void aNewOverrideReplacesTheOldOneAndARemovedOneLeavesThePlan() {
    RateLimiter limiter = limiter(PLAN);
    override(limiter, Map.of("requests-per-minute", 5L), Duration.ofHours(1));
    LimitOverride second = override(limiter, Map.of("tokens-per-minute", 50_000L), Duration.ofHours(2));
    Decision d = limiter.status(CREATOR, "p");
    assertEquals(2, state(d.limits(), "requests-per-minute").limit().limit());
    assertEquals(50_000, state(d.limits(), "tokens-per-minute").limit().limit());
    assertEquals(50_000, state(d.limits(), "tokens-per-minute").limit().burst(), "a bucket's capacity too");
    LimitOverride shown = limiter.override(CREATOR).orElseThrow();
    assertEquals(second.limits(), shown.limits());
    assertEquals("campaign", shown.reason());
    assertEquals("arn:aws:iam::123456789012:user/ops", shown.setBy());
    assertEquals(second.expiresAt(), shown.expiresAt());
    assertTrue(limiter.removeOverride(CREATOR));
    assertFalse(limiter.removeOverride(CREATOR));
    assertEquals(1000, state(limiter.status(CREATOR, "p").limits(), "tokens-per-minute").limit().limit());
  }

  @Test
  void anOverrideCanRaiseMoneyAndConcurrencyLimits() {
    RateLimiter limiter = limiter(PLAN);
    override(limiter, Map.of("usd-per-day", 5_000_000L, "in-flight", 2L), Duration.ofHours(1));
    assertTrue(limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), "a").allowed());
    Decision second = limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), "b");
    assertTrue(second.allowed(), "two leases with the override: " + second);
    assertEquals(5_000_000 - 240, state(second.limits(), "usd-per-day").remaining());
    assertFalse(limiter.check(CREATOR, "p", UsageEstimate.of("m", 10, 10), "c").allowed());
  }

  @Test
  void anOverrideThatNamesAnUnknownLimitOrAnAbsurdValueOrExpiryIsRefusedAndWritesNothing() {
    RateLimiter limiter = limiter(PLAN);
    String key = "rl:{" + CREATOR + "}:@override";
    for (Map<String, Long> limits : java.util.List.<Map<String, Long>>of(Map.of("requests-per-hour", 5L),
        Map.of("requests-per-minute", 0L), Map.of("requests-per-minute", -3L),
        Map.of("requests-per-minute", 1_000_000_000_001L), Map.of("in-flight", 100_001L), Map.of())) {
      assertThrows(InvalidRequestException.class, () -> override(limiter, limits, Duration.ofHours(1)), limits.toString());
    }
    assertEquals("expiresAt", assertThrows(InvalidRequestException.class,
        () -> override(limiter, Map.of("requests-per-minute", 5L), Duration.ofSeconds(-1))).field());
    assertEquals("expiresAt", assertThrows(InvalidRequestException.class,
        () -> override(limiter, Map.of("requests-per-minute", 5L), Duration.ofDays(367))).field());
    assertEquals("reason", assertThrows(InvalidRequestException.class, () -> limiter.setOverride(CREATOR,
        Map.of("requests-per-minute", 5L), now().plusSeconds(60), " ", "ops")).field());
    assertFalse(admin().exists(key), "nothing written");
  }

  @Test
  void aShadowLimitIsCountedAndReportedButNeverDenies() {
    RateLimiter limiter = limiter(PlanCatalog.parse("{\"plans\": {\"p\": {\"limits\": ["
        + "{\"name\": \"requests-per-minute\", \"unit\": \"requests\", \"limit\": 1, \"window\": \"1m\","
        + " \"algorithm\": \"sliding-window\", \"enforce\": false},"
        + limit("tokens-per-day", "tokens", 100, "day", "fixed-window") + "]}}}", "shadow plan"));
    assertTrue(limiter.check(CREATOR, "p", new RequestCost(1, 10), null).allowed());
    Decision second = limiter.check(CREATOR, "p", new RequestCost(1, 10), null);
    assertTrue(second.allowed(), "a shadow limit never denies");
    assertEquals("requests-per-minute", second.shadowDenials().get(0).name());
    assertEquals(80, state(second.limits(), "tokens-per-day").remaining(), "the check was charged");
    Decision denied = limiter.check(CREATOR, "p", new RequestCost(1, 90), null);
    assertFalse(denied.allowed());
    assertEquals("tokens-per-day", denied.deniedBy().orElseThrow().name(), "only an enforced limit denies");
  }
}
