package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.RouteHandler;
import com.huntaze.ratelimit.plan.FailureMode;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.redis.RedisFailure;
import java.util.Map;

/**
 * {@code POST /v1/check}: consumes the cost from every limit of the plan, or nothing. 200 allowed, 429
 * denied. Shadow limits that would have denied are named, never enforced; in dual-run ({@code enforce}
 * false) a denial is answered as allowed and reported. Redis unavailable: the plan's failure policy
 * (else the deployment's): 503, or fail-open a bounded local fallback marked degraded.
 */
final class CheckRoute implements RouteHandler {
  private final RateLimiter limiter;
  private final FailureMode failureMode;
  private final boolean enforce;
  private final DegradedFallback fallback;

  CheckRoute(RateLimiter limiter, FailureMode failureMode, boolean enforce, DegradedFallback fallback) {
    this.limiter = limiter;
    this.failureMode = failureMode;
    this.enforce = enforce;
    this.fallback = fallback;
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
    reportShadowDenials(decision, invocation);
    switch (decision.outcome()) {
      case ALLOWED -> {
        invocation.metrics().count("Allowed");
        invocation.log().put("decision", decision.replayed() ? "allowed-replayed" : "allowed");
        return answer(200, decision, DecisionAnswers.checkBody(decision));
      }
      case DENIED -> {
        String deniedBy = decision.deniedBy().orElseThrow().name();
        if (!enforce) {
          invocation.metrics().count("WouldDeny");
          invocation.log().put("decision", "denied-not-enforced").put("deniedBy", deniedBy);
          ObjectNode body = DecisionAnswers.checkBody(decision).put("allowed", true).put("enforced", false);
          return answer(200, decision, body);
        }
        invocation.metrics().count("Denied");
        invocation.log().put("decision", "denied").put("deniedBy", deniedBy);
        return answer(429, decision, DecisionAnswers.checkBody(decision));
      }
      default -> {
        return unavailable(request, decision.failure().orElseThrow(), invocation);
      }
    }
  }

  private APIGatewayV2HTTPResponse answer(int status, Decision decision, ObjectNode body) {
    Map<String, String> headers = DecisionAnswers.headers(decision);
    if (status == 200) {
      headers.remove("Retry-After");
    }
    return HttpResponses.json(status, body, headers);
  }

  private APIGatewayV2HTTPResponse unavailable(CheckRequest request, RedisFailure failure, Invocation invocation) {
    Plan plan = limiter.plans().plan(request.plan()).orElseThrow();
    if (plan.failurePolicy().orElse(failureMode) == FailureMode.FAIL_CLOSED) {
      LimiterCalls.failed(invocation, failure, "unavailable");
      throw Unavailable.check(failure, request.requestId() != null);
    }
    boolean admitted = fallback.admit(request.creatorId(), plan);
    LimiterCalls.failed(invocation, failure, admitted ? "degraded" : "degraded-denied");
    invocation.metrics().count(admitted ? "Degraded" : "DegradedDenied");
    ObjectNode body = DecisionAnswers.degradedBody(request.creatorId(), plan.name(), failure, admitted,
        DegradedFallback.perMinute(plan));
    return HttpResponses.json(admitted ? 200 : 429, body, admitted ? Map.of() : Map.of("Retry-After", "1"));
  }

  private static void reportShadowDenials(Decision decision, Invocation invocation) {
    if (decision.shadowDenials().isEmpty()) {
      return;
    }
    StringBuilder names = new StringBuilder();
    for (LimitState shadow : decision.shadowDenials()) {
      // a metric per plan and limit: the limit's name is part of the metric's name
      invocation.metrics().count("ShadowDenied-" + shadow.name());
      names.append(names.length() == 0 ? "" : ",").append(shadow.name());
    }
    invocation.log().put("shadowDenied", names.toString());
  }
}
