package com.huntaze.ratelimit.config;

import static com.huntaze.ratelimit.config.Setting.RATE_LIMIT_ENFORCE;
import static com.huntaze.ratelimit.config.Setting.RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS;
import static com.huntaze.ratelimit.config.Setting.RATE_LIMIT_RESERVATION_TTL_SECONDS;
import static com.huntaze.ratelimit.config.Setting.RATE_LIMIT_KEY_PREFIX;
import static com.huntaze.ratelimit.config.Setting.RATE_LIMIT_ON_REDIS_FAILURE;
import static com.huntaze.ratelimit.config.Setting.RATE_LIMIT_PLANS;
import static com.huntaze.ratelimit.config.Setting.REDIS_CLUSTER_MODE;
import static com.huntaze.ratelimit.config.Setting.REDIS_CONNECT_TIMEOUT_MS;
import static com.huntaze.ratelimit.config.Setting.REDIS_HOST;
import static com.huntaze.ratelimit.config.Setting.REDIS_POOL_SIZE;
import static com.huntaze.ratelimit.config.Setting.REDIS_PORT;
import static com.huntaze.ratelimit.config.Setting.REDIS_SOCKET_TIMEOUT_MS;
import static com.huntaze.ratelimit.config.Setting.REDIS_TLS;
import static com.huntaze.ratelimit.config.Setting.REDIS_TLS_CA_FILE;
import static com.huntaze.ratelimit.config.Setting.REDIS_TLS_VERIFY_HOSTNAME;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.aws.SecretSource;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import com.huntaze.ratelimit.plan.FailureMode;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.PlanDocumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * All settings of a function, read from the environment once (at init) and validated there: a missing
 * or invalid value fails start-up with a message naming the variable. Immutable. The variables are
 * declared in {@link Setting}; only the AWS SDK reads its own standard settings (credentials chain,
 * endpoint overrides).
 */
public final class LimiterConfig {
  private final RedisSettings redis;
  private final PlanCatalog plans;
  private final String keyPrefix;
  private final FailureMode failureMode;
  private final Duration idempotencyTtl;
  private final Duration reservationTtl;
  private final boolean enforce;

  private LimiterConfig(RedisSettings redis, PlanCatalog plans, String keyPrefix, FailureMode failureMode,
      Duration idempotencyTtl, Duration reservationTtl, boolean enforce) {
    this.redis = redis;
    this.plans = plans;
    this.keyPrefix = keyPrefix;
    this.failureMode = failureMode;
    this.idempotencyTtl = idempotencyTtl;
    this.reservationTtl = reservationTtl;
    this.enforce = enforce;
  }

  public static LimiterConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Reads {@code env}; REDIS_AUTH_MODE=secret reads its secret from AWS Secrets Manager. */
  public static LimiterConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, SecretSource.awsSecretsManager());
  }

  /** Reads {@code env}; REDIS_AUTH_MODE=secret reads its secret from {@code secrets} (tests pass a fake). */
  public static LimiterConfig fromEnvironment(Map<String, String> env, SecretSource secrets) {
    String host = REDIS_HOST.required(env);
    RedisSettings redis = RedisSettings.of(host, (int) REDIS_PORT.number(env))
        .withTls(REDIS_TLS.bool(env))
        .withVerifyHostname(REDIS_TLS_VERIFY_HOSTNAME.bool(env))
        .withClusterMode(REDIS_CLUSTER_MODE.bool(env))
        .withTimeouts(Duration.ofMillis(REDIS_CONNECT_TIMEOUT_MS.number(env)),
            Duration.ofMillis(REDIS_SOCKET_TIMEOUT_MS.number(env)))
        .withPoolSize((int) REDIS_POOL_SIZE.number(env));
    String caFile = REDIS_TLS_CA_FILE.optional(env);
    if (caFile != null) {
      redis = redis.withTlsCaFile(REDIS_TLS_CA_FILE.readableFile(caFile));
    }
    CredentialsReader credentials = CredentialsReader.validate(env, redis);
    String prefix = keyPrefix(env);
    PlanCatalog plans = plans(env);
    FailureMode failureMode = RATE_LIMIT_ON_REDIS_FAILURE.choice(env).equals("fail-open")
        ? FailureMode.FAIL_OPEN : FailureMode.FAIL_CLOSED;
    Duration idempotencyTtl = Duration.ofSeconds(RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS.number(env));
    Duration reservationTtl = Duration.ofSeconds(RATE_LIMIT_RESERVATION_TTL_SECONDS.number(env));
    // Last: "secret" calls AWS, so every other mistake is reported first, without a network call.
    redis = redis.withCredentials(credentials.read(secrets));
    return new LimiterConfig(redis, plans, prefix, failureMode, idempotencyTtl, reservationTtl,
        RATE_LIMIT_ENFORCE.bool(env));
  }

  public RedisSettings redis() {
    return redis;
  }

  public PlanCatalog plans() {
    return plans;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public FailureMode failureMode() {
    return failureMode;
  }

  public Duration idempotencyTtl() {
    return idempotencyTtl;
  }

  public Duration reservationTtl() {
    return reservationTtl;
  }

  /** False in dual-run: checks are allowed whatever Redis decides, and the real decision is reported. */
  public boolean enforce() {
    return enforce;
  }

  /** Builds the limiter and its Redis client; call once per execution environment. */
  public RateLimiter newRateLimiter() {
    return RateLimiter.builder(RedisClients.port(redis), plans)
        .keyPrefix(keyPrefix)
        .idempotencyTtl(idempotencyTtl)
        .reservationTtl(reservationTtl)
        .build();
  }

  private static PlanCatalog plans(Map<String, String> env) {
    String value = RATE_LIMIT_PLANS.optional(env);
    try {
      if (value == null) {
        return PlanCatalog.bundledDefault();
      }
      if (value.startsWith("{")) {
        return PlanCatalog.parse(value, RATE_LIMIT_PLANS + " (inline JSON)");
      }
      Path file = RATE_LIMIT_PLANS.readableFile(value);
      return PlanCatalog.parse(RATE_LIMIT_PLANS.fileText(file), RATE_LIMIT_PLANS + " file " + file);
    } catch (PlanDocumentException e) {
      throw new ConfigurationException(e.getMessage(), e);
    }
  }

  private static String keyPrefix(Map<String, String> env) {
    String prefix = RATE_LIMIT_KEY_PREFIX.text(env);
    if (!RateLimiter.isValidKeyPrefix(prefix)) {
      throw new ConfigurationException(RATE_LIMIT_KEY_PREFIX + " '" + prefix + "' must be 1 to 64 letters, digits"
          + " or . _ : - (no braces: they would break the per-creator hash tag)");
    }
    return prefix;
  }

  @Override
  public String toString() {
    return "LimiterConfig{" + redis + ", plans=" + plans.planNames() + ", keyPrefix=" + keyPrefix
        + ", failureMode=" + failureMode + ", idempotencyTtl=" + idempotencyTtl.toSeconds() + "s, reservationTtl=" + reservationTtl.toSeconds() + "s, enforce=" + enforce + "}";
  }
}
