package com.huntaze.ratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.Decision.Outcome;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.redis.RedisFailure.Kind;
import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.ResetResult;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis slow, down or restarted: every check still answers within its time budget, as a typed
 * REDIS_UNAVAILABLE outcome, and the limiter recovers by itself.
 */
class RedisFailureIT {
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
  private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(200);
  /** Generous slack over the configured timeouts for a loaded 2-core CI machine. */
  private static final Duration SLACK = Duration.ofMillis(700);

  private LocalRedisServer server;
  private RespProxy proxy;
  private RateLimiter limiter;

  @BeforeEach
  void start() {
    server = LocalRedisServer.startStandalone();
    proxy = RespProxy.to(server.host(), server.port());
    RedisSettings settings = RedisSettings.plainText(proxy.host(), proxy.port())
        .withTimeouts(CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    limiter = RateLimiter.builder(RedisClients.port(settings), TestPlans.threeLimits()).build();
  }

  @AfterEach
  void stop() {
    limiter.close();
    proxy.close();
    server.close();
  }

  @Test
  void aStalledServerYieldsATimeoutWithinTheSocketTimeoutThenRecovers() {
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    proxy.stall(true);
    Decision stalled = timed(SOCKET_TIMEOUT.plus(SLACK), () -> limiter.checkCreatorRateLimit("c", "p"));
    assertEquals(Outcome.REDIS_UNAVAILABLE, stalled.outcome());
    assertEquals(Kind.TIMEOUT, stalled.failure().orElseThrow().kind());
    assertTrue(stalled.limits().isEmpty());
    proxy.stall(false);
    assertTrue(eventuallyAllowed(), "checks recover once the server answers again");
  }

  @Test
  void aTimedOutCheckMayStillBeChargedSoOnlyARetryWithTheSameRequestIdIsSafe() throws InterruptedException {
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());   // the script is loaded
    proxy.stall(true);
    Decision timedOut = limiter.check("c", "p", RequestCost.oneRequest(), "req-late");
    RedisFailure failure = timedOut.failure().orElseThrow();
    assertEquals(Kind.TIMEOUT, failure.kind());
    assertTrue(failure.mayHaveBeenApplied(), "a timeout cannot tell whether Redis ran the check");
    proxy.stall(false);   // the held command reaches Redis after the caller gave up on it
    long remaining = 999;
    for (int i = 0; i < 200 && remaining == 999; i++) {
      Decision status = limiter.status("c", "p");
      remaining = status.allowed() ? RateLimiterContract.state(status, "rpm").remaining() : 999;
      Thread.sleep(10);
    }
    assertEquals(998, remaining, "the check that timed out was charged after all");
    Decision retry = limiter.check("c", "p", RequestCost.oneRequest(), "req-late");
    assertTrue(retry.replayed(), "the retry with the same request id replays the first decision");
    assertEquals(998, RateLimiterContract.state(limiter.status("c", "p"), "rpm").remaining(), "charged once");
  }

  @Test
  void aTimedOutSettleMayHaveBeenAppliedAndItsRetryAnswersTheFirstSettlementRefundingOnce() throws Exception {
    assertTrue(limiter.check("c", "p", new RequestCost(1, 5000), "call-1").allowed());
    proxy.stall(true);
    Settlement timedOut = limiter.settle("c", "p", "call-1", Usage.of(null, 100, 200));
    assertFalse(timedOut.settled());
    assertTrue(timedOut.failure().orElseThrow().mayHaveBeenApplied());
    proxy.stall(false);   // the held settle reaches Redis after the caller gave up on it
    long remaining = 0;
    for (int i = 0; i < 200 && remaining != 10_000_000 - 300; i++) {
      Decision status = limiter.status("c", "p");
      remaining = status.allowed() ? RateLimiterContract.state(status, "tpd").remaining() : 0;
      Thread.sleep(10);
    }
    assertEquals(10_000_000 - 300, remaining, "the settle that timed out was applied after all");
    Settlement retry = limiter.settle("c", "p", "call-1", Usage.of(null, 100, 200));
    assertTrue(retry.replayed(), "the retry answers the first settlement");
    assertEquals(10_000_000 - 300, RateLimiterContract.state(limiter.status("c", "p"), "tpd").remaining(),
        "refunded once");
  }

