package com.huntaze.ratelimit.function;

import static com.huntaze.ratelimit.function.testing.LambdaHarness.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The invocation spine on its own: request view, route table, problem answers, log line and metrics. */
class HttpFunctionTest {
  /** Echoes what the request view saw. */
  private static final RouteHandler ECHO = (request, invocation) -> HttpResponses.json(200, Json.object()
      .put("method", request.method())
      .put("path", request.path())
      .put("id", request.pathParameter("id"))
      .put("tier", request.query("tier").orElse(null))
      .put("body", new String(request.jsonBody(16), StandardCharsets.UTF_8)), Map.of());

  private static LambdaHarness<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> harness(
      Routes.Builder routes, boolean countInvalid) {
    return new LambdaHarness<>("TestFunction", (telemetry, log) -> {
      HttpFunction function = new HttpFunction("test", routes.build(), telemetry, log);
      HttpFunction used = countInvalid ? function.countingInvalidRequests("InvalidRequests") : function;
      return used::handle;
    });
  }

  private static Routes.Builder echoRoutes() {
    return Routes.builder().route("GET", "/v1/things/{id}", ECHO).route("DELETE", "/v1/things/{id}", ECHO)
        .route("POST", "/v1/check", (request, invocation) -> HttpResponses.json(200, Json.object(), Map.of()));
  }

  private static APIGatewayV2HTTPEvent request(String method, String path) {
    APIGatewayV2HTTPEvent event = event("limits-status.json");
    event.setRawPath(path);
    event.getRequestContext().getHttp().setMethod(method);
    event.getRequestContext().getHttp().setPath(path);
    event.setPathParameters(null);
    return event;
  }

