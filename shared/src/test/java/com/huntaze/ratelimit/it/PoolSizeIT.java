package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.localredis.LocalRedisCluster;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import com.huntaze.ratelimit.redis.RedisPort;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * REDIS_POOL_SIZE reaches the Jedis pool, against real redis-servers: N threads each blocked in a BLPOP hold N
 * connections at once (CLIENT LIST shows them), the next borrower waits REDIS_CONNECT_TIMEOUT_MS and is refused,
 * and in cluster mode the bound is per node. One thread, as in Lambda, uses one connection whatever the size.
 * The limiter's own port on one server (RedisClients.port, on Jedis's pool without RedisClient) is bounded alike.
 */
class PoolSizeIT {
  private static final int BLOCK_SECONDS = 20;
  private static LocalRedisServer server;

  @BeforeAll
  static void start() {
    server = LocalRedisServer.startStandalone();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The settings as a function reads them from its environment. */
  private static LimiterConfig configured(LocalRedisServer node, int poolSize, boolean cluster) {
    return configured(node.host(), node.port(), poolSize, cluster);
  }

  private static LimiterConfig configured(String host, int port, int poolSize, boolean cluster) {
    return LimiterConfig.fromEnvironment(Map.of("REDIS_HOST", host, "REDIS_PORT", Integer.toString(port),
        "REDIS_TLS", "false", "REDIS_CLUSTER_MODE", Boolean.toString(cluster),
        "REDIS_POOL_SIZE", Integer.toString(poolSize),
        "REDIS_CONNECT_TIMEOUT_MS", "300", "REDIS_SOCKET_TIMEOUT_MS", Integer.toString((BLOCK_SECONDS + 5) * 1000)));
  }

  @ParameterizedTest(name = "REDIS_POOL_SIZE={0}")
  @ValueSource(ints = {1, 4})
  void nThreadsHoldNConnectionsAndTheNextBorrowerIsRefused(int size) throws Exception {
    try (UnifiedJedis client = RedisClients.create(configured(server, size, false).redis());
         Jedis admin = new Jedis(server.host(), server.port())) {
      List<Future<List<String>>> blocked = block(client, "standalone:", size);
      awaitCount(size, () -> clients(admin, "blpop"), "BLPOPs blocked on the server");

      RuntimeException refused = assertThrows(RuntimeException.class, () -> client.get("standalone:other"));
      assertPoolExhausted(refused);
      assertEquals(size, clients(admin, "blpop"), "no connection beyond the pool was opened");

      release(admin, "standalone:", size, blocked);
      assertEquals("ok", client.set("standalone:after", "ok").toLowerCase(), "the pool serves again");
      assertEquals(size, clients(admin, null), "the pool keeps its " + size + " connections open, idle");
    }
  }

  @Test
  void oneThreadUsesOneConnectionWhateverTheSize() {
    try (UnifiedJedis client = RedisClients.create(configured(server, 8, false).redis());
         Jedis admin = new Jedis(server.host(), server.port())) {
      for (int i = 0; i < 200; i++) {
        client.incr("sequential");
      }
      assertEquals(1, clients(admin, null), "one thread reuses one connection: the size is a bound, not a count");
    }
  }

  @ParameterizedTest(name = "REDIS_POOL_SIZE={0}")
  @ValueSource(ints = {1, 4})
  void theLimitersPortHoldsAtMostNConnectionsAndTheNextCallerIsRefused(int size) throws Exception {
    try (RespProxy proxy = RespProxy.to(server.host(), server.port());
         RedisPort port = RedisClients.port(configured(proxy.host(), proxy.port(), size, false).redis());
         Jedis admin = new Jedis(server.host(), server.port())) {
      proxy.stall(true);   // every command now waits for its reply: each caller holds its connection
      ExecutorService threads = Executors.newFixedThreadPool(size);
      List<Future<String>> held = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String key = "port:held-" + i;
        held.add(threads.submit(() -> port.get(key)));
      }
      threads.shutdown();
      awaitCount(size, () -> clients(admin, null), "connections of the waiting callers");

      assertPoolExhausted(assertThrows(RedisPortException.class, () -> port.get("port:other")));
      assertEquals(size, clients(admin, null), "no connection beyond the pool was opened");

      proxy.stall(false);
      for (Future<String> call : held) {
        assertNull(call.get(10, TimeUnit.SECONDS));
      }
      assertNull(port.get("port:after"), "the pool serves again");
    }
  }

