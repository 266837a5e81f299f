package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The project's connection test, run by tools/local against a Redis the user names in each of the ways
 * the README gives, with only what a local server needs said: it connects (no secret lookup, no TLS
 * timeout, no stack trace) and the run prints what it assumed.
 */
class ProjectRedisChoicesIT {
  private static final String TEST_REDIS = "tools/local invoke ConnectionTestFunction -e events/test-redis.json";

  private static JsonNode connected(ToolsLocal.Run run, int port) throws Exception {
    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode body = run.body(0);
    assertTrue(body.path("success").asBoolean(), body + "\n" + run.stderr());
    assertEquals(port, body.path("connection").path("port").asInt());
    assertFalse(run.stderr().contains("local redis-server"), "no server of its own:\n" + run.stderr());
    assertFalse(run.stderr().contains("\tat "), "no stack trace:\n" + run.stderr());
    return body;
  }

  @Test
  void aRedisUrlWithAUserAndPasswordLogsInWithoutThePasswordShowingAnywhere() throws Exception {
    String password = "url-pw-" + System.nanoTime();
    try (LocalRedisServer server = LocalRedisServer.builder().aclUser("limiter on >" + password + " ~* +@all")
        .arg("--requirepass", "default-user-is-not-used").start()) {
      ToolsLocal.Run run = ToolsLocal.run(TEST_REDIS + " --redis-url redis://limiter:" + password + "@127.0.0.1:"
          + server.port(), Map.of());

      JsonNode body = connected(run, server.port());
      assertEquals("password", body.path("connection").path("authMode").asText(), body.toString());
      assertFalse(body.toString().contains(password), "not in the answer");
      assertFalse(run.stderr().contains(password), "not in a log line");
      assertTrue(run.stderr().contains("Redis: redis://limiter:****@127.0.0.1:" + server.port() + " from --redis-url"
          + " (TLS off, auth: password of user limiter (from a file only you can read), cluster mode off)"),
          run.stderr());
    }
  }

  @Test
  void theTemplatesRedisParametersAreHonouredWithALocalServersDefaultsForTheRest() throws Exception {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      ToolsLocal.Run run = ToolsLocal.run(TEST_REDIS + " --parameter-overrides CacheEndpoint=127.0.0.1 CachePort="
          + server.port(), Map.of());

      JsonNode body = connected(run, server.port());
      assertEquals("none", body.path("connection").path("authMode").asText(), body.toString());
      assertTrue(run.stderr().contains("Redis: 127.0.0.1:" + server.port() + " from --parameter-overrides"
          + " CacheEndpoint, CachePort; assumed RedisTls=false, RedisAuthMode=none, RedisClusterMode=false"),
          run.stderr());
    }
  }

  @Test
  void aRedisHostAndPortInTheShellAloneAreEnough() throws Exception {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      ToolsLocal.Run run = ToolsLocal.run(TEST_REDIS, Map.of("REDIS_HOST", "127.0.0.1",
          "REDIS_PORT", Integer.toString(server.port())));

      connected(run, server.port());
      assertTrue(run.stderr().contains("from REDIS_HOST in your environment; assumed REDIS_TLS=false,"
          + " REDIS_AUTH_MODE=none, REDIS_CLUSTER_MODE=false"), run.stderr());
    }
  }

  @Test
  void theSamLocalEnvFileHoldsAllAPlainRedisNeeds() throws Exception {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      // as Docker would see it: host.docker.internal is this machine, here 127.0.0.1
      Path copy = Project.ROOT.resolve("testing/acceptance/target/sam-local-env.json");
      Files.createDirectories(copy.getParent());
      Files.writeString(copy, Files.readString(SamLocalFilesTest.SAM_ENV)
          .replace("host.docker.internal", "127.0.0.1").replace("\"6379\"", "\"" + server.port() + "\""));

      ToolsLocal.Run run = ToolsLocal.run(TEST_REDIS + " --env-vars " + Project.ROOT.relativize(copy), Map.of());

      connected(run, server.port());
      assertTrue(run.stderr().contains("Redis: 127.0.0.1:" + server.port() + " from --env-vars\n"),
          "nothing left to assume:\n" + run.stderr());
    }
  }

  @Test
  void aRedisParameterWithoutTheEndpointIsOneLineAndExit2() throws Exception {
    ToolsLocal.Run run = ToolsLocal.run(TEST_REDIS + " --parameter-overrides RedisTls=false", Map.of());

    assertEquals(2, run.exitCode());
    assertEquals("--parameter-overrides RedisTls sets how to reach Redis but not where: add CacheEndpoint=<host>,"
        + " or use --redis-url redis://host:port", run.stderr().strip());
  }
}
