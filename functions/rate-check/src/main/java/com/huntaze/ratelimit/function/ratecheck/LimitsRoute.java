package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.Decision;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.ResetResult;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.function.ProblemException;
import java.util.Map;

/**
 * {@code GET /v1/limits/{creatorId}?tier=&model=}: the state of every limit of the plan, consuming nothing
 * (with {@code model}, {@code maxOutputTokens} counts the money limits too);
 * {@code DELETE /v1/limits/{creatorId}}: forgets the creator's usage.
 */
final class LimitsRoute {
  static final String PATTERN = "/v1/limits/{creatorId}";

  private final RateLimiter limiter;

  LimitsRoute(RateLimiter limiter) {
    this.limiter = limiter;
  }

  APIGatewayV2HTTPResponse status(HttpRequest request, Invocation invocation) {
    String creatorId = request.pathParameter("creatorId");
    String plan = request.query("tier").orElseThrow(() -> ProblemException.badRequest("missing-field",
        "query parameter 'tier' is required, e.g. /v1/limits/" + creatorId + "?tier=pro; known plans: "
            + String.join(", ", limiter.plans().planNames()), "tier"));
    invocation.log().put("creatorId", creatorId).put("plan", plan);
    String model = request.query("model").orElse(null);
    Decision decision = LimiterCalls.timed(invocation, () -> model == null ? limiter.status(creatorId, plan)
        : limiter.status(creatorId, plan, model));
    invocation.metrics().plan(decision.plan());
    if (decision.outcome() == Decision.Outcome.REDIS_UNAVAILABLE) {
      LimiterCalls.failed(invocation, decision.failure().orElseThrow(), "unavailable");
      throw Unavailable.status(decision.failure().orElseThrow());
    }
    invocation.log().put("decision", "status");
    return HttpResponses.json(200, DecisionAnswers.statusBody(decision), DecisionAnswers.headers(decision));
  }

  APIGatewayV2HTTPResponse reset(HttpRequest request, Invocation invocation) {
    String creatorId = request.pathParameter("creatorId");
    invocation.log().put("creatorId", creatorId);
    ResetResult reset = LimiterCalls.timed(invocation, () -> limiter.reset(creatorId));
    if (!reset.done()) {
      LimiterCalls.failed(invocation, reset.failure().orElseThrow(), "unavailable");
      throw Unavailable.reset(reset.failure().orElseThrow());
    }
    invocation.log().put("decision", "reset");
    return HttpResponses.json(200, Json.object().put("creatorId", creatorId).put("reset", true)
        .put("keysDeleted", reset.keysDeleted()), Map.of());
  }
}
