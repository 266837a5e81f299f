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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * A battery of bad check bodies, each sent in an event the runtime's serializer reads, through the
 * handler on a real redis-server: each is a 4xx problem whose detail is a sentence of ours (no class,
 * package, library or feature name, no location dump), and none is charged.
 */
class BadBodiesIT {
  /** What library text looks like; none of it may reach a detail. */
  private static final Pattern LIBRARY_TEXT = Pattern.compile("com\\.|jackson|feature|java\\.|exception|\\[source"
      + "|streamreadconstraints|redacted|\\tat |jsonnode|ctrl-char|\\$|\\bclass\\b", Pattern.CASE_INSENSITIVE);
  private static final String OK = "\"creatorId\":\"creator-123\",\"tier\":\"pro\"";

  private static LocalRedisServer server;
  private static LambdaHarness<RateCheckHandler> harness;

  @BeforeAll
  static void start() {
    server = LocalRedisServer.startStandalone();
    LimiterConfig config = LimiterConfig.fromEnvironment(
        RateCheckHandlerIT.environment(server.port(), FailureMode.FAIL_CLOSED));
    harness = new LambdaHarness<>("RateCheckFunction", (telemetry, log) -> new RateCheckHandler(config, telemetry, log));
  }

  @AfterAll
  static void stop() {
    harness.handler().close();
    server.close();
  }

  private static Arguments text(String name, String body) {
    return Arguments.of(name, body, false);
  }

