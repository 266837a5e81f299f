package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.function.testing.LambdaHarness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Routing, the event files and an invalid configuration: everything that needs no Redis. */
class ConnectionTestHandlerTest {
  private static final Map<String, String> VALID = TestHandlers.plainEnvironment("127.0.0.1", 6379);

  @Test
  void theEventFilesHaveTheShapeApiGatewaySends() {
    APIGatewayV2HTTPEvent get = LambdaHarness.event("test-redis.json");
    assertEquals("2.0", get.getVersion());
    assertEquals("GET /test-redis", get.getRouteKey());
    assertEquals("/test-redis", get.getRawPath());
    assertEquals("", get.getRawQueryString());
    assertEquals("GET", get.getRequestContext().getHttp().getMethod());
    assertEquals("/test-redis", get.getRequestContext().getHttp().getPath());
    assertEquals("$default", get.getRequestContext().getStage());
    assertFalse(get.getIsBase64Encoded());
    get.getHeaders().keySet().forEach(name -> assertEquals(name.toLowerCase(), name, "header names are lower-case"));

    APIGatewayV2HTTPEvent post = LambdaHarness.event("test-redis-wrong-method.json");
    assertEquals("POST", post.getRequestContext().getHttp().getMethod());
    assertEquals("POST /test-redis", post.getRouteKey());
  }

  @Test
  void anotherMethodIsRefusedWith405AndAnAllowHeader() {
    var harness = TestHandlers.on(VALID);
    Answer answer = harness.invoke(LambdaHarness.event("test-redis-wrong-method.json"));

    assertEquals(405, answer.status());
    assertEquals("GET", answer.header("Allow"));
    assertEquals("application/problem+json", answer.header("Content-Type"));
    assertEquals(405, answer.body().path("status").asInt());
    assertEquals("urn:problem:rate-limiter:method-not-allowed", answer.body().path("type").asText());
    assertTrue(answer.body().path("detail").asText().contains("use GET"), answer.body().toString());
    assertEquals("req-0", answer.body().path("instance").asText());

    JsonNode line = harness.lastLogLine();
    assertEquals("POST /test-redis", line.path("route").asText());
    assertEquals(405, line.path("status").asInt());
    assertEquals("req-0", line.path("requestId").asText());
    assertTrue(harness.metrics().rawDocuments().isEmpty(), "no connection test ran, so no test metrics");
  }

  @Test
  void anotherPathIsNotFound() {
    APIGatewayV2HTTPEvent event = LambdaHarness.event("test-redis.json");
    event.setRawPath("/v1/check");
    event.getRequestContext().getHttp().setPath("/v1/check");
    var harness = TestHandlers.on(VALID);
    Answer answer = harness.invoke(event);

    assertEquals(404, answer.status());
    assertEquals("application/problem+json", answer.header("Content-Type"));
    assertEquals("urn:problem:rate-limiter:not-found", answer.body().path("type").asText());
    assertEquals("GET /v1/check", harness.lastLogLine().path("route").asText());
  }

  @Test
  void anInvalidConfigurationAnswersEveryInvocationWith503AtTheConfigurationStep() {
    Map<String, String> environment = TestHandlers.plainEnvironment("127.0.0.1", 6379);
    environment.put("REDIS_PORT", "abc");
    var harness = TestHandlers.on(environment);   // must not throw: a diagnostic reports instead

    for (int i = 0; i < 2; i++) {
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));
      assertEquals(503, answer.status());
      assertEquals("application/json", answer.header("Content-Type"));
      JsonNode body = answer.body();
      assertFalse(body.path("success").asBoolean(true));
      assertEquals("configuration", body.path("failedStep").asText());
      assertEquals("CONFIGURATION", body.path("error").path("kind").asText());
      String message = body.path("error").path("message").asText();
      assertTrue(message.contains("REDIS_PORT") && message.contains("'abc'"), message);
      assertEquals(message, body.path("detail").asText());
      assertTrue(body.path("error").path("hint").asText().contains("environment variables"), body.toString());
      assertTrue(body.path("tests").isObject() && body.path("tests").isEmpty());
    }

    JsonNode line = harness.lastLogLine();
    assertFalse(line.path("success").booleanValue());
    assertEquals("configuration", line.path("failedStep").asText());
    assertEquals("CONFIGURATION", line.path("errorKind").asText());
    assertEquals("ERROR", line.path("level").asText());
    assertEquals(List.of("ConnectionTestFailed", "ConnectionTestFailed"), harness.metrics().metricNames());
  }

  @Test
  void aNamedStagePrefixIsNotPartOfTheRoute() {
    APIGatewayV2HTTPEvent event = LambdaHarness.event("test-redis.json");
    event.getRequestContext().setStage("dev");
    event.setRawPath("/dev/test-redis");
    Map<String, String> environment = TestHandlers.plainEnvironment("127.0.0.1", 6379);
    environment.remove("REDIS_HOST");
    Answer answer = TestHandlers.on(environment).invoke(event);

    assertEquals(503, answer.status(), "routed to the test, which reports the missing host");
    assertTrue(answer.body().path("error").path("message").asText().contains("REDIS_HOST is required"));
  }

  @Test
  void aDirectInvocationWithoutAnHttpRequestRunsTheTest() {
    Map<String, String> environment = TestHandlers.plainEnvironment("127.0.0.1", 6379);
    environment.remove("REDIS_HOST");
    var harness = TestHandlers.on(environment);
    Answer answer = harness.invoke(LambdaHarness.eventFromJson("{}"));

    assertEquals(503, answer.status(), "the test ran, and reports the missing host");
    assertEquals("configuration", answer.body().path("failedStep").asText());
    assertTrue(answer.body().path("error").path("message").asText().contains("REDIS_HOST is required"));
    assertEquals("GET /test-redis", harness.lastLogLine().path("route").asText());
    assertEquals(List.of("ConnectionTestFailed"), harness.metrics().metricNames());
  }

  @Test
  void theLambdaConstructorDoesNotThrowOnAMissingConfiguration() {
    Assumptions.assumeTrue(System.getenv("REDIS_HOST") == null, "REDIS_HOST is set in this environment");
    ConnectionTestHandler handler = new ConnectionTestHandler();
    var response = handler.handleRequest(LambdaHarness.event("test-redis.json"), new LambdaHarness.TestContext("ConnectionTestFunction", "req-lambda"));
    assertEquals(503, response.getStatusCode());
    assertTrue(response.getBody().contains("REDIS_HOST is required"), response.getBody());
  }
}
