package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.function.testing.LambdaHarness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The handler against a real standalone redis-server: up, down, stalled, protected by a password. */
class ConnectionTestIT {
  private static final String PASSWORD = "pw-Zq8x-never-print-me";
  private static final String WRONG_PASSWORD = "wrong-pw-4bd1e-never-print-me";
  /** Generous slack over the configured timeouts for a loaded 2-core CI machine. */
  private static final Duration SLACK = Duration.ofMillis(1500);

  @TempDir
  Path dir;

  @Test
  void aReachableServerPassesEveryStepAndLeavesNoKeyBehind() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      var harness = TestHandlers.on(TestHandlers.plainEnvironment(server.host(), server.port()));
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(200, answer.status(), answer.body().toString());
      assertEquals("application/json", answer.header("Content-Type"));
      JsonNode body = answer.body();
      assertTrue(body.path("success").asBoolean(), body.toString());
      assertFalse(body.has("failedStep") || body.has("error"));

      JsonNode connection = body.path("connection");
      assertEquals("127.0.0.1", connection.path("host").asText());
      assertTrue(connection.path("port").isInt(), "port is a number");
      assertEquals(server.port(), connection.path("port").asInt());
      assertFalse(connection.path("tls").asBoolean(true));
      assertEquals("none", connection.path("authMode").asText());
      assertFalse(connection.path("clusterMode").asBoolean(true));
      assertTrue(connection.path("redisVersion").asText().matches("\\d+\\.\\d+\\.\\d+"), connection.toString());
      assertEquals("standalone", connection.path("mode").asText());

      JsonNode tests = body.path("tests");
      assertEquals(List.of("ping", "info", "setGet", "script", "time"), fieldNames(tests), "every step, in order");
      assertEquals("PONG", tests.path("ping").path("result").asText());
      for (String step : List.of("ping", "info", "setGet", "script", "time")) {
        JsonNode duration = tests.path(step).path("durationMs");
        assertTrue(duration.isNumber() && duration.asDouble() >= 0, step + ": " + tests.path(step));
      }
      assertEquals(connection.path("redisVersion"), tests.path("info").path("redisVersion"));
      assertTrue(tests.path("setGet").path("deleted").asBoolean(), tests.toString());
      String scratchKey = tests.path("setGet").path("key").asText();
      assertTrue(scratchKey.startsWith("rl:{connection-test}:"), scratchKey);
      Instant.parse(tests.path("time").path("serverTime").asText());
      assertTrue(Math.abs(tests.path("time").path("clockSkewMs").asDouble()) < 1_000, tests.path("time").toString());
      assertTrue(body.path("totalDurationMs").asDouble() > 0);

      try (Jedis jedis = new Jedis(server.host(), server.port())) {
        assertFalse(jedis.exists(scratchKey), "the scratch key is gone");
        assertEquals(0, jedis.dbSize(), "nothing else was written either");
      }

