package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.LimitOverride;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.function.Problem;
import com.huntaze.ratelimit.function.ProblemException;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Unit;
import com.huntaze.ratelimit.redis.RedisPortException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operators' {@code PUT/GET/DELETE /v1/overrides/{creatorId}}: a creator's own limits until they
 * expire. Who set an override is the IAM caller API Gateway authorized; every change writes its log line.
 */
final class OverridesRoute {
  static final String PATTERN = "/v1/overrides/{creatorId}";

  private final RateLimiter limiter;

  OverridesRoute(RateLimiter limiter) {
    this.limiter = limiter;
  }

  APIGatewayV2HTTPResponse put(HttpRequest request, Invocation invocation) {
    String creatorId = request.pathParameter("creatorId");
    invocation.log().put("creatorId", creatorId);
    OverrideRequest body = OverrideRequest.parse(request, limiter.plans());
    String setBy = request.caller().orElse("unknown");
    LimitOverride override = redis(invocation, () -> LimiterCalls.timed(invocation,
        () -> limiter.setOverride(creatorId, body.limits(), body.expiresAt(), body.reason(), setBy)));
    invocation.log().put("decision", "override-set").put("setBy", setBy).put("reason", override.reason())
        .put("expiresAt", override.expiresAt().toString()).put("limits", override.limits().toString());
    return HttpResponses.json(200, body(override), Map.of());
  }

  APIGatewayV2HTTPResponse get(HttpRequest request, Invocation invocation) {
    String creatorId = request.pathParameter("creatorId");
    invocation.log().put("creatorId", creatorId);
    LimitOverride override = redis(invocation, () -> LimiterCalls.timed(invocation, () -> limiter.override(creatorId)))
        .orElseThrow(() -> new ProblemException(new Problem(404, "no-override", "No override",
            "creator '" + creatorId + "' has no override (none was set, or it expired or was removed)", null)));
    invocation.log().put("decision", "override-shown");
    return HttpResponses.json(200, body(override), Map.of());
  }

  APIGatewayV2HTTPResponse delete(HttpRequest request, Invocation invocation) {
    String creatorId = request.pathParameter("creatorId");
    invocation.log().put("creatorId", creatorId);
    boolean removed = redis(invocation, () -> LimiterCalls.timed(invocation, () -> limiter.removeOverride(creatorId)));
    invocation.log().put("decision", removed ? "override-removed" : "no-override")
        .put("setBy", request.caller().orElse("unknown"));
    return HttpResponses.json(200, Json.object().put("creatorId", creatorId).put("removed", removed), Map.of());
  }

  private ObjectNode body(LimitOverride override) {
    ObjectNode body = Json.object().put("creatorId", override.creatorId());
    ObjectNode limits = body.putObject("limits");
    override.limits().forEach((name, amount) -> Money.put(limits, name, unitOf(name), amount));
    return body.put("expiresAt", override.expiresAt().toString())
        .put("reason", override.reason())
        .put("setBy", override.setBy())
        .put("setAt", override.setAt().toString());
  }

  private Unit unitOf(String limitName) {
    return limiter.plans().allLimits().stream().filter(l -> l.name().equals(limitName)).map(Limit::unit)
        .findFirst().orElse(Unit.REQUESTS);
  }

  private static <T> T redis(Invocation invocation, Supplier<T> call) {
    try {
      return call.get();
    } catch (RedisPortException e) {
      LimiterCalls.failed(invocation, e.failure(), "unavailable");
      throw Unavailable.override(e.failure());
    }
  }
}
