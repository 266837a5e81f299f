package com.huntaze.ratelimit.localrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --env-vars file, the run's Redis settings and how they combine with the template's environment. */
class FunctionEnvironmentTest {
  @TempDir
  Path dir;

  private final FunctionDefinition function = new FunctionDefinition("RateCheckFunction", Path.of("/f.jar"),
      "a.B::handleRequest", "java21", 10, 1024,
      Map.of("REDIS_HOST", "localhost", "REDIS_PORT", "6379", "LOG_LEVEL", "info", "KEY_PREFIX", "rl"), List.of());

  @Test
  void readsSamsEnvVarsFormat() throws IOException {
    EnvVarsFile file = EnvVarsFile.read(write("""
        {"Parameters": {"LOG_LEVEL": "warn", "SHARED": "all"},
         "RateCheckFunction": {"LOG_LEVEL": "debug", "TOKENS": 500, "FLAG": true},
         "OtherFunction": {"LOG_LEVEL": "trace"}}
        """));

    assertEquals(Map.of("LOG_LEVEL", "debug", "SHARED", "all", "TOKENS", "500", "FLAG", "true"),
        file.variablesFor("RateCheckFunction"));
    assertEquals(Map.of("LOG_LEVEL", "warn", "SHARED", "all"), file.variablesFor("ConnectionTestFunction"));
  }

  @Test
  void aSectionThatIsNoObjectIsRejected() throws IOException {
    Path file = write("{\"RateCheckFunction\": \"x\"}");

    TemplateException error = assertThrows(TemplateException.class, () -> EnvVarsFile.read(file));
    assertTrue(error.getMessage().contains("RateCheckFunction"), error.getMessage());
  }

  @Test
  void redisSettingsReplaceTheTemplatesAndTheEnvVarsFileWinsOverBoth() {
    EnvVarsFile file = new EnvVarsFile(Map.of(
        "Parameters", Map.of("KEY_PREFIX", "local"),
        "RateCheckFunction", Map.of("LOG_LEVEL", "debug", "REDIS_PORT", "7000")));

    Map<String, String> environment = LocalFunctions.functionEnvironment(function,
        Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "6400", "REDIS_TLS", "false"), file);

    assertEquals(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "7000", "REDIS_TLS", "false",
        "LOG_LEVEL", "debug", "KEY_PREFIX", "local"), environment);
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

  private Path write(String json) throws IOException {
    Path file = dir.resolve("env.json");
    Files.writeString(file, json);
    return file;
  }
}
