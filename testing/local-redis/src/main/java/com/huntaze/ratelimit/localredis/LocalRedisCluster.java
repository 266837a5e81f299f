package com.huntaze.ratelimit.localredis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real Redis Cluster of three masters (no replicas) on loopback, slots split evenly, ready when
 * every node reports {@code cluster_state:ok}.
 */
public final class LocalRedisCluster implements AutoCloseable {
  private static final int SLOTS = 16384;
  private static final long READY_TIMEOUT_MS = 30_000;

  private final List<LocalRedisServer> nodes;

  private LocalRedisCluster(List<LocalRedisServer> nodes) {
    this.nodes = nodes;
  }

  public static LocalRedisCluster start(int masters) {
    List<LocalRedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(LocalRedisServer.builder().clusterEnabled().start());
      }
      LocalRedisCluster cluster = new LocalRedisCluster(nodes);
      cluster.assignSlotsAndJoin();
      cluster.awaitReady();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(LocalRedisServer::close);
      throw e;
    }
  }

  public List<LocalRedisServer> nodes() {
    return List.copyOf(nodes);
  }

  /** The seed node a client starts from. */
  public HostAndPort seed() {
    return new HostAndPort(nodes.get(0).host(), nodes.get(0).port());
  }

  private void assignSlotsAndJoin() {
    int count = nodes.size();
    for (int i = 0; i < count; i++) {
      int from = SLOTS * i / count;
      int to = SLOTS * (i + 1) / count;
      try (Jedis jedis = connect(nodes.get(i))) {
        jedis.clusterAddSlots(IntStream.range(from, to).toArray());
        jedis.clusterSetConfigEpoch(i + 1);
      }
    }
    try (Jedis first = connect(nodes.get(0))) {
      for (int i = 1; i < count; i++) {
        first.clusterMeet(nodes.get(i).host(), nodes.get(i).port());
      }
    }
  }

  private void awaitReady() {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (nodes.stream().allMatch(this::nodeReady)) {
        return;
      }
      LocalRedisServer.sleep(50);
    }
    throw new IllegalStateException("Redis Cluster not ready within " + READY_TIMEOUT_MS + " ms");
  }

  private boolean nodeReady(LocalRedisServer node) {
    try (Jedis jedis = connect(node)) {
      String info = jedis.clusterInfo();
      long knownMasters = jedis.clusterNodes().lines().filter(l -> l.contains("master")).count();
      return info.contains("cluster_state:ok") && knownMasters == nodes.size();
    }
  }

  private static Jedis connect(LocalRedisServer node) {
    return new Jedis(node.host(), node.port());
  }

  @Override
  public void close() {
    nodes.forEach(LocalRedisServer::close);
  }
}
