package com.huntaze.ratelimit.localrunner.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** The AWS SDK's SigV4 signer is the reference client: what it signs must pass, anything altered must not. */
class SigV4VerifierTest {
  private static final Instant NOW = Instant.parse("2026-12-02T07:30:00Z");
  private static final LocalCredentials KEY =
      new LocalCredentials("AKIDLOCALTEST", "secret-of-the-test", Optional.empty(), "test");
  private static final LocalCredentials SESSION_KEY =
      new LocalCredentials("ASIALOCALTEST", "session-secret", Optional.of("the-session-token"), "test");
  private static final SigV4Verifier VERIFIER = new SigV4Verifier(List.of(KEY, SESSION_KEY), "us-east-1");
  private static final String BODY = "{\"creatorId\":\"creator-123\",\"tier\":\"pro\"}";

  @Test
  void aRequestTheSdkSignedIsLetInWithItsCallerIdentity() {
    Authorization result = VERIFIER.authorize(signed("POST", "/v1/check", BODY, KEY, NOW, "us-east-1", "execute-api"));

    CallerIdentity caller = assertInstanceOf(Authorization.Allowed.class, result).caller().orElseThrow();
    assertEquals("AKIDLOCALTEST", caller.accessKey());
    assertEquals("arn:aws:iam::123456789012:user/local", caller.userArn());
  }

  @Test
  void aQueryInAnyOrderAndEscapedPathCharactersAreCanonicalizedAsTheSdkDoes() {
    assertInstanceOf(Authorization.Allowed.class, VERIFIER.authorize(signed("GET",
        "/v1/limits/creator%2B1_a.b~c?tier=pro&model=gpt-4o&a=x%20y&a=b", "", KEY, NOW, "us-east-1", "execute-api")));
  }

  @Test
  void temporaryCredentialsPassOnlyWithTheirSessionToken() {
    GatewayRequest signed = signed("POST", "/v1/settle", BODY, SESSION_KEY, NOW, "us-east-1", "execute-api");
    assertInstanceOf(Authorization.Allowed.class, VERIFIER.authorize(signed));

    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    headers.keySet().removeIf(name -> name.equalsIgnoreCase("x-amz-security-token"));
    assertRefused(withHeaders(signed, headers), "UnrecognizedClientException", SigV4Verifier.INVALID_TOKEN);
  }

  @Test
  void anUnsignedRequestIsForbidden() {
    assertRefused(request("POST", "/v1/check", "", Map.of("Host", List.of("127.0.0.1:3000")), BODY),
        "ForbiddenException", "Forbidden");
  }

  @Test
  void aWrongSecretOrAChangedBodyDoesNotMatchTheSignature() {
    LocalCredentials wrongSecret = new LocalCredentials(KEY.accessKeyId(), "not-the-secret", Optional.empty(), "t");
    assertRefused(signed("POST", "/v1/check", BODY, wrongSecret, NOW, "us-east-1", "execute-api"),
        "InvalidSignatureException", SigV4Verifier.SIGNATURE_MISMATCH);

    GatewayRequest signed = signed("POST", "/v1/check", BODY, KEY, NOW, "us-east-1", "execute-api");
    GatewayRequest tampered = request(signed.method(), signed.rawPath(), signed.rawQueryString(), signed.headers(),
        BODY.replace("pro", "enterprise"));
    assertRefused(tampered, "InvalidSignatureException", SigV4Verifier.SIGNATURE_MISMATCH);
  }

  @Test
  void anUnknownAccessKeyIsAnInvalidSecurityToken() {
    LocalCredentials stranger = new LocalCredentials("AKIDSTRANGER", "whatever", Optional.empty(), "t");
    assertRefused(signed("GET", "/test-redis", "", stranger, NOW, "us-east-1", "execute-api"),
        "UnrecognizedClientException", SigV4Verifier.INVALID_TOKEN);
  }

  @Test
  void aSignatureOlderOrNewerThanFiveMinutesIsRefused() {
    Authorization old = VERIFIER.authorize(signed("GET", "/test-redis", "", KEY, NOW.minus(Duration.ofMinutes(6)),
        "us-east-1", "execute-api"));
    assertTrue(assertInstanceOf(Authorization.Refused.class, old).message().startsWith("Signature expired: "), old.toString());

    Authorization future = VERIFIER.authorize(signed("GET", "/test-redis", "", KEY, NOW.plus(Duration.ofMinutes(6)),
        "us-east-1", "execute-api"));
    assertTrue(assertInstanceOf(Authorization.Refused.class, future).message().startsWith("Signature not yet current"),
        future.toString());

    assertInstanceOf(Authorization.Allowed.class, VERIFIER.authorize(signed("GET", "/test-redis", "", KEY,
        NOW.minus(Duration.ofMinutes(4)), "us-east-1", "execute-api")));
  }