      JsonNode line = harness.lastLogLine();
      assertEquals("GET /test-redis", line.path("route").asText());
      assertTrue(line.path("success").booleanValue());
      assertEquals("req-0", line.path("requestId").asText());
      assertEquals(200, line.path("status").asInt());
      assertEquals(tests.path("ping").path("durationMs").asDouble(), line.path("redisLatencyMs").asDouble());
      assertFalse(line.has("failedStep") || line.has("errorKind"));
      assertEquals(List.of("ConnectionTestSucceeded", "RedisPingLatency"), harness.metrics().metricNames());
    }
  }

  @Test
  void everyInvocationConnectsAfreshAndClosesItsConnection() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone();
        Jedis observer = new Jedis(server.host(), server.port())) {
      var harness = TestHandlers.on(TestHandlers.plainEnvironment(server.host(), server.port()));
      long before = connectionsReceived(observer);
      for (int i = 0; i < 3; i++) {
        assertEquals(200, harness.invoke(LambdaHarness.event("test-redis.json")).status());
      }
      assertEquals(before + 3, connectionsReceived(observer), "one new connection per invocation");
      assertEquals(1, observer.clientList().lines().count(), "only the observer is still connected");
    }
  }

  @Test
  void theScratchKeyLivesUnderTheConfiguredPrefix() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      Map<String, String> environment = TestHandlers.plainEnvironment(server.host(), server.port());
      environment.put("RATE_LIMIT_KEY_PREFIX", "tenant-a:rl");
      Answer answer = TestHandlers.on(LimiterConfig.fromEnvironment(environment)).invoke(LambdaHarness.event("test-redis.json"));
      assertEquals(200, answer.status());
      assertTrue(answer.body().path("tests").path("setGet").path("key").asText()
          .startsWith("tenant-a:rl:{connection-test}:"));
    }
  }

  @Test
  void theClockSkewIsServerMinusLocal() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      Clock lateClock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30));   // 30 s behind the server
      Answer answer = TestHandlers.on(TestHandlers.plainEnvironment(server.host(), server.port()), lateClock)
          .invoke(LambdaHarness.event("test-redis.json"));
      double skew = answer.body().path("tests").path("time").path("clockSkewMs").asDouble();
      assertTrue(Math.abs(skew - 30_000) < 1_000, "skew " + skew);
    }
  }

  @Test
  void aStoppedServerIsAConnectionFailureWithTheSecurityGroupHint() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      server.stop();   // the port now refuses connections
      Map<String, String> environment = TestHandlers.plainEnvironment(server.host(), server.port());
      environment.put("REDIS_CONNECT_TIMEOUT_MS", "300");
      var harness = TestHandlers.on(environment);
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("application/json", answer.header("Content-Type"));
      JsonNode body = answer.body();
      assertFalse(body.path("success").asBoolean(true));
      assertEquals("ping", body.path("failedStep").asText());
      assertEquals("CONNECTION", body.path("error").path("kind").asText(), body.toString());
      String hint = body.path("error").path("hint").asText();
      assertTrue(hint.contains("security group") && hint.contains("egress") && hint.contains("ingress")
          && hint.contains("subnets"), hint);
      assertTrue(body.path("tests").isEmpty(), "no step passed");
      assertEquals(server.port(), body.path("connection").path("port").asInt(), "what is known is reported");
      assertFalse(body.path("connection").has("redisVersion"));
      assertTrue(answer.took().compareTo(Duration.ofMillis(300).plus(SLACK)) < 0, "took " + answer.took());

      JsonNode line = harness.lastLogLine();
      assertFalse(line.path("success").booleanValue());
      assertEquals("ping", line.path("failedStep").asText());
      assertEquals("CONNECTION", line.path("errorKind").asText());
      assertFalse(line.has("redisLatencyMs"));
      assertEquals(List.of("ConnectionTestFailed"), harness.metrics().metricNames());
    }
  }

  @Test
  void inClusterModeAStoppedEndpointIsStillAConnectionFailureWithTheSecurityGroupHint() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      server.stop();
      Map<String, String> environment = TestHandlers.plainEnvironment(server.host(), server.port());
      environment.put("REDIS_CLUSTER_MODE", "true");
      Answer answer = TestHandlers.on(environment).invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("ping", answer.body().path("failedStep").asText());
      assertEquals("CONNECTION", answer.body().path("error").path("kind").asText(), answer.body().toString());
      assertTrue(answer.body().path("error").path("hint").asText().contains("security group"));
    }
  }

  @Test
  void aStalledServerIsATimeoutWithinTheSocketTimeout() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone();
        RespProxy proxy = RespProxy.to(server.host(), server.port())) {
      Map<String, String> environment = TestHandlers.plainEnvironment(proxy.host(), proxy.port());
      environment.put("REDIS_CONNECT_TIMEOUT_MS", "300");
      environment.put("REDIS_SOCKET_TIMEOUT_MS", "300");
      var harness = TestHandlers.on(environment);
      assertEquals(200, harness.invoke(LambdaHarness.event("test-redis.json")).status(), "passes before the stall");

      proxy.stall(true);
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));
      assertEquals(503, answer.status());
      assertEquals("ping", answer.body().path("failedStep").asText());
      assertEquals("TIMEOUT", answer.body().path("error").path("kind").asText(), answer.body().toString());
      assertTrue(answer.body().path("error").path("hint").asText().contains("security group"));
      assertTrue(answer.took().compareTo(Duration.ofMillis(300).plus(SLACK)) < 0, "took " + answer.took());
      assertEquals("TIMEOUT", harness.lastLogLine().path("errorKind").asText());

      proxy.stall(false);
      assertEquals(200, harness.invoke(LambdaHarness.event("test-redis.json")).status(), "passes again once the server answers");
    }
  }

  @Test
  void aServerProtectedByAPasswordTheFunctionDoesNotHaveIsAnAuthFailure() {
    try (LocalRedisServer server = LocalRedisServer.builder().password(PASSWORD).start()) {
      var harness = TestHandlers.on(TestHandlers.plainEnvironment(server.host(), server.port()));
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("ping", answer.body().path("failedStep").asText());
      assertEquals("AUTH", answer.body().path("error").path("kind").asText(), answer.body().toString());
      assertTrue(answer.body().path("error").path("message").asText().startsWith("NOAUTH"));
      assertAuthHint(answer);
      assertFalse(harness.everythingWritten().contains(PASSWORD));
    }
  }

  @Test
  void aWrongPasswordIsAnAuthFailureAndNeverShown() throws IOException {
    try (LocalRedisServer server = LocalRedisServer.builder().password(PASSWORD).start()) {
      var harness = TestHandlers.on(passwordEnvironment(server, null, WRONG_PASSWORD));
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("AUTH", answer.body().path("error").path("kind").asText(), answer.body().toString());
      assertEquals("password", answer.body().path("connection").path("authMode").asText());
      assertAuthHint(answer);
      assertTrue(answer.response().getBody().contains("WRONGPASS"), answer.response().getBody());
      String written = harness.everythingWritten();
      assertFalse(written.contains(WRONG_PASSWORD), "the configured password appears: " + written);
      assertFalse(written.contains(PASSWORD));
    }
  }

  @Test
  void theRightPasswordPassesAndIsNeverShown() throws IOException {
    try (LocalRedisServer server = LocalRedisServer.builder().password(PASSWORD).start()) {
      var harness = TestHandlers.on(passwordEnvironment(server, null, PASSWORD));
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(200, answer.status(), answer.body().toString());
      assertEquals("password", answer.body().path("connection").path("authMode").asText());
      assertFalse(harness.everythingWritten().contains(PASSWORD));
    }
  }

  @Test
  void anAclUserWithoutTheNeededCommandsStopsAtTheFirstStepItMayNotRun() throws IOException {
    try (LocalRedisServer server = LocalRedisServer.builder()
        .aclUser("probe on >" + PASSWORD + " ~rl:* resetchannels -@all +ping").start()) {
      var harness = TestHandlers.on(passwordEnvironment(server, "probe", PASSWORD));
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("info", answer.body().path("failedStep").asText(), answer.body().toString());
      assertEquals("AUTH", answer.body().path("error").path("kind").asText());
      assertTrue(answer.body().path("error").path("message").asText().startsWith("NOPERM"));
      assertEquals("probe", answer.body().path("connection").path("user").asText());
      assertEquals(List.of("ping"), fieldNames(answer.body().path("tests")), "the steps that passed");
      assertEquals(List.of("ConnectionTestFailed", "RedisPingLatency"), harness.metrics().metricNames());
      assertFalse(harness.everythingWritten().contains(PASSWORD));
    }
  }

  @Test
  void clusterModeAgainstAStandaloneServerIsNamedInTheHint() {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      Map<String, String> environment = TestHandlers.plainEnvironment(server.host(), server.port());
      environment.put("REDIS_CLUSTER_MODE", "true");
      Answer answer = TestHandlers.on(environment).invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("ping", answer.body().path("failedStep").asText());
      assertEquals("CONFIGURATION", answer.body().path("error").path("kind").asText(), answer.body().toString());
      assertTrue(answer.body().path("error").path("message").asText().contains("cluster support disabled"));
      assertTrue(answer.body().path("error").path("hint").asText().contains("REDIS_CLUSTER_MODE=false"));
    }
  }

  private Map<String, String> passwordEnvironment(LocalRedisServer server, String user, String password)
      throws IOException {
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, password + "\n");
    Map<String, String> environment = TestHandlers.plainEnvironment(server.host(), server.port());
    environment.put("REDIS_AUTH_MODE", "password");
    environment.put("REDIS_PASSWORD_FILE", passwordFile.toString());
    if (user != null) {
      environment.put("REDIS_USER", user);
    }
    return environment;
  }

  private static void assertAuthHint(Answer answer) {
    String hint = answer.body().path("error").path("hint").asText();
    assertTrue(hint.contains("REDIS_AUTH_MODE") && hint.contains("REDIS_USER") && hint.contains("secret"), hint);
  }

  private static long connectionsReceived(Jedis observer) {
    return observer.info("stats").lines().filter(l -> l.startsWith("total_connections_received:"))
        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElseThrow();
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
