package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import com.huntaze.ratelimit.aws.ElastiCacheIamAuthTokens;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisCredentials;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ClientKillParams;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * REDIS_AUTH_MODE=iam as the client sees it: a password supplier asked once per new connection. ElastiCache's
 * check of a SigV4 token cannot run locally, so a real redis-server has an ACL user whose password is what a
 * deterministic test supplier returns; rotating both shows that new connections use the new value.
 */
class IamAuthIT {
  private static final String ADMIN_PASSWORD = "admin-pw-3e9b";
  private static final String USER = "rate-limiter";
  private static final String FIRST_TOKEN = "token-one-7d21";
  private static final String SECOND_TOKEN = "token-two-c48a";

  private static LocalRedisServer server;
  private static Jedis admin;

  private final AtomicReference<String> currentToken = new AtomicReference<>(FIRST_TOKEN);
  private final AtomicInteger supplierCalls = new AtomicInteger();
  private final Supplier<String> tokens = () -> {
    supplierCalls.incrementAndGet();
    return currentToken.get();
  };

  @BeforeAll
  static void startServer() {
    server = LocalRedisServer.builder().password(ADMIN_PASSWORD).start();
    admin = new Jedis(server.host(), server.port());
    admin.auth(ADMIN_PASSWORD);
  }

  @AfterAll
  static void stopServer() {
    admin.close();
    server.close();
  }

  @BeforeEach
  void resetUser() {
    admin.aclSetUser(USER, "reset", "on", ">" + FIRST_TOKEN, "~rl:*", "+@all");
  }

  private RedisSettings settings(Supplier<String> passwords) {
    return RedisSettings.plainText(server.host(), server.port()).withCredentials(new RedisCredentials.Iam(USER, passwords));
  }

  @Test
  void everyNewConnectionAsksForAPasswordAndARotatedOneIsUsedByTheNextConnection() {
    RedisSettings settings = settings(tokens);
    try (UnifiedJedis first = RedisClients.create(settings)) {
      assertEquals("PONG", first.ping());
      assertEquals("PONG", first.ping());
      assertEquals(1, supplierCalls.get(), "one connection, one password");

      // rotation: the server accepts only the new token from now on; open connections stay authenticated
      admin.aclSetUser(USER, ">" + SECOND_TOKEN, "<" + FIRST_TOKEN);
      currentToken.set(SECOND_TOKEN);
      assertEquals("PONG", first.ping());
      assertEquals(1, supplierCalls.get(), "an open connection does not authenticate again");

      try (UnifiedJedis second = RedisClients.create(settings)) {
        assertEquals("PONG", second.ping(), "a new connection authenticates with the rotated token");
        assertEquals(2, supplierCalls.get());
      }

      // the server drops the user's connections: the pool replaces the first client's with a new one
      admin.clientKill(ClientKillParams.clientKillParams().user(USER));
      assertEquals("PONG", pingAfterReconnect(first));
      assertEquals(3, supplierCalls.get(), "the replacement connection asked for the current token");
    }
  }

  /** The first command on a connection the server closed may fail; the pool then opens a new one. */
  private static String pingAfterReconnect(UnifiedJedis client) {
    try {
      return client.ping();
    } catch (JedisException closedByServer) {
      return client.ping();
    }
  }

  @Test
  void aCheckIsAllowedWithIamStyleCredentials() {
    try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings(tokens)), PlanCatalog.bundledDefault())
        .build()) {
      Decision d = limiter.checkCreatorRateLimit("creator-123", "pro");

      assertEquals(Outcome.ALLOWED, d.outcome(), d.toString());
      assertEquals(1, supplierCalls.get());
    }
  }

  @Test
  void aRealSignedTokenIsSentVerbatimAsThePasswordOfTheUser() {
    // Deterministic: fixed credentials and clock. The server is told to expect exactly this SigV4 token.
    ElastiCacheIamAuthTokens signed = ElastiCacheIamAuthTokens.with(USER, "rl-cache", false, "us-east-1",
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key")),
        Clock.fixed(Instant.parse("2026-01-15T12:30:00Z"), ZoneOffset.UTC));
    String token = signed.get();
    admin.aclSetUser(USER, "reset", "on", ">" + token, "~rl:*", "+@all");

    try (UnifiedJedis client = RedisClients.create(settings(signed))) {
      assertEquals("PONG", client.ping());
      assertTrue(token.startsWith("rl-cache/?Action=connect&User=" + USER + "&"), token);
    }
  }

  @Test
  void aWrongTokenIsAnAuthFailureThatShowsNoToken() {
    currentToken.set("not-the-token-51f0");
    try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings(tokens)), PlanCatalog.bundledDefault())
        .build()) {
      Decision d = limiter.checkCreatorRateLimit("creator-123", "pro");

      assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome(), d.toString());
      assertEquals(Kind.AUTH, d.failure().orElseThrow().kind(), d.toString());
      assertFalse(d.toString().contains("not-the-token-51f0"), d.toString());
    }
  }

  @Test
  void aTokenThatCannotBeMadeIsAnAuthFailure() {
    Supplier<String> noCredentials = () -> {
      throw new IllegalStateException("Unable to load credentials from any of the providers in the chain");
    };
    try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings(noCredentials)),
        PlanCatalog.bundledDefault()).build()) {
      Decision d = limiter.checkCreatorRateLimit("creator-123", "pro");

      assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome(), d.toString());
      assertEquals(Kind.AUTH, d.failure().orElseThrow().kind(), d.toString());
      assertTrue(d.failure().orElseThrow().message().contains("Unable to load credentials"), d.toString());
    }
  }
}
