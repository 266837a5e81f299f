package com.huntaze.ratelimit.localrunner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's Redis settings and the user's variables, and how they combine with the template's environment. */
class FunctionEnvironmentTest {
  private final FunctionDefinition function = new FunctionDefinition("RateCheckFunction", Path.of("/f.jar"),
      "a.B::handleRequest", "java21", 10, 1024,
      Map.of("REDIS_HOST", "localhost", "REDIS_PORT", "6379", "LOG_LEVEL", "info", "KEY_PREFIX", "rl"), Map.of(),
      List.of());

  @Test
  void redisSettingsReplaceTheTemplatesAndTheUsersVariablesWinOverBoth() {
    Map<String, String> environment = LocalFunctions.functionEnvironment(function,
        Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "6400", "REDIS_TLS", "false"),
        Map.of("KEY_PREFIX", "local", "LOG_LEVEL", "debug", "REDIS_PORT", "7000"));

    assertEquals(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "7000", "REDIS_TLS", "false",
        "LOG_LEVEL", "debug", "KEY_PREFIX", "local"), environment);
  }

  @Test
  void anUnresolvedVariableIsAnErrorUnlessTheRunOrTheUserSuppliesIt() {
    String reason = "KeyFunction: environment variable API_KEY: give it with --parameter-overrides ApiKey=...";
    FunctionDefinition needsKey = new FunctionDefinition("KeyFunction", Path.of("/f.jar"), "a.B::handleRequest",
        "java21", 3, 128, Map.of(), Map.of("API_KEY", reason), List.of());

    TemplateException error = assertThrows(TemplateException.class,
        () -> LocalFunctions.functionEnvironment(needsKey, Map.of(), Map.of()));
    assertEquals(reason, error.getMessage());
    assertEquals("from the run",
        LocalFunctions.functionEnvironment(needsKey, Map.of("API_KEY", "from the run"), Map.of()).get("API_KEY"));
    assertEquals("from the user",
        LocalFunctions.functionEnvironment(needsKey, Map.of(), Map.of("API_KEY", "from the user")).get("API_KEY"));
  }

  @Test
  void theRunsRedisSettingsReplaceEveryRedisVariableOfTheTemplate() {
    FunctionDefinition secretMode = new FunctionDefinition("RateCheckFunction", Path.of("/f.jar"),
        "a.B::handleRequest", "java21", 10, 1024, Map.of("REDIS_HOST", "", "REDIS_AUTH_MODE", "secret",
        "REDIS_AUTH_SECRET_ID", "", "KEY_PREFIX", "rl"), Map.of("REDIS_PORT", "no Default for CachePort"), List.of());

    Map<String, String> environment = LocalFunctions.functionEnvironment(secretMode,
        Map.of("REDIS_HOST", "127.0.0.1", "REDIS_AUTH_MODE", "none"), Map.of());

    assertEquals(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_AUTH_MODE", "none", "KEY_PREFIX", "rl"), environment,
        "nothing of the template's secret mode is left, and its unresolved REDIS_PORT is no error");
  }

  @Test
  void withoutSettingsOfTheRunTheTemplatesRedisVariablesStand() {
    assertEquals(function.environment(), LocalFunctions.functionEnvironment(function, Map.of(), Map.of()));
  }

  @Test
  void redisHostInTheRunnersEnvironmentPassesAllRedisVariablesAndFillsInLocalDefaults(@TempDir Path workDir) {
    try (RedisForLocalRun redis = RedisForLocalRun.choose(RedisSource.fromEnvironment(Map.of(
        "REDIS_HOST", "cache.example.internal", "REDIS_PORT", "6380", "REDIS_TLS", "true",
        "REDIS_PASSWORD", "pw", "HOME", "/root", "AWS_ACCESS_KEY_ID", "AKIA")), true, workDir)) {

      assertEquals(Map.of("REDIS_HOST", "cache.example.internal", "REDIS_PORT", "6380", "REDIS_TLS", "true",
          "REDIS_PASSWORD", "pw", "REDIS_AUTH_MODE", "none", "REDIS_CLUSTER_MODE", "false"), redis.variables());
      assertEquals("Redis: cache.example.internal:6380 from REDIS_HOST in your environment; assumed"
          + " REDIS_AUTH_MODE=none, REDIS_CLUSTER_MODE=false (a local server's settings: set them to change)",
          redis.description());
    }
  }

  @Test
  void aRedisHostAloneGetsALocalServersSettingsAndSaysSo(@TempDir Path workDir) {
    try (RedisForLocalRun redis = RedisForLocalRun.choose(RedisSource.fromEnvironment(Map.of(
        "REDIS_HOST", "127.0.0.1")), true, workDir)) {

      assertEquals(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "6379", "REDIS_TLS", "false",
          "REDIS_AUTH_MODE", "none", "REDIS_CLUSTER_MODE", "false"), redis.variables());
      assertTrue(redis.description().contains("assumed REDIS_PORT=6379, REDIS_TLS=false, REDIS_AUTH_MODE=none,"
          + " REDIS_CLUSTER_MODE=false"), redis.description());
    }
  }

  @Test
  void aUrlPasswordGoesToAFileOnlyTheUserCanReadNeverToTheEnvironment(@TempDir Path workDir) throws IOException {
    RedisUrl url = RedisUrl.parse("redis://limiter:s3cr%40t@cache.local:6390");
    try (RedisForLocalRun redis = RedisForLocalRun.choose(RedisSource.url(url), true, workDir)) {
      Path file = Path.of(redis.variables().get("REDIS_PASSWORD_FILE"));

      assertEquals("s3cr@t", Files.readString(file));
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
      assertEquals(workDir, file.getParent(), "deleted with the run's directory");
      assertEquals("password", redis.variables().get("REDIS_AUTH_MODE"));
      assertEquals("limiter", redis.variables().get("REDIS_USER"));
      assertFalse(redis.variables().containsValue("s3cr@t"));
      assertFalse(redis.description().contains("s3cr"), redis.description());
      assertTrue(redis.description().contains("redis://limiter:****@cache.local:6390"), redis.description());
    }
  }

  @Test
  void nothingAnsweringAtTheNamedAddressIsOneLine() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    String line = RedisForLocalRun.unreachable(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT",
        Integer.toString(freePort))).orElseThrow();

    assertTrue(line.startsWith("Redis: nothing answers at 127.0.0.1:" + freePort), line);
    assertFalse(line.contains("\n"), line);
    try (ServerSocket listening = new ServerSocket(0)) {
      assertEquals(Optional.empty(), RedisForLocalRun.unreachable(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT",
          Integer.toString(listening.getLocalPort()))));
    }
  }

  @Test
  void noRedisIsStartedWhenNoFunctionUsesIt(@TempDir Path workDir) {
    try (RedisForLocalRun redis = RedisForLocalRun.choose(RedisSource.localServer(), false, workDir)) {
      assertEquals(Map.of(), redis.variables());
    }
  }
}
