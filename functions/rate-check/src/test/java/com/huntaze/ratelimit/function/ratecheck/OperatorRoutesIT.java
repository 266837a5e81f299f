package com.huntaze.ratelimit.function.ratecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.plan.FailureMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/** The operators' routes and switches through the handler on a real redis-server: overrides, shadow limits, dual-run. */
class OperatorRoutesIT {
  private static final String FUTURE = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
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
  void emptyRedis() {
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      jedis.flushAll();
    }
  }

  @AfterEach
  void closeHandler() {
    if (harness != null) {
      harness.handler().close();
    }
  }

  private void handler(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(RateCheckHandlerIT.environment(server.port(), FailureMode.FAIL_CLOSED));
    env.putAll(extra);
    LimiterConfig config = LimiterConfig.fromEnvironment(env);
    harness = new LambdaHarness<>("RateCheckFunction", (telemetry, log) -> new RateCheckHandler(config, telemetry, log));
  }

  private static APIGatewayV2HTTPEvent put(String body) {
    return LambdaHarness.eventWithBody("overrides-put.json", body, false);
  }

  private Answer freeCheck() {
    return harness.invoke(LambdaHarness.eventWithBody("check-allowed.json",
        "{\"creatorId\": \"creator-123\", \"tier\": \"free\"}", false));
  }

  @Test
  void anOverrideSetThroughTheRouteRaisesTheCreatorsLimitAndIsShownAndRemoved() {
    handler(Map.of());
    Answer set = harness.invoke(put("{\"limits\": {\"requests-per-minute\": 12, \"usd-per-month\": 2.5},"
        + " \"expiresAt\": \"" + FUTURE + "\", \"reason\": \"campaign\"}"));
    assertEquals(200, set.status(), set.body().toString());
    assertEquals("arn:aws:iam::123456789012:user/ops-alice", set.body().path("setBy").asText());
    assertEquals("2.500000", set.body().path("limits").path("usd-per-month").asText());
    assertEquals("override-set", harness.lastLogLine().path("decision").asText());
    assertEquals("arn:aws:iam::123456789012:user/ops-alice", harness.lastLogLine().path("setBy").asText());
    for (int i = 0; i < 12; i++) {
      Answer check = freeCheck();
      assertEquals(200, check.status(), "check " + (i + 1) + ": " + check.body());
      JsonNode rpm = check.body().path("limits").get(0);
      assertEquals(12, rpm.path("limit").asLong());
      assertTrue(rpm.path("overridden").asBoolean());
    }
    assertEquals(429, freeCheck().status(), "the 13th request of the minute");

    JsonNode shown = harness.invoke("overrides-get.json").body();
    assertEquals("campaign", shown.path("reason").asText());
    assertEquals(FUTURE, shown.path("expiresAt").asText());
    assertEquals(12, shown.path("limits").path("requests-per-minute").asLong());
    Answer removed = harness.invoke("overrides-delete.json");
    assertTrue(removed.body().path("removed").asBoolean());
    assertEquals("override-removed", harness.lastLogLine().path("decision").asText());
    Answer gone = harness.invoke("overrides-get.json");
    assertEquals(404, gone.status());
    assertTrue(gone.body().path("type").asText().endsWith("no-override"));
  }

  static Stream<Arguments> badOverrides() {
    String ok = "\"expiresAt\": \"" + FUTURE + "\", \"reason\": \"campaign\"";
    return Stream.of(
        Arguments.of("unknown limit", "{\"limits\": {\"requests-per-week\": 5}, " + ok + "}", 400),
        Arguments.of("zero", "{\"limits\": {\"requests-per-minute\": 0}, " + ok + "}", 400),
        Arguments.of("negative", "{\"limits\": {\"requests-per-minute\": -5}, " + ok + "}", 400),
        Arguments.of("fraction", "{\"limits\": {\"requests-per-minute\": 1.5}, " + ok + "}", 400),
        Arguments.of("absurd", "{\"limits\": {\"tokens-per-month\": 1e13}, " + ok + "}", 400),
        Arguments.of("sub-micro-dollar", "{\"limits\": {\"usd-per-month\": 0.0000001}, " + ok + "}", 400),
        Arguments.of("no limits", "{\"limits\": {}, " + ok + "}", 400),
        Arguments.of("limits a list", "{\"limits\": [1], " + ok + "}", 400),
        Arguments.of("unknown field", "{\"limits\": {\"requests-per-minute\": 5}, " + ok + ", \"by\": \"me\"}", 400),
        Arguments.of("expiry in the past", "{\"limits\": {\"requests-per-minute\": 5}, \"expiresAt\":"
            + " \"2020-01-01T00:00:00Z\", \"reason\": \"x\"}", 400),
        Arguments.of("expiry beyond a year", "{\"limits\": {\"requests-per-minute\": 5}, \"expiresAt\": \""
            + Instant.now().plus(Duration.ofDays(400)) + "\", \"reason\": \"x\"}", 400),
        Arguments.of("expiry not a time", "{\"limits\": {\"requests-per-minute\": 5}, \"expiresAt\": \"tomorrow\","
            + " \"reason\": \"x\"}", 400),
        Arguments.of("no reason", "{\"limits\": {\"requests-per-minute\": 5}, \"expiresAt\": \"" + FUTURE + "\"}", 400),
        Arguments.of("over 8 KiB", "{\"limits\": {\"requests-per-minute\": 5}, " + ok + ", \"pad\": \""
            + "x".repeat(9000) + "\"}", 413));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badOverrides")
  void aBadOverrideIsRefusedInOurOwnWordsAndWritesNothing(String name, String body, int status) {
    handler(Map.of());
    Answer answer = harness.invoke(put(body));
    assertEquals(status, answer.status(), name + ": " + answer.body());
    assertFalse(answer.body().path("detail").asText().isBlank());
    assertFalse(answer.response().getBody().toLowerCase().contains("exception"), answer.response().getBody());
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      assertEquals(0, jedis.dbSize(), name + ": nothing written");
    }
  }

  @Test
  void anOverrideForACreatorIdThatBreaksTheIdRulesIsRefused() {
    handler(Map.of());
    APIGatewayV2HTTPEvent event = put("{\"limits\": {\"requests-per-minute\": 5}, \"expiresAt\": \"" + FUTURE
        + "\", \"reason\": \"x\"}");
    event.setRawPath("/v1/overrides/a%7Bb%7D");
    event.getRequestContext().getHttp().setPath("/v1/overrides/a{b}");
    event.setPathParameters(Map.of("creatorId", "a{b}"));
    Answer answer = harness.invoke(event);
    assertEquals(400, answer.status(), answer.body().toString());
    assertEquals("creatorId", answer.body().path("field").asText());
  }

  @Test
  void inDualRunADenialIsAnsweredAsAllowedAndReportedWithTheRealDecision() {
    handler(Map.of("RATE_LIMIT_ENFORCE", "false"));
    for (int i = 0; i < 10; i++) {
      assertEquals(200, freeCheck().status());
    }
    Answer wouldDeny = freeCheck();
    assertEquals(200, wouldDeny.status());
    assertTrue(wouldDeny.body().path("allowed").asBoolean());
    assertFalse(wouldDeny.body().path("enforced").asBoolean(true));
    assertEquals("requests-per-minute", wouldDeny.body().path("deniedBy").asText());
    assertNull(wouldDeny.header("Retry-After"));
    assertEquals("denied-not-enforced", harness.lastLogLine().path("decision").asText());
    assertTrue(harness.metrics().lastMetricNames().contains("WouldDeny"));
    assertEquals(0, wouldDeny.body().path("limits").get(0).path("remaining").asLong(), "the denial charged nothing");
  }

  @Test
  void aShadowLimitNeverDeniesAndIsNamedLoggedAndCountedPerPlanAndLimit() throws Exception {
    String plans = "{\"plans\": {\"trial\": {\"limits\": ["
        + "{\"name\": \"requests-per-minute\", \"unit\": \"requests\", \"limit\": 100, \"window\": \"1m\","
        + " \"algorithm\": \"sliding-window\"},"
        + "{\"name\": \"requests-per-hour\", \"unit\": \"requests\", \"limit\": 1, \"window\": \"1h\","
        + " \"algorithm\": \"sliding-window\", \"enforce\": false}]}}}";
    handler(Map.of("RATE_LIMIT_PLANS", plans));
    String body = "{\"creatorId\": \"creator-123\", \"tier\": \"trial\"}";
    assertEquals(200, harness.invoke(LambdaHarness.eventWithBody("check-allowed.json", body, false)).status());
    Answer second = harness.invoke(LambdaHarness.eventWithBody("check-allowed.json", body, false));
    assertEquals(200, second.status());
    assertEquals("requests-per-hour", second.body().path("shadowDenied").get(0).asText());
    assertFalse(second.body().path("limits").get(1).path("enforce").asBoolean(true));
    assertEquals("requests-per-hour", harness.lastLogLine().path("shadowDenied").asText());
    assertTrue(harness.metrics().lastMetricNames().contains("ShadowDenied-requests-per-hour"));
    assertEquals("trial", harness.metrics().documents().get(harness.metrics().documents().size() - 1)
        .path("Plan").asText());
  }
}
