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
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.UnknownPlanException;
import com.huntaze.ratelimit.UsageSetResult;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Carrying usage over from another limiter ({@link RateLimiter#setUsage}): every algorithm's current window
 * is raised to the amount given, never lowered, at most the limit in force; run against real servers
 * (standalone, cluster) by the nested classes of their contract tests.
 */
abstract class UsageSetContract extends UsageFixture {
  /** One limit per algorithm; the bucket refills one token per 60,000 us, so its counts stay whole. */
  static final PlanCatalog PLAN = pricedPlan(
      limit("rpm", "requests", 10, "1m", "sliding-window"),
      limit("rlog", "requests", 10, "1m", "sliding-log"),
      bucket("tpm", "tokens", 1000, "1m", 1000),
      limit("tpd", "tokens", 10_000, "day", "fixed-window"),
      usd("usd-per-month", "20", "month", "fixed-window"),
      leases("in-flight", 2, "5m"));
  private static final List<String> USAGE_LIMITS = List.of("rpm", "rlog", "tpm", "tpd", "usd-per-month");

  UsageSetContract() {
    clock.set("2025-03-15T12:00:30Z");
  }

  abstract UnifiedJedis admin();

  private static Map<String, Long> usage(Object... nameThenAmount) {
    Map<String, Long> usage = new LinkedHashMap<>();
    for (int i = 0; i < nameThenAmount.length; i += 2) {
      usage.put((String) nameThenAmount[i], ((Number) nameThenAmount[i + 1]).longValue());
    }
    return usage;
  }

  private static UsageSetResult.Change change(UsageSetResult result, String name) {
    return result.change(name).orElseThrow(() -> new AssertionError("no change of " + name + ": " + result));
  }

  private static long remaining(Decision d, String name) {
    return state(d.limits(), name).remaining();
  }

  @Test
  void carriedUsageRaisesTheCurrentWindowOfEveryAlgorithmAndALaterCheckSeesIt() {
    RateLimiter limiter = limiter(PLAN);
    UsageSetResult set = limiter.setUsage(CREATOR, "p",
        usage("rpm", 4, "rlog", 6, "tpm", 300, "tpd", 2500, "usd-per-month", 3_250_001));
    assertTrue(set.done(), set.toString());
    assertEquals(List.of("rpm", "rlog", "tpm", "tpd", "usd-per-month"),
        set.changes().stream().map(UsageSetResult.Change::name).toList(), "the named limits, in plan order");
    for (UsageSetResult.Change c : set.changes()) {
      assertEquals(0, c.before(), c.name());
      assertEquals(c.requested(), c.after(), c.name());
      assertTrue(c.raised(), c.name());
    }
    Decision after = set.state().orElseThrow();
    assertEquals(6, after.limits().size(), "every limit of the plan");
    assertEquals(6, remaining(after, "rpm"));
    assertEquals(4, remaining(after, "rlog"));
    assertEquals(700, remaining(after, "tpm"));
    assertEquals(7500, remaining(after, "tpd"));
    assertEquals(20_000_000 - 3_250_001, remaining(after, "usd-per-month"), "money to the micro-dollar");
    assertEquals(2, remaining(after, "in-flight"));

    Decision status = limiter.status(CREATOR, "p");
    for (String name : USAGE_LIMITS) {
      assertEquals(remaining(after, name), remaining(status, name), name + ": a status reads what was stored");
    }
    Decision check = limiter.check(CREATOR, "p", new RequestCost(1, 100), null);
    assertTrue(check.allowed(), check.toString());
    assertEquals(5, remaining(check, "rpm"));
    assertEquals(3, remaining(check, "rlog"));
    assertEquals(600, remaining(check, "tpm"));
    assertEquals(7400, remaining(check, "tpd"));
    Decision denied = limiter.check(CREATOR, "p", new RequestCost(4, 0), null);
    assertFalse(denied.allowed(), "3 requests are left on the log: " + denied);
    assertFalse(state(denied.limits(), "rlog").fits());
  }

  @Test
  void carriedUsageNeverLowersWhatTheLimiterCountedSince() {
    RateLimiter limiter = limiter(PLAN);
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.check(CREATOR, "p", new RequestCost(1, 100), null).allowed());
    }
    UsageSetResult set = limiter.setUsage(CREATOR, "p", usage("rpm", 2, "rlog", 5, "tpm", 100, "tpd", 1000));
    assertEquals(3, change(set, "rpm").before());
    assertEquals(3, change(set, "rpm").after(), "2 is less than the 3 counted since");
    assertFalse(change(set, "rpm").raised());
    assertEquals(5, change(set, "rlog").after());
    assertEquals(300, change(set, "tpm").before());
    assertEquals(300, change(set, "tpm").after());
    assertEquals(300, change(set, "tpd").before());
    assertEquals(1000, change(set, "tpd").after());
    Decision status = limiter.status(CREATOR, "p");
    assertEquals(7, remaining(status, "rpm"));
    assertEquals(5, remaining(status, "rlog"));
    assertEquals(9000, remaining(status, "tpd"));
  }

  @Test
  void anAmountBeyondTheLimitStopsAtTheLimitAndLaterChecksAreDenied() {
    RateLimiter limiter = limiter(PLAN);
    UsageSetResult set = limiter.setUsage(CREATOR, "p", usage("tpd", 1_000_000, "tpm", 5000,
        "usd-per-month", 25_000_000));
    assertEquals(10_000, change(set, "tpd").after());
    assertEquals(1000, change(set, "tpm").after(), "a bucket stops at its capacity");
    assertEquals(20_000_000, change(set, "usd-per-month").after());
    Decision status = limiter.status(CREATOR, "p");
    assertEquals(0, remaining(status, "tpd"));
    assertEquals(0, remaining(status, "usd-per-month"));
    Decision denied = limiter.checkCreatorRateLimit(CREATOR, "p");
    assertFalse(denied.allowed(), "a creator over quota is denied: " + denied);
    assertEquals(10, remaining(denied, "rpm"), "the denial charged nothing");
  }

  @Test
  void aRepeatedCarryOverChangesNothingMore() {
    RateLimiter limiter = limiter(PLAN);
    Map<String, Long> amounts = usage("rpm", 4, "rlog", 6, "tpm", 300, "tpd", 2500, "usd-per-month", 1_500_000);
    UsageSetResult first = limiter.setUsage(CREATOR, "p", amounts);
    Map<String, Long> stored = storedValues(limiter);
    UsageSetResult second = limiter.setUsage(CREATOR, "p", amounts);
    for (UsageSetResult.Change c : second.changes()) {
      assertEquals(change(first, c.name()).after(), c.before(), c.name());
      assertEquals(c.before(), c.after(), c.name());
      assertFalse(c.raised(), c.name());
    }
    assertEquals(stored, storedValues(limiter), "the repeat wrote nothing");
    assertEquals(1, admin().zcard("rl:{" + CREATOR + "}:rlog"), "one entry on the log, not two");
  }

  /** Each of the creator's keys and what it holds (its type and size: a repeat must leave both alone). */
  private Map<String, Long> storedValues(RateLimiter limiter) {
    Map<String, Long> stored = new HashMap<>();
    for (String key : limiter.keysOf(CREATOR)) {
      if (admin().exists(key)) {
        String type = admin().type(key);
        stored.put(key, switch (type) {
          case "hash" -> (long) admin().hgetAll(key).hashCode();
          case "zset" -> admin().zcard(key);
          default -> (long) admin().get(key).hashCode();
        });
      }
    }
    return stored;
  }

  @Test
  void anOverrideInForceIsTheLimitTheUsageStopsAt() {
    clock.set(Instant.now().toString());   // an override expires on Redis's own clock
    RateLimiter limiter = limiter(PLAN);
    Instant expiry = Instant.now().plus(Duration.ofHours(1));
    limiter.setOverride(CREATOR, Map.of("tpd", 50_000L, "rpm", 3L), expiry, "migration", "ops");
    UsageSetResult set = limiter.setUsage(CREATOR, "p", usage("tpd", 30_000, "rpm", 8));
    assertEquals(30_000, change(set, "tpd").after(), "above the plan's 10,000, within the override's 50,000");
    assertEquals(50_000, change(set, "tpd").limit().limit());
    assertEquals(3, change(set, "rpm").after(), "the override's 3, not the plan's 10");
    Decision status = limiter.status(CREATOR, "p");
    assertEquals(20_000, remaining(status, "tpd"));
    assertTrue(state(status.limits(), "tpd").overridden());
    assertEquals(0, remaining(status, "rpm"));
  }

  @Test
  void theCarriedUsageLastsAsLongAsTheWindowItWasCountedIn() {
    RateLimiter limiter = limiter(PLAN);
    limiter.setUsage(CREATOR, "p", usage("rpm", 4, "rlog", 6, "tpm", 600, "tpd", 2500, "usd-per-month", 1_000_000));
    clock.advance(Duration.ofSeconds(30));
    Decision halfMinute = limiter.status(CREATOR, "p");
    assertEquals(6, remaining(halfMinute, "rpm"), "still in the sliding window");
    assertEquals(900, remaining(halfMinute, "tpm"), "the bucket refills: 500 tokens in 30 s");
    clock.advance(Duration.ofSeconds(37));   // a minute and a sub-window (6 s) after the carry-over
    Decision later = limiter.status(CREATOR, "p");
    assertEquals(10, remaining(later, "rpm"));
    assertEquals(10, remaining(later, "rlog"));
    assertEquals(1000, remaining(later, "tpm"));
    assertEquals(7500, remaining(later, "tpd"), "until the UTC day ends");
    clock.set("2025-03-16T00:00:00Z");
    Decision nextDay = limiter.status(CREATOR, "p");
    assertEquals(10_000, remaining(nextDay, "tpd"));
    assertEquals(19_000_000, remaining(nextDay, "usd-per-month"), "until the UTC month ends");
    clock.set("2025-04-01T00:00:00Z");
    assertEquals(20_000_000, remaining(limiter.status(CREATOR, "p"), "usd-per-month"));
  }

  @Test
  void aRefusedCarryOverWritesNothing() {
    RateLimiter limiter = limiter(PLAN);
    Map<String, Supplier<UsageSetResult>> refused = new LinkedHashMap<>();
    refused.put("a lease limit", () -> limiter.setUsage(CREATOR, "p", usage("tpd", 100, "in-flight", 1)));
    refused.put("an unknown limit", () -> limiter.setUsage(CREATOR, "p", usage("tpd", 100, "tokens-per-week", 1)));
    refused.put("a negative amount", () -> limiter.setUsage(CREATOR, "p", usage("tpd", -1)));
    refused.put("an absurd amount", () -> limiter.setUsage(CREATOR, "p", usage("tpd", 1_000_000_000_001L)));
    refused.put("no amount", () -> limiter.setUsage(CREATOR, "p", Map.of()));
    refused.put("no map", () -> limiter.setUsage(CREATOR, "p", null));
    refused.put("a null amount", () -> {
      Map<String, Long> amounts = new HashMap<>();
      amounts.put("tpd", null);
      return limiter.setUsage(CREATOR, "p", amounts);
    });
    for (Map.Entry<String, Supplier<UsageSetResult>> call : refused.entrySet()) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, call.getValue()::get, call.getKey());
      assertEquals("usage", e.field(), call.getKey());
    }
    assertTrue(assertThrows(InvalidRequestException.class, () -> limiter.setUsage(CREATOR, "p",
        usage("in-flight", 1))).getMessage().contains("calls in flight"));
    assertEquals("creatorId", assertThrows(InvalidRequestException.class,
        () -> limiter.setUsage("a{b}", "p", usage("tpd", 100))).field());
    assertThrows(UnknownPlanException.class, () -> limiter.setUsage(CREATOR, "platinum", usage("tpd", 100)));
    assertEquals(0, admin().exists(limiter.keysOf(CREATOR).toArray(String[]::new)), "nothing written");
  }

  /**
   * At one instant every algorithm counts exactly: random checks and carry-overs against a model where a
   * check fits when each limit has its cost (at least 1) left, a carry-over makes usage
   * max(usage, min(amount, limit)), and a reset empties every limit.
   */
  @Test
  void randomChecksAndCarryOversAgreeWithAModelOfTheRules() {
    RateLimiter limiter = limiter(PLAN);
    Map<String, Long> capacity = Map.of("rpm", 10L, "rlog", 10L, "tpm", 1000L, "tpd", 10_000L,
        "usd-per-month", 20_000_000L);
    Map<String, Long> used = new HashMap<>();
    USAGE_LIMITS.forEach(name -> used.put(name, 0L));
    SplittableRandom random = new SplittableRandom(20250315);
    for (int step = 0; step < 150; step++) {
      String at = "step " + step + ", usage " + used;
      int op = random.nextInt(10);
      if (op == 0) {
        assertTrue(limiter.reset(CREATOR).done());
        USAGE_LIMITS.forEach(name -> used.put(name, 0L));
      } else if (op <= 3) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (String name : USAGE_LIMITS) {
          if (random.nextBoolean()) {
            amounts.put(name, random.nextLong(capacity.get(name) * 6 / 5 + 1));
          }
        }
        if (amounts.isEmpty()) {
          amounts.put("tpd", random.nextLong(10_001));
        }
        UsageSetResult set = limiter.setUsage(CREATOR, "p", amounts);
        amounts.forEach((name, amount) -> {
          long after = Math.max(used.get(name), Math.min(amount, capacity.get(name)));
          assertEquals(used.get(name), change(set, name).before(), at + ": " + name + " before");
          assertEquals(after, change(set, name).after(), at + ": " + name + " after");
          used.put(name, after);
        });
      } else {
        long requests = 1 + random.nextInt(2);
        long tokens = random.nextInt(300);
        Map<String, Long> cost = Map.of("rpm", requests, "rlog", requests, "tpm", tokens, "tpd", tokens,
            "usd-per-month", 0L);
        boolean fits = USAGE_LIMITS.stream()
            .allMatch(name -> Math.max(cost.get(name), 1) <= capacity.get(name) - used.get(name));
        Decision d = limiter.check(CREATOR, "p", new RequestCost(requests, tokens), null);
        assertEquals(fits, d.allowed(), at + ": " + d);
        if (fits) {
          USAGE_LIMITS.forEach(name -> used.merge(name, cost.get(name), Long::sum));
        }
      }
      Decision status = limiter.status(CREATOR, "p");
      for (String name : USAGE_LIMITS) {
        assertEquals(Math.max(0, capacity.get(name) - used.get(name)), remaining(status, name), at + ": " + name);
      }
    }
  }
}
