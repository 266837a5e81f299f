package com.huntaze.ratelimit.localrunner.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Test function behind the local HTTP API: gets the event as APIGatewayV2HTTPEvent (deserialized by the
 * runtime interface client, as in Lambda) and answers what it saw as text lines; /fail throws, /exit
 * ends the JVM, /binary answers a base64 body with a cookie.
 */
public class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final long STARTED_AT = System.nanoTime();

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String path = event.getRawPath();
    if (path.equals("/fail")) {
      throw new IllegalArgumentException("failing on purpose");
    }
    if (path.equals("/exit")) {
      System.exit(5);
    }
    if (path.equals("/binary")) {
      return APIGatewayV2HTTPResponse.builder()
          .withStatusCode(200)
          .withHeaders(Map.of("content-type", "application/octet-stream"))
          .withCookies(List.of("a=1; Path=/", "b=2"))
          .withIsBase64Encoded(true)
          .withBody(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255}))
          .build();
    }
    String body = event.getBody();
    int bodyBytes = body == null ? 0
        : event.getIsBase64Encoded() ? Base64.getDecoder().decode(body).length
        : body.getBytes(StandardCharsets.UTF_8).length;
    String answer = String.join("\n",
        "routeKey=" + event.getRouteKey(),
        "method=" + event.getRequestContext().getHttp().getMethod(),
        "rawPath=" + event.getRawPath(),
        "rawQueryString=" + event.getRawQueryString(),
        "pathParameters=" + event.getPathParameters(),
        "queryStringParameters=" + event.getQueryStringParameters(),
        "cookies=" + event.getCookies(),
        "contentType=" + (event.getHeaders() == null ? null : event.getHeaders().get("content-type")),
        "isBase64Encoded=" + event.getIsBase64Encoded(),
        "body=" + (event.getIsBase64Encoded() ? "(base64)" : body),
        "bodyBytes=" + bodyBytes,
        "stage=" + event.getRequestContext().getStage(),
        "instance=" + STARTED_AT);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(path.startsWith("/items") && "POST".equals(event.getRequestContext().getHttp().getMethod())
            ? 201 : 200)
        .withHeaders(Map.of("content-type", "text/plain", "x-handled-by", context.getFunctionName()))
        .withBody(answer)
        .build();
  }
}
