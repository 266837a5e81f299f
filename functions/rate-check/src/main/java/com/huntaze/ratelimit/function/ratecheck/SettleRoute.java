package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.RouteHandler;
import java.util.Map;

/**
 * {@code POST /v1/settle}: replaces a reservation by the call's real usage, exactly once per request id.
 * 200 with the adjustment per limit and the new state; 400 for an unknown, expired or foreign request id.
 */
final class SettleRoute implements RouteHandler {
  private final RateLimiter limiter;

  SettleRoute(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public APIGatewayV2HTTPResponse answer(HttpRequest http, Invocation invocation) {
    SettleRequest request = SettleRequest.parse(http);
    invocation.log().put("creatorId", request.creatorId()).put("plan", request.plan())
        .put("requestId", request.requestId());
    Settlement settlement = LimiterCalls.timed(invocation,
        () -> limiter.settle(request.creatorId(), request.plan(), request.requestId(), request.usage()));
    invocation.metrics().plan(settlement.plan());
    if (!settlement.settled()) {
      LimiterCalls.failed(invocation, settlement.failure().orElseThrow(), "unavailable");
      throw Unavailable.settle(settlement.failure().orElseThrow());
    }
    UsageMetrics.afterSettle(invocation.metrics(), settlement);
    invocation.log().put("decision", settlement.replayed() ? "settled-replayed" : "settled");
    return HttpResponses.json(200, UsageAnswers.settlementBody(settlement), Map.of());
  }
}
