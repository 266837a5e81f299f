package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.cli.LocalRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's routes over real HTTP through the local API, as the README's curl examples call them. */
class ProjectLocalApiIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ByteArrayOutputStream BANNER = new ByteArrayOutputStream();
  private static LocalRunner.RunningApi api;

  @BeforeAll
  static void start() {
    api = LocalRunner.startApi(List.of("--port", "0", "--no-auth", "--template", Project.TEMPLATE.toString()), new PrintStream(BANNER, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theBannerPrintsCurlExamplesForEveryRoute() {
    String banner = BANNER.toString(StandardCharsets.UTF_8);
    for (String example : List.of("curl -s -X POST " + api.baseUrl() + "/v1/check",
        api.baseUrl() + "/v1/limits/creator-123?tier=pro", "curl -s -X DELETE " + api.baseUrl() + "/v1/limits/creator-123",
        api.baseUrl() + "/test-redis")) {
      assertTrue(banner.contains(example), banner);
    }
  }

  @Test
  void theCurlExamplesAnswerAsDocumented() throws Exception {
    send("DELETE", "/v1/limits/creator-123", null);
    HttpResponse<String> check = send("POST", "/v1/check", "{\"creatorId\":\"creator-123\",\"tier\":\"pro\",\"tokens\":500}");
    assertEquals(200, check.statusCode(), check.body());
    assertEquals("application/json", check.headers().firstValue("content-type").orElseThrow());
    assertTrue(check.headers().firstValue("ratelimit-policy").orElseThrow().contains("\"requests-per-minute\";q=60;w=60"));
    assertEquals("59", check.headers().firstValue("x-ratelimit-remaining").orElseThrow());
    assertTrue(check.body().contains("\"allowed\":true"), check.body());

    HttpResponse<String> status = send("GET", "/v1/limits/creator-123?tier=pro", null);
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().contains("\"remaining\":59"), status.body());

    HttpResponse<String> reset = send("DELETE", "/v1/limits/creator-123", null);
    assertEquals(200, reset.statusCode(), reset.body());
    assertTrue(reset.body().contains("\"reset\":true"), reset.body());

    HttpResponse<String> connection = send("GET", "/test-redis", null);
    assertEquals(200, connection.statusCode(), connection.body());
    assertTrue(connection.body().contains("\"success\":true"), connection.body());
  }

  @Test
  void theCarryOverOfUsageIsServedOverHttpAndAStatusCallSeesIt() throws Exception {
    send("DELETE", "/v1/limits/creator-carried", null);
    HttpResponse<String> set = send("PUT", "/v1/usage/creator-carried",
        "{\"tier\":\"pro\",\"usage\":{\"tokens-per-month\":500,\"usd-per-month\":\"0.25\"}}");
    assertEquals(200, set.statusCode(), set.body());
    assertTrue(set.body().contains("\"usageSet\":{\"requested\":500,\"before\":0,\"after\":500}"), set.body());
    assertTrue(set.body().contains("\"remaining\":\"19.750000\""), set.body());
    HttpResponse<String> status = send("GET", "/v1/limits/creator-carried?tier=pro", null);
    assertTrue(status.body().contains("\"remaining\":19999500"), status.body());
  }

  @Test
  void badInputOverHttpIsAProblemAndUnknownPathsAre404() throws Exception {
    HttpResponse<String> malformed = send("POST", "/v1/check", "{\"creatorId\": ");
    assertEquals(400, malformed.statusCode());
    assertEquals("application/problem+json", malformed.headers().firstValue("content-type").orElseThrow());
    HttpResponse<String> wrongMethod = send("PUT", "/v1/check", "{}");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());
    HttpResponse<String> unknownUnderV1 = send("GET", "/v1/quotas", null);
    assertEquals(404, unknownUnderV1.statusCode());
    assertTrue(unknownUnderV1.body().contains("urn:problem:rate-limiter:not-found"));
    assertEquals(404, send("GET", "/nothing-here", null).statusCode());   // no route: the gateway's own 404
  }
}
