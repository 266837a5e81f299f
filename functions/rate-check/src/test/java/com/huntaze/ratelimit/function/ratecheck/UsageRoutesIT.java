package com.huntaze.ratelimit.function.ratecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.plan.FailureMode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Reserve, settle and release through the handler with the bundled plans, driven with the events/ files:
 * pro reserves gpt-4o calls (USD 2.50 / 10.00 per million input / output tokens), free holds one lease.
 */
class UsageRoutesIT {
  private static LocalRedisServer server;
  private LambdaHarness<RateCheckHandler> harness;

  @BeforeAll
  static void startRedis() {
    server = LocalRedisServer.startStandalone();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @BeforeEach
  void handler() {
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      jedis.flushAll();
    }
    Map<String, String> env = new HashMap<>(RateCheckHandlerIT.environment(server.port(), FailureMode.FAIL_CLOSED));
    env.put("RATE_LIMIT_RESERVATION_TTL_SECONDS", "1");
    LimiterConfig config = LimiterConfig.fromEnvironment(env);
    harness = new LambdaHarness<>("RateCheckFunction", (telemetry, log) -> new RateCheckHandler(config, telemetry, log));
  }

  @AfterEach
  void close() {
    harness.handler().close();
  }

  private static JsonNode limit(JsonNode body, String name) {
    for (JsonNode limit : body.path("limits")) {
      if (limit.path("name").asText().equals(name)) {
        return limit;
      }
    }
    throw new AssertionError("no limit " + name + " in " + body);
  }

  @Test
  void aReserveOf4000OutputTokensSettledAt300RefundsTheRestOfTheTokensAndTheMoney() {
    Answer reserve = harness.invoke("check-reserve-model.json");
    assertEquals(200, reserve.status(), reserve.body().toString());
    assertEquals(4000, reserve.body().path("maxOutputTokens").asLong());
    assertEquals(5200, limit(reserve.body(), "tokens-per-month").path("charged").asLong());
    assertEquals("0.043000", limit(reserve.body(), "usd-per-month").path("charged").asText(),
        "1,200 input tokens at 2.50 and 4,000 output tokens at 10.00 per million");
    assertEquals("19.957000", limit(reserve.body(), "usd-per-month").path("remaining").asText());
    assertEquals(2, limit(reserve.body(), "generations-in-flight").path("remaining").asLong());
    assertTrue(reserve.header("RateLimit-Policy").contains("\"generations-in-flight\";q=3;qu=\"concurrent-requests\""));
    assertTrue(reserve.header("RateLimit").contains("\"usd-per-month\";r=19957000;"), reserve.header("RateLimit"));
    assertTrue(harness.metrics().lastMetricNames().containsAll(List.of("ReservedTokens",
        "ReservedMicroUsd", "LeasesInUse")), harness.metrics().lastMetricNames().toString());

    Answer settle = harness.invoke("settle.json");
    assertEquals(200, settle.status(), settle.body().toString());
    assertFalse(settle.body().path("replayed").asBoolean());
    JsonNode month = limit(settle.body(), "tokens-per-month");
    assertEquals("adjusted", month.path("settlement").path("result").asText());
    assertEquals(-3700, month.path("settlement").path("applied").asLong());
    assertEquals(20_000_000 - 1500, month.path("remaining").asLong());
    assertEquals("-0.037000", limit(settle.body(), "usd-per-month").path("settlement").path("applied").asText());
    assertEquals("lease-released", limit(settle.body(), "generations-in-flight").path("settlement").path("result").asText());
    assertTrue(harness.metrics().lastMetricNames().containsAll(List.of("SettledTokens", "RefundedTokens",
        "SettledMicroUsd", "RefundedMicroUsd")), harness.metrics().lastMetricNames().toString());

    JsonNode status = harness.invoke("limits-status.json").body();
    assertEquals("19.994000", limit(status, "usd-per-month").path("remaining").asText());
    assertEquals(3, limit(status, "generations-in-flight").path("remaining").asLong());

    Answer again = harness.invoke("settle.json");
    assertTrue(again.body().path("replayed").asBoolean());
    assertEquals(settle.body().path("limits").get(3).path("settlement"), again.body().path("limits").get(3).path("settlement"));
    Answer release = harness.invoke("release.json");
    assertEquals(200, release.status());
    assertFalse(release.body().path("released").asBoolean());
    assertEquals("freed-by-settle", release.body().path("leases").get(0).path("result").asText());
  }

