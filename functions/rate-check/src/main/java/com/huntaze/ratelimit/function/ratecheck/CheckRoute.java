package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.redis.RedisFailure;
import com.huntaze.ratelimit.plan.FailureMode;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.RouteHandler;
import java.util.Map;

/**
 * {@code POST /v1/check}: consumes the cost from every limit of the plan, or nothing. 200 allowed, 429
 * denied; Redis unavailable: 503, or fail-open an allowed answer marked degraded.
 */
final class CheckRoute implements RouteHandler {
  private final RateLimiter limiter;
  private final FailureMode failureMode;

  CheckRoute(RateLimiter limiter, FailureMode failureMode) {
    this.limiter = limiter;
    this.failureMode = failureMode;
  }

  @Override
  public APIGatewayV2HTTPResponse answer(HttpRequest http, Invocation invocation) {
    CheckRequest request = CheckRequest.parse(http);
    invocation.log().put("creatorId", request.creatorId()).put("plan", request.plan());
    Decision decision = LimiterCalls.timed(invocation, () -> request.estimate() == null
        ? limiter.check(request.creatorId(), request.plan(), request.cost(), request.requestId())
        : limiter.check(request.creatorId(), request.plan(), request.estimate(), request.requestId()));
    invocation.metrics().plan(decision.plan());
    UsageMetrics.afterCheck(invocation.metrics(), decision);
    switch (decision.outcome()) {
      case ALLOWED -> {
        invocation.metrics().count("Allowed");
        invocation.log().put("decision", decision.replayed() ? "allowed-replayed" : "allowed");
        return HttpResponses.json(200, DecisionAnswers.checkBody(decision, false), DecisionAnswers.headers(decision));
      }
      case DENIED -> {
        invocation.metrics().count("Denied");
        invocation.log().put("decision", "denied").put("deniedBy", decision.deniedBy().orElseThrow().name());
        return HttpResponses.json(429, DecisionAnswers.checkBody(decision, false), DecisionAnswers.headers(decision));
      }
      default -> {
        RedisFailure failure = decision.failure().orElseThrow();
        if (failureMode == FailureMode.FAIL_OPEN) {
          LimiterCalls.failed(invocation, failure, "degraded");
          invocation.metrics().count("Degraded");
          return HttpResponses.json(200, DecisionAnswers.checkBody(decision, true), Map.of());
        }
        LimiterCalls.failed(invocation, failure, "unavailable");
        throw Unavailable.check(failure, request.requestId() != null);
      }
    }
  }
}
