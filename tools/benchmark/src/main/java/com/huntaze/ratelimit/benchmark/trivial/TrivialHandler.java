package com.huntaze.ratelimit.benchmark.trivial;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * The cold-start baseline: a handler of the same event and answer types as rate-check that does nothing.
 * {@link com.huntaze.ratelimit.benchmark.ColdStartBenchmark} packages it (with aws-lambda-java-core and
 * -events) into a jar of its own and runs it exactly as it runs rate-check's jar.
 */
public final class TrivialHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withBody("{\"ok\":true}")
        .withIsBase64Encoded(false)
        .build();
  }
}
