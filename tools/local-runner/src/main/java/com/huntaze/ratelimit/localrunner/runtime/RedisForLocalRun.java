package com.huntaze.ratelimit.localrunner.runtime;

import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Redis the functions use in a local run: the one REDIS_HOST (and the other REDIS_* variables) of the
 * runner's own environment name, else a redis-server started here on a free loopback port.
 */
final class RedisForLocalRun implements AutoCloseable {
  private final Map<String, String> variables;
  private final String description;
  private final LocalRedisServer server;

  private RedisForLocalRun(Map<String, String> variables, String description, LocalRedisServer server) {
    this.variables = Map.copyOf(variables);
    this.description = description;
    this.server = server;
  }

  /** {@code needed}: whether any function to run uses Redis (declares REDIS_HOST). */
  static RedisForLocalRun choose(Map<String, String> runnerEnvironment, boolean needed) {
    if (runnerEnvironment.containsKey("REDIS_HOST")) {
      Map<String, String> variables = new TreeMap<>();
      runnerEnvironment.forEach((name, value) -> {
        if (name.startsWith("REDIS_")) {
          variables.put(name, value);
        }
      });
      return new RedisForLocalRun(variables, "Redis: " + variables.get("REDIS_HOST") + ":"
          + variables.getOrDefault("REDIS_PORT", "(template's REDIS_PORT)") + " from REDIS_HOST in your environment ("
          + String.join(", ", variables.keySet()) + " passed to the functions)", null);
    }
    if (!needed) {
      return new RedisForLocalRun(Map.of(), "Redis: none (no function declares REDIS_HOST)", null);
    }
    LocalRedisServer server = LocalRedisServer.startStandalone();
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("REDIS_HOST", server.host());
    variables.put("REDIS_PORT", Integer.toString(server.port()));
    variables.put("REDIS_TLS", "false");
    variables.put("REDIS_CLUSTER_MODE", "false"); // a single standalone server
    variables.put("REDIS_AUTH_MODE", "none");       // no password, so no secret or IAM token to fetch
    return new RedisForLocalRun(variables, "Redis: local redis-server at " + server.host() + ":" + server.port()
        + " (started for this run, stopped on exit; set REDIS_HOST to use another)", server);
  }

  /** The REDIS_* variables that replace the template's. */
  Map<String, String> variables() {
    return variables;
  }

  String description() {
    return description;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
