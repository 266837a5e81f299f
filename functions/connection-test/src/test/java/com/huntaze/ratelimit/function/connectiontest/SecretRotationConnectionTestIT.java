package com.huntaze.ratelimit.function.connectiontest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.it.MotoServer;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol.Command;

/**
 * The connection test with REDIS_AUTH_MODE=secret follows a rotation as the rate-check function does: the secret
 * in moto_server, the password of a real redis-server changed between two invocations of one handler.
 */
class SecretRotationConnectionTestIT {
  private static final String REGION = "us-east-1";
  private static final String OLD = "old-ct-token-5e2b-0a91";
  private static final String NEW = "new-ct-token-c7d4-18fe";
  private static final String WRONG = "wrong-ct-token-93b0-6d2c";
  private static final String SECRET = "rotation/connection-test";
  private static final Optional<Path> MOTO = MotoServer.find();

  private static MotoServer moto;
  private static Runnable restoreSdkSettings;
  private static LocalRedisServer redis;
  private static Connection admin;

  @BeforeAll
  static void start() {
    if (MOTO.isEmpty()) {
      return;   // each test reports the skip (or, in CI, fails)
    }
    moto = MotoServer.start(MOTO.get());
    restoreSdkSettings = moto.pointTheSdkHere(REGION);
    moto.createSecret(Map.of("Name", SECRET, "SecretString", OLD));
    redis = LocalRedisServer.builder().password(OLD).start();
    admin = new Connection(new HostAndPort(redis.host(), redis.port()),
        DefaultJedisClientConfig.builder().password(OLD).build());
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (restoreSdkSettings != null) {
      restoreSdkSettings.run();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void requireMoto() {
    Prerequisites.require(MOTO.isPresent(), "Secrets Manager tests need the AWS API emulator moto_server on PATH"
        + " (pip install 'moto[server]')");
  }

  private static void rotate(String secretValue, String serverPassword) {
    moto.putSecretValue(SECRET, secretValue);
    admin.sendCommand(Command.CONFIG, "SET", "requirepass", serverPassword);
    assertEquals("OK", admin.getStatusCodeReply());
  }

  /** A handler made (its secret read, as at init) while the secret and the server agree on {@link #OLD}. */
  private static LambdaHarness<ConnectionTestHandler> handlerAfterInit() {
    rotate(OLD, OLD);
    Map<String, String> environment = TestHandlers.plainEnvironment(redis.host(), redis.port());
    environment.put("AWS_REGION", REGION);
    environment.put("REDIS_AUTH_MODE", "secret");
    environment.put("REDIS_AUTH_SECRET_ID", SECRET);
    var harness = TestHandlers.on(environment);
    assertEquals(200, harness.invoke(LambdaHarness.event("test-redis.json")).status());
    return harness;
  }

  @Test
  void aRotatedSecretIsReadAgainAndTheNextTestPasses() {
    var harness = handlerAfterInit();

    rotate(NEW, NEW);
    Answer rotated = harness.invoke(LambdaHarness.event("test-redis.json"));

    assertEquals(200, rotated.status(), rotated.body().toString());
    assertEquals("secret", rotated.body().path("connection").path("authMode").asText());
    assertNoSecretIn(harness);
  }

  @Test
  void aWrongNewSecretIsAnAuthFailureSayingWhatWasReadAndNeverShowingIt() {
    var harness = handlerAfterInit();

    rotate(WRONG, NEW);
    Answer wrong = harness.invoke(LambdaHarness.event("test-redis.json"));
    Answer again = harness.invoke(LambdaHarness.event("test-redis.json"));

    assertEquals(503, wrong.status());
    assertEquals("AUTH", wrong.body().path("error").path("kind").asText(), wrong.body().toString());
    assertTrue(wrong.body().path("detail").asText().contains("its new value was refused too"), wrong.body().toString());
    assertEquals("AUTH", again.body().path("error").path("kind").asText());
    assertTrue(again.body().path("detail").asText().contains("at most once every 10 s"), again.body().toString());
    assertNoSecretIn(harness);
  }

  private static void assertNoSecretIn(LambdaHarness<ConnectionTestHandler> harness) {
    for (String secret : List.of(OLD, NEW, WRONG)) {
      assertFalse(harness.everythingWritten().contains(secret), "a secret value was written");
    }
  }
}
