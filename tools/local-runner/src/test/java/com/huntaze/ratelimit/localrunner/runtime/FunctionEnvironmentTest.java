package com.huntaze.ratelimit.localrunner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
  void redisHostInTheRunnersEnvironmentPassesAllRedisVariables() {
    try (RedisForLocalRun redis = RedisForLocalRun.choose(Map.of(
        "REDIS_HOST", "cache.example.internal", "REDIS_PORT", "6380", "REDIS_TLS", "true",
        "REDIS_PASSWORD", "pw", "HOME", "/root", "AWS_ACCESS_KEY_ID", "AKIA"), true)) {

      assertEquals(Map.of("REDIS_HOST", "cache.example.internal", "REDIS_PORT", "6380", "REDIS_TLS", "true",
          "REDIS_PASSWORD", "pw"), redis.variables());
      assertTrue(redis.description().contains("cache.example.internal:6380"), redis.description());
    }
  }

  @Test
  void noRedisIsStartedWhenNoFunctionUsesIt() {
    try (RedisForLocalRun redis = RedisForLocalRun.choose(Map.of(), false)) {
      assertEquals(Map.of(), redis.variables());
    }
  }
}