  @Test
  void aResetWhileTheServerHangsAnswersUnavailableInsteadOfThrowing() {
    proxy.stall(true);
    ResetResult reset = timed(SOCKET_TIMEOUT.plus(SLACK), () -> limiter.reset("c"));
    assertFalse(reset.done());
    assertEquals(Kind.TIMEOUT, reset.failure().orElseThrow().kind());
    assertEquals(0, reset.keysDeleted());
    proxy.stall(false);
  }

  @Test
  void aStoppedServerYieldsAConnectionFailureFastThenRecoversWhenItIsBack() {
    // straight to the server, no proxy: the port really refuses connections while it is down
    RedisSettings direct = RedisSettings.plainText(server.host(), server.port())
        .withTimeouts(CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    try (RateLimiter directLimiter = RateLimiter.builder(RedisClients.port(direct), TestPlans.threeLimits()).build()) {
      assertTrue(directLimiter.checkCreatorRateLimit("c", "p").allowed());
      server.stop();
      for (int i = 0; i < 3; i++) {
        Decision down = timed(CONNECT_TIMEOUT.plus(SOCKET_TIMEOUT).plus(SLACK),
            () -> directLimiter.checkCreatorRateLimit("c", "p"));
        assertEquals(Outcome.REDIS_UNAVAILABLE, down.outcome());
        assertEquals(Kind.CONNECTION, down.failure().orElseThrow().kind(), down.toString());
      }
      server.restart();   // same port, empty, with an empty script cache
      assertTrue(eventuallyAllowed(directLimiter), "checks recover after the restart, reloading the script");
    }
  }

  @Test
  void aCheckWithARequestIdSurvivesADroppedConnectionWithoutAFailure() {
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    proxy.dropConnections();   // as a failover does: the pooled connection is dead
    Decision d = limiter.check("c", "p", RequestCost.oneRequest(), "req-after-drop");
    assertEquals(Outcome.ALLOWED, d.outcome(), d.toString());
    assertEquals(998, RateLimiterContract.state(d, "rpm").remaining());
  }

  @Test
  void aStatusSurvivesADroppedConnectionWithoutAFailure() {
    assertTrue(limiter.checkCreatorRateLimit("c", "p").allowed());
    proxy.dropConnections();
    Decision d = limiter.status("c", "p");
    assertEquals(Outcome.ALLOWED, d.outcome(), d.toString());
    assertEquals(999, RateLimiterContract.state(d, "rpm").remaining());
  }

  @Test
  void aClusterClientBuiltWhileNoNodeAnswersReportsRedisUnavailableInsteadOfFailingAtInit() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RedisSettings cluster = RedisSettings.plainText("127.0.0.1", closedPort).withClusterMode(true)
        .withTimeouts(CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    try (RateLimiter clusterLimiter = RateLimiter.builder(RedisClients.port(cluster), TestPlans.threeLimits()).build()) {
      Decision d = timed(CONNECT_TIMEOUT.plus(SOCKET_TIMEOUT.multipliedBy(2)).plus(SLACK),
          () -> clusterLimiter.checkCreatorRateLimit("c", "p"));
      assertEquals(Outcome.REDIS_UNAVAILABLE, d.outcome());
      assertEquals(Kind.CONNECTION, d.failure().orElseThrow().kind(), d.toString());
    }
  }

  private boolean eventuallyAllowed() {
    return eventuallyAllowed(limiter);
  }

  private static boolean eventuallyAllowed(RateLimiter limiter) {
    for (int i = 0; i < 3; i++) {
      if (limiter.checkCreatorRateLimit("c", "p").allowed()) {
        return true;
      }
    }
    return false;
  }

  private static <T> T timed(Duration budget, Supplier<T> call) {
    long start = System.nanoTime();
    T d = call.get();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(budget) <= 0, "took " + took.toMillis() + " ms, budget " + budget.toMillis() + " ms");
    return d;
  }
}
