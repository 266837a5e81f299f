package com.huntaze.ratelimit.function.ratecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.config.LimiterConfig;
import com.huntaze.ratelimit.function.testing.CapturedTelemetry;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.plan.FailureMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis unreachable (nothing listens on its port): each plan's own failure policy, else the deployment's;
 * fail-open admits only what the local fallback allows, even under 16 threads.
 */
class FailurePolicyIT {
  private static final String PLANS = "{\"plans\": {"
      + "\"open\": {\"onRedisFailure\": \"fail-open\", \"limits\": [{\"name\": \"requests-per-minute\","
      + " \"unit\": \"requests\", \"limit\": 30, \"window\": \"1m\", \"algorithm\": \"sliding-window\"}]},"
      + "\"closed\": {\"onRedisFailure\": \"fail-closed\", \"limits\": [{\"name\": \"requests-per-minute\","
      + " \"unit\": \"requests\", \"limit\": 30, \"window\": \"1m\", \"algorithm\": \"sliding-window\"}]},"
      + "\"default\": {\"limits\": [{\"name\": \"requests-per-hour\", \"unit\": \"requests\", \"limit\": 600,"
      + " \"window\": \"1h\", \"algorithm\": \"sliding-window\"}]}}}";
  private RateCheckHandler handler;

  @BeforeEach
  void handlerOnAPortNobodyListensOn() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(RateCheckHandlerIT.environment(closedPort, FailureMode.FAIL_OPEN));
    env.put("RATE_LIMIT_PLANS", PLANS);
    handler = new RateCheckHandler(LimiterConfig.fromEnvironment(env), new CapturedTelemetry().telemetry(),
        new PrintStream(new ByteArrayOutputStream(), true));
  }

  @AfterEach
  void close() {
    handler.close();
  }

  private APIGatewayV2HTTPResponse check(String plan) {
    return handler.handleRequest(LambdaHarness.eventWithBody("check-allowed.json",
        "{\"creatorId\": \"creator-123\", \"tier\": \"" + plan + "\"}", false), LambdaHarness.context("RateCheckFunction"));
  }

  @Test
  void eachPlanFollowsItsOwnPolicyAndOneWithoutFollowsTheDeployments() {
    assertEquals(503, check("closed").getStatusCode(), "the plan's fail-closed wins over the deployment's fail-open");
    APIGatewayV2HTTPResponse open = check("open");
    assertEquals(200, open.getStatusCode());
    JsonNode body = LambdaHarness.body(open);
    assertTrue(body.path("degraded").asBoolean());
    assertTrue(body.path("reason").asText().contains("local limit of 30 requests a minute"), body.toString());
    assertEquals(200, check("default").getStatusCode(), "no policy of its own: the deployment's fail-open");
  }

  @Test
  void sixteenThreadsWithRedisDownAreAdmittedNoMoreThanTheLocalBound() throws Exception {
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 16; w++) {
        workers.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            int status = check("open").getStatusCode();
            assertTrue(status == 200 || status == 429, "degraded answers only: " + status);
            (status == 200 ? admitted : refused).incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    long bound = 30 + (long) Math.ceil(30 * minutes);   // a full minute's worth, plus the refill while running
    assertTrue(admitted.get() >= 30, "the bucket starts full: " + admitted.get());
    assertTrue(admitted.get() <= bound, admitted.get() + " admitted of 160, bound " + bound);
    assertEquals(160, admitted.get() + refused.get());
  }
}
