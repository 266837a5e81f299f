package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.Release;
import com.huntaze.ratelimit.function.HttpRequest;
import com.huntaze.ratelimit.function.HttpResponses;
import com.huntaze.ratelimit.function.Invocation;
import com.huntaze.ratelimit.function.RouteHandler;
import java.util.Map;

/**
 * {@code POST /v1/release}: frees the request's concurrency leases without settling its usage. 200 says
 * per lease whether this call freed it or why there was nothing to free.
 */
final class ReleaseRoute implements RouteHandler {
  private final RateLimiter limiter;

  ReleaseRoute(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public APIGatewayV2HTTPResponse answer(HttpRequest http, Invocation invocation) {
    ReleaseRequest request = ReleaseRequest.parse(http);
    invocation.log().put("creatorId", request.creatorId()).put("plan", request.plan())
        .put("requestId", request.requestId());
    Release release = LimiterCalls.timed(invocation,
        () -> limiter.release(request.creatorId(), request.plan(), request.requestId()));
    invocation.metrics().plan(release.plan());
    if (!release.completed()) {
      LimiterCalls.failed(invocation, release.failure().orElseThrow(), "unavailable");
      throw Unavailable.release(release.failure().orElseThrow());
    }
    release.leases().stream().filter(l -> l.kind() == Release.Kind.RELEASED).findFirst()
        .ifPresent(l -> invocation.metrics().amount("LeasesInUse", l.limit().limit() - l.remaining()));
    invocation.log().put("decision", release.released() ? "released" : "nothing-to-release");
    return HttpResponses.json(200, UsageAnswers.releaseBody(release), Map.of());
  }
}
