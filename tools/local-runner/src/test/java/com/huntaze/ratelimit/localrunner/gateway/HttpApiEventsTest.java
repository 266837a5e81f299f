package com.huntaze.ratelimit.localrunner.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import com.huntaze.ratelimit.localrunner.template.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpApiEventsTest {
  private static final Instant TIME = Instant.ofEpochMilli(1583348638390L);
  private static final String TRACE_ID =
      "Root=1-5e5ffc1e-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0";
  private static final RouteTable.Match LIMITS = new RouteTable.Match(
      new HttpRoute("POST", "/v1/limits/{creatorId}", "RateCheckFunction"), Map.of("creatorId", "creator-123"));

  @Test
  void matchesAPayload2EventFieldByField() throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("127.0.0.1:3000"));
    headers.put("User-agent", List.of("curl/8.5.0"));
    headers.put("Accept", List.of("*/*"));
    headers.put("Content-type", List.of("application/json"));
    headers.put("Content-length", List.of("14"));
    headers.put("Cookie", List.of("session=abc; theme=dark"));
    headers.put("X-custom", List.of("a", "b"));
    GatewayRequest request = request("POST", "/v1/limits/creator-123", "tier=pro&tier=max&flag", headers,
        "{\"tokens\":500}".getBytes(StandardCharsets.UTF_8));

    JsonNode actual = Json.parse(HttpApiEvents.eventJson(request, LIMITS, Optional.empty()));
    JsonNode expected;
    try (InputStream in = HttpApiEventsTest.class.getResourceAsStream("/http-api-event.json")) {
      expected = Json.parse(in.readAllBytes());
    }

    List<String> differences = new ArrayList<>();
    compare("", expected, actual, differences);
    assertEquals(List.of(), differences);
    assertEquals(fieldNames(expected), fieldNames(actual), "the same top-level fields in API Gateway's order");
  }

  @Test
  void leavesOutWhatTheRequestDoesNotHave() {
    GatewayRequest request = request("GET", "/test-redis", null, Map.of("Host", List.of("localhost:3000")),
        new byte[0]);
    RouteTable.Match match = new RouteTable.Match(new HttpRoute("GET", "/test-redis", "F"), Map.of());

    Map<String, Object> event = HttpApiEvents.event(request, match);

    assertEquals("", event.get("rawQueryString"));
    for (String absent : List.of("cookies", "queryStringParameters", "pathParameters", "body")) {
      assertFalse(event.containsKey(absent), absent);
    }
    assertEquals(false, event.get("isBase64Encoded"));
    @SuppressWarnings("unchecked")
    Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
    assertEquals("GET /test-redis", context.get("routeKey"));
    assertEquals("127.0.0.1:3000", context.get("domainName"));
  }

  @Test
  void nonTextBodiesAreBase64Encoded() {
    GatewayRequest request = request("POST", "/v1/limits/creator-123", "",
        Map.of("Content-Type", List.of("application/octet-stream")), new byte[] {0, 1, (byte) 255});

    Map<String, Object> event = HttpApiEvents.event(request, LIMITS);

    assertEquals("AAH/", event.get("body"));
    assertEquals(true, event.get("isBase64Encoded"));
  }

  @Test
  void textContentTypesStayText() {
    for (String type : List.of("application/json", "application/json; charset=utf-8", "text/plain",
        "application/problem+json", "application/xml", "text/csv")) {
      assertTrue(HttpApiEvents.isText(type), type);
    }
    for (String type : List.of("application/octet-stream", "image/png", "application/x-www-form-urlencoded")) {
      assertFalse(HttpApiEvents.isText(type), type);
    }
    assertFalse(HttpApiEvents.isText(null));
  }

  @Test
  void queryStringParametersAreDecodedAndRepeatedOnesJoined() {
    assertEquals(Map.of("a", "1,2", "b", "x y", "c", "", "d", "=&"),
        HttpApiEvents.queryStringParameters("a=1&a=2&b=x+y&c&d=%3D%26"));
  }

  @Test
  void lambdasOwnSerializerReadsTheEventAsApiGatewayV2HttpEvent() {
    GatewayRequest request = request("POST", "/v1/limits/creator-123", "tier=pro",
        Map.of("Content-Type", List.of("application/json"), "Cookie", List.of("a=1")),
        "{\"tokens\":500}".getBytes(StandardCharsets.UTF_8));

    APIGatewayV2HTTPEvent event = LambdaEventSerializers
        .serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader())
        .fromJson(new String(HttpApiEvents.eventJson(request, LIMITS, Optional.empty()), StandardCharsets.UTF_8));

    assertEquals("2.0", event.getVersion());
    assertEquals("POST /v1/limits/{creatorId}", event.getRouteKey());
    assertEquals(Map.of("creatorId", "creator-123"), event.getPathParameters());
    assertEquals(Map.of("tier", "pro"), event.getQueryStringParameters());
    assertEquals(List.of("a=1"), event.getCookies());
    assertEquals("{\"tokens\":500}", event.getBody());
    assertEquals("POST", event.getRequestContext().getHttp().getMethod());
    assertEquals("$default", event.getRequestContext().getStage());
    assertEquals(1583348638390L, event.getRequestContext().getTimeEpoch());
    assertEquals(null, event.getRequestContext().getAuthorizer(), "no authorizer block when nothing was checked");
  }

  @Test
  void thePathAndItsParametersArriveDecodedAsHttpApisDeliverThem() {
    GatewayRequest request = request("GET", "/v1/limits/agency%40x%3A7%2Bb", "tier=pro", Map.of(), new byte[0]);
    RouteTable.Match match = new RouteTable.Match(new HttpRoute("GET", "/v1/limits/{creatorId}", "F"),
        Map.of("creatorId", "agency%40x%3A7%2Bb"));

    Map<String, Object> event = HttpApiEvents.event(request, match);

    assertEquals("/v1/limits/agency@x:7+b", event.get("rawPath"));
    assertEquals(Map.of("creatorId", "agency@x:7+b"), event.get("pathParameters"));
  }

  @Test
  void aSignedRequestsCallerReachesTheFunctionAsApiGatewaysIamAuthorizerBlock() {
    GatewayRequest request = request("GET", "/v1/limits/creator-123", "tier=pro", Map.of(), new byte[0]);
    CallerIdentity caller = CallerIdentity.of(new LocalCredentials("AKIDLOCAL", "s", Optional.empty(), "test"));

    APIGatewayV2HTTPEvent event = LambdaEventSerializers
        .serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader())
        .fromJson(new String(HttpApiEvents.eventJson(request, LIMITS, Optional.of(caller)), StandardCharsets.UTF_8));

    APIGatewayV2HTTPEvent.RequestContext.IAM iam = event.getRequestContext().getAuthorizer().getIam();
    assertEquals("AKIDLOCAL", iam.getAccessKey());
    assertEquals("123456789012", iam.getAccountId());
    assertEquals("arn:aws:iam::123456789012:user/local", iam.getUserArn());
    assertEquals("AKIDLOCAL", iam.getUserId());
  }

  private static GatewayRequest request(String method, String path, String query,
      Map<String, List<String>> headers, byte[] body) {
    return new GatewayRequest(method, path, query, headers, body, "127.0.0.1", "127.0.0.1:3000", 3000,
        "JKJaXmPLvHcESHA=", TRACE_ID, TIME);
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
    if (expected.isObject()) {
      expected.fieldNames().forEachRemaining(name ->
          compare(path + "." + name, expected.get(name), actual == null ? null : actual.get(name), differences));
      if (actual != null && actual.isObject()) {
        actual.fieldNames().forEachRemaining(name -> {
          if (!expected.has(name)) {
            differences.add(path + "." + name + ": not expected, got " + actual.get(name));
          }
        });
      }
    } else if (!expected.equals(actual)) {
      differences.add(path + ": expected " + expected + ", got " + actual);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
