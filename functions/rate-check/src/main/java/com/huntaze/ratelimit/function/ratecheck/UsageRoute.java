package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.UsageSetResult;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.plan.Unit;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The operators' {@code PUT /v1/usage/{creatorId}}: carries a creator's usage over from another limiter.
 * Each named limit's usage in its current window becomes the larger of what is counted and the amount
 * given (at most the limit in force), so a repeat is harmless. Answers every limit's state, as a status
 * call does, with {@code usageSet} on the named ones; who set it is the IAM caller, in the log line.
 */
final class UsageRoute {
  static final String PATTERN = "/v1/usage/{creatorId}";

  private final RateLimiter limiter;

  UsageRoute(RateLimiter limiter) {
    this.limiter = limiter;
  }

  APIGatewayV2HTTPResponse put(HttpRequest request, Invocation invocation) {
    String creatorId = request.pathParameter("creatorId");
    invocation.log().put("creatorId", creatorId);
    UsageSetRequest body = UsageSetRequest.parse(request, limiter.plans());
    invocation.log().put("plan", body.plan());
    UsageSetResult result = LimiterCalls.timed(invocation,
        () -> limiter.setUsage(creatorId, body.plan(), body.usage()));
    invocation.metrics().plan(result.plan());
    if (!result.done()) {
      LimiterCalls.failed(invocation, result.failure().orElseThrow(), "unavailable");
      throw Unavailable.usageSet(result.failure().orElseThrow());
    }
    StringJoiner changes = new StringJoiner(", ");
    result.changes().forEach(c -> changes.add(c.name() + " " + c.before() + " -> " + c.after()));
    invocation.log().put("decision", "usage-set").put("setBy", request.caller().orElse("unknown"))
        .put("usage", changes.toString());
    return HttpResponses.json(200, body(result), Map.of());
  }

  /** The status body, each named limit with {@code usageSet}: what was asked for, the usage before and after. */
  private static ObjectNode body(UsageSetResult result) {
    ObjectNode body = DecisionAnswers.statusBody(result.state().orElseThrow());
    for (JsonNode node : body.path("limits")) {
      result.change(node.path("name").asText()).ifPresent(c -> {
        Unit unit = c.limit().unit();
        ObjectNode set = ((ObjectNode) node).putObject("usageSet");
        Money.put(set, "requested", unit, c.requested());
        Money.put(set, "before", unit, c.before());
        Money.put(set, "after", unit, c.after());
      });
    }
    return body;
  }
}
