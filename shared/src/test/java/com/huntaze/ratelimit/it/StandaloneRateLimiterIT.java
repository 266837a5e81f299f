package com.huntaze.ratelimit.it;

import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import redis.clients.jedis.UnifiedJedis;

/** The contract against one standalone redis-server. */
class StandaloneRateLimiterIT extends RateLimiterContract {
  private static LocalRedisServer server;
  private static UnifiedJedis admin;

  @BeforeAll
  static void startServer() {
    server = LocalRedisServer.startStandalone();
    admin = RedisClients.create(plainSettings(server));
  }

  @AfterAll
  static void stopServer() {
    admin.close();
    server.close();
  }

  static RedisSettings plainSettings(LocalRedisServer server) {
    return RedisSettings.plainText(server.host(), server.port());
  }

  @Override
  RedisSettings settings() {
    return plainSettings(server);
  }

  @Override
  UnifiedJedis admin() {
    return admin;
  }

  @Override
  void flushAll() {
    admin.flushAll();
  }

  @Override
  void flushScripts() {
    admin.scriptFlush();
  }

  /** Reserve, settle, release and leases on the same server. */
  @Nested
  class ReserveAndSettle extends UsageContract {
    @Override
    RedisSettings settings() {
      return plainSettings(server);
    }

    @Override
    void flushAll() {
      admin.flushAll();
    }
  }

  /** Concurrency leases on the same server. */
  @Nested
  class Leases extends LeaseContract {
    @Override
    RedisSettings settings() {
      return plainSettings(server);
    }

    @Override
    void flushAll() {
      admin.flushAll();
    }
  }

  /** Overrides and shadow limits on the same server. */
  @Nested
  class Operators extends OperatorContract {
    @Override
    RedisSettings settings() {
      return plainSettings(server);
    }

    @Override
    void flushAll() {
      admin.flushAll();
    }

    @Override
    UnifiedJedis admin() {
      return admin;
    }
  }

  /** Carrying usage over on the same server. */
  @Nested
  class CarryOver extends UsageSetContract {
    @Override
    RedisSettings settings() {
      return plainSettings(server);
    }

    @Override
    void flushAll() {
      admin.flushAll();
    }

    @Override
    UnifiedJedis admin() {
      return admin;
    }
  }
}
