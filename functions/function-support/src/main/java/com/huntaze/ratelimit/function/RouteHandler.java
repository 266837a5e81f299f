package com.huntaze.ratelimit.function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** Answers the requests of one route; a {@link ProblemException} ends the invocation with a problem answer. */
@FunctionalInterface
public interface RouteHandler {
  APIGatewayV2HTTPResponse answer(HttpRequest request, Invocation invocation);
}
