package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.localredis.LocalRedisCluster;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A replica takes over a master of a real Redis Cluster (CLUSTER FAILOVER, as ElastiCache does on a
 * node failure): checks keep their counts and recover by themselves, without a restart of the client.
 */
class ClusterFailoverIT {
  private static final long DEADLINE_MS = 20_000;

  @Test
  void checksSurviveAFailoverToAReplicaWithTheirCountsIntact() throws Exception {
    try (LocalRedisCluster cluster = LocalRedisCluster.start(3);
         LocalRedisServer replica = LocalRedisServer.builder().clusterEnabled().start()) {
      LocalRedisServer master = cluster.nodes().get(0);   // owns slots 0..5460
      String creator = creatorOnFirstMaster();
      attachReplica(master, replica);

      RedisSettings settings = RedisSettings.plainText(master.host(), master.port()).withClusterMode(true)
          .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
      try (RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings), TestPlans.threeLimits()).build()) {
        for (int i = 0; i < 3; i++) {
          assertTrue(limiter.checkCreatorRateLimit(creator, "p").allowed());
        }
        awaitReplicated(master, replica);

        try (Jedis replicaAdmin = new Jedis(replica.host(), replica.port())) {
          replicaAdmin.clusterFailover();
        }
        awaitRole(replica, "master");

        Decision after = firstAnswer(limiter, creator);
        assertEquals(Outcome.ALLOWED, after.outcome(), after.toString());
        assertEquals(1000 - 4, RateLimiterContract.state(after, "rpm").remaining(),
            "the three checks before the failover still count on the new master");
      }
    }
  }

  /** The first answer that is not REDIS_UNAVAILABLE: a client may see one failure while the topology moves. */
  private static Decision firstAnswer(RateLimiter limiter, String creator) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    Decision d = limiter.checkCreatorRateLimit(creator, "p");
    while (d.outcome() == Outcome.REDIS_UNAVAILABLE && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      d = limiter.checkCreatorRateLimit(creator, "p");
    }
    return d;
  }

  private static String creatorOnFirstMaster() {
    for (int i = 0; ; i++) {
      String creator = "creator-" + i;
      if (JedisClusterCRC16.getSlot("rl:{" + creator + "}:rpm") < 5461) {
        return creator;
      }
    }
  }

  private static void attachReplica(LocalRedisServer master, LocalRedisServer replica) throws InterruptedException {
    String masterId;
    try (Jedis masterAdmin = new Jedis(master.host(), master.port())) {
      masterId = masterAdmin.clusterMyId();
    }
    try (Jedis replicaAdmin = new Jedis(replica.host(), replica.port())) {
      replicaAdmin.clusterMeet(master.host(), master.port());
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      while (!replicaAdmin.clusterNodes().contains(masterId) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      replicaAdmin.clusterReplicate(masterId);
    }
    awaitRole(replica, "slave");
  }

  private static void awaitReplicated(LocalRedisServer master, LocalRedisServer replica) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    try (Jedis masterAdmin = new Jedis(master.host(), master.port());
         Jedis replicaAdmin = new Jedis(replica.host(), replica.port())) {
      while (System.currentTimeMillis() < deadline) {
        String replication = replicaAdmin.info("replication");
        long masterOffset = offset(masterAdmin.info("replication"), "master_repl_offset:");
        if (replication.contains("master_link_status:up")
            && offset(replication, "slave_repl_offset:") >= masterOffset) {
          return;
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("replica did not catch up within " + DEADLINE_MS + " ms");
  }

  private static long offset(String info, String field) {
    return info.lines().filter(l -> l.startsWith(field)).mapToLong(l -> Long.parseLong(l.substring(field.length()).trim()))
        .findFirst().orElse(-1);
  }

  private static void awaitRole(LocalRedisServer node, String role) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    try (Jedis admin = new Jedis(node.host(), node.port())) {
      while (System.currentTimeMillis() < deadline) {
        if (admin.info("replication").contains("role:" + role)) {
          return;
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError(node.port() + " did not become " + role + " within " + DEADLINE_MS + " ms");
  }
}