  @Test
  void aSignatureForAnotherRegionOrServiceIsRefused() {
    assertRefused(signed("GET", "/test-redis", "", KEY, NOW, "eu-west-1", "execute-api"),
        "InvalidSignatureException", "Credential should be scoped to a valid region. ");
    assertRefused(signed("GET", "/test-redis", "", KEY, NOW, "us-east-1", "lambda"),
        "InvalidSignatureException", "Credential should be scoped to correct service: 'execute-api'. ");
  }

  @Test
  void anAuthorizationHeaderOfAnotherSchemeIsIncomplete() {
    Map<String, List<String>> headers = Map.of("Host", List.of("127.0.0.1:3000"),
        "Authorization", List.of("Bearer abc"));
    Authorization result = VERIFIER.authorize(request("GET", "/test-redis", "", headers, ""));
    Authorization.Refused refused = assertInstanceOf(Authorization.Refused.class, result);
    assertEquals("IncompleteSignatureException", refused.errorType());
    assertTrue(refused.message().contains("requires 'Credential' parameter"), refused.message());
    assertTrue(!refused.message().contains("abc"), "the token is not echoed: " + refused.message());
  }

  @Test
  void theHostHeaderMustBeSigned() {
    GatewayRequest signed = signed("GET", "/test-redis", "", KEY, NOW, "us-east-1", "execute-api");
    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    String authorization = headers.get("Authorization").get(0).replaceFirst("(SignedHeaders=[^,]*?)host;?", "$1");
    assertTrue(!authorization.matches(".*SignedHeaders=[^,]*host.*"), authorization);
    headers.put("Authorization", List.of(authorization));
    assertRefused(withHeaders(signed, headers), "InvalidSignatureException",
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void theBannersCurlSendsTheSessionTokenOfTemporaryCredentials() {
    assertTrue(IamAuthorizer.sigV4(List.of(SESSION_KEY), "us-east-1").curl()
        .endsWith("-H \"x-amz-security-token: $AWS_SESSION_TOKEN\""));
    assertEquals("curl -s --aws-sigv4 aws:amz:eu-west-1:execute-api --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"",
        IamAuthorizer.sigV4(List.of(KEY), "eu-west-1").curl());
    assertEquals("curl -s --aws-sigv4 aws:amz:us-east-1:execute-api --user local-dev:local-dev-secret",
        IamAuthorizer.sigV4(List.of(LocalCredentials.LOCAL_PAIR), "us-east-1").curl());
  }

  private static void assertRefused(GatewayRequest request, String errorType, String message) {
    Authorization.Refused refused = assertInstanceOf(Authorization.Refused.class, VERIFIER.authorize(request));
    assertEquals(errorType, refused.errorType());
    assertEquals(message, refused.message());
  }

  /** Signed by the AWS SDK at {@code at}, then received by the local API at {@link #NOW}. */
  private static GatewayRequest signed(String method, String pathAndQuery, String body, LocalCredentials key,
      Instant at, String region, String service) {
    SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
        .uri(URI.create("http://127.0.0.1:3000" + pathAndQuery))
        .putHeader("Content-Type", "application/json").build();
    AwsCredentialsIdentity identity = key.sessionToken().isPresent()
        ? AwsSessionCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey(), key.sessionToken().get())
        : AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey());
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(http)
        .payload(body.isEmpty() ? null : ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
    return request(method, signed.encodedPath(), signed.encodedQueryParameters().orElse(""), signed.headers(), body);
  }

  private static GatewayRequest withHeaders(GatewayRequest request, Map<String, List<String>> headers) {
    return request(request.method(), request.rawPath(), request.rawQueryString(), headers,
        new String(request.body(), StandardCharsets.UTF_8));
  }

  private static GatewayRequest request(String method, String path, String query, Map<String, List<String>> headers,
      String body) {
    return new GatewayRequest(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8), "127.0.0.1",
        "127.0.0.1:3000", 3000, "req", "Root=1-0-0", NOW);
  }
}
