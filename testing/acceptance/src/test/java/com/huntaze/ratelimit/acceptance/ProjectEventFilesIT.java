package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunctions;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every file in events/ invoked as {@code sam local invoke} would: the project's template.yaml, the
 * packaged function jars, the Lambda Runtime Interface Client in a separate JVM, a real local redis-server.
 */
class ProjectEventFilesIT {
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  /** What each event file must produce: function, status, and a piece of the body. */
  private record Expected(String function, int status, String bodyContains) {
  }

  /**
   * In the order the loop invokes them: a settle follows its reservation, a concurrency denial a held lease,
   * the carry-over of pro usage every free-plan check (the limits of both plans share their names, so the
   * month's 1,234,567 tokens would leave the free plan's 500,000 nothing).
   */
  private static final Map<String, Expected> EXPECTED = ordered(
      Map.entry("check-allowed.json", new Expected("RateCheckFunction", 200, "\"allowed\":true")),
      Map.entry("check-with-request-id.json", new Expected("RateCheckFunction", 200, "\"allowed\":true")),
      Map.entry("check-base64-body.json", new Expected("RateCheckFunction", 200, "\"tier\":\"free\"")),
      Map.entry("check-free-burst.json", new Expected("RateCheckFunction", 200, "\"creatorId\":\"creator-burst\"")),
      Map.entry("check-missing-creator-id.json", new Expected("RateCheckFunction", 400, "'creatorId' is required")),
      Map.entry("check-unknown-plan.json", new Expected("RateCheckFunction", 400, "unknown plan 'platinum'")),
      Map.entry("check-malformed-json.json", new Expected("RateCheckFunction", 400, "not valid JSON")),
      Map.entry("check-negative-tokens.json", new Expected("RateCheckFunction", 400, "from 0 to 10000000")),
      Map.entry("check-wrong-type.json", new Expected("RateCheckFunction", 400, "must be a whole number")),
      Map.entry("check-invalid-creator-id.json", new Expected("RateCheckFunction", 400, "creatorId contains '{'")),
      Map.entry("check-body-too-large.json", new Expected("RateCheckFunction", 413, "at most 8192 bytes")),
      Map.entry("check-wrong-content-type.json", new Expected("RateCheckFunction", 415, "application/json")),
      Map.entry("check-wrong-method.json", new Expected("RateCheckFunction", 405, "use POST")),
      Map.entry("unknown-route.json", new Expected("RateCheckFunction", 404, "no route GET /v1/quotas")),
      Map.entry("limits-status.json", new Expected("RateCheckFunction", 200, "\"limits\":[")),
      Map.entry("limits-status-missing-tier.json", new Expected("RateCheckFunction", 400, "'tier' is required")),
      Map.entry("limits-reset.json", new Expected("RateCheckFunction", 200, "\"reset\":true")),
      Map.entry("check-reserve-model.json", new Expected("RateCheckFunction", 200, "\"maxOutputTokens\":4000")),
      Map.entry("settle.json", new Expected("RateCheckFunction", 200, "\"result\":\"adjusted\"")),
      Map.entry("release.json", new Expected("RateCheckFunction", 200, "\"result\":\"freed-by-settle\"")),
      Map.entry("check-reserve-free.json", new Expected("RateCheckFunction", 200, "\"charged\":1")),
      Map.entry("check-concurrency-denied.json",
          new Expected("RateCheckFunction", 429, "\"deniedBy\":\"generations-in-flight\"")),
      Map.entry("overrides-put.json",
          new Expected("RateCheckFunction", 200, "\"setBy\":\"arn:aws:iam::123456789012:user/ops-alice\"")),
      Map.entry("overrides-get.json", new Expected("RateCheckFunction", 200, "\"reason\":\"campaign\"")),
      Map.entry("overrides-delete.json", new Expected("RateCheckFunction", 200, "\"removed\":true")),
      Map.entry("usage-put.json", new Expected("RateCheckFunction", 200, "\"after\":1234567}")),
      Map.entry("test-redis.json", new Expected("ConnectionTestFunction", 200, "\"result\":\"PONG\"")),
      Map.entry("test-redis-wrong-method.json", new Expected("ConnectionTestFunction", 405, "GET")));

  private static final String OVERRIDE_EXPIRY = "2027-01-31T00:00:00Z";
  private static LocalFunctions functions;

  @SafeVarargs
  private static Map<String, Expected> ordered(Map.Entry<String, Expected>... entries) {
    Map<String, Expected> map = new LinkedHashMap<>();
    for (Map.Entry<String, Expected> entry : entries) {
      map.put(entry.getKey(), entry.getValue());
    }
    return Collections.unmodifiableMap(map);
  }

