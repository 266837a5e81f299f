package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RedisBinary;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * On a machine without redis-server the tests run the binary packaged in embedded-redis (Redis 6.2):
 * prove that path works here too, whatever is on PATH.
 */
class PackagedRedisFallbackIT {
  @Test
  void theLimiterRunsOnThePackagedRedisServer() {
    RedisBinary packaged = RedisBinary.packaged();
    assertTrue(packaged.isPackaged());
    try (LocalRedisServer server = LocalRedisServer.builder().binary(packaged).start();
         Jedis jedis = new Jedis(server.host(), server.port())) {
      assertTrue(jedis.info("server").contains("redis_version:6.2"), "expected the packaged Redis 6.2");
      RedisSettings settings = RedisSettings.plainText(server.host(), server.port());
      try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings), TestPlans.threeLimits()).build()) {
        Decision first = limiter.check("c", "p", new RequestCost(1, 100), "r1");
        assertTrue(first.allowed());
        assertTrue(limiter.check("c", "p", new RequestCost(1, 100), "r1").replayed());
        assertEquals(999, RateLimiterContract.state(limiter.status("c", "p"), "rpm").remaining());
      }
    }
  }
}