  @Test
  void theRequestViewHasMethodPathWithoutStagePathParametersQueryAndBody() {
    APIGatewayV2HTTPEvent event = request("GET", "/dev/v1/things/a%2Fb+c/");
    event.getRequestContext().setStage("dev");
    event.setBody(Base64.getEncoder().encodeToString("{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);
    Answer answer = harness(echoRoutes(), true).invoke(event);

    assertEquals(200, answer.status(), answer.body().toString());
    assertEquals("GET", answer.body().path("method").asText());
    assertEquals("/v1/things/a%2Fb+c", answer.body().path("path").asText());
    assertEquals("a/b+c", answer.body().path("id").asText(), "percent-decoded, '+' kept");
    assertEquals("pro", answer.body().path("tier").asText());
    assertEquals("{\"x\":1}", answer.body().path("body").asText());
  }

  @Test
  void apiGatewaysDecodedPathParameterIsPreferred() {
    APIGatewayV2HTTPEvent event = request("GET", "/v1/things/raw");
    event.setPathParameters(Map.of("id", "decoded by the gateway"));
    assertEquals("decoded by the gateway", harness(echoRoutes(), true).invoke(event).body().path("id").asText());
  }

  @Test
  void anUnknownPathIsA404ListingTheRoutes() {
    var harness = harness(echoRoutes(), true);
    Answer answer = harness.invoke(request("GET", "/v1/quotas"));

    assertEquals(404, answer.status());
    assertEquals(HttpResponses.PROBLEM_JSON, answer.header("Content-Type"));
    assertEquals("no route GET /v1/quotas; the routes are GET /v1/things/{id}, DELETE /v1/things/{id}, POST /v1/check",
        answer.body().path("detail").asText());
    assertEquals("req-0", answer.body().path("instance").asText());
    JsonNode line = harness.lastLogLine();
    assertEquals("GET /v1/quotas", line.path("route").asText());
    assertEquals("invalid", line.path("decision").asText());
    assertEquals("not-found", line.path("errorKind").asText());
    assertEquals(404, line.path("status").asInt());
    assertEquals(List.of("InvalidRequests"), harness.metrics().metricNames());
  }

  @Test
  void anotherMethodOnAKnownPathIsA405WithAllow() {
    Answer answer = harness(echoRoutes(), true).invoke(request("PUT", "/v1/things/x"));
    assertEquals(405, answer.status());
    assertEquals("GET, DELETE", answer.header("Allow"));
    assertEquals("PUT is not allowed on /v1/things/x; use GET, DELETE", answer.body().path("detail").asText());
  }

  @Test
  void aPathParameterThatIsNotPercentEncodingIsA400NamingIt() {
    Answer answer = harness(echoRoutes(), true).invoke(request("GET", "/v1/things/%zz"));
    assertEquals(400, answer.status());
    assertEquals("id", answer.body().path("field").asText());
    assertEquals("the id in the path is not valid percent-encoding", answer.body().path("detail").asText());
  }

  @Test
  void anEventWithoutAnHttpRequestIsA400UnlessTheRoutesSayWhatItStandsFor() {
    Answer refused = harness(echoRoutes(), true).invoke(new APIGatewayV2HTTPEvent());
    assertEquals(400, refused.status());
    assertEquals("urn:problem:rate-limiter:malformed-event", refused.body().path("type").asText());

    Answer direct = harness(echoRoutes().directInvocation("POST", "/v1/check"), true).invoke((APIGatewayV2HTTPEvent) null);
    assertEquals(200, direct.status(), direct.body().toString());
  }

  @Test
  void bodiesOverTheLimitAreA413AndOtherContentTypesA415() {
    var harness = harness(echoRoutes(), true);
    APIGatewayV2HTTPEvent large = request("GET", "/v1/things/x");
    large.setBody("{\"x\":\"0123456789abcdef\"}");
    Answer tooLarge = harness.invoke(large);
    assertEquals(413, tooLarge.status());
    assertEquals("the body is 24 bytes; this route accepts at most 16 bytes", tooLarge.body().path("detail").asText());

    APIGatewayV2HTTPEvent text = request("GET", "/v1/things/x");
    text.setHeaders(Map.of("Content-Type", "text/plain; charset=utf-8"));
    Answer unsupported = harness.invoke(text);
    assertEquals(415, unsupported.status());
    assertEquals("send the body as application/json, not text/plain", unsupported.body().path("detail").asText());
  }

  @Test
  void bodyTextWithAnUnpairedSurrogateOrBadBase64IsA400() {
    var harness = harness(echoRoutes(), true);
    APIGatewayV2HTTPEvent surrogate = request("GET", "/v1/things/x");
    surrogate.setBody("{\"x\":\"\ud800\"}");
    assertEquals("malformed-body", type(harness.invoke(surrogate)));

    APIGatewayV2HTTPEvent base64 = request("GET", "/v1/things/x");
    base64.setBody("not base64!");
    base64.setIsBase64Encoded(true);
    assertEquals("malformed-body", type(harness.invoke(base64)));
  }

  @Test
  void aFailingRouteIsA500WithoutInternalsAndTheErrorInTheLog() {
    var harness = harness(Routes.builder().route("GET", "/boom", (request, invocation) -> {
      throw new IllegalStateException("com.example.Secret internals");
    }), false);
    Answer answer = harness.invoke(request("GET", "/boom"));

    assertEquals(500, answer.status());
    assertEquals("urn:problem:rate-limiter:internal-error", answer.body().path("type").asText());
    assertFalse(answer.response().getBody().contains("Secret") || answer.response().getBody().contains("Exception"),
        answer.response().getBody());
    JsonNode line = harness.lastLogLine();
    assertEquals("ERROR", line.path("level").asText());
    assertEquals("IllegalStateException", line.path("errorKind").asText());
    assertTrue(line.path("error").asText().contains("internals"));
    assertEquals(List.of("InternalErrors"), harness.metrics().metricNames());
  }

  @Test
  void every500AnswerCountsOneInternalErrorWhateverProducedItAndNoOtherStatusDoes() {
    var harness = harness(Routes.builder()
        .route("GET", "/problem500", (request, invocation) -> {
          throw new ProblemException(new Problem(500, "internal-error", "Internal error", "a route's own 500", null));
        })
        .route("GET", "/answer500", (request, invocation) -> HttpResponses.json(500, Json.object(), Map.of()))
        .route("GET", "/unavailable", (request, invocation) -> {
          throw new ProblemException(new Problem(503, "redis-unavailable", "Unavailable", "Redis is down", null));
        })
        .route("GET", "/ok", (request, invocation) -> HttpResponses.json(200, Json.object(), Map.of())), true);

    assertEquals(500, harness.invoke(request("GET", "/problem500")).status());
    assertEquals(500, harness.invoke(request("GET", "/answer500")).status());
    assertEquals(List.of("InternalErrors", "InternalErrors"), harness.metrics().metricNames());
    assertEquals(503, harness.invoke(request("GET", "/unavailable")).status());
    assertEquals(200, harness.invoke(request("GET", "/ok")).status());
    assertEquals(404, harness.invoke(request("GET", "/nothing")).status());
    assertEquals(List.of("InternalErrors", "InternalErrors", "InvalidRequests"), harness.metrics().metricNames(),
        "a 503, a 200 and a 404 count no internal error");
    assertEquals(HttpFunction.INTERNAL_ERRORS_METRIC, "InternalErrors", "the name the template's alarm and dashboard use");
  }

  @Test
  void withoutAnInvalidRequestMetricA4xxWritesNoMetricsDocument() {
    var harness = harness(echoRoutes(), false);
    assertEquals(404, harness.invoke(request("GET", "/nothing")).status());
    assertTrue(harness.metrics().rawDocuments().isEmpty());
    assertEquals(1, harness.logLines().size(), "still one log line");
  }

  private static String type(Answer answer) {
    return answer.body().path("type").asText().replace("urn:problem:rate-limiter:", "");
  }
}
