package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.InvalidRequestException;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.UnknownPlanException;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/** Bad input is refused with a clear message before a single byte reaches Redis. */
class InvalidInputIT {
  private static LocalRedisServer server;
  private static RespProxy proxy;
  private static RateLimiter limiter;
  private static UnifiedJedis admin;

  @BeforeAll
  static void start() {
    server = LocalRedisServer.startStandalone();
    proxy = RespProxy.to(server.host(), server.port());
    RedisSettings viaProxy = RedisSettings.plainText(proxy.host(), proxy.port());
    limiter = RateLimiter.builder(RedisClients.port(viaProxy), PlanCatalog.bundledDefault()).build();
    admin = RedisClients.create(RedisSettings.plainText(server.host(), server.port()));
  }

  @AfterAll
  static void stop() {
    limiter.close();
    admin.close();
    proxy.close();
    server.close();
  }

  @BeforeEach
  void clean() {
    admin.flushAll();
    proxy.clearCommands();
  }

  static Stream<Arguments> badChecks() {
    String tooLong = "c".repeat(129);
    return Stream.of(
        Arguments.of("empty creator id", "creatorId", "must not be empty", call("", "pro", 1, 0, null)),
        Arguments.of("null creator id", "creatorId", "required", call(null, "pro", 1, 0, null)),
        Arguments.of("creator id over 128 characters", "creatorId", "at most 128", call(tooLong, "pro", 1, 0, null)),
        Arguments.of("opening brace", "creatorId", "'{'", call("a{b", "pro", 1, 0, null)),
        Arguments.of("closing brace", "creatorId", "'}'", call("a}b", "pro", 1, 0, null)),
        Arguments.of("space", "creatorId", "whitespace", call("a b", "pro", 1, 0, null)),
        Arguments.of("newline", "creatorId", "whitespace", call("a\nb", "pro", 1, 0, null)),
        Arguments.of("control character", "creatorId", "control character", call("a\u0001b", "pro", 1, 0, null)),
        Arguments.of("glob star", "creatorId", "'*'", call("a*", "pro", 1, 0, null)),
        Arguments.of("non-ASCII", "creatorId", "'é'", call("café", "pro", 1, 0, null)),
        Arguments.of("unknown plan", "tier", "unknown plan 'gold'; known plans: free, pro, enterprise",
            call("c", "gold", 1, 0, null)),
        Arguments.of("empty plan", "tier", "tier is required", call("c", "", 1, 0, null)),
        Arguments.of("a very long unknown plan is cut in the message", "tier",
            "unknown plan '" + "x".repeat(64) + "... (8000 characters)'", call("c", "x".repeat(8000), 1, 0, null)),
        Arguments.of("negative requests", "requests", "from 0 to 1000", call("c", "pro", -1, 0, null)),
        Arguments.of("negative tokens", "tokens", "from 0 to 10000000", call("c", "pro", 1, -5, null)),
        Arguments.of("absurd tokens", "tokens", "from 0 to 10000000", call("c", "pro", 1, 10_000_001, null)),
        Arguments.of("absurd requests", "requests", "from 0 to 1000", call("c", "pro", 5_000, 0, null)),
        Arguments.of("zero cost", "requests", "at least one request or one token", call("c", "pro", 0, 0, null)),
        Arguments.of("more tokens than the bucket holds", "tokens", "could never be allowed",
            call("c", "free", 1, 20_001, null)),
        Arguments.of("more requests than a limit holds", "requests", "limit 'requests-per-minute'",
            call("c", "free", 11, 0, null)),
        Arguments.of("request id with a space", "requestId", "whitespace", call("c", "pro", 1, 0, "a b")),
        Arguments.of("empty request id", "requestId", "must not be empty", call("c", "pro", 1, 0, "")),
        Arguments.of("request id over 128", "requestId", "at most 128", call("c", "pro", 1, 0, tooLong)));
  }

  private static Executable call(String creator, String plan, long requests, long tokens, String requestId) {
    return () -> limiter.check(creator, plan, new RequestCost(requests, tokens), requestId);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badChecks")
  void aBadCheckIsRefusedWithAClearMessageAndNothingReachesRedis(String label, String field, String message,
      Executable check) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, check);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(List.of(), proxy.commands());
    assertEquals(0, admin.dbSize());
  }

  @Test
  void badCreatorIdsAndPlansAreRefusedForStatusAndResetToo() {
    assertThrows(InvalidRequestException.class, () -> limiter.status("a{b}", "pro"));
    assertThrows(UnknownPlanException.class, () -> limiter.status("c", "platinum"));
    assertThrows(InvalidRequestException.class, () -> limiter.reset("a b"));
    assertThrows(InvalidRequestException.class, () -> limiter.checkCreatorRateLimit(null, "pro"));
    assertEquals(List.of(), proxy.commands());
  }

  @Test
  void unusualButValidIdsStayInsideTheKeyPrefixAndTheirOwnHashTag() {
    for (String id : List.of("user@example.com", "org/123", "a:b:c", "x+y=z", "UPPER.lower_1-2")) {
      // 50,000 tokens keep the token bucket's key for 15 s (a few tokens refill, and expire, in milliseconds)
      assertTrue(limiter.check(id, "pro", RequestCost.requestWithTokens(50_000), "r-" + id.length()).allowed(), id);
    }
    for (String key : admin.keys("*")) {
      assertTrue(key.startsWith("rl:{"), key);
    }
    assertEquals(List.of("rl:{a:b:c}:@usage", "rl:{a:b:c}:req/r-5"),
        admin.keys("rl:{a:b:c}:*").stream().sorted().toList());
    // a plain check charges no money and takes no lease: those limits keep nothing
    assertEquals(List.of("requests-per-day", "requests-per-minute", "tokens-per-minute", "tokens-per-month"),
        admin.hkeys("rl:{a:b:c}:@usage").stream().sorted().toList());
  }
}
