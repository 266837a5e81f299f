package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.runtime.RedisSource;
import com.huntaze.ratelimit.localrunner.runtime.RedisUrl;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Redis a run uses, with the project template's Redis parameters (production defaults: TLS, secret). */
class RedisChoiceTest {
  private static final String TEMPLATE = """
      Parameters:
        CacheEndpoint: {Type: String}
        CachePort: {Type: Number, Default: 6379}
        RedisTls: {Type: String, AllowedValues: ['true', 'false'], Default: 'true'}
        RedisClusterMode: {Type: String, AllowedValues: ['true', 'false'], Default: 'false'}
        RedisAuthMode: {Type: String, AllowedValues: [none, secret, iam], Default: secret}
        RedisAuthSecretName: {Type: String, Default: ''}
      Conditions:
        UseSecret: !Equals [!Ref RedisAuthMode, secret]
      Globals:
        Function:
          Environment:
            Variables:
              REDIS_HOST: !Ref CacheEndpoint
              REDIS_PORT: !Ref CachePort
              REDIS_TLS: !Ref RedisTls
              REDIS_CLUSTER_MODE: !Ref RedisClusterMode
              REDIS_AUTH_MODE: !Ref RedisAuthMode
              REDIS_AUTH_SECRET_ID: !If [UseSecret, !Ref RedisAuthSecretName, !Ref 'AWS::NoValue']
      Resources:
        RateCheckFunction:
          Type: AWS::Serverless::Function
          Properties: {CodeUri: f.jar, Handler: a.B::handleRequest}
      """;
  private static final List<String> FUNCTIONS = List.of("RateCheckFunction");
  private static SamTemplate template;

  @BeforeAll
  static void writeTemplate(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, TEMPLATE);
    template = SamTemplate.read(file);
  }

  private static RedisChoice decide(Optional<RedisUrl> url, Map<String, String> overrides, EnvVarsFile envVars,
      Map<String, String> shell) {
    return RedisChoice.decide(url, overrides, template, envVars, FUNCTIONS, shell);
  }

  private static String description(RedisChoice choice) {
    return assertInstanceOf(RedisSource.Named.class, choice.source()).description();
  }

  @Test
  void nothingNamedStartsALocalServer() {
    RedisChoice choice = decide(Optional.empty(), Map.of("KeyPrefix", "dev"), EnvVarsFile.none(), Map.of("HOME", "/"));

    assertInstanceOf(RedisSource.LocalServer.class, choice.source());
    assertEquals(Map.of("KeyPrefix", "dev"), choice.parameterOverrides());
  }

  @Test
  void aUrlWinsOverTheShellAndStartsNoServer() {
    RedisChoice choice = decide(Optional.of(RedisUrl.parse("redis://127.0.0.1:6390")), Map.of(), EnvVarsFile.none(),
        Map.of("REDIS_HOST", "elsewhere"));

    assertEquals("127.0.0.1", assertInstanceOf(RedisSource.Named.class, choice.source()).variables().get("REDIS_HOST"));
    assertEquals("Redis: redis://127.0.0.1:6390 from --redis-url (TLS off, auth: none, cluster mode off)",
        description(choice));
  }

  @Test
  void theEndpointParameterIsHonouredWithALocalServersSettingsForWhatIsLeftOut() {
    RedisChoice choice = decide(Optional.empty(), Map.of("CacheEndpoint", "127.0.0.1", "RedisTls", "false"),
        EnvVarsFile.none(), Map.of());

    assertEquals(Map.of("CacheEndpoint", "127.0.0.1", "RedisTls", "false", "RedisAuthMode", "none",
        "RedisClusterMode", "false"), choice.parameterOverrides());
    RedisSource.Named source = assertInstanceOf(RedisSource.Named.class, choice.source());
    assertEquals(Map.of(), source.variables(), "the template's REDIS_* stand, resolved from the parameters");
    assertEquals("Redis: 127.0.0.1:6379 from --parameter-overrides CacheEndpoint, RedisTls; assumed"
        + " RedisAuthMode=none, RedisClusterMode=false (a local server's settings: override them to change)",
        source.description());
    FunctionDefinition resolved = template.function("RateCheckFunction", choice.parameterOverrides());
    assertEquals("none", resolved.environment().get("REDIS_AUTH_MODE"));
    assertEquals("false", resolved.environment().get("REDIS_TLS"));
    assertTrue(!resolved.environment().containsKey("REDIS_AUTH_SECRET_ID"), "the template's own condition applies");
  }

  @Test
  void anExplicitSecretModeIsKeptWithANote() {
    RedisChoice choice = decide(Optional.empty(), Map.of("CacheEndpoint", "cache.internal", "CachePort", "6380",
        "RedisAuthMode", "secret", "RedisAuthSecretName", "rl/redis"), EnvVarsFile.none(), Map.of());

    assertEquals("secret", choice.parameterOverrides().get("RedisAuthMode"));
    assertTrue(description(choice).startsWith("Redis: cache.internal:6380 from --parameter-overrides CacheEndpoint,"
        + " CachePort, RedisAuthMode; assumed RedisTls=false, RedisClusterMode=false"), description(choice));
    assertTrue(description(choice).contains("auth mode secret needs AWS"), description(choice));
  }

  @Test
  void aRedisParameterWithoutTheEndpointIsOneClearMessage() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> decide(Optional.empty(), Map.of("RedisTls", "false"), EnvVarsFile.none(), Map.of()));

    assertEquals("--parameter-overrides RedisTls sets how to reach Redis but not where: add CacheEndpoint=<host>,"
        + " or use --redis-url redis://host:port", error.getMessage());
  }

  @Test
  void aRedisHostInTheEnvVarsFileStartsNoServerAndFillsInTheRest() {
    EnvVarsFile envVars = new EnvVarsFile(Map.of("Parameters", Map.of("REDIS_HOST", "10.0.0.5", "REDIS_PORT", "6380")));

    RedisSource.Named source = assertInstanceOf(RedisSource.Named.class,
        decide(Optional.empty(), Map.of(), envVars, Map.of("REDIS_HOST", "ignored")).source());

    assertEquals("10.0.0.5", source.variables().get("REDIS_HOST"));
    assertEquals("false", source.variables().get("REDIS_TLS"));
    assertEquals("none", source.variables().get("REDIS_AUTH_MODE"));
    assertTrue(source.description().startsWith("Redis: 10.0.0.5:6380 from --env-vars; assumed REDIS_TLS=false"),
        source.description());
  }

  @Test
  void twoNamedRedisAreRefused() {
    EnvVarsFile envVars = new EnvVarsFile(Map.of("RateCheckFunction", Map.of("REDIS_HOST", "10.0.0.5")));
    Optional<RedisUrl> url = Optional.of(RedisUrl.parse("redis://localhost:6390"));

    assertEquals("Redis is named twice, by --redis-url and by --parameter-overrides CacheEndpoint: keep one",
        assertThrows(IllegalArgumentException.class,
            () -> decide(url, Map.of("CacheEndpoint", "x"), EnvVarsFile.none(), Map.of())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> decide(url, Map.of(), envVars, Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> decide(Optional.empty(), Map.of("CacheEndpoint", "x"), envVars, Map.of()));
  }
}