  @BeforeAll
  static void startFunctions() {
    SamTemplate template = SamTemplate.read(Project.TEMPLATE);
    List<FunctionDefinition> definitions = Stream.of("RateCheckFunction", "ConnectionTestFunction")
        .map(id -> template.function(id, Map.of())).toList();
    functions = LocalFunctions.prepare(definitions, id -> Map.of(), Map.of(),
        new PrintStream(LOG, true, StandardCharsets.UTF_8), true);
  }

  @AfterAll
  static void stopFunctions() {
    functions.close();
  }

  private static JsonNode invoke(String eventFile) throws IOException {
    return invoke(eventFile, "creator-123", "creator-123");
  }

  /** Invokes an event file with one creator id swapped for another. */
  private static JsonNode invoke(String eventFile, String creator, String instead) throws IOException {
    Expected expected = EXPECTED.get(eventFile);
    // the override event's expiry must stay ahead of the day the suite runs
    String event = Files.readString(Project.EVENTS.resolve(eventFile)).replace(creator, instead)
        .replace(OVERRIDE_EXPIRY, Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
    InvocationResult result = functions.get(expected.function()).invoke(event.getBytes(StandardCharsets.UTF_8));
    assertFalse(result.functionError(), eventFile + ": " + result.payloadText());
    return Json.parse(result.payload());
  }

  @Test
  void everyEventFileHasAnExpectation() throws IOException {
    try (Stream<Path> files = Files.list(Project.EVENTS)) {
      assertEquals(new TreeSet<>(EXPECTED.keySet()), files.map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".json")).collect(Collectors.toCollection(TreeSet::new)));
    }
  }

  @Test
  void everyEventFileAnswersAsDocumented() throws IOException {
    invoke("limits-reset.json", "creator-123", "creator-burst");   // other tests may have spent its burst
    String creator = "creator-123-" + System.nanoTime();   // fresh usage, leases and request ids
    for (String eventFile : EXPECTED.keySet()) {
      Expected expected = EXPECTED.get(eventFile);
      JsonNode response = invoke(eventFile, "creator-123", creator);
      String body = response.path("body").asText();
      assertEquals(expected.status(), response.path("statusCode").asInt(), eventFile + ": " + response);
      assertTrue(body.contains(expected.bodyContains()), eventFile + ": " + body);
      String contentType = response.path("headers").path("Content-Type").asText();
      boolean decision = expected.status() < 400 || expected.status() == 429;   // a denial is a decision too
      assertEquals(decision ? "application/json" : "application/problem+json", contentType, eventFile);
      assertFalse(body.contains("Exception"), eventFile + ": no stack trace or exception name: " + body);
    }
  }

  @Test
  void theFreeBurstEventIsDeniedOnTheEleventhCallWithRateLimitHeaders() throws IOException {
    invoke("limits-reset.json", "creator-123", "creator-burst");
    JsonNode last = null;
    int allowed = 0;
    for (int i = 0; i < 11; i++) {
      last = invoke("check-free-burst.json");
      allowed += last.path("statusCode").asInt() == 200 ? 1 : 0;
    }
    assertEquals(10, allowed, "the free plan admits 10 requests a minute");
    assertEquals(429, last.path("statusCode").asInt(), last.toString());
    JsonNode headers = last.path("headers");
    assertTrue(headers.path("Retry-After").asInt() >= 1, headers.toString());
    assertEquals("0", headers.path("X-RateLimit-Remaining").asText());
    assertTrue(headers.path("RateLimit-Policy").asText().startsWith("\"requests-per-minute\";q=10;w=60"));
    assertTrue(last.path("body").asText().contains("\"deniedBy\":\"requests-per-minute\""));
  }

  @Test
  void aRetriedRequestIdIsReplayedThroughTheRuntime() throws IOException {
    invoke("check-with-request-id.json");
    JsonNode retry = invoke("check-with-request-id.json");
    assertTrue(retry.path("body").asText().contains("\"replayed\":true"), retry.toString());
  }

  @Test
  void theFunctionsLogOneJsonLinePerInvocationAndEmfMetrics() throws IOException {
    invoke("check-allowed.json");
    String log = LOG.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("\"route\":\"POST /v1/check\""), log);
    assertTrue(log.contains("\"CloudWatchMetrics\""), log);
    assertTrue(log.contains("REPORT RequestId:"), log);
  }
}
