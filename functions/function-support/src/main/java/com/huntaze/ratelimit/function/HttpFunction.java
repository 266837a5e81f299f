package com.huntaze.ratelimit.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.PrintStream;
import java.util.Map;

/**
 * One invocation of a function behind API Gateway (HTTP API, payload 2.0): the request view, the route
 * table, and what every invocation records (one JSON log line, at most one metrics document). A
 * {@link ProblemException} becomes its problem answer; any other failure a 500 that shows no internals.
 */
public final class HttpFunction {
  /**
   * Every 500 answer, whatever produced it. Lambda's own Errors metric never sees a failure answered here,
   * so this is what the deployment's rollback alarm watches (503s are Redis's, counted as RedisErrors).
   */
  public static final String INTERNAL_ERRORS_METRIC = "InternalErrors";

  private final String name;
  private final Routes routes;
  private final Telemetry telemetry;
  private final PrintStream log;
  private final String invalidRequestMetric;

  public HttpFunction(String name, Routes routes, Telemetry telemetry, PrintStream log) {
    this(name, routes, telemetry, log, null);
  }

  private HttpFunction(String name, Routes routes, Telemetry telemetry, PrintStream log, String invalidRequestMetric) {
    this.name = name;
    this.routes = routes;
    this.telemetry = telemetry;
    this.log = log;
    this.invalidRequestMetric = invalidRequestMetric;
  }

  /** The same function, counting every 4xx answer as this metric. */
  public HttpFunction countingInvalidRequests(String metric) {
    return new HttpFunction(name, routes, telemetry, log, metric);
  }

  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
    Invocation invocation = new Invocation(name, context == null ? null : context.getAwsRequestId(), telemetry);
    APIGatewayV2HTTPResponse response = answer(event, invocation);
    invocation.log().put("status", response.getStatusCode());
    if (response.getStatusCode() == 500) {
      invocation.metrics().count(INTERNAL_ERRORS_METRIC);
    }
    invocation.flushMetrics();
    invocation.log().emit(log);
    return response;
  }

  private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Invocation invocation) {
    try {
      HttpRequest request = HttpRequest.of(event).orElse(null);   // no lambdas here: the first answer runs this
      if (request == null) {
        request = routes.directInvocation().orElseThrow(() -> ProblemException.badRequest("malformed-event",
            "the event is not an API Gateway HTTP API (payload 2.0) request", null));
      }
      invocation.log().put("route", request.method() + " " + request.path());
      return routes.answer(request, invocation);
    } catch (ProblemException e) {
      if (e.problem().status() < 500) {   // a 5xx problem was recorded by the route that found it
        invalid(e.problem(), invocation);
      }
      return HttpResponses.problem(e.problem(), invocation.requestId(), e.headers());
    } catch (RuntimeException e) {
      invocation.log().level("ERROR").put("decision", "error").put("errorKind", e.getClass().getSimpleName())
          .put("error", String.valueOf(e.getMessage()));
      return HttpResponses.problem(new Problem(500, "internal-error", "Internal error",
          "the function failed unexpectedly; the request id (instance) identifies its log line", null),
          invocation.requestId(), Map.of());
    }
  }

  private void invalid(Problem problem, Invocation invocation) {
    if (invalidRequestMetric != null) {
      invocation.metrics().count(invalidRequestMetric);
    }
    invocation.log().put("decision", "invalid").put("errorKind", problem.type());
  }
}
