package com.huntaze.ratelimit.it;

import com.huntaze.ratelimit.ReadmeAcl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import com.huntaze.ratelimit.config.ConfigurationException;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * REDIS_AUTH_MODE=secret end to end: secrets created in a local moto_server (the AWS API emulator), a real
 * redis-server with requirepass and an ACL user, and the limiter configured through the environment variables
 * the functions read. The call is pointed at moto with fake static credentials ({@link MotoServer#pointTheSdkHere});
 * the test stops before any call if the code would resolve anything but the loopback emulator.
 */
class SecretsManagerAuthIT {
  private static final String REGION = "us-east-1";
  private static final String ADMIN_PASSWORD = "admin-token-5b1e-d2c8-7f3a";
  private static final String LIMITER_PASSWORD = "limiter-pw-91c2-ae04";

  private static final Optional<Path> MOTO = MotoServer.find();

  private static MotoServer moto;
  private static Runnable restoreSdkSettings;
  private static LocalRedisServer redis;
  private static String plainSecretId;
  private static String jsonSecretArn;
  private RateLimiter limiter;

  @BeforeAll
  static void start() {
    if (MOTO.isEmpty()) {
      return;   // each test reports the skip (or, in CI, fails)
    }
    moto = MotoServer.start(MOTO.get());
    restoreSdkSettings = moto.pointTheSdkHere(REGION);
    redis = LocalRedisServer.builder().password(ADMIN_PASSWORD)
        .aclUser(ReadmeAcl.user("limiter", LIMITER_PASSWORD))
        .start();
    plainSecretId = moto.createSecret(Map.of("Name", "rate-limiter/redis-auth-token", "SecretString", ADMIN_PASSWORD))
        .path("Name").asText();
    jsonSecretArn = moto.createSecret(Map.of("Name", "rate-limiter/redis-user",
        "SecretString", "{\"username\": \"limiter\", \"password\": \"" + LIMITER_PASSWORD + "\"}")).path("ARN").asText();
    moto.createSecret(Map.of("Name", "rate-limiter/no-password", "SecretString", "{\"username\": \"limiter\"}"));
    moto.createSecret(Map.of("Name", "rate-limiter/malformed",
        "SecretString", "{\"username\": \"limiter\", \"password\": \"" + LIMITER_PASSWORD));
    moto.createSecret(Map.of("Name", "rate-limiter/binary",
        "SecretBinary", Base64.getEncoder().encodeToString(LIMITER_PASSWORD.getBytes(StandardCharsets.UTF_8))));
    moto.createSecret(Map.of("Name", "rate-limiter/wrong", "SecretString", "not-the-password-4c7d"));
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (moto != null) {
      moto.close();
      assertFalse(moto.isRunning(), "moto_server stopped");
    }
    if (restoreSdkSettings != null) {
      restoreSdkSettings.run();
    }
  }

  @BeforeEach
  void requireMoto() {
    Prerequisites.require(MOTO.isPresent(), "Secrets Manager tests need the AWS API emulator moto_server on PATH"
        + " (pip install 'moto[server]')");
  }

  @AfterEach
  void closeLimiter() {
    if (limiter != null) {
      limiter.close();
    }
  }

  private static Map<String, String> env(String secretId) {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_HOST", redis.host());
    env.put("REDIS_PORT", Integer.toString(redis.port()));
    env.put("REDIS_TLS", "false");
    env.put("AWS_REGION", REGION);
    env.put("REDIS_AUTH_MODE", "secret");
    env.put("REDIS_AUTH_SECRET_ID", secretId);
    return env;
  }

  private Decision check(LimiterConfig config) {
    limiter = config.newRateLimiter();
    return limiter.checkCreatorRateLimit("creator-123", "pro");
  }

  @Test
  void aPlainSecretIsTheAuthTokenOfTheDefaultUser() {
    LimiterConfig config = LimiterConfig.fromEnvironment(env(plainSecretId));

    Decision d = check(config);

    assertEquals(Outcome.ALLOWED, d.outcome(), d.toString());
    assertEquals("secret", config.redis().authMode());
    assertEquals(Optional.empty(), config.redis().user());
    assertNoSecretIn(config.toString(), d.toString());
  }

  @Test
  void aJsonSecretNamedByArnGivesTheAclUserAndItsPassword() {
    LimiterConfig config = LimiterConfig.fromEnvironment(env(jsonSecretArn));

    Decision d = check(config);

    assertEquals(Outcome.ALLOWED, d.outcome(), d.toString());
    assertEquals(Optional.of("limiter"), config.redis().user());
    assertTrue(config.toString().contains("auth=secret as limiter"), config.toString());
    assertNoSecretIn(config.toString(), d.toString());
  }

  @Test
  void aMissingSecretFailsAtInitNamingTheVariableAndTheSecret() {
    ConfigurationException e = initFails(env("rate-limiter/no-such-secret"));

    assertContains(e.getMessage(), "REDIS_AUTH_SECRET_ID", "'rate-limiter/no-such-secret'", "no such secret");
  }

  @Test
  void aJsonSecretWithoutPasswordFailsAtInit() {
    ConfigurationException e = initFails(env("rate-limiter/no-password"));

    assertContains(e.getMessage(), "REDIS_AUTH_SECRET_ID", "'rate-limiter/no-password'", "without a password");
  }

  @Test
  void aMalformedJsonSecretFailsAtInitWithoutShowingIt() {
    ConfigurationException e = initFails(env("rate-limiter/malformed"));

    assertContains(e.getMessage(), "REDIS_AUTH_SECRET_ID", "'rate-limiter/malformed'", "not valid JSON");
  }

  @Test
  void aBinarySecretFailsAtInit() {
    ConfigurationException e = initFails(env("rate-limiter/binary"));

    assertContains(e.getMessage(), "REDIS_AUTH_SECRET_ID", "'rate-limiter/binary'", "binary");
  }

  @Test
  void aWrongPasswordInTheSecretIsAnAuthFailureThatShowsNoPassword() {
    LimiterConfig config = LimiterConfig.fromEnvironment(env("rate-limiter/wrong"));

    Decision d = check(config);

    assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome(), d.toString());
    assertEquals(Kind.AUTH, d.failure().orElseThrow().kind(), d.toString());
    assertFalse(d.toString().contains("not-the-password-4c7d"), d.toString());
    assertFalse(config.toString().contains("not-the-password-4c7d"), config.toString());
  }

  private static ConfigurationException initFails(Map<String, String> env) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> LimiterConfig.fromEnvironment(env));
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertNoSecretIn(t.getMessage(), t.toString());
    }
    return e;
  }

  private static void assertNoSecretIn(String... texts) {
    for (String text : texts) {
      if (text != null) {
        for (String secret : List.of(ADMIN_PASSWORD, LIMITER_PASSWORD)) {
          assertFalse(text.contains(secret), () -> "a secret value appears in: " + text);
        }
      }
    }
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "message should contain [" + part + "] but was: " + message);
    }
  }
}
