package com.huntaze.ratelimit.localrunner.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayResponseTest {

  @Test
  void aResponseWithStatusCodeGivesStatusHeadersCookiesAndBody() {
    GatewayResponse response = map("""
        {"statusCode": 429, "headers": {"content-type": "application/problem+json", "retry-after": 12},
         "cookies": ["a=1; Path=/", "b=2"], "body": "{\\"title\\":\\"Too Many Requests\\"}"}
        """);

    assertEquals(429, response.status());
    assertEquals(Map.of("content-type", List.of("application/problem+json"), "retry-after", List.of("12"),
        "Set-Cookie", List.of("a=1; Path=/", "b=2")), response.headers());
    assertEquals("{\"title\":\"Too Many Requests\"}", text(response));
  }

  @Test
  void aBase64BodyIsDecoded() {
    GatewayResponse response = map("{\"statusCode\": 200, \"isBase64Encoded\": true, \"body\": \"AAH/\"}");

    assertArrayEquals(new byte[] {0, 1, (byte) 255}, response.body());
  }

  @Test
  void aStatusCodeAsTextAndNoBodyAreFine() {
    GatewayResponse response = map("{\"statusCode\": \"204\"}");

    assertEquals(204, response.status());
    assertEquals(0, response.body().length);
  }

  @Test
  void anyOtherJsonIsA200WithThatJsonAsBody() {
    for (String json : List.of("{\"allowed\":true,\"remaining\":10}", "[1,2]", "\"text\"", "42", "null")) {
      GatewayResponse response = map(json);

      assertEquals(200, response.status(), json);
      assertEquals(Map.of("Content-Type", List.of("application/json")), response.headers(), json);
      assertEquals(json, text(response), json);
    }
  }

  @Test
  void aFunctionErrorIsA500() {
    GatewayResponse response = GatewayResponse.fromInvocation(new InvocationResult(true,
        "{\"errorMessage\":\"x\",\"errorType\":\"java.lang.RuntimeException\"}".getBytes(StandardCharsets.UTF_8)));

    assertEquals(500, response.status());
    assertEquals("{\"message\":\"Internal Server Error\"}", text(response));
  }

  @Test
  void anUnusableResponseIsA500() {
    for (String bad : List.of("not json", "{\"statusCode\": \"abc\"}", "{\"statusCode\": 1000}",
        "{\"statusCode\": 200, \"isBase64Encoded\": true, \"body\": \"***\"}")) {
      assertEquals(500, map(bad).status(), bad);
    }
  }

  @Test
  void noRouteIsApiGatewaysNotFound() {
    GatewayResponse response = GatewayResponse.notFound();

    assertEquals(404, response.status());
    assertEquals("{\"message\":\"Not Found\"}", text(response));
  }

  private static GatewayResponse map(String payload) {
    return GatewayResponse.fromInvocation(new InvocationResult(false, payload.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(GatewayResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
