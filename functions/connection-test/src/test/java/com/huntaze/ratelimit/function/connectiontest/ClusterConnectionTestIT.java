package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.function.testing.LambdaHarness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.localredis.LocalRedisCluster;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A real three-master Redis Cluster: the test passes in cluster mode and reports the cluster's facts. */
class ClusterConnectionTestIT {
  private static LocalRedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = LocalRedisCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void inClusterModeEveryStepPassesWithTheClusterFacts() {
    var harness = TestHandlers.on(environment(true));
    Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

    assertEquals(200, answer.status(), answer.body().toString());
    JsonNode connection = answer.body().path("connection");
    assertTrue(connection.path("clusterMode").asBoolean());
    assertEquals("cluster", connection.path("mode").asText());
    JsonNode tests = answer.body().path("tests");
    assertEquals(List.of("ping", "info", "setGet", "script", "time"), ConnectionTestIT.fieldNames(tests));
    JsonNode facts = tests.path("info").path("cluster");
    assertEquals("ok", facts.path("state").asText(), facts.toString());
    assertEquals(3, facts.path("knownMasters").asInt());
    assertEquals(16384, facts.path("slotsAssigned").asInt());
    assertTrue(tests.path("setGet").path("deleted").asBoolean());

    String scratchKey = tests.path("setGet").path("key").asText();
    for (LocalRedisServer node : cluster.nodes()) {
      try (Jedis jedis = new Jedis(node.host(), node.port())) {
        assertEquals(0, jedis.dbSize(), "no key left on node " + node.port() + " (" + scratchKey + ")");
      }
    }
    assertEquals(List.of("ConnectionTestSucceeded", "RedisPingLatency"), harness.metrics().metricNames());
  }

  @Test
  void aStandaloneClientOnAClusterIsAConfigurationFailureNamingClusterMode() {
    Answer answer = TestHandlers.on(environment(false)).invoke(LambdaHarness.event("test-redis.json"));

    assertEquals(503, answer.status());
    assertEquals("info", answer.body().path("failedStep").asText(), answer.body().toString());
    assertEquals("CONFIGURATION", answer.body().path("error").path("kind").asText());
    assertTrue(answer.body().path("error").path("hint").asText().contains("REDIS_CLUSTER_MODE=true"));
    assertEquals("cluster", answer.body().path("connection").path("mode").asText());
    assertFalse(answer.body().path("tests").has("info"));
  }

  private static Map<String, String> environment(boolean clusterMode) {
    Map<String, String> environment = TestHandlers.plainEnvironment(cluster.seed().getHost(), cluster.seed().getPort());
    environment.put("REDIS_CLUSTER_MODE", Boolean.toString(clusterMode));
    return environment;
  }
}
