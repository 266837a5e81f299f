package com.huntaze.ratelimit.function.connectiontest;

import static com.huntaze.ratelimit.function.connectiontest.Replies.expect;
import static com.huntaze.ratelimit.function.connectiontest.Replies.fields;
import static com.huntaze.ratelimit.function.connectiontest.Replies.putNumber;
import static com.huntaze.ratelimit.function.connectiontest.Replies.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.function.connectiontest.ProbeResult.Failure;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Supplier;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Runs the connection test's steps in order, stopping at the first failure: connect + PING, INFO, a
 * SET/GET/DEL round trip, a script round trip, the server's clock. One instance per invocation, with a
 * fresh client closed at the end: a diagnostic must exercise the connect path every time.
 */
final class ConnectionProbe {
  /** Hash tag of the scratch keys: in cluster mode every step talks to the node of this one slot. */
  static final String SCRATCH_TAG = "{connection-test}";
  /** A scratch key left behind by a failed run expires by itself. */
  static final Duration SCRATCH_TTL = Duration.ofSeconds(60);
  static final String ECHO_SCRIPT = "return ARGV[1]";

  private final RedisSettings settings;
  private final Clock clock;
  private final String scratchKey;
  private final ObjectNode connection;
  private final ObjectNode tests = Json.object();
  private UnifiedJedis redis;
  private OptionalDouble pingMillis = OptionalDouble.empty();

  ConnectionProbe(RedisSettings settings, String keyPrefix, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.scratchKey = keyPrefix + ":" + SCRATCH_TAG + ":" + UUID.randomUUID();
    this.connection = ProbeResult.connectionFacts(settings);
  }

  ProbeResult run() {
    long start = System.nanoTime();
    try {
      Failure failure = runSteps(List.of(
          new Step("ping", this::ping),
          new Step("info", this::info),
          new Step("setGet", this::setGet),
          new Step("script", this::script),
          new Step("time", this::time)));
      return new ProbeResult(connection, tests, failure, pingMillis, millisSince(start));
    } finally {
      close();
    }
  }

  private record Step(String name, Supplier<ObjectNode> action) {
  }

  private Failure runSteps(List<Step> steps) {
    for (Step step : steps) {
      try {
        tests.set(step.name(), step.action().get());
      } catch (RuntimeException e) {
        return StepFailure.of(step.name(), e, settings);
      }
    }
    return null;
  }

  /** Connect (TCP, TLS, AUTH) with the first PING, then time a PING on the open connection. */
  private ObjectNode ping() {
    long connectStart = System.nanoTime();
    if (settings.clusterMode()) {
      checkClusterEndpoint();
    }
    redis = newClient(settings);
    expect("PING", "PONG", text(onScratchNode(Command.PING)));
    double connectMillis = millisSince(connectStart);
    long pingStart = System.nanoTime();
    String reply = text(onScratchNode(Command.PING));
    double millis = millisSince(pingStart);   // the round trip a warm rate check pays
    expect("PING", "PONG", reply);
    pingMillis = OptionalDouble.of(millis);
    return Json.object().put("result", reply).put("durationMs", millis).put("connectDurationMs", connectMillis);
  }

  private ObjectNode info() {
    long start = System.nanoTime();
    Map<String, String> server = fields(text(onScratchNode(Command.INFO, "server")));
    String redisVersion = server.get("redis_version");
    String valkeyVersion = server.get("valkey_version");
    String mode = server.getOrDefault("redis_mode", "standalone");
    connection.put("redisVersion", redisVersion);
    ObjectNode report = Json.object().put("redisVersion", redisVersion);
    if (valkeyVersion != null) {
      connection.put("valkeyVersion", valkeyVersion);
      report.put("valkeyVersion", valkeyVersion);
    }
    connection.put("mode", mode);
    report.put("mode", mode);
    putNumber(report, "uptimeSeconds", server.get("uptime_in_seconds"));
    if (mode.equals("cluster") && !settings.clusterMode()) {
      // Most keys would be answered with MOVED: the rate limiter cannot work like this.
      throw new ProbeException(ErrorKind.CONFIGURATION, "The server " + Hints.STANDALONE_CLIENT_ON_CLUSTER
          + " but REDIS_CLUSTER_MODE is false");
    }
    if (settings.clusterMode()) {
      report.set("cluster", clusterFacts());
    }
    return report.put("durationMs", millisSince(start));
  }

