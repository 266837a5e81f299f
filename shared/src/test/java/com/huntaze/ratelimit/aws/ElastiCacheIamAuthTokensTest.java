package com.huntaze.ratelimit.aws;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The token is parsed back and checked field by field, and against signatures computed by botocore. */
class ElastiCacheIamAuthTokensTest {
  private static final String ACCESS_KEY = "AKIDEXAMPLE";
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String SESSION_TOKEN = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN/+=";
  private static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:30:00Z");
  private static final AwsCredentialsProvider STATIC =
      StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));

  // Known answers: the same presigned requests made by botocore (Python SDK, RequestSigner.generate_presigned_url,
  // service "elasticache", expires_in=900) with the same credentials and time: an independent SigV4 implementation.
  private static final String BOTOCORE_SIGNATURE =
      "22a736d338aa5865f639df3b513413bd3e50559b9c16ea058a7e18d48d069d26";
  private static final String BOTOCORE_SERVERLESS_SIGNATURE =
      "103961b98225d0114e691ecc971c6f978c9eb86b5592d9765afaa516fedf9d15";
  private static final String BOTOCORE_SESSION_SIGNATURE =
      "db0a857c8a62a95b2f1cb15cf157fc742f53d94364cb9c73d07abf2ee2088633";

  private final MutableClock clock = new MutableClock(SIGNED_AT);

  private ElastiCacheIamAuthTokens tokens(boolean serverless, AwsCredentialsProvider credentials) {
    return ElastiCacheIamAuthTokens.with("rate-limiter", "rl-cache", serverless, "us-east-1", credentials, clock);
  }

  @Test
  void tokenIsAPresignedConnectRequestWithoutItsScheme() {
    String token = tokens(false, STATIC).get();

    assertFalse(token.startsWith("http"), token);
    URI uri = URI.create("http://" + token);
    Map<String, String> query = query(uri);
    assertAll(
        () -> assertEquals("rl-cache", uri.getHost()),
        () -> assertEquals(-1, uri.getPort()),
        () -> assertEquals("/", uri.getPath()),
        () -> assertEquals("connect", query.get("Action")),
        () -> assertEquals("rate-limiter", query.get("User")),
        () -> assertFalse(query.containsKey("ResourceType")),
        () -> assertEquals("AWS4-HMAC-SHA256", query.get("X-Amz-Algorithm")),
        () -> assertEquals(ACCESS_KEY + "/20260115/us-east-1/elasticache/aws4_request", query.get("X-Amz-Credential")),
        () -> assertEquals("20260115T123000Z", query.get("X-Amz-Date")),
        () -> assertEquals("900", query.get("X-Amz-Expires")),
        () -> assertEquals("host", query.get("X-Amz-SignedHeaders")),
        () -> assertTrue(query.get("X-Amz-Signature").matches("[0-9a-f]{64}"), query.get("X-Amz-Signature")),
        () -> assertFalse(query.containsKey("X-Amz-Security-Token")),
        () -> assertFalse(token.contains(SECRET_KEY)));
  }

  @Test
  void signatureMatchesBotocoresForTheSameRequest() {
    assertEquals(BOTOCORE_SIGNATURE, query(tokens(false, STATIC).get()).get("X-Amz-Signature"));
  }

  @Test
  void serverlessCacheTokensCarryTheResourceType() {
    Map<String, String> query = query(tokens(true, STATIC).get());

    assertEquals("ServerlessCache", query.get("ResourceType"));
    assertEquals(BOTOCORE_SERVERLESS_SIGNATURE, query.get("X-Amz-Signature"));
  }

  @Test
  void temporaryCredentialsAddTheSessionToken() {
    AwsCredentialsProvider role = StaticCredentialsProvider.create(
        AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN));

    Map<String, String> query = query(tokens(false, role).get());

    assertEquals(SESSION_TOKEN, query.get("X-Amz-Security-Token"));
    assertEquals(BOTOCORE_SESSION_SIGNATURE, query.get("X-Amz-Signature"));
  }

  @Test
  void aTokenIsReusedForTenMinutesThenReplaced() {
    ElastiCacheIamAuthTokens tokens = tokens(false, STATIC);
    String first = tokens.get();

    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    assertSame(first, tokens.get(), "still at least 5 minutes from expiry: reused");

    clock.advance(Duration.ofSeconds(1));
    String second = tokens.get();
    assertNotEquals(first, second);
    assertEquals("20260115T124000Z", query(second).get("X-Amz-Date"), "signed at the current time");
    assertSame(second, tokens.get());
  }

  @Test
  void credentialsAreResolvedOnlyWhenATokenIsMade() {
    AwsCredentialsProvider unavailable = () -> {
      throw new IllegalStateException("no credentials");
    };

    ElastiCacheIamAuthTokens tokens = tokens(false, unavailable);   // building must not fail

    assertEquals("no credentials", assertThrows(IllegalStateException.class,
        tokens::get).getMessage());
  }

  @Test
  void toStringNamesTheUserAndCacheButNeverAToken() {
    ElastiCacheIamAuthTokens tokens = tokens(true, STATIC);
    String token = tokens.get();

    String text = tokens.toString();
    assertTrue(text.contains("rate-limiter") && text.contains("rl-cache") && text.contains("serverless"), text);
    assertFalse(text.contains(query(token).get("X-Amz-Signature")), text);
  }

  private static Map<String, String> query(String token) {
    return query(URI.create("http://" + token));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] nameValue = pair.split("=", 2);
      params.put(decode(nameValue[0]), decode(nameValue[1]));
    }
    return params;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
