package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.ReadmeAcl;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisCredentials;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.UnifiedJedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a limiter really sends, recorded by a proxy between it and a real redis-server. */
class WireIT {
  private LocalRedisServer server;
  private RespProxy proxy;
  private RateLimiter limiter;

  @BeforeEach
  void start() {
    server = LocalRedisServer.startStandalone();
    proxy = RespProxy.to(server.host(), server.port());
    RedisSettings viaProxy = RedisSettings.plainText(proxy.host(), proxy.port());
    limiter = RateLimiter.builder(RedisClients.port(viaProxy), TestPlans.threeLimits()).build();
  }

  @AfterEach
  void stop() {
    limiter.close();
    proxy.close();
    server.close();
  }

  @Test
  void aCheckOfAThreeLimitPlanIsExactlyOneFcallOnTheWire() {
    limiter.check("creator-123", "p", new RequestCost(1, 500), null);   // loads the library once
    proxy.clearCommands();
    for (int i = 0; i < 10; i++) {
      assertTrue(limiter.check("creator-123", "p", new RequestCost(1, 500), null).allowed());
    }
    assertEquals(List.of("FCALL"), proxy.commands().stream().distinct().toList());
    assertEquals(10, proxy.commands().size());
  }

  @Test
  void aReservationItsSettleAndAReleaseAreOneFcallEach() {
    RateLimiter usage = RateLimiter.builder(RedisClients.port(RedisSettings.plainText(proxy.host(), proxy.port())),
        TestPlans.pricedPlan(TestPlans.leases("in-flight", 2, "5m"), TestPlans.usd("usd", "5", "day", "fixed-window"),
            TestPlans.limit("tpd", "tokens", 1_000_000, "day", "fixed-window"),
            TestPlans.limit("rpm", "requests", 100, "1m", "sliding-log"))).build();
    try (usage) {
      usage.checkCreatorRateLimit("c", "p");   // loads the library
      proxy.clearCommands();
      assertTrue(usage.check("c", "p", UsageEstimate.of("m", 1200, 4000), "gen-1").allowed());
      assertTrue(usage.settle("c", "p", "gen-1", Usage.of("m", 1200, 300)).settled());
      assertTrue(usage.check("c", "p", UsageEstimate.of("m", 1200, 4000), "gen-2").allowed());
      assertTrue(usage.release("c", "p", "gen-2").released());
      assertEquals(List.of("FCALL", "FCALL", "FCALL", "FCALL"), proxy.commands());
    }
  }

  @Test
  void aCheckIsOneFcallWithAndWithoutAnOverride() {
    limiter.checkCreatorRateLimit("c", "p");   // loads the library
    proxy.clearCommands();
    assertTrue(limiter.check("c", "p", new RequestCost(1, 500), null).allowed());
    assertEquals(List.of("FCALL"), proxy.commands(), "no override: one read inside the script");
    limiter.setOverride("c", java.util.Map.of("rpm", 5000L), java.time.Instant.now().plusSeconds(600), "load test",
        "ops");
    proxy.clearCommands();
    Decision overridden = limiter.check("c", "p", new RequestCost(1, 500), null);
    assertTrue(overridden.allowed());
    assertEquals(5000, overridden.limits().get(0).limit().limit());
    assertEquals(List.of("FCALL"), proxy.commands());
  }

  @Test
  void theFirstCheckOnANodeWithoutTheLibraryLoadsItThenCallsIt() {
    assertTrue(limiter.checkCreatorRateLimit("creator-123", "p").allowed());
    assertEquals(List.of("FCALL", "FUNCTION", "FCALL"), proxy.commands());
  }

  @Test
  void aNodeThatLostItsFunctionsGetsTheLibraryAgainOnce() {
    limiter.checkCreatorRateLimit("c", "p");
    try (UnifiedJedis admin = RedisClients.create(RedisSettings.plainText(server.host(), server.port()))) {
      admin.functionFlush();
    }
    proxy.clearCommands();
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    assertEquals(List.of("FCALL", "FUNCTION", "FCALL", "FCALL"), proxy.commands());
  }

  @Test
  void aLibraryRefusedForLackOfMemoryIsLoadedOnceMemoryIsBackNotTradedForScripts() {
    try (UnifiedJedis admin = RedisClients.create(RedisSettings.plainText(server.host(), server.port()))) {
      admin.configSet("maxmemory", "1");
      Decision refused = limiter.checkCreatorRateLimit("c", "p");
      assertEquals(Decision.Outcome.REDIS_UNAVAILABLE, refused.outcome(), "FUNCTION LOAD answered OOM: " + refused);
      admin.configSet("maxmemory", "0");
    }
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    assertEquals(List.of("FCALL", "FUNCTION", "FCALL", "FUNCTION", "FCALL", "FCALL"), proxy.commands());
  }

  @Test
  void anAclUserWithoutFunctionsRunsTheSameCodeAsAScriptFromThenOn() {
    try (LocalRedisServer acl = LocalRedisServer.builder().password("admin-pw-5d1e")
            .aclUser("scripts-only >scripts-pw-5d1e " + ReadmeAcl.rules().replace("+fcall +function|load ", ""))
            .start();
         RespProxy toAcl = RespProxy.to(acl.host(), acl.port());
         RateLimiter scripts = RateLimiter.builder(RedisClients.port(RedisSettings.plainText(toAcl.host(), toAcl.port())
             .withCredentials(new RedisCredentials.Password("scripts-only", "scripts-pw-5d1e"))), TestPlans.threeLimits())
             .build()) {
      Decision first = scripts.check("c", "p", new RequestCost(1, 500), null);
      Decision second = scripts.check("c", "p", new RequestCost(1, 500), null);
      assertTrue(first.allowed() && second.allowed());
      assertEquals(1000 - 2, second.limits().get(0).remaining(), "both checks were counted, once each");
      assertEquals(List.of("AUTH", "FCALL", "EVALSHA", "SCRIPT", "EVALSHA", "EVALSHA"), toAcl.commands());
    }
  }

  @Test
  void statusIdempotentChecksAndResetAreOneCommandEach() {
    limiter.checkCreatorRateLimit("c", "p");
    proxy.clearCommands();
    limiter.status("c", "p");
    limiter.check("c", "p", RequestCost.oneRequest(), "req-1");
    limiter.check("c", "p", RequestCost.oneRequest(), "req-1");
    limiter.reset("c");
    assertEquals(List.of("FCALL", "FCALL", "FCALL", "DEL"), proxy.commands());
  }
}
