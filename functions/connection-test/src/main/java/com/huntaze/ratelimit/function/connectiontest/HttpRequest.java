package com.huntaze.ratelimit.function.connectiontest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/** Method and path of an HTTP API (payload 2.0) event, the path without a named stage's prefix. */
record HttpRequest(String method, String path) {
  static HttpRequest of(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPEvent.RequestContext context = event == null ? null : event.getRequestContext();
    if (context == null || context.getHttp() == null) {
      // A direct invocation (console "Test", `aws lambda invoke` with {}): run the test.
      return new HttpRequest(ConnectionTestHandler.METHOD, ConnectionTestHandler.PATH);
    }
    String method = context.getHttp().getMethod() == null ? "" : context.getHttp().getMethod();
    String path = event.getRawPath() != null ? event.getRawPath() : context.getHttp().getPath();
    return new HttpRequest(method, withoutStage(path == null ? "/" : path, context.getStage()));
  }

  /** A stage other than $default prefixes the path: /dev/test-redis. */
  private static String withoutStage(String path, String stage) {
    if (stage == null || stage.equals("$default")) {
      return path;
    }
    String prefix = "/" + stage;
    return path.startsWith(prefix + "/") ? path.substring(prefix.length()) : path;
  }
}
