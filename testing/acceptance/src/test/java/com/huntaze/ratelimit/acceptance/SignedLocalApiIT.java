package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.localrunner.cli.LocalRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The project's API through the local API with its default, signature checking (as API Gateway's IAM
 * authorization): the banner's signed curl examples, SDK-signed calls, and API Gateway's 403s.
 */
class SignedLocalApiIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ByteArrayOutputStream BANNER = new ByteArrayOutputStream();
  private static final String KEY_ID = "AKIDSIGNEDIT";
  private static final String SECRET = "secret-of-the-signed-it";
  private static LocalRunner.RunningApi api;
  private static LocalRunner.RunningApi apiWithTheLocalPair;

  @BeforeAll
  static void start() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    api = LocalRunner.startApi(List.of("--port", "0", "--template", Project.TEMPLATE.toString()), quiet, quiet,
        Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET));
    // no credentials anywhere (the shared file pointed away): the documented local pair
    apiWithTheLocalPair = LocalRunner.startApi(List.of("--port", "0", "--template", Project.TEMPLATE.toString()),
        new PrintStream(BANNER, true, StandardCharsets.UTF_8), quiet,
        Map.of("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"));
  }

  @AfterAll
  static void stop() {
    api.close();
    apiWithTheLocalPair.close();
  }

  @Test
  void theBannersSignedCurlExamplesAnswerAsDocumented() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed: the banner's curl examples cannot be run");
    List<String> curls = new ArrayList<>();
    for (String line : BANNER.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.strip().startsWith("curl ")) {
        curls.add(line.strip());
      }
    }
    assertEquals(4, curls.size(), BANNER.toString(StandardCharsets.UTF_8));
    for (String curl : curls) {
      assertTrue(curl.startsWith("curl -s --aws-sigv4 aws:amz:us-east-1:execute-api --user local-dev:local-dev-secret"),
          curl);
      String answer = run(curl);
      assertTrue(!answer.contains("\"message\""), curl + " -> " + answer);   // API Gateway's 403 has a message
      assertTrue(answer.contains("\"creatorId\":\"creator-123\"") || answer.contains("\"success\":true"),
          curl + " -> " + answer);
    }
  }

  @Test
  void anUnsignedCheckIsForbiddenAndChargesNothing() throws Exception {
    HttpResponse<String> unsigned = CLIENT.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/check"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"creatorId\":\"unsigned-1\",\"tier\":\"free\"}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(403, unsigned.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", unsigned.body());
    assertEquals("ForbiddenException", unsigned.headers().firstValue("x-amzn-errortype").orElseThrow());
    JsonNode status = JSON.readTree(signed("GET", "/v1/limits/unsigned-1?tier=free", null, SECRET).body());
    assertEquals(10, status.path("limits").path(0).path("remaining").asInt(), status.toString());
  }

  @Test
  void aWrongSecretIsRefusedWithApiGatewaysSignatureMessage() throws Exception {
    HttpResponse<String> refused = signed("POST", "/v1/check", "{\"creatorId\":\"wrong-1\",\"tier\":\"free\"}",
        "not-the-secret");

    assertEquals(403, refused.statusCode());
    assertTrue(refused.body().contains("The request signature we calculated does not match"), refused.body());
  }

  @Test
  void theSignersIdentityReachesTheFunctionAsTheOverridesSetter() throws Exception {
    HttpResponse<String> put = signed("PUT", "/v1/overrides/signed-1", "{\"limits\":{\"requests-per-minute\":120},"
        + "\"expiresAt\":\"2027-06-30T00:00:00Z\",\"reason\":\"signed test\"}", SECRET);

    assertEquals(200, put.statusCode(), put.body());
    assertEquals("arn:aws:iam::123456789012:user/local", JSON.readTree(put.body()).path("setBy").asText(), put.body());
  }

  @Test
  void aPathWithoutARouteIsStillTheGatewaysOwn404() throws Exception {
    HttpResponse<String> none = CLIENT.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/nothing-here")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, none.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", none.body());
  }

  /** Signed by the AWS SDK's SigV4 signer with KEY_ID and {@code secret}. */
  private static HttpResponse<String> signed(String method, String pathAndQuery, String body, String secret)
      throws Exception {
    URI uri = URI.create(api.baseUrl() + pathAndQuery);
    SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    if (body != null) {
      http.putHeader("content-type", "application/json");
    }
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(KEY_ID, secret)).request(http.build())
        .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    signed.headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {   // the client sends the URI's own, as signed
        values.forEach(value -> request.header(name, value));
      }
    });
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String run(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    return output;
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (new java.io.File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
