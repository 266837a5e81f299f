package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.localredis.LocalRedisCluster;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The contract against a three-master Redis Cluster, plus what only a cluster can show. */
class ClusterRateLimiterIT extends RateLimiterContract {
  private static LocalRedisCluster cluster;
  private static UnifiedJedis admin;

  @BeforeAll
  static void startCluster() {
    cluster = LocalRedisCluster.start(3);
    admin = RedisClients.create(clusterSettings());
  }

  @AfterAll
  static void stopCluster() {
    admin.close();
    cluster.close();
  }

  static RedisSettings clusterSettings() {
    return RedisSettings.plainText(cluster.seed().getHost(), cluster.seed().getPort()).withClusterMode(true);
  }

  @Override
  RedisSettings settings() {
    return clusterSettings();
  }

  @Override
  UnifiedJedis admin() {
    return admin;
  }

  @Override
  void flushAll() {
    forEachNode(Jedis::flushAll);
  }

  @Override
  void flushScripts() {
    forEachNode(Jedis::scriptFlush);
  }

  private static void forEachNode(java.util.function.Consumer<Jedis> action) {
    for (LocalRedisServer node : cluster.nodes()) {
      try (Jedis jedis = new Jedis(node.host(), node.port())) {
        action.accept(jedis);
      }
    }
  }

  @Test
  void creatorsSpreadOverEveryMasterWhileEachCreatorsKeysShareOneSlot() {
    RateLimiter limiter = limiter(TestPlans.threeLimits(), new TestClock("2025-03-10T12:00:00Z"));
    Set<Integer> nodesUsed = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String creator = "creator-" + i;
      // 50,000 tokens keep the bucket key for 30 s: cheaper checks would let it expire within milliseconds
      assertTrue(limiter.check(creator, "p", new RequestCost(1, 50_000), "r" + i).allowed());
      int slot = JedisClusterCRC16.getSlot("rl:{" + creator + "}:rpm");
      for (String suffix : new String[] {"rpm:sum", "@usage", "@override", "req/r" + i}) {
        assertEquals(slot, JedisClusterCRC16.getSlot("rl:{" + creator + "}:" + suffix));
      }
      int holders = 0;
      for (int n = 0; n < cluster.nodes().size(); n++) {
        try (Jedis node = new Jedis(cluster.nodes().get(n).host(), cluster.nodes().get(n).port())) {
          int found = node.keys("rl:{" + creator + "}:*").size();   // KEYS is per node: no redirect
          if (found > 0) {
            assertEquals(4, found, "all keys of " + creator + " on one node");   // @usage, rpm, rpm:sum, req/
            nodesUsed.add(n);
            holders++;
          }
        }
      }
      assertEquals(1, holders, creator + " keys on exactly one master");
    }
    assertEquals(3, nodesUsed.size(), "30 creators should land on all three masters");
  }

  /** Reserve, settle, release and leases on the same cluster. */
  @Nested
  class ReserveAndSettle extends UsageContract {
    @Override
    RedisSettings settings() {
      return clusterSettings();
    }

    @Override
    void flushAll() {
      forEachNode(Jedis::flushAll);
    }
  }

  /** Concurrency leases on the same server. */
  @Nested
  class Leases extends LeaseContract {
    @Override
    RedisSettings settings() {
      return clusterSettings();
    }

    @Override
    void flushAll() {
      forEachNode(Jedis::flushAll);
    }
  }

  /** Overrides and shadow limits on the same server. */
  @Nested
  class Operators extends OperatorContract {
    @Override
    RedisSettings settings() {
      return clusterSettings();
    }

    @Override
    void flushAll() {
      forEachNode(Jedis::flushAll);
    }

    @Override
    UnifiedJedis admin() {
      return admin;
    }
  }

  /** Carrying usage over on the same cluster. */
  @Nested
  class CarryOver extends UsageSetContract {
    @Override
    RedisSettings settings() {
      return clusterSettings();
    }

    @Override
    void flushAll() {
      forEachNode(Jedis::flushAll);
    }

    @Override
    UnifiedJedis admin() {
      return admin;
    }
  }
}
