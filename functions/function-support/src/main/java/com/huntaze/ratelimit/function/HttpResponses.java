package com.huntaze.ratelimit.function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** API Gateway (payload 2.0) answers: JSON bodies and problem+json errors. */
public final class HttpResponses {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  private HttpResponses() {
  }

  public static APIGatewayV2HTTPResponse json(int status, JsonNode body, Map<String, String> headers) {
    return respond(status, JSON, body, headers);
  }

  /** A problem answer; {@code instance} is the request id, so a report can be traced to its log line. */
  public static APIGatewayV2HTTPResponse problem(Problem problem, String instance, Map<String, String> headers) {
    return respond(problem.status(), PROBLEM_JSON, problem.toJson(instance), headers);
  }

  private static APIGatewayV2HTTPResponse respond(int status, String contentType, JsonNode body,
      Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Content-Type", contentType);
    all.put("Cache-Control", "no-store");
    all.putAll(headers);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(all)
        .withBody(Json.write(body))
        .withIsBase64Encoded(false)
        .build();
  }
}
