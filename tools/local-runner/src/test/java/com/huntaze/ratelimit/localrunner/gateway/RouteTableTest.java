package com.huntaze.ratelimit.localrunner.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.template.HttpRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final RouteTable table = new RouteTable(List.of(
      new HttpRoute("ANY", "/v1/{proxy+}", "Proxy"),
      new HttpRoute("ANY", "/v1/limits/{proxy+}", "LimitsProxy"),
      new HttpRoute("GET", "/v1/limits/{creatorId}", "Status"),
      new HttpRoute("DELETE", "/v1/limits/{creatorId}", "Reset"),
      new HttpRoute("GET", "/v1/limits/{creatorId}/{window}", "Window"),
      new HttpRoute("GET", "/v1/limits/mine/{window}", "MyWindow"),
      new HttpRoute("POST", "/v1/check", "Check"),
      new HttpRoute("ANY", "/v1/check", "CheckAny"),
      new HttpRoute("GET", "/test-redis", "TestRedis")));

  @Test
  void anExactPathWinsOverParametersAndGreedyPaths() {
    assertRoute("POST /v1/check", "POST", "/v1/check", Map.of());
    assertRoute("GET /test-redis", "GET", "/test-redis", Map.of());
  }

  @Test
  void aRouteForTheMethodWinsOverAnyOfTheSamePath() {
    assertRoute("POST /v1/check", "POST", "/v1/check", Map.of());
    assertRoute("ANY /v1/check", "PUT", "/v1/check", Map.of());
  }

  @Test
  void pathParametersAreMatchedPerSegmentAndDecoded() {
    assertRoute("GET /v1/limits/{creatorId}", "GET", "/v1/limits/creator-123", Map.of("creatorId", "creator-123"));
    assertRoute("DELETE /v1/limits/{creatorId}", "DELETE", "/v1/limits/creator%20123",
        Map.of("creatorId", "creator 123"));
    assertRoute("GET /v1/limits/{creatorId}/{window}", "GET", "/v1/limits/c1/day",
        Map.of("creatorId", "c1", "window", "day"));
  }

  @Test
  void moreLiteralSegmentsWin() {
    assertRoute("GET /v1/limits/mine/{window}", "GET", "/v1/limits/mine/day", Map.of("window", "day"));
  }

  @Test
  void greedyPathsComeLastAndTheLongestWins() {
    assertRoute("ANY /v1/limits/{proxy+}", "POST", "/v1/limits/c1", Map.of("proxy", "c1"));
    assertRoute("ANY /v1/limits/{proxy+}", "GET", "/v1/limits/a/b/c", Map.of("proxy", "a/b/c"));
    assertRoute("ANY /v1/{proxy+}", "GET", "/v1/unknown/thing", Map.of("proxy", "unknown/thing"));
  }

  @Test
  void noMatchingRouteIsEmpty() {
    assertTrue(table.match("GET", "/v1").isEmpty(), "{proxy+} needs at least one segment");
    assertTrue(table.match("GET", "/v2/check").isEmpty());
    assertTrue(table.match("POST", "/test-redis").isEmpty());
    assertTrue(table.match("GET", "/").isEmpty());
    assertTrue(table.match("GET", "/test-redis/").isEmpty());
  }

  @Test
  void theDefaultRouteTakesWhatNothingElseMatches() {
    RouteTable withDefault = new RouteTable(List.of(
        new HttpRoute("ANY", "$default", "Default"), new HttpRoute("GET", "/a", "A")));

    assertEquals("A", withDefault.match("GET", "/a").orElseThrow().route().functionId());
    RouteTable.Match fallback = withDefault.match("POST", "/anything/else").orElseThrow();
    assertEquals("$default", fallback.route().routeKey());
    assertEquals(Map.of(), fallback.pathParameters());
  }

  private void assertRoute(String routeKey, String method, String path, Map<String, String> parameters) {
    RouteTable.Match match = table.match(method, path).orElseThrow(() -> new AssertionError(method + " " + path));
    assertEquals(routeKey, match.route().routeKey(), method + " " + path);
    assertEquals(parameters, match.pathParameters(), method + " " + path);
  }
}
