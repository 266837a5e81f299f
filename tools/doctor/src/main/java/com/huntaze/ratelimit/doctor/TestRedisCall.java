package com.huntaze.ratelimit.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * After deploy: the connection test through the stack's own API, signed with the doctor's credentials (SigV4,
 * service execute-api) as an operator's {@code curl --aws-sigv4} would send it. It proves the subnets, security
 * groups, TLS and auth from inside the VPC; a failure carries the function's own failed step and hint.
 */
final class TestRedisCall {
  private static final String ID = "stack.test-redis";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private TestRedisCall() {
  }

  static Finding run(String apiUrl, Region region, AwsCredentialsProvider credentials) {
    URI uri = URI.create(apiUrl.replaceAll("/+$", "") + "/test-redis");
    HttpResponse<String> response;
    try {
      response = HTTP.send(signed(uri, region, credentials), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Finding.fail(ID, "GET " + uri + " did not answer: " + e.getMessage(), "check ApiUrl and your network;"
          + " the stack's API is public (IAM-authorized), so only a proxy or firewall on your side can stop it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Finding.unknown(ID, "interrupted while calling " + uri, "run the doctor again");
    }
    return finding(uri, response.statusCode(), response.body());
  }

  private static HttpRequest signed(URI uri, Region region, AwsCredentialsProvider credentials) {
    AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
    SdkHttpRequest request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    HttpRequest.Builder http = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("host")) {   // the HTTP client sends the URI's own, as signed
        header.getValue().forEach(value -> http.header(header.getKey(), value));
      }
    }
    return http.build();
  }

  static Finding finding(URI uri, int status, String body) {
    JsonNode answer = parse(body);
    if (status == 200 && answer.path("success").asBoolean(false)) {
      return Finding.pass(ID, "GET " + uri + ": success, PING " + answer.path("tests").path("ping").path("result")
          .asText("?") + " in " + answer.path("totalDurationMs").asText("?") + " ms from inside the VPC");
    }
    if (status == 403) {
      return Finding.fail(ID, "GET " + uri + " answered 403: API Gateway refused these credentials' signature or"
          + " their permission", "sign with credentials allowed execute-api:Invoke on GET /test-redis of this API"
          + " (and the region of ApiUrl): the stack's OperatorInvokePolicyArn grants it, the callers' policy does not");
    }
    if (answer.has("failedStep")) {
      JsonNode error = answer.path("error");
      return Finding.fail(ID, "GET " + uri + " answered " + status + ": failed at " + answer.path("failedStep").asText()
          + " (" + error.path("kind").asText() + ": " + error.path("message").asText() + ")",
          error.path("hint").asText("see the connection test's answer"));
    }
    return Finding.fail(ID, "GET " + uri + " answered " + status + ": " + abbreviated(body),
        "look at the connection test's logs: sam logs --name ConnectionTestFunction --stack-name <stack> --tail");
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String abbreviated(String body) {
    String text = body == null ? "" : body.strip();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
