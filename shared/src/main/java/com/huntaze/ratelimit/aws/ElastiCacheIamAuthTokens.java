package com.huntaze.ratelimit.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * IAM auth tokens for an IAM-enabled ElastiCache user (Redis OSS 7+ / Valkey): the password of each new
 * connection. A token is a SigV4-presigned request {@code http://<cacheName>/?Action=connect&User=<userId>}
 * for the service "elasticache", valid 15 minutes, written without its "http://" (as AWS documents it).
 *
 * <p>A token is reused for 10 minutes, so every token handed out still has at least 5 minutes to open its
 * connection; signing is local, only the credentials may need a call (the default chain caches them). The
 * age is measured on the wall clock, so a token cached before a SnapStart snapshot is not reused after a
 * late restore. Thread-safe. {@link #toString()} never shows a token.
 */
public final class ElastiCacheIamAuthTokens implements Supplier<String> {
  /** X-Amz-Expires=900: the longest ElastiCache accepts. */
  public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
  public static final Duration REUSE_FOR = Duration.ofMinutes(10);
  static final String SERVICE_SIGNING_NAME = "elasticache";

  private final String userId;
  private final String cacheName;
  private final boolean serverless;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final Clock clock;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  private String cachedToken;
  private Instant cachedAt;

  private ElastiCacheIamAuthTokens(String userId, String cacheName, boolean serverless, String region,
      AwsCredentialsProvider credentials, Clock clock) {
    this.userId = Objects.requireNonNull(userId, "userId");
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.serverless = serverless;
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Tokens signed with the default credentials chain (in Lambda: the function's role).
   *
   * @param userId the ElastiCache user id (IAM-enabled users have user name = user id)
   * @param cacheName the replication group id, or the serverless cache name
   * @param serverless true for a serverless cache: its tokens carry ResourceType=ServerlessCache
   */
  public static ElastiCacheIamAuthTokens withDefaultCredentials(String userId, String cacheName, boolean serverless,
      String region) {
    return new ElastiCacheIamAuthTokens(userId, cacheName, serverless, region,
        DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
  }

  /** Tokens signed with the given credentials and clock (tests, or callers with their own credentials). */
  public static ElastiCacheIamAuthTokens with(String userId, String cacheName, boolean serverless, String region,
      AwsCredentialsProvider credentials, Clock clock) {
    return new ElastiCacheIamAuthTokens(userId, cacheName, serverless, region, credentials, clock);
  }

  public String userId() {
    return userId;
  }

  public String cacheName() {
    return cacheName;
  }

  public boolean serverless() {
    return serverless;
  }

  public String region() {
    return region;
  }

  /** A token at least 5 minutes from expiry. */
  @Override
  public synchronized String get() {
    Instant now = clock.instant();
    if (cachedToken == null || !now.isBefore(cachedAt.plus(REUSE_FOR))) {
      cachedToken = newToken(now);
      cachedAt = now;
    }
    return cachedToken;
  }

  private String newToken(Instant now) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.GET)
        .protocol("http")
        .host(cacheName)
        .encodedPath("/")
        .appendRawQueryParameter("Action", "connect")
        .appendRawQueryParameter("User", userId);
    if (serverless) {
      request.appendRawQueryParameter("ResourceType", "ServerlessCache");
    }
    SdkHttpRequest signed = signer.sign(r -> r
        .identity(credentials.resolveCredentials())
        .request(request.build())
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE_SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, TOKEN_LIFETIME)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
        .request();
    return signed.getUri().toString().substring("http://".length());
  }

  @Override
  public String toString() {
    return "ElastiCacheIamAuthTokens{user=" + userId + ", cache=" + cacheName + (serverless ? " (serverless)" : "")
        + ", region=" + region + "}";
  }
}