  @Test
  void aSecondGenerationOnTheFreePlanIsDeniedByItsConcurrencyLimitUntilTheFirstIsReleased() {
    assertEquals(200, harness.invoke("check-reserve-free.json").status());
    Answer denied = harness.invoke("check-concurrency-denied.json");
    assertEquals(429, denied.status(), denied.body().toString());
    assertEquals("generations-in-flight", denied.body().path("deniedBy").asText());
    assertTrue(Long.parseLong(denied.header("Retry-After")) >= 1);
    assertTrue(harness.metrics().lastMetricNames().contains("DeniedByConcurrency"));

    String releaseFirst = "{\"creatorId\": \"creator-123\", \"tier\": \"free\", \"requestId\": \"gen-free-1\"}";
    Answer released = harness.invoke(LambdaHarness.eventWithBody("release.json", releaseFirst, false));
    assertTrue(released.body().path("released").asBoolean(), released.body().toString());
    assertEquals("released", released.body().path("leases").get(0).path("result").asText());
    Answer twice = harness.invoke(LambdaHarness.eventWithBody("release.json", releaseFirst, false));
    assertEquals("already-released", twice.body().path("leases").get(0).path("result").asText());
    assertEquals(200, harness.invoke("check-concurrency-denied.json").status());
  }

  @Test
  void aSettleAfterTheReservationExpiredIsA400AndTheEstimateStaysCharged() throws InterruptedException {
    harness.invoke("check-reserve-model.json");
    Thread.sleep(1100);   // the reservation lives 1 s here
    Answer late = harness.invoke("settle.json");
    assertEquals(400, late.status());
    assertTrue(late.body().path("type").asText().endsWith("reservation-expired"), late.body().toString());
    assertTrue(late.body().path("detail").asText().contains("stay charged at their estimate"), late.body().toString());
    assertTrue(harness.metrics().lastMetricNames().contains("ExpiredReservations"));
    assertEquals(20_000_000 - 5200, limit(harness.invoke("limits-status.json").body(), "tokens-per-month")
        .path("remaining").asLong());
  }

  @Test
  void aCallThatUsedMoreThanItReservedIsChargedTheOverrunAndCountedAsSuch() {
    harness.invoke("check-reserve-model.json");
    String more = "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"requestId\": \"gen-4f1c\","
        + " \"model\": \"gpt-4o\", \"inputTokens\": 1200, \"outputTokens\": 4500}";
    Answer settle = harness.invoke(LambdaHarness.eventWithBody("settle.json", more, false));
    assertEquals(500, limit(settle.body(), "tokens-per-month").path("settlement").path("applied").asLong());
    assertEquals("0.005000", limit(settle.body(), "usd-per-month").path("settlement").path("applied").asText());
    assertTrue(harness.metrics().lastMetricNames().containsAll(List.of("OverrunTokens", "OverrunMicroUsd")),
        harness.metrics().lastMetricNames().toString());
    assertEquals(20_000_000 - 5700, limit(harness.invoke("limits-status.json").body(), "tokens-per-month")
        .path("remaining").asLong());
  }

  @Test
  void aSettleNamingAnotherPlanIsRefusedAndChangesNothing() {
    harness.invoke("check-reserve-model.json");
    String otherPlan = "{\"creatorId\": \"creator-123\", \"tier\": \"enterprise\", \"requestId\": \"gen-4f1c\","
        + " \"model\": \"gpt-4o\", \"inputTokens\": 1200, \"outputTokens\": 300}";
    Answer refused = harness.invoke(LambdaHarness.eventWithBody("settle.json", otherPlan, false));
    assertEquals(400, refused.status());
    assertTrue(refused.body().path("type").asText().endsWith("request-id-of-another-plan"), refused.body().toString());
    assertEquals(20_000_000 - 5200, limit(harness.invoke("limits-status.json").body(), "tokens-per-month")
        .path("remaining").asLong());
  }
}