  private static Arguments bytes(String name, byte[] body) {
    return Arguments.of(name, Base64.getEncoder().encodeToString(body), true);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        // malformed JSON
        text("trailing object", "{" + OK + "} {\"x\":1}"),
        text("trailing garbage", "{" + OK + "} x"),
        text("extra close", "{" + OK + "}}"),
        text("lone brace", "{"),
        text("cut short", "{\"creatorId\": \"creator-123\", \"tier\": \"pro\","),
        text("cut in a string", "{\"creatorId\": \"creator-12"),
        text("NaN", "{" + OK + ",\"tokens\": NaN}"),
        text("Infinity", "{" + OK + ",\"tokens\": Infinity}"),
        text("-Infinity", "{" + OK + ",\"tokens\": -Infinity}"),
        text("leading plus", "{\"tokens\": +1}"),
        text("leading plus with creator", "{" + OK + ",\"tokens\": +1}"),
        text("leading zero", "{" + OK + ",\"tokens\": 007}"),
        text("bare decimal point", "{" + OK + ",\"tokens\": 1.}"),
        text("hex number", "{" + OK + ",\"tokens\": 0x10}"),
        text("4000 nested arrays", "[".repeat(4000)),
        text("40 nested arrays in a field", "{" + OK + ",\"tokens\":" + "[".repeat(40) + "]".repeat(40) + "}"),
        text("2000-digit number", "{" + OK + ",\"tokens\":" + "9".repeat(2000) + "}"),
        text("duplicate key", "{" + OK + ",\"tier\":\"free\"}"),
        text("duplicate odd key", "{" + OK + ",\"a b\":1,\"a b\":2}"),
        text("lone surrogate escape", "{\"creatorId\":\"creator-\\ud800\",\"tier\":\"pro\"}"),
        text("lone low surrogate escape", "{\"creatorId\":\"creator-123\",\"tier\":\"pro\\udc00\"}"),
        text("lone surrogate character", "{\"creatorId\":\"creator-\ud800\",\"tier\":\"pro\"}"),
        text("raw control character", "{\"creatorId\":\"creator-\u0001\",\"tier\":\"pro\"}"),
        text("raw NUL first", "\u0000{" + OK + "}"),
        text("raw NUL in a string", "{\"creatorId\":\"creator\u0000\",\"tier\":\"pro\"}"),
        text("invalid escape", "{\"creatorId\":\"creator\\x41\",\"tier\":\"pro\"}"),
        text("short unicode escape", "{\"creatorId\":\"creator\\u12\",\"tier\":\"pro\"}"),
        text("byte order mark", "\uFEFF{" + OK + "}"),
        text("unquoted key", "{creatorId:\"creator-123\",\"tier\":\"pro\"}"),
        text("single quotes", "{'creatorId':'creator-123','tier':'pro'}"),
        text("comment", "{" + OK + " /* c */}"),
        text("trailing comma", "{" + OK + ",}"),
        text("missing colon", "{\"creatorId\" \"creator-123\",\"tier\":\"pro\"}"),
        text("missing comma", "{\"creatorId\":\"creator-123\" \"tier\":\"pro\"}"),
        text("bare word", "{" + OK + ",\"tokens\": lots}"),
        Arguments.of("marked base64 but not base64", "{" + OK + "}", true),
        // not an object, or empty
        text("empty", ""),
        text("white space", " \n\t "),
        text("null", "null"),
        text("array", "[]"),
        text("array of a check", "[{" + OK + "}]"),
        text("string", "\"" + OK + "\""),
        text("number", "123"),
        text("true", "true"),
        text("empty object", "{}"),
        // wrong fields and types
        text("unknown field", "{" + OK + ",\"priority\":1}"),
        text("creatorId a number", "{\"creatorId\":123,\"tier\":\"pro\"}"),
        text("creatorId null", "{\"creatorId\":null,\"tier\":\"pro\"}"),
        text("creatorId an object", "{\"creatorId\":{\"id\":\"c\"},\"tier\":\"pro\"}"),
        text("tier an array", "{\"creatorId\":\"creator-123\",\"tier\":[\"pro\"]}"),
        text("tier missing", "{\"creatorId\":\"creator-123\"}"),
        text("tokens a string", "{" + OK + ",\"tokens\":\"500\"}"),
        text("tokens a boolean", "{" + OK + ",\"tokens\":true}"),
        text("tokens an object", "{" + OK + ",\"tokens\":{}}"),
        text("requestId a number", "{" + OK + ",\"requestId\":7}"),
        // values
        text("tokens 1e3", "{" + OK + ",\"tokens\":1e3}"),
        text("tokens 1.0", "{" + OK + ",\"tokens\":1.0}"),
        text("tokens 0.5", "{" + OK + ",\"tokens\":0.5}"),
        text("tokens -0", "{" + OK + ",\"tokens\":-0}"),
        text("tokens -0.0", "{" + OK + ",\"tokens\":-0.0}"),
        text("tokens -1", "{" + OK + ",\"tokens\":-1}"),
        text("tokens 10000001", "{" + OK + ",\"tokens\":10000001}"),
        text("tokens 2^63", "{" + OK + ",\"tokens\":9223372036854775808}"),
        text("tokens -2^63-1", "{" + OK + ",\"tokens\":-9223372036854775809}"),
        text("tokens 1e400", "{" + OK + ",\"tokens\":1e400}"),
        text("requests 0 and tokens 0", "{" + OK + ",\"requests\":0,\"tokens\":0}"),
        text("requests 1001", "{" + OK + ",\"requests\":1001}"),
        text("empty creatorId", "{\"creatorId\":\"\",\"tier\":\"pro\"}"),
        text("creatorId with a hash tag", "{\"creatorId\":\"creator-{123}\",\"tier\":\"pro\"}"),
        text("creatorId with an escaped NUL", "{\"creatorId\":\"creator\\u0000\",\"tier\":\"pro\"}"),
        text("creatorId with an escaped control", "{\"creatorId\":\"creator\\u0001\",\"tier\":\"pro\"}"),
        text("creatorId with a space", "{\"creatorId\":\"creator 123\",\"tier\":\"pro\"}"),
        text("huge creatorId", "{\"creatorId\":\"" + "c".repeat(8000) + "\",\"tier\":\"pro\"}"),
        text("huge tier", "{\"creatorId\":\"creator-123\",\"tier\":\"" + "p".repeat(8000) + "\"}"),
        text("huge requestId", "{" + OK + ",\"requestId\":\"" + "r".repeat(8000) + "\"}"),
        text("unknown plan", "{\"creatorId\":\"creator-123\",\"tier\":\"PRO\"}"),
        text("too large", "{" + OK + ",\"requestId\":\"" + "r".repeat(9000) + "\"}"),
        // bytes that are not UTF-8, sent base64-encoded
        bytes("invalid UTF-8 byte", concat(utf8("{\"creatorId\":\"creator-"), new byte[] {(byte) 0xff, '"', '}'})),
        bytes("encoded surrogate", concat(utf8("{\"creatorId\":\"c"), new byte[] {(byte) 0xed, (byte) 0xa0,
            (byte) 0x80, '"', ',', '"', 't', 'i', 'e', 'r', '"', ':', '"', 'p', 'r', 'o', '"', '}'})),
        bytes("truncated UTF-8", concat(utf8("{\"creatorId\":\"creator-"), new byte[] {(byte) 0xc3})),
        bytes("UTF-16", ("{" + OK + "}").getBytes(StandardCharsets.UTF_16LE)),
        bytes("byte order mark bytes", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8("{" + OK
            + "}"))),
        bytes("NUL bytes", new byte[] {0, 0, 0, '{', '}'}));
  }

  private static final String RESERVE = OK + ",\"requestId\":\"gen-1\",\"model\":\"gpt-4o\"";
  private static final String SETTLE = OK + ",\"requestId\":\"gen-1\",\"model\":\"gpt-4o\"";

  /** Reservations, settles and releases that must be refused: event file, then body. */
  static Stream<Arguments> badUsageBodies() {
    return Stream.of(
        Arguments.of("negative inputTokens", "check-reserve-model.json", "{" + RESERVE + ",\"inputTokens\":-1}"),
        Arguments.of("fractional maxOutputTokens", "check-reserve-model.json", "{" + RESERVE + ",\"maxOutputTokens\":1.5}"),
        Arguments.of("absurd maxOutputTokens", "check-reserve-model.json", "{" + RESERVE + ",\"maxOutputTokens\":10000001}"),
        Arguments.of("input and output beyond one call", "check-reserve-model.json",
            "{" + RESERVE + ",\"inputTokens\":6000000,\"maxOutputTokens\":6000000}"),
        Arguments.of("minOutputTokens above maxOutputTokens", "check-reserve-model.json",
            "{" + RESERVE + ",\"maxOutputTokens\":100,\"minOutputTokens\":101}"),
        Arguments.of("tokens with a reservation", "check-reserve-model.json", "{" + RESERVE + ",\"tokens\":5,\"maxOutputTokens\":5}"),
        Arguments.of("unknown model on a money plan", "check-reserve-model.json",
            "{" + OK + ",\"requestId\":\"gen-1\",\"model\":\"gpt-9\",\"maxOutputTokens\":5}"),
        Arguments.of("no model on a money plan", "check-reserve-model.json",
            "{" + OK + ",\"requestId\":\"gen-1\",\"inputTokens\":5,\"maxOutputTokens\":5}"),
        Arguments.of("model a number", "check-reserve-model.json", "{" + OK + ",\"requestId\":\"gen-1\",\"model\":4}"),
        Arguments.of("no requestId on a concurrency plan", "check-reserve-model.json",
            "{" + OK + ",\"model\":\"gpt-4o\",\"maxOutputTokens\":5}"),
        Arguments.of("settle without requestId", "settle.json", "{" + OK + ",\"inputTokens\":1,\"outputTokens\":1}"),
        Arguments.of("settle of an unknown reservation", "settle.json",
            "{" + SETTLE + ",\"inputTokens\":1,\"outputTokens\":1}"),
        Arguments.of("settle without outputTokens", "settle.json", "{" + SETTLE + ",\"inputTokens\":1}"),
        Arguments.of("settle with negative outputTokens", "settle.json",
            "{" + SETTLE + ",\"inputTokens\":1,\"outputTokens\":-3}"),
        Arguments.of("settle with fractional cachedInputTokens", "settle.json",
            "{" + SETTLE + ",\"inputTokens\":1,\"cachedInputTokens\":0.5,\"outputTokens\":1}"),
        Arguments.of("settle of an unknown model", "settle.json",
            "{" + OK + ",\"requestId\":\"gen-1\",\"model\":\"gpt-9\",\"inputTokens\":1,\"outputTokens\":1}"),
        Arguments.of("settle with an unknown field", "settle.json",
            "{" + SETTLE + ",\"inputTokens\":1,\"outputTokens\":1,\"costUsd\":0.1}"),
        Arguments.of("release without requestId", "release.json", "{" + OK + "}"),
        Arguments.of("release of an unknown reservation", "release.json", "{" + OK + ",\"requestId\":\"gen-1\"}"),
        Arguments.of("release with a bad requestId", "release.json", "{" + OK + ",\"requestId\":\"gen 1\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUsageBodies")
  void aBadReservationSettleOrReleaseIsA400InOurOwnWordsAndChangesNothing(String name, String eventFile, String body) {
    Answer answer = harness.invoke(LambdaHarness.eventWithBody(eventFile, body, false));
    assertEquals(400, answer.status(), name + ": " + answer.body());
    if (name.contains("model on a money plan")) {
      assertEquals("urn:problem:rate-limiter:invalid-model", answer.body().path("type").asText(), name);
      assertTrue(answer.body().path("detail").asText().contains("known models: gpt-4o, gpt-4o-mini"), name);
    }
    String detail = answer.body().path("detail").asText();
    assertFalse(detail.isBlank(), name + ": empty detail");
    assertFalse(LIBRARY_TEXT.matcher(answer.response().getBody()).find(), name + ": library text: " + detail);
    assertNothingCharged(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadBodyIsA4xxInOurOwnWordsAndChargesNothing(String name, String body, boolean base64) {
    Answer answer = harness.invoke(LambdaHarness.eventWithBody("check-allowed.json", body, base64));

    assertTrue(answer.status() >= 400 && answer.status() < 500, name + ": " + answer.status() + " " + answer.body());
    assertEquals("application/problem+json", answer.header("Content-Type"), name);
    JsonNode problem = answer.body();
    assertEquals(answer.status(), problem.path("status").asInt());
    assertTrue(problem.path("type").asText().startsWith("urn:problem:rate-limiter:"), problem.toString());
    String detail = problem.path("detail").asText();
    assertFalse(detail.isBlank(), name + ": empty detail");
    assertFalse(LIBRARY_TEXT.matcher(detail).find(), name + ": library text in the detail: " + detail);
    assertFalse(LIBRARY_TEXT.matcher(answer.response().getBody()).find(),
        name + ": library text in the answer: " + answer.response().getBody());
    assertEquals("invalid", harness.lastLogLine().path("decision").asText(), name);
    assertNothingCharged(name);
  }

  /** A status call (consuming nothing) shows every limit of the plan full, and Redis holds no key. */
  private static void assertNothingCharged(String name) {
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      assertEquals(0, jedis.dbSize(), name + ": nothing written to Redis");
    }
    Answer status = harness.invoke("limits-status.json");
    assertEquals(200, status.status(), status.body().toString());
    for (JsonNode limit : status.body().path("limits")) {
      assertEquals(limit.path("limit").asLong(), limit.path("remaining").asLong(), name + ": " + limit);
    }
  }
}
