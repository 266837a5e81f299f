package com.huntaze.ratelimit.function.ratecheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;

/** The HTTP API events of SnapStart's priming calls, as API Gateway would send them. */
final class PrimingEvents {
  private PrimingEvents() {
  }

  /** {@code GET /v1/limits/{creatorId}?tier=plan}: every limit's state, consuming nothing. */
  static APIGatewayV2HTTPEvent status(String creatorId, String plan) {
    APIGatewayV2HTTPEvent event = event("GET", "/v1/limits/" + creatorId);
    event.setQueryStringParameters(Map.of("tier", plan));
    return event;
  }

  /** {@code POST /v1/check} whose body is refused (negative tokens) before anything reaches Redis. */
  static APIGatewayV2HTTPEvent refusedCheck(String creatorId, String plan) {
    APIGatewayV2HTTPEvent event = event("POST", "/v1/check");
    event.setHeaders(Map.of("content-type", "application/json"));
    event.setBody("{\"creatorId\": \"" + creatorId + "\", \"tier\": \"" + plan + "\", \"tokens\": -1}");
    return event;
  }

  private static APIGatewayV2HTTPEvent event(String method, String path) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setVersion("2.0");
    event.setRouteKey(method + " " + path);
    event.setRawPath(path);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
        .build());
    return event;
  }
}
