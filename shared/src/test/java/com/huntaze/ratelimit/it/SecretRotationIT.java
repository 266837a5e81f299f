package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.ReadmeAcl;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.aws.SecretSource;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.localredis.LocalRedisCluster;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.Prerequisites;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;

/**
 * A rotated REDIS_AUTH_MODE=secret password is picked up without a new limiter: the secret lives in moto_server,
 * the password of a real redis-server is changed under a running limiter (CONFIG SET requirepass, or ACL SETUSER),
 * and the limiter's connections are killed (CLIENT KILL), as a rotation followed by a failover or a restored
 * SnapStart snapshot leaves them. Every read of the secret goes to moto and is counted on the way.
 */
class SecretRotationIT {
  private static final String REGION = "us-east-1";
  private static final String OLD = "old-token-2f6a-91bd";
  private static final String NEW = "new-token-7c03-e5d8";
  private static final String WRONG = "wrong-token-40aa-3b17";
  private static final List<String> SECRETS = List.of(OLD, NEW, WRONG);
  private static final String CREATOR = "creator-123";
  private static final Optional<Path> MOTO = MotoServer.find();

  private static MotoServer moto;
  private static Runnable restoreSdkSettings;

  private final AtomicInteger reads = new AtomicInteger();
  private LocalRedisServer redis;
  private Connection admin;
  private String secretId;
  private RateLimiter limiter;

  @BeforeAll
  static void startMoto() {
    if (MOTO.isPresent()) {   // otherwise each test reports the skip (or, in CI, fails)
      moto = MotoServer.start(MOTO.get());
      restoreSdkSettings = moto.pointTheSdkHere(REGION);
    }
  }

