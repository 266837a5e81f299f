package com.huntaze.ratelimit.function.ratecheck;

import static com.huntaze.ratelimit.function.testing.LambdaHarness.body;
import static com.huntaze.ratelimit.function.testing.LambdaHarness.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.plan.FailureMode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The rate-check handler on a real redis-server, driven with the events/ files as the Lambda runtime
 * deserializes them; bodies, headers, log lines and EMF metrics checked.
 */
class RateCheckHandlerIT {
  private static LocalRedisServer server;
  private static UnifiedJedis admin;

  private final List<LambdaHarness<RateCheckHandler>> harnesses = new ArrayList<>();
  private LambdaHarness<RateCheckHandler> harness;

  @BeforeAll
  static void startRedis() {
    server = LocalRedisServer.startStandalone();
    admin = RedisClients.create(RedisSettings.plainText("127.0.0.1", server.port()));
  }

  @AfterAll
  static void stopRedis() {
    admin.close();
    server.close();
  }

  @BeforeEach
  void emptyRedis() {
    admin.flushAll();
  }

  @AfterEach
  void closeHandlers() {
    harnesses.forEach(h -> h.handler().close());
  }

  /** The environment template.yaml would set for a plain-text Redis at port, with short timeouts. */
  static Map<String, String> environment(int port, FailureMode mode) {
    return Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(port), "REDIS_TLS", "false",
        "REDIS_CONNECT_TIMEOUT_MS", "300", "REDIS_SOCKET_TIMEOUT_MS", "300",
        "RATE_LIMIT_ON_REDIS_FAILURE", mode == FailureMode.FAIL_OPEN ? "fail-open" : "fail-closed");
  }

  /** A handler on Redis at port in the harness; its log lines and metrics are the harness's. */
  private RateCheckHandler handler(int port, FailureMode mode) {
    return handler(LimiterConfig.fromEnvironment(environment(port, mode)));
  }

  private RateCheckHandler handler(LimiterConfig config) {
    harness = new LambdaHarness<>("RateCheckFunction", (telemetry, log) -> new RateCheckHandler(config, telemetry, log));
    harnesses.add(harness);
    return harness.handler();
  }

  private RateCheckHandler handler() {
    return handler(server.port(), FailureMode.FAIL_CLOSED);
  }

  private APIGatewayV2HTTPResponse invoke(RateCheckHandler handler, String eventFile) {
    return invoke(handler, event(eventFile));
  }

  private APIGatewayV2HTTPResponse invoke(RateCheckHandler handler, APIGatewayV2HTTPEvent event) {
    assertSame(harness.handler(), handler, "the handler of the last harness");
    return harness.invoke(event).response();
  }

  private List<JsonNode> logLines() {
    return harness.logLines();
  }

  @Test
  void anAllowedCheckNamesEveryLimitOfThePlanWithItsHeaders() throws Exception {
    APIGatewayV2HTTPResponse response = invoke(handler(), "check-allowed.json");
    assertEquals(200, response.getStatusCode());
    assertEquals("application/json", response.getHeaders().get("Content-Type"));
    JsonNode body = body(response);
    assertTrue(body.get("allowed").asBoolean());
    assertEquals("creator-123", body.get("creatorId").asText());
    assertEquals("pro", body.get("tier").asText());
    List<String> names = new ArrayList<>();
    body.get("limits").forEach(l -> names.add(l.get("name").asText()));
    assertEquals(List.of("requests-per-minute", "tokens-per-minute", "requests-per-day", "tokens-per-month",
        "usd-per-month", "generations-in-flight"), names);
    JsonNode tokens = body.get("limits").get(1);
    assertEquals(199_500, tokens.get("remaining").asLong());
    assertEquals("token-bucket", tokens.get("algorithm").asText());
    assertEquals(200_000, tokens.get("burst").asLong());
    JsonNode money = body.get("limits").get(4);
    assertEquals("20.000000", money.get("limit").asText(), "money is an exact decimal string of USD");
    assertTrue(money.get("limit").isTextual());
    assertEquals(200_000 - 500, body.get("maxOutputTokens").asLong(), "the output that fits the token bucket now");

    assertEquals("\"requests-per-minute\";q=60;w=60, \"tokens-per-minute\";q=200000;w=60;qu=\"tokens\", "
        + "\"requests-per-day\";q=5000;w=86400, \"tokens-per-month\";q=20000000;w=2592000;qu=\"tokens\", "
        + "\"usd-per-month\";q=20000000;w=2592000;x-unit=\"usd-micros\", "
        + "\"generations-in-flight\";q=3;qu=\"concurrent-requests\"",
        response.getHeaders().get("RateLimit-Policy"));
    // a sliding window's counters free a request with its 6 s sub-window: fully available 60 to 66 s on
    java.util.regex.Matcher minute = java.util.regex.Pattern.compile("^\"requests-per-minute\";r=59;t=(\\d+), ")
        .matcher(response.getHeaders().get("RateLimit"));
    assertTrue(minute.find(), response.getHeaders().get("RateLimit"));
    long reset = Long.parseLong(minute.group(1));
    assertTrue(reset >= 60 && reset <= 66, "reset " + reset);
    // the tightest limit: 59 of 60 requests this minute left is a smaller share than 4999 of 5000 today
    assertEquals("60", response.getHeaders().get("X-RateLimit-Limit"));
    assertEquals("59", response.getHeaders().get("X-RateLimit-Remaining"));
    assertEquals(Long.toString(reset), response.getHeaders().get("X-RateLimit-Reset"));
    assertNull(response.getHeaders().get("Retry-After"));
    assertTrue(LambdaHarness.wireJson(response).contains("\"statusCode\":200"));

    JsonNode line = logLines().get(0);
    assertEquals("POST /v1/check", line.get("route").asText());
    assertEquals("allowed", line.get("decision").asText());
    assertEquals("pro", line.get("plan").asText());
    assertEquals(200, line.get("status").asInt());
    assertTrue(line.get("redisLatencyMs").asDouble() > 0);
    assertFalse(line.get("requestId").asText().isEmpty());
    assertTrue(harness.metrics().lastMetricNames().containsAll(List.of("RedisLatency", "Allowed")), harness.metrics().lastMetricNames().toString());
    assertEquals("pro", harness.metrics().documents().get(0).get("Plan").asText());
  }

  @Test
  void theEleventhFreeCheckInAMinuteIsDeniedWithRetryAfterAndChargesNothing() throws Exception {
    RateCheckHandler handler = handler();
    for (int i = 0; i < 10; i++) {
      assertEquals(200, invoke(handler, "check-free-burst.json").getStatusCode(), "check " + i);
    }
    String usage = "rl:{creator-burst}:@usage";
    assertEquals(2, admin.hlen(usage), "a check of one request charges the two request limits: " + admin.hkeys(usage));
    byte[] before = admin.dump(usage);
    APIGatewayV2HTTPResponse denied = invoke(handler, "check-free-burst.json");
    assertEquals(429, denied.getStatusCode());
    JsonNode body = body(denied);
    assertFalse(body.get("allowed").asBoolean());
    assertEquals("requests-per-minute", body.get("deniedBy").asText());
    long retry = body.get("retryAfterSeconds").asLong();
    assertTrue(retry >= 1 && retry <= 66, "retry " + retry + ": within the window and its last 6 s sub-window");
    assertEquals(Long.toString(retry), denied.getHeaders().get("Retry-After"));
    assertEquals("0", denied.getHeaders().get("X-RateLimit-Remaining"));
    assertEquals("10", denied.getHeaders().get("X-RateLimit-Limit"));
    assertArrayEquals(before, admin.dump(usage), "a denied check charges no limit");
    List<JsonNode> lines = logLines();
    assertEquals(11, lines.size());
    assertEquals("denied", lines.get(10).get("decision").asText());
    assertEquals("requests-per-minute", lines.get(10).get("deniedBy").asText());
    assertTrue(harness.metrics().lastMetricNames().contains("Denied"));
  }

  @Test
  void aRetriedRequestIdIsReplayedWithoutASecondCharge() {
    RateCheckHandler handler = handler();
    JsonNode first = body(invoke(handler, "check-with-request-id.json"));
    JsonNode retry = body(invoke(handler, "check-with-request-id.json"));
    assertFalse(first.get("replayed").asBoolean());
    assertTrue(retry.get("replayed").asBoolean());
    assertEquals(first.get("limits"), retry.get("limits"));
    JsonNode status = body(invoke(handler, "limits-status.json"));
    assertEquals(59, status.get("limits").get(0).get("remaining").asLong());
    assertEquals(4_999, status.get("limits").get(2).get("remaining").asLong());
    assertEquals(19_998_800, status.get("limits").get(3).get("remaining").asLong());   // 1200 tokens, once
  }

  @Test
  void aBase64EncodedBodyIsDecoded() {
    APIGatewayV2HTTPResponse response = invoke(handler(), "check-base64-body.json");
    assertEquals(200, response.getStatusCode(), response.getBody());
    assertEquals("free", body(response).get("tier").asText());
    assertEquals("creator-456", body(response).get("creatorId").asText());
  }

  @Test
  void statusConsumesNothingAndResetForgetsTheCreator() {
    RateCheckHandler handler = handler();
    invoke(handler, "check-allowed.json");
    for (int i = 0; i < 3; i++) {
      APIGatewayV2HTTPResponse status = invoke(handler, "limits-status.json");
      assertEquals(200, status.getStatusCode());
      assertEquals(59, body(status).get("limits").get(0).get("remaining").asLong());
      assertTrue(status.getHeaders().containsKey("RateLimit"));
    }
    APIGatewayV2HTTPResponse reset = invoke(handler, "limits-reset.json");
    assertEquals(200, reset.getStatusCode());
    assertTrue(body(reset).get("reset").asBoolean());
    // one usage hash holds every window, bucket and fixed limit of the creator
    assertEquals(1, body(reset).get("keysDeleted").asLong());
    assertEquals(60, body(invoke(handler, "limits-status.json")).get("limits").get(0).get("remaining").asLong());
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("check-missing-creator-id.json", 400, "missing-field", "creatorId", "'creatorId' is required"),
        Arguments.of("check-unknown-plan.json", 400, "unknown-plan", "tier", "unknown plan 'platinum'; known plans: free, pro, enterprise"),
        Arguments.of("check-malformed-json.json", 400, "malformed-json", null, "not valid JSON"),
        Arguments.of("check-negative-tokens.json", 400, "invalid-field", "tokens", "from 0 to 10000000"),
        Arguments.of("check-wrong-type.json", 400, "wrong-type", "tokens", "must be a whole number, not a string"),
        Arguments.of("check-invalid-creator-id.json", 400, "invalid-field", "creatorId", "'{' at position 8"),
        Arguments.of("check-body-too-large.json", 413, "body-too-large", null, "at most 8192 bytes"),
        Arguments.of("check-wrong-content-type.json", 415, "unsupported-media-type", null, "application/json"),
        Arguments.of("check-wrong-method.json", 405, "method-not-allowed", null, "use POST"),
        Arguments.of("unknown-route.json", 404, "not-found", null, "no route GET /v1/quotas"),
        Arguments.of("limits-status-missing-tier.json", 400, "missing-field", "tier", "'tier' is required"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badRequests")
  void badInputGetsAClearProblemAndIsChargedNothing(String eventFile, int status, String type, String field,
      String detail) throws Exception {
    APIGatewayV2HTTPResponse response = invoke(handler(), eventFile);
    assertEquals(status, response.getStatusCode(), response.getBody());
    assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
    JsonNode problem = body(response);
    assertEquals("urn:problem:rate-limiter:" + type, problem.get("type").asText());
    assertEquals(status, problem.get("status").asInt());
    assertTrue(problem.get("detail").asText().contains(detail), problem.get("detail").asText());
    assertEquals(field, problem.has("field") ? problem.get("field").asText() : null);
    assertTrue(problem.get("instance").asText().length() > 0);
    assertFalse(response.getBody().contains("Exception"), "no stack trace or exception name");
    assertEquals(0, admin.dbSize(), "nothing charged");
    assertEquals("invalid", logLines().get(0).get("decision").asText());
    if (status == 405) {
      assertEquals("POST", response.getHeaders().get("Allow"));
    }
  }

  @Test
  void beforeASnapStartSnapshotNoRedisConnectionStaysOpenAndTheNextCheckReconnects() throws InterruptedException {
    RateCheckHandler handler = handler();
    assertEquals(200, invoke(handler, "check-allowed.json").getStatusCode());
    long before = clients();
    handler.beforeCheckpoint(null);
    assertEquals(before - 1, clientsOnceSettled(before - 1), "the handler's pooled connection is closed");
    assertEquals(200, invoke(handler, "check-allowed.json").getStatusCode());
    assertEquals(before, clients());
  }

  @Test
  void snapStartPrimingSendsARealScriptCallWritesNothingConsumesNothingAndLeavesNoConnection()
      throws InterruptedException {
    try (RespProxy proxy = RespProxy.to("127.0.0.1", server.port())) {
      RateCheckHandler handler = handler(proxy.port(), FailureMode.FAIL_CLOSED);
      handler.beforeCheckpoint(null);

      assertTrue(proxy.commands().contains("FCALL"), "the status call ran the script: " + proxy.commands());
      assertEquals(0, admin.dbSize(), "a status call and a refused check store nothing");
      assertEquals(List.of(), harness.logLines(), "priming writes no log line");
      assertEquals(List.of(), harness.metrics().rawDocuments(), "priming writes no metrics");
      assertEquals(0, clientsOnceSettled(0), "no Redis connection is left open for the snapshot");

      APIGatewayV2HTTPResponse first = invoke(handler, "check-allowed.json");
      assertEquals(200, first.getStatusCode(), "the first request after the snapshot reconnects");
      assertEquals(59, body(first).get("limits").get(0).get("remaining").asLong(), "only the real check counted");
    }
  }

  @Test
  void snapStartPrimingWithoutRedisStillLetsTheSnapshotBeTaken() throws java.io.IOException {
    RateCheckHandler handler = handler(closedPort(), FailureMode.FAIL_CLOSED);
    handler.beforeCheckpoint(null);   // returns: priming is best effort
    assertEquals(List.of(), harness.logLines());
  }

  /** {@link #clients()} once it is {@code expected} or 2 s have passed: the server sees a close a moment later. */
  private static long clientsOnceSettled(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    long clients = clients();
    while (clients != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
      clients = clients();
    }
    return clients;
  }

  /** Connections the server has open, not counting the admin connection asking. */
  private static long clients() {
    String clients = admin.info("clients");
    return clients.lines().filter(l -> l.startsWith("connected_clients:"))
        .mapToLong(l -> Long.parseLong(l.substring("connected_clients:".length()).trim())).findFirst().orElseThrow() - 1;
  }

  @Test
  void aMalformedEventIsABadRequestNotACrash() {
    APIGatewayV2HTTPResponse response = invoke(handler(), new APIGatewayV2HTTPEvent());
    assertEquals(400, response.getStatusCode());
    assertEquals("urn:problem:rate-limiter:malformed-event", body(response).get("type").asText());
  }

  @Test
  void redisDownFailsClosedWith503AndRetryAfter() throws Exception {
    int closedPort = closedPort();
    APIGatewayV2HTTPResponse response = invoke(handler(closedPort, FailureMode.FAIL_CLOSED), "check-allowed.json");
    assertEquals(503, response.getStatusCode());
    assertEquals("1", response.getHeaders().get("Retry-After"));
    assertEquals("urn:problem:rate-limiter:redis-unavailable", body(response).get("type").asText());
    String detail = body(response).get("detail").asText();
    assertTrue(detail.contains("could not connect to Redis (CONNECTION) before the check was sent, so nothing was"
        + " charged"), detail);
    JsonNode line = logLines().get(0);
    assertEquals("unavailable", line.get("decision").asText());
    assertEquals("CONNECTION", line.get("errorKind").asText());
    assertTrue(harness.metrics().lastMetricNames().contains("RedisErrors"));
  }

  @Test
  void redisDownFailsOpenAsAnAllowedAnswerMarkedDegraded() throws Exception {
    int closedPort = closedPort();
    APIGatewayV2HTTPResponse response = invoke(handler(closedPort, FailureMode.FAIL_OPEN), "check-allowed.json");
    assertEquals(200, response.getStatusCode());
    JsonNode body = body(response);
    assertTrue(body.get("allowed").asBoolean());
    assertTrue(body.get("degraded").asBoolean());
    assertTrue(body.get("reason").asText().contains("CONNECTION"));
    assertEquals("degraded", logLines().get(0).get("decision").asText());
    assertTrue(harness.metrics().lastMetricNames().containsAll(List.of("RedisErrors", "Degraded")));
  }

  @Test
  void statusAndResetWithRedisDownSayWhatTheyDidNot() throws Exception {
    int closedPort = closedPort();
    RateCheckHandler handler = handler(closedPort, FailureMode.FAIL_OPEN);
    JsonNode status = body(invoke(handler, "limits-status.json"));
    assertEquals(503, status.get("status").asInt(), "a status is never answered fail-open");
    assertTrue(status.get("detail").asText().endsWith("; a status call charges nothing, retry shortly"),
        status.toString());
    JsonNode reset = body(invoke(handler, "limits-reset.json"));
    assertEquals(503, reset.get("status").asInt());
    assertTrue(reset.get("detail").asText().contains("before the reset was sent, so nothing was deleted"),
        reset.toString());
    assertEquals(List.of("RedisErrors", "RedisErrors", "RedisLatency", "RedisLatency"),
        harness.metrics().metricNames(), "the status and the reset each measured their attempt and counted its failure");
  }

  @Test
  void aTimedOutCheckMayHaveBeenChargedSoOnlyARetryWithTheSameRequestIdIsSafe() {
    try (RespProxy proxy = RespProxy.to("127.0.0.1", server.port())) {
      RateCheckHandler handler = handler(proxy.port(), FailureMode.FAIL_CLOSED);
      assertEquals(60, awaitRemaining(handler, 60), "connected through the proxy");

      proxy.stall(true);
      JsonNode timedOut = body(invoke(handler, "check-with-request-id.json"));
      proxy.stall(false);
      assertEquals(503, timedOut.get("status").asInt(), timedOut.toString());
      assertEquals("TIMEOUT", logLines().get(1).get("errorKind").asText());
      assertEquals("Redis did not answer in time (TIMEOUT); Redis may have run the check, so it may have been"
          + " charged. Retrying with the same requestId is safe: a check that was charged is replayed, not charged"
          + " again", timedOut.get("detail").asText());
      // What the answer warned of: the held check reaches Redis after the client gave up, and is charged.
      assertEquals(59, awaitRemaining(handler, 59), "the timed-out check was charged after all");
      JsonNode retry = body(invoke(handler, "check-with-request-id.json"));
      assertTrue(retry.get("replayed").asBoolean(), retry.toString());
      assertEquals(59, awaitRemaining(handler, 59), "the retry with the same request id charged nothing more");

      proxy.stall(true);
      JsonNode withoutId = body(invoke(handler, "check-allowed.json"));
      proxy.stall(false);
      assertTrue(withoutId.get("detail").asText().endsWith("This check had no requestId, so a retry may charge it"
          + " twice; send a requestId to make retries safe"), withoutId.toString());
      assertEquals(58, awaitRemaining(handler, 58), "charged after the timeout");
      assertEquals(200, invoke(handler, "check-allowed.json").getStatusCode());
      assertEquals(57, awaitRemaining(handler, 57), "the retry without a request id charged a second time");
    }
  }

  @Test
  void aServerThatRefusesTheLoginIs503AndNothingWasCharged(@TempDir Path dir) throws Exception {
    try (LocalRedisServer locked = LocalRedisServer.builder().password("pw-the-handler-does-not-have").start()) {
      Path passwordFile = Files.writeString(dir.resolve("password"), "a-wrong-password");
      Map<String, String> environment = new HashMap<>(environment(locked.port(), FailureMode.FAIL_CLOSED));
      environment.put("REDIS_AUTH_MODE", "password");
      environment.put("REDIS_PASSWORD_FILE", passwordFile.toString());
      JsonNode problem = body(invoke(handler(LimiterConfig.fromEnvironment(environment)), "check-allowed.json"));
      assertEquals(503, problem.get("status").asInt(), problem.toString());
      assertEquals("AUTH", logLines().get(0).get("errorKind").asText(), logLines().get(0).toString());
      assertTrue(problem.get("detail").asText().startsWith("Redis refused the function's credentials or permissions"
          + " (AUTH) before the check was sent, so nothing was charged"), problem.toString());
      assertFalse(harness.everythingWritten().contains("a-wrong-password"), "no secret written");
    }
  }

  /** A port nothing listens on: connecting to it is refused. */
  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** requests-per-minute remaining of creator-123 on pro once it is {@code expected}, or after 3 s. */
  private long awaitRemaining(RateCheckHandler handler, long expected) {
    long deadline = System.nanoTime() + 3_000_000_000L;
    long remaining;
    do {
      APIGatewayV2HTTPResponse status = invoke(handler, "limits-status.json");
      remaining = status.getStatusCode() == 200 ? body(status).get("limits").get(0).get("remaining").asLong() : -1;
    } while (remaining != expected && System.nanoTime() < deadline);
    return remaining;
  }
}