  @Test
  void theLimitersPortConnectsAtItsFirstCommandAndOneThreadUsesOneConnection() {
    try (RedisPort port = RedisClients.port(configured(server, 8, false).redis());
         Jedis admin = new Jedis(server.host(), server.port())) {
      assertEquals(0, clients(admin, null), "building the port opens no connection");
      for (int i = 0; i < 200; i++) {
        port.get("sequential");
      }
      assertEquals(1, clients(admin, null), "one thread reuses one connection");
    }
  }

  @Test
  void inClusterModeTheSizeBoundsTheConnectionsToEachNode() throws Exception {
    try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
      LocalRedisServer seed = cluster.nodes().get(0);
      int size = 3;
      try (UnifiedJedis client = RedisClients.create(configured(seed, size, true).redis())) {
        String tag = "{pool}:";
        LocalRedisServer owner = cluster.nodes().get(nodeOf(tag, cluster.nodes().size()));
        String elsewhere = keyOnAnotherNode(tag, cluster.nodes().size());
        try (Jedis ownerAdmin = new Jedis(owner.host(), owner.port())) {
          List<Future<List<String>>> blocked = block(client, tag, size);
          awaitCount(size, () -> clients(ownerAdmin, "blpop"), "BLPOPs blocked on the slot's node");

          RuntimeException refused = assertThrows(RuntimeException.class, () -> client.get(tag + "other"));
          assertPoolExhausted(refused);
          assertEquals("ok", client.set(elsewhere, "ok").toLowerCase(), "another node has a pool of its own");
          assertEquals(size, clients(ownerAdmin, "blpop"));

          release(ownerAdmin, tag, size, blocked);
        }
      }
    }
  }

  /** Starts {@code count} threads, each blocked in BLPOP on its own key until {@link #release}. */
  private static List<Future<List<String>>> block(UnifiedJedis client, String prefix, int count) {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    List<Future<List<String>>> blocked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = prefix + "queue-" + i;
      blocked.add(threads.submit(() -> client.blpop(BLOCK_SECONDS, key)));
    }
    threads.shutdown();
    return blocked;
  }

  private static void release(Jedis admin, String prefix, int count, List<Future<List<String>>> blocked)
      throws Exception {
    for (int i = 0; i < count; i++) {
      admin.lpush(prefix + "queue-" + i, "go-" + i);
    }
    for (int i = 0; i < count; i++) {
      assertEquals(List.of(prefix + "queue-" + i, "go-" + i), blocked.get(i).get(10, TimeUnit.SECONDS));
    }
  }

  private static void assertPoolExhausted(RuntimeException refused) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = refused; t != null; t = t.getCause()) {
      messages.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
    }
    assertTrue(messages.toString().contains("Could not get a resource from the pool"), messages.toString());
  }

  /** Client connections other than the caller's own, optionally only those whose last command is {@code cmd}. */
  private static int clients(Jedis admin, String cmd) {
    long own = admin.clientId();
    int count = 0;
    for (String line : admin.clientList().split("\n")) {
      if (line.isBlank() || line.startsWith("id=" + own + " ")) {
        continue;
      }
      if (cmd == null || line.contains(" cmd=" + cmd + " ")) {
        count++;
      }
    }
    return count;
  }

  private static void awaitCount(int expected, IntSupplier count, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    int seen = count.getAsInt();
    while (seen != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      seen = count.getAsInt();
    }
    assertEquals(expected, seen, what);
  }

  /** The master that owns the key's slot, slots split evenly as {@link LocalRedisCluster} does. */
  private static int nodeOf(String key, int nodes) {
    int slot = JedisClusterCRC16.getSlot(key);
    int node = 0;
    while (slot >= 16384 * (node + 1) / nodes) {
      node++;
    }
    return node;
  }

  private static String keyOnAnotherNode(String key, int nodes) {
    for (int i = 0; ; i++) {
      String candidate = "elsewhere-" + i;
      if (nodeOf(candidate, nodes) != nodeOf(key, nodes)) {
        return candidate;
      }
    }
  }
}
