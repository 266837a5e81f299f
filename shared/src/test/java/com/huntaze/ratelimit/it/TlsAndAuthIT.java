package com.huntaze.ratelimit.it;

import com.huntaze.ratelimit.ReadmeAcl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.Prerequisites;
import com.huntaze.ratelimit.localredis.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TLS redis-server with a CA the test generates, password auth and an ACL user confined to the
 * key prefix; the limiter is configured through the same environment variables the functions read.
 */
class TlsAndAuthIT {
  private static final String ADMIN_PASSWORD = "admin-pw-7f3a";
  private static final String LIMITER_PASSWORD = "limiter-pw-91c2";

  private static TlsMaterial tls;
  private static LocalRedisServer server;
  private RateLimiter limiter;

  @TempDir
  Path dir;

  private static final boolean TLS_CAPABLE = Prerequisites.tlsAvailable();

  @BeforeAll
  static void startTlsServer() {
    if (!TLS_CAPABLE) {
      return;   // each test reports the skip (or, in CI, fails)
    }
    tls = TlsMaterial.generate();
    server = LocalRedisServer.builder().tls(tls).password(ADMIN_PASSWORD)
        // least privilege: only the limiter's commands, only keys under its prefix
        .aclUser(ReadmeAcl.user("limiter", LIMITER_PASSWORD))
        .start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void requireTls() {
    Prerequisites.requireTls();
  }

  @AfterEach
  void closeLimiter() {
    if (limiter != null) {
      limiter.close();
    }
  }

  private Map<String, String> env(String user, String password) throws IOException {
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, password + "\n");
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(server.port()));
    env.put("REDIS_TLS", "true");
    env.put("REDIS_TLS_CA_FILE", tls.caCert().toString());
    env.put("REDIS_AUTH_MODE", "password");
    env.put("REDIS_PASSWORD_FILE", passwordFile.toString());
    if (user != null) {
      env.put("REDIS_USER", user);
    }
    return env;
  }

  private Decision check(Map<String, String> env) {
    limiter = LimiterConfig.fromEnvironment(env).newRateLimiter();
    return limiter.checkCreatorRateLimit("creator-123", "pro");
  }

  @Test
  void checksWorkOverTlsWithTheAclUserConfinedToThePrefix() throws IOException {
    Decision d = check(env("limiter", LIMITER_PASSWORD));
    assertEquals(Outcome.ALLOWED, d.outcome(), d.toString());
  }

  @Test
  void checksWorkOverTlsWithTheDefaultUsersPassword() throws IOException {
    assertTrue(check(env(null, ADMIN_PASSWORD)).allowed());
  }

  @Test
  void aWrongPasswordIsAnAuthFailureAndTheMessageHoldsNoPassword() throws IOException {
    Decision d = check(env("limiter", "not-the-password"));
    assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome());
    assertEquals(Kind.AUTH, d.failure().orElseThrow().kind(), d.toString());
    assertFalse(d.toString().contains("not-the-password"));
  }

  @Test
  void aKeyPrefixOutsideTheAclUsersPatternIsRefusedByRedis() throws IOException {
    Map<String, String> env = env("limiter", LIMITER_PASSWORD);
    env.put("RATE_LIMIT_KEY_PREFIX", "other");
    Decision d = check(env);
    assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome());
    assertEquals(Kind.AUTH, d.failure().orElseThrow().kind(), d.toString());
  }

  @Test
  void aServerCertificateFromAnUntrustedCaIsATlsFailure() throws IOException {
    Map<String, String> env = env("limiter", LIMITER_PASSWORD);
    env.remove("REDIS_TLS_CA_FILE");   // the JVM's default trust store does not know the test CA
    Decision d = check(env);
    assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome());
    assertEquals(Kind.TLS, d.failure().orElseThrow().kind(), d.toString());
  }

  @Test
  void aCertificateForAnotherHostNameIsRefusedUnlessVerificationIsTurnedOff() throws IOException {
    TlsMaterial otherName = TlsMaterial.generate("DNS:cache.internal.example");
    try (LocalRedisServer named = LocalRedisServer.builder().tls(otherName).start()) {
      Map<String, String> env = new HashMap<>();
      env.put("REDIS_HOST", "127.0.0.1");
      env.put("REDIS_PORT", Integer.toString(named.port()));
      env.put("REDIS_TLS_CA_FILE", otherName.caCert().toString());
      Decision refused = check(env);
      assertEquals(Kind.TLS, refused.failure().orElseThrow().kind(), refused.toString());
      limiter.close();

      env.put("REDIS_TLS_VERIFY_HOSTNAME", "false");
      Decision accepted = check(env);
      assertTrue(accepted.allowed(), accepted.toString());
    }
  }

  @Test
  void aPlainTextClientCannotTalkToTheTlsPort() throws IOException {
    Map<String, String> env = env("limiter", LIMITER_PASSWORD);
    env.put("REDIS_TLS", "false");
    env.put("REDIS_SOCKET_TIMEOUT_MS", "300");
    Decision d = check(env);
    assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome(), d.toString());
  }
}