  @AfterAll
  static void stopMoto() {
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

  @AfterEach
  void stop() {
    if (limiter != null) {
      limiter.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** A server whose default user's password is {@link #OLD}, the secret holding it, and a limiter using both. */
  private void startWithToken() {
    redis = LocalRedisServer.builder().password(OLD).start();
    admin = adminConnection(null, OLD);
    limiter = limiterOn(moto.createSecret(Map.of("Name", "rotation/" + UUID.randomUUID(), "SecretString", OLD))
        .path("Name").asText());
  }

  private Connection adminConnection(String user, String password) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().password(password);
    if (user != null) {
      config.user(user);
    }
    return new Connection(new HostAndPort(redis.host(), redis.port()), config.build());
  }

  private RateLimiter limiterOn(String secret) {
    return limiterOn(secret, new HostAndPort(redis.host(), redis.port()), false);
  }

  private RateLimiter limiterOn(String secret, HostAndPort endpoint, boolean clusterMode) {
    secretId = secret;
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_HOST", endpoint.getHost());
    env.put("REDIS_PORT", Integer.toString(endpoint.getPort()));
    env.put("REDIS_CLUSTER_MODE", Boolean.toString(clusterMode));
    env.put("REDIS_TLS", "false");
    env.put("AWS_REGION", REGION);
    env.put("REDIS_AUTH_MODE", "secret");
    env.put("REDIS_AUTH_SECRET_ID", secret);
    SecretSource secretsManager = SecretSource.awsSecretsManager();
    SecretSource counted = (region, id) -> {
      reads.incrementAndGet();
      return secretsManager.secretString(region, id);
    };
    return LimiterConfig.fromEnvironment(env, counted).newRateLimiter();
  }

  /** The rotation as Secrets Manager and then the server see it, and every connection but the admin's closed. */
  private void rotate(String secretValue, String... serverPasswordChange) {
    moto.putSecretValue(secretId, secretValue);
    admin.sendCommand(Command.CONFIG, serverPasswordChange);
    assertEquals("OK", admin.getStatusCodeReply());
    killClients();
  }

  private void killClients() {
    admin.sendCommand(Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
    admin.getIntegerReply();
  }

  private Decision check(String requestId) {
    return limiter.check(CREATOR, "pro", RequestCost.oneRequest(), requestId);
  }

  /** How many checks the creator was charged today (a fixed window: exact, unlike the sliding minute). */
  private long chargedToday() {
    Decision status = limiter.status(CREATOR, "pro");
    assertTrue(status.outcome() != Outcome.REDIS_UNAVAILABLE, status.toString());
    return status.limits().stream().filter(l -> l.name().equals("requests-per-day")).findFirst()
        .map(l -> l.limit().limit() - l.remaining()).orElseThrow();
  }

  @Test
  void aRotatedTokenIsReadAgainAndTheNextCheckWithARequestIdSucceedsChargedOnce() {
    startWithToken();
    assertEquals(Outcome.ALLOWED, check("req-1").outcome());

    rotate(NEW, "SET", "requirepass", NEW);
    Decision afterRotation = check("req-2");

    assertEquals(Outcome.ALLOWED, afterRotation.outcome(), afterRotation.toString());
    assertEquals(2, reads.get(), "read at init and once after Redis refused the old password");
    assertEquals(Outcome.ALLOWED, limiter.checkCreatorRateLimit(CREATOR, "pro").outcome());
    assertEquals(3, chargedToday(), "each check charged once, the one retried across the rotation too");
    assertEquals(2, reads.get(), "new connections now use the new password without reading again");
  }

  @Test
  void aCheckWithoutRequestIdOnAKilledConnectionFailsOnceChargingNothingThenTheNextSucceeds() {
    startWithToken();
    assertEquals(Outcome.ALLOWED, check(null).outcome());

    rotate(NEW, "SET", "requirepass", NEW);
    Decision onTheKilledConnection = check(null);
    Decision next = check(null);

    // The pooled connection broke after the command was written: it may have run, so it is not sent again.
    assertEquals(Outcome.REDIS_UNAVAILABLE, onTheKilledConnection.outcome(), onTheKilledConnection.toString());
    assertEquals(Kind.CONNECTION, onTheKilledConnection.failure().orElseThrow().kind());
    assertEquals(Outcome.ALLOWED, next.outcome(), next.toString());
    assertEquals(2, chargedToday(), "the first and the last check; the killed connection ran nothing");
    assertEquals(2, reads.get());
  }

  @Test
  void withNoConnectionOpenEvenACheckWithoutRequestIdUsesTheRotatedTokenAtOnce() {
    startWithToken();
    assertEquals(Outcome.ALLOWED, check(null).outcome());
    limiter.closeIdleConnections();   // as before a SnapStart snapshot: the restored function opens a new one

    rotate(NEW, "SET", "requirepass", NEW);
    Decision first = check(null);

    // A refused login ran nothing, so even a check that cannot be replayed is safe to send again.
    assertEquals(Outcome.ALLOWED, first.outcome(), first.toString());
    assertEquals(2, chargedToday());
    assertEquals(2, reads.get());
  }

  @Test
  void anAclUsersRotatedPasswordInAJsonSecretIsPickedUp() {
    redis = LocalRedisServer.builder().password("admin-pw-0d4e-77c1").aclUser(ReadmeAcl.user("limiter", OLD)).start();
    admin = adminConnection(null, "admin-pw-0d4e-77c1");
    limiter = limiterOn(moto.createSecret(Map.of("Name", "rotation/" + UUID.randomUUID(),
        "SecretString", json("limiter", OLD))).path("ARN").asText());
    assertEquals(Outcome.ALLOWED, check("req-1").outcome());

    moto.putSecretValue(secretId, json("limiter", NEW));
    admin.sendCommand(Command.ACL, "SETUSER", "limiter", "resetpass", ">" + NEW);
    assertEquals("OK", admin.getStatusCodeReply());
    killClients();
    Decision afterRotation = check("req-2");

    assertEquals(Outcome.ALLOWED, afterRotation.outcome(), afterRotation.toString());
    assertEquals(2, chargedToday());
  }

  @Test
  void inClusterModeEveryNodesNewConnectionsUseTheRotatedToken() {
    try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
      List<Jedis> admins = new ArrayList<>();
      try {
        for (LocalRedisServer node : cluster.nodes()) {
          Jedis nodeAdmin = new Jedis(node.host(), node.port());
          admins.add(nodeAdmin);
          nodeAdmin.configSet("requirepass", OLD);   // this connection stays logged in
        }
        limiter = limiterOn(moto.createSecret(Map.of("Name", "rotation/" + UUID.randomUUID(), "SecretString", OLD))
            .path("Name").asText(), cluster.seed(), true);
        assertEquals(Outcome.ALLOWED, check("req-1").outcome());

        moto.putSecretValue(secretId, NEW);
        for (Jedis nodeAdmin : admins) {
          nodeAdmin.configSet("requirepass", NEW);
          nodeAdmin.sendCommand(Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
        }
        Decision afterRotation = check("req-2");

        assertEquals(Outcome.ALLOWED, afterRotation.outcome(), afterRotation.toString());
        assertEquals(2, chargedToday());
        assertEquals(2, reads.get());
      } finally {
        admins.forEach(Jedis::close);
      }
    }
  }

  @Test
  void aWrongNewSecretFailsCleanlyShowsNoSecretAndIsNotReadOnEveryCall() {
    startWithToken();
    assertEquals(Outcome.ALLOWED, check("req-1").outcome());

    rotate(WRONG, "SET", "requirepass", NEW);
    Decision refused = check("req-2");

    assertEquals(Outcome.REDIS_UNAVAILABLE, refused.outcome(), refused.toString());
    RedisFailure failure = refused.failure().orElseThrow();
    assertEquals(Kind.AUTH, failure.kind(), failure.toString());
    assertFalse(failure.mayHaveBeenApplied(), "a refused login ran nothing");
    assertTrue(failure.message().startsWith("WRONGPASS") && failure.message().contains("its new value was refused"
        + " too"), failure.message());
    assertEquals(2, reads.get());
    assertNoSecretIn(refused.toString(), failure.message());

    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      Decision again = check("req-" + (3 + i));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(Kind.AUTH, again.failure().orElseThrow().kind(), again.toString());
      assertTrue(again.failure().orElseThrow().message().contains("at most once every 10 s"),
          again.failure().orElseThrow().message());
      assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "fails fast, not waiting for Secrets Manager: " + took);
      assertNoSecretIn(again.toString());
    }
    assertEquals(2, reads.get(), "not read again within 10 s, however many calls fail");
  }

  private static String json(String user, String password) {
    return "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}";
  }

  private static void assertNoSecretIn(String... texts) {
    for (String text : texts) {
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), () -> "a secret value appears in: " + text);
      }
    }
  }
}
