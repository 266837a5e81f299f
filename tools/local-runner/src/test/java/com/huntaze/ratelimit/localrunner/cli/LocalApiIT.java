package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code start-api} end to end: HTTP → payload 2.0 event → real function process → HTTP response. */
class LocalApiIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ByteArrayOutputStream BANNER = new ByteArrayOutputStream();
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static LocalRunner.RunningApi api;

  @BeforeAll
  static void start() {
    Path template = TestFunctionPackage.create(Path.of("target/it-api").toAbsolutePath());
    api = LocalRunner.startApi(List.of("--port", "0", "--no-auth", "--template", template.toString()), new PrintStream(BANNER, true, StandardCharsets.UTF_8),
        new PrintStream(LOG, true, StandardCharsets.UTF_8), Map.of());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void printsTheRoutesAndTheBaseUrl() {
    String banner = BANNER.toString(StandardCharsets.UTF_8);
    assertTrue(banner.contains("Mounting HttpFunction at " + api.baseUrl() + "/items/{id} [GET]"), banner);
    assertTrue(banner.contains("running at " + api.baseUrl()), banner);
  }

  @Test
  void aGetReachesTheFunctionAsAPayload2Event() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/items/42?x=1&x=2&y=a%20b"))
        .header("Cookie", "a=1; b=2").GET());

    assertEquals(200, response.statusCode(), response.body());
    Map<String, String> seen = lines(response.body());
    assertEquals("GET /items/{id}", seen.get("routeKey"));
    assertEquals("/items/42", seen.get("rawPath"));
    assertEquals("x=1&x=2&y=a%20b", seen.get("rawQueryString"));
    assertEquals("{id=42}", seen.get("pathParameters"));
    assertEquals("{x=1,2, y=a b}", seen.get("queryStringParameters"));
    assertEquals("[a=1, b=2]", seen.get("cookies"));
    assertEquals("$default", seen.get("stage"));
    assertEquals("text/plain", response.headers().firstValue("content-type").orElseThrow());
    assertEquals("HttpFunction", response.headers().firstValue("x-handled-by").orElseThrow());
    assertTrue(response.headers().firstValue("apigw-requestid").isPresent());
  }

  @Test
  void aJsonBodyArrivesAsTextAndTheStatusCodeComesBack() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/items"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"pen\"}")));

    assertEquals(201, response.statusCode(), response.body());
    Map<String, String> seen = lines(response.body());
    assertEquals("POST /items", seen.get("routeKey"));
    assertEquals("false", seen.get("isBase64Encoded"));
    assertEquals("{\"name\":\"pen\"}", seen.get("body"));
  }

  @Test
  void aBinaryBodyArrivesBase64Encoded() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload"))
        .header("content-type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4, 5})));

    Map<String, String> seen = lines(response.body());
    assertEquals("ANY /{proxy+}", seen.get("routeKey"));
    assertEquals("{proxy=upload}", seen.get("pathParameters"));
    assertEquals("true", seen.get("isBase64Encoded"));
    assertEquals("5", seen.get("bodyBytes"));
  }

  @Test
  void aBase64ResponseIsDecodedAndCookiesBecomeSetCookie() throws Exception {
    HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(uri("/binary")).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(200, response.statusCode());
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, response.body());
    assertEquals(List.of("a=1; Path=/", "b=2"), response.headers().allValues("set-cookie"));
  }

  @Test
  void noRouteIsA404LikeApiGateway() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/")).GET());

    assertEquals(404, response.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", response.body());
  }

  @Test
  void aFunctionErrorIsA500AndTheWarmProcessGoesOn() throws Exception {
    String before = lines(send(HttpRequest.newBuilder(uri("/warm"))).body()).get("instance");

    HttpResponse<String> failed = send(HttpRequest.newBuilder(uri("/fail")));

    assertEquals(500, failed.statusCode());
    assertEquals("{\"message\":\"Internal Server Error\"}", failed.body());
    assertEquals(before, lines(send(HttpRequest.newBuilder(uri("/warm"))).body()).get("instance"),
        "the same process serves the next request");
  }

  @Test
  void aProcessThatDiedIsRestarted() throws Exception {
    String before = lines(send(HttpRequest.newBuilder(uri("/warm"))).body()).get("instance");

    assertEquals(500, send(HttpRequest.newBuilder(uri("/exit"))).statusCode());

    HttpResponse<String> after = send(HttpRequest.newBuilder(uri("/warm")));
    assertEquals(200, after.statusCode());
    assertNotEquals(before, lines(after.body()).get("instance"), "a new process");
  }

  @Test
  void concurrentRequestsAreServedOneAfterAnother() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      responses.add(CLIENT.sendAsync(HttpRequest.newBuilder(uri("/items/" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<String> response = responses.get(i).get();
      assertEquals(200, response.statusCode());
      assertEquals("{id=" + i + "}", lines(response.body()).get("pathParameters"));
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String pathAndQuery) {
    return URI.create(api.baseUrl() + pathAndQuery);
  }

  /** The test handler answers "name=value" lines. */
  private static Map<String, String> lines(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return values;
  }
}