  private ObjectNode clusterFacts() {
    Map<String, String> info = fields(text(onScratchNode(Command.CLUSTER, "INFO")));
    long knownMasters = text(onScratchNode(Command.CLUSTER, "NODES")).lines()
        .map(line -> line.split(" "))
        .filter(node -> node.length > 2 && List.of(node[2].split(",")).contains("master"))
        .count();
    String state = info.get("cluster_state");
    ObjectNode cluster = Json.object().put("state", state).put("knownMasters", knownMasters);
    putNumber(cluster, "knownNodes", info.get("cluster_known_nodes"));
    putNumber(cluster, "slotsAssigned", info.get("cluster_slots_assigned"));
    putNumber(cluster, "slotsFailing", info.get("cluster_slots_fail"));
    if (!"ok".equals(state)) {
      throw new ProbeException(ErrorKind.REDIS_ERROR, "cluster_state is " + state + ": the cluster cannot serve"
          + " every slot (" + cluster + ")");
    }
    return cluster;
  }

  private ObjectNode setGet() {
    long start = System.nanoTime();
    String value = UUID.randomUUID().toString();
    redis.set(scratchKey, value, SetParams.setParams().px(SCRATCH_TTL.toMillis()));
    expect("GET", value, redis.get(scratchKey));
    boolean deleted = redis.del(scratchKey) == 1;
    return Json.object()
        .put("key", scratchKey)
        .put("expiryMs", SCRATCH_TTL.toMillis())
        .put("deleted", deleted)
        .put("durationMs", millisSince(start));
  }

  private ObjectNode script() {
    long start = System.nanoTime();
    String token = UUID.randomUUID().toString();
    // The scratch key as KEYS[1] routes the script to its slot's node in cluster mode.
    Object reply = redis.eval(ECHO_SCRIPT, List.of(scratchKey), List.of(token));
    expect("EVAL", token, text(reply));
    return Json.object().put("result", "ARGV[1] echoed").put("durationMs", millisSince(start));
  }

  /** The server's clock against ours; the limiter trusts only the server's, so this is for information. */
  private ObjectNode time() {
    Instant localBefore = clock.instant();
    long start = System.nanoTime();
    Object reply = onScratchNode(Command.TIME);
    long roundTripNanos = System.nanoTime() - start;
    if (!(reply instanceof List<?> parts) || parts.size() != 2) {
      throw new ProbeException(ErrorKind.REDIS_ERROR, "TIME replied " + reply + " instead of [seconds, microseconds]");
    }
    Instant serverTime = Instant.ofEpochSecond(Long.parseLong(text(parts.get(0))),
        Long.parseLong(text(parts.get(1))) * 1_000);
    Instant localAtServer = localBefore.plusNanos(roundTripNanos / 2);   // the server answered mid-way, roughly
    return Json.object()
        .put("serverTime", serverTime.toString())
        .put("localTime", localAtServer.toString())
        .put("clockSkewMs", millis(Duration.between(localAtServer, serverTime).toNanos()))
        .put("durationMs", millis(roundTripNanos));
  }

  /**
   * The cluster client starts even when no node answers (so a function's init never fails), and then says
   * only "No reachable node in cluster". A plain connection to the configured endpoint first shows the
   * real reason: refused, timed out, WRONGPASS, TLS, or a server without cluster support.
   */
  private void checkClusterEndpoint() {
    try (UnifiedJedis endpoint = newClient(settings.withClusterMode(false).withPoolSize(1))) {
      expect("PING", "PONG", text(endpoint.ping()));
      endpoint.sendCommand(Command.CLUSTER, "INFO");
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().contains(Hints.CLUSTER_MODE_ON_STANDALONE_SERVER)) {
        throw new ProbeException(ErrorKind.CONFIGURATION, "REDIS_CLUSTER_MODE is true but the server has "
            + Hints.CLUSTER_MODE_ON_STANDALONE_SERVER + " (" + e.getMessage() + ")");
      }
      throw e;
    }
  }

  private static UnifiedJedis newClient(RedisSettings settings) {
    try {
      return RedisClients.create(settings);
    } catch (IllegalArgumentException e) {
      throw new ProbeException(ErrorKind.CONFIGURATION, e.getMessage());   // e.g. an unusable CA bundle
    }
  }

  /** A keyless command sent to the scratch key's node: in cluster mode every step then talks to one node. */
  private Object onScratchNode(ProtocolCommand command, String... args) {
    return redis.sendCommand(scratchKey, command, args);
  }

  private void close() {
    if (redis == null) {
      return;
    }
    try {
      redis.close();
    } catch (RuntimeException e) {
      // the connection is already broken: nothing left to release
    }
  }

  private static double millisSince(long startNanos) {
    return millis(System.nanoTime() - startNanos);
  }

  /** Milliseconds with microsecond precision. */
  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
