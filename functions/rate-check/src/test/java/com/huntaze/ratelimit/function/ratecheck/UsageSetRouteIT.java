package com.huntaze.ratelimit.function.ratecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.plan.FailureMode;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/** The operators' {@code PUT /v1/usage/{creatorId}} through the handler on a real redis-server, with the bundled plans. */
class UsageSetRouteIT {
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
    handler(server.port());
  }

  @AfterEach
  void closeHandler() {
    harness.handler().close();
  }

  private void handler(int port) {
    if (harness != null) {
      harness.handler().close();
    }
    LimiterConfig config = LimiterConfig.fromEnvironment(RateCheckHandlerIT.environment(port, FailureMode.FAIL_CLOSED));
    harness = new LambdaHarness<>("RateCheckFunction", (telemetry, log) -> new RateCheckHandler(config, telemetry, log));
  }

  private static APIGatewayV2HTTPEvent put(String body) {
    return LambdaHarness.eventWithBody("usage-put.json", body, false);
  }

  private static JsonNode limit(JsonNode body, String name) {
    for (JsonNode limit : body.path("limits")) {
      if (limit.path("name").asText().equals(name)) {
        return limit;
      }
    }
    throw new AssertionError("no limit " + name + " in " + body);
  }

  private static long keys() {
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      return jedis.dbSize();
    }
  }

  @Test
  void theEventFileCarriesTheMonthsAndTheDaysUsageOverAndAStatusCallSeesIt() {
    Answer set = harness.invoke("usage-put.json");
    assertEquals(200, set.status(), set.body().toString());
    assertEquals("application/json", set.header("Content-Type"));
    assertEquals(6, set.body().path("limits").size(), "every limit of pro: " + set.body());
    JsonNode tokens = limit(set.body(), "tokens-per-month");
    assertEquals(0, tokens.path("usageSet").path("before").asLong());
    assertEquals(1_234_567, tokens.path("usageSet").path("after").asLong());
    assertEquals(20_000_000 - 1_234_567, tokens.path("remaining").asLong());
    assertEquals(40, limit(set.body(), "requests-per-day").path("usageSet").path("after").asLong());
    JsonNode money = limit(set.body(), "usd-per-month");
    assertEquals("3.250000", money.path("usageSet").path("requested").asText());
    assertEquals("0.000000", money.path("usageSet").path("before").asText());
    assertEquals("3.250000", money.path("usageSet").path("after").asText());
    assertEquals("16.750000", money.path("remaining").asText(), "exact to the micro-dollar");
    assertTrue(limit(set.body(), "requests-per-minute").path("usageSet").isMissingNode(), "only the named limits");

    JsonNode log = harness.lastLogLine();
    assertEquals("usage-set", log.path("decision").asText());
    assertEquals("arn:aws:iam::123456789012:user/ops-alice", log.path("setBy").asText());
    assertEquals("pro", log.path("plan").asText());
    assertTrue(log.path("usage").asText().contains("tokens-per-month 0 -> 1234567"), log.toString());

    JsonNode status = harness.invoke("limits-status.json").body();
    assertEquals(20_000_000 - 1_234_567, limit(status, "tokens-per-month").path("remaining").asLong());
    assertEquals(5000 - 40, limit(status, "requests-per-day").path("remaining").asLong());
    assertEquals("16.750000", limit(status, "usd-per-month").path("remaining").asText());
  }

  @Test
  void aRepeatedCallChangesNothingAndASmallerAmountNeverLowersTheUsage() {
    harness.invoke("usage-put.json");
    Answer again = harness.invoke("usage-put.json");
    assertEquals(200, again.status(), again.body().toString());
    JsonNode tokens = limit(again.body(), "tokens-per-month").path("usageSet");
    assertEquals(1_234_567, tokens.path("before").asLong());
    assertEquals(1_234_567, tokens.path("after").asLong());
    Answer lower = harness.invoke(put("{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": 1000, \"usd-per-month\": 1}}"));
    assertEquals(200, lower.status(), lower.body().toString());
    assertEquals(1_234_567, limit(lower.body(), "tokens-per-month").path("usageSet").path("after").asLong());
    assertEquals("3.250000", limit(lower.body(), "usd-per-month").path("usageSet").path("after").asText());
  }

  @Test
  void anAmountBeyondTheLimitInForceStopsThereAndTheNextCheckIsDenied() {
    String future = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
    Answer override = harness.invoke(LambdaHarness.eventWithBody("overrides-put.json", "{\"limits\": {\"requests-per-day\":"
        + " 50}, \"expiresAt\": \"" + future + "\", \"reason\": \"migration\"}", false));
    assertEquals(200, override.status(), override.body().toString());
    Answer set = harness.invoke(put("{\"tier\": \"pro\", \"usage\": {\"requests-per-day\": 80}}"));
    JsonNode day = limit(set.body(), "requests-per-day");
    assertEquals(50, day.path("usageSet").path("after").asLong(), "the override's 50, not the 80 asked for");
    assertEquals(50, day.path("limit").asLong());
    assertTrue(day.path("overridden").asBoolean());
    assertEquals(0, day.path("remaining").asLong());
    Answer check = harness.invoke(LambdaHarness.eventWithBody("check-allowed.json",
        "{\"creatorId\": \"creator-123\", \"tier\": \"pro\"}", false));
    assertEquals(429, check.status(), check.body().toString());
    assertEquals("requests-per-day", check.body().path("deniedBy").asText());
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("a lease limit", "{\"tier\": \"pro\", \"usage\": {\"generations-in-flight\": 1}}", "usage", 400),
        Arguments.of("an unknown limit", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-week\": 1}}", "usage", 400),
        Arguments.of("a negative amount", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": -5}}", "usage", 400),
        Arguments.of("a fraction", "{\"tier\": \"pro\", \"usage\": {\"requests-per-day\": 1.5}}", "usage", 400),
        Arguments.of("tokens as a string", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": \"5\"}}", "usage", 400),
        Arguments.of("an absurd amount", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": 1e13}}", "usage", 400),
        Arguments.of("money below a micro-dollar", "{\"tier\": \"pro\", \"usage\": {\"usd-per-month\": \"0.0000001\"}}",
            "usage", 400),
        Arguments.of("money with an exponent", "{\"tier\": \"pro\", \"usage\": {\"usd-per-month\": \"1e2\"}}", "usage", 400),
        Arguments.of("negative money", "{\"tier\": \"pro\", \"usage\": {\"usd-per-month\": \"-1.00\"}}", "usage", 400),
        Arguments.of("money a boolean", "{\"tier\": \"pro\", \"usage\": {\"usd-per-month\": true}}", "usage", 400),
        Arguments.of("no amount", "{\"tier\": \"pro\", \"usage\": {}}", "usage", 400),
        Arguments.of("usage a list", "{\"tier\": \"pro\", \"usage\": [1]}", "usage", 400),
        Arguments.of("no usage", "{\"tier\": \"pro\"}", "usage", 400),
        Arguments.of("no tier", "{\"usage\": {\"tokens-per-month\": 5}}", "tier", 400),
        Arguments.of("an unknown tier", "{\"tier\": \"platinum\", \"usage\": {\"tokens-per-month\": 5}}", "tier", 400),
        Arguments.of("an unknown field", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": 5}, \"by\": \"me\"}",
            "by", 400),
        Arguments.of("a duplicate limit", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": 5, \"tokens-per-month\":"
            + " 6}}", null, 400),
        Arguments.of("over 8 KiB", "{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": 5}, \"pad\": \""
            + "x".repeat(9000) + "\"}", null, 413));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadCarryOverIsRefusedInOurOwnWordsAndWritesNothing(String name, String body, String field, int status) {
    Answer answer = harness.invoke(put(body));
    assertEquals(status, answer.status(), name + ": " + answer.body());
    assertEquals("application/problem+json", answer.header("Content-Type"), name);
    assertFalse(answer.body().path("detail").asText().isBlank(), name);
    if (field != null) {
      assertEquals(field, answer.body().path("field").asText(), name + ": " + answer.body());
    }
    assertFalse(answer.response().getBody().toLowerCase().contains("exception"), answer.response().getBody());
    assertEquals(0, keys(), name + ": nothing written");
  }

  @Test
  void aLeaseLimitIsRefusedBecauseLeasesAreNotUsage() {
    Answer answer = harness.invoke(put("{\"tier\": \"pro\", \"usage\": {\"tokens-per-month\": 5,"
        + " \"generations-in-flight\": 1}}"));
    assertEquals(400, answer.status());
    assertTrue(answer.body().path("detail").asText().contains("calls in flight"), answer.body().toString());
    assertEquals(0, keys(), "not even the tokens");
  }

  @Test
  void aCreatorIdThatBreaksTheIdRulesIsRefused() {
    APIGatewayV2HTTPEvent event = LambdaHarness.event("usage-put.json");
    event.setRawPath("/v1/usage/a%7Bb%7D");
    event.getRequestContext().getHttp().setPath("/v1/usage/a{b}");
    event.setPathParameters(Map.of("creatorId", "a{b}"));
    Answer answer = harness.invoke(event);
    assertEquals(400, answer.status(), answer.body().toString());
    assertEquals("creatorId", answer.body().path("field").asText());
    assertEquals(0, keys());
  }

  @Test
  void withoutRedisTheAnswerIsA503ThatSaysNothingChanged() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    handler(closedPort);
    Answer answer = harness.invoke("usage-put.json");
    assertEquals(503, answer.status(), answer.body().toString());
    assertEquals("1", answer.header("Retry-After"));
    assertTrue(answer.body().path("detail").asText().endsWith("before the usage was sent, so nothing changed;"
        + " retry shortly"), answer.body().toString());
  }
}
