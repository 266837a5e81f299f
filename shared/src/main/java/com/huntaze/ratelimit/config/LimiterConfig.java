package com.huntaze.ratelimit.config;

import static com.huntaze.ratelimit.config.EnvironmentVariables.*;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.aws.ElastiCacheIamAuthTokens;
import com.huntaze.ratelimit.aws.SecretSource;
import com.huntaze.ratelimit.aws.UnreadableSecretException;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.PlanDocumentException;
import com.huntaze.ratelimit.redis.RedisClients;
import com.huntaze.ratelimit.redis.RedisSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * All settings of a function, read from the environment once (at init) and validated there: a missing
 * or invalid value fails start-up with a message naming the variable. Immutable. The one place that reads the
 * environment; only the AWS SDK reads its own standard settings (credentials chain, endpoint overrides).
 */
public final class LimiterConfig {
  /** ElastiCache user ids and cache names: letters, digits and hyphens, starting with a letter. */
  private static final Pattern AWS_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  private final RedisSettings redis;
  private final PlanCatalog plans;
  private final String keyPrefix;
  private final FailureMode failureMode;
  private final Duration idempotencyTtl;

  private LimiterConfig(RedisSettings redis, PlanCatalog plans, String keyPrefix, FailureMode failureMode,
      Duration idempotencyTtl) {
    this.redis = redis;
    this.plans = plans;
    this.keyPrefix = keyPrefix;
    this.failureMode = failureMode;
    this.idempotencyTtl = idempotencyTtl;
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
    Reader r = new Reader(env);
    String host = r.required(REDIS_HOST);
    boolean tls = r.bool(REDIS_TLS, true);
    RedisSettings.Builder redis = RedisSettings.builder(host)
        .port((int) r.number(REDIS_PORT, RedisSettings.DEFAULT_PORT, 1, 65_535))
        .tls(tls)
        .verifyHostname(r.bool(REDIS_TLS_VERIFY_HOSTNAME, true))
        .clusterMode(r.bool(REDIS_CLUSTER_MODE, false))
        .connectTimeout(Duration.ofMillis(r.number(REDIS_CONNECT_TIMEOUT_MS,
            RedisSettings.DEFAULT_CONNECT_TIMEOUT.toMillis(), 1, 60_000)))
        .socketTimeout(Duration.ofMillis(r.number(REDIS_SOCKET_TIMEOUT_MS,
            RedisSettings.DEFAULT_SOCKET_TIMEOUT.toMillis(), 1, 60_000)));
    String caFile = r.optional(REDIS_TLS_CA_FILE);
    if (caFile != null) {
      redis.tlsCaFile(r.readableFile(REDIS_TLS_CA_FILE, caFile));
    }
    String authMode = r.choice(REDIS_AUTH_MODE, "none", "none", "password", "secret", "iam");

    String prefix = keyPrefix(r);
    PlanCatalog plans = plans(r);
    FailureMode failureMode = failureMode(r);
    Duration idempotencyTtl = Duration.ofSeconds(
        r.number(RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS, RateLimiter.DEFAULT_IDEMPOTENCY_TTL.toSeconds(), 1, 86_400));
    // Last: "secret" calls AWS, so every other mistake is reported first, without a network call.
    switch (authMode) {
      case "password" -> redis.credentials(r.optional(REDIS_USER), passwordFromFile(r));
      case "secret" -> secretCredentials(r, redis, secrets);
      case "iam" -> iamCredentials(r, redis, host, tls);
      default -> { } // none
    }
    return new LimiterConfig(redis.build(), plans, prefix, failureMode, idempotencyTtl);
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

  /** Builds the limiter and its Redis client; call once per execution environment. */
  public RateLimiter newRateLimiter() {
    return RateLimiter.builder(RedisClients.port(redis), plans)
        .keyPrefix(keyPrefix)
        .idempotencyTtl(idempotencyTtl)
        .build();
  }

  private static String passwordFromFile(Reader r) {
    String passwordFile = r.requiredFor(REDIS_PASSWORD_FILE, "password", "the path of a file holding the password");
    String password = r.fileText(REDIS_PASSWORD_FILE, r.readableFile(REDIS_PASSWORD_FILE, passwordFile)).strip();
    if (password.isEmpty()) {
      throw new ConfigurationException(REDIS_PASSWORD_FILE + " names an empty file: " + passwordFile);
    }
    return password;
  }

  /** Reads the secret once; errors name the variable and the secret id, never the value. */
  private static void secretCredentials(Reader r, RedisSettings.Builder redis, SecretSource secrets) {
    String secretId = r.requiredFor(REDIS_AUTH_SECRET_ID, "secret",
        "the name or ARN of the AWS Secrets Manager secret holding the password");
    String secretString;
    try {
      secretString = secrets.secretString(secretRegion(r, secretId), secretId);
    } catch (UnreadableSecretException e) {
      throw new ConfigurationException(REDIS_AUTH_SECRET_ID + ": cannot read secret '" + secretId
          + "' from AWS Secrets Manager: " + e.getMessage(), e);
    }
    RedisAuthSecret secret;
    try {
      secret = RedisAuthSecret.parse(secretString == null ? "" : secretString);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(REDIS_AUTH_SECRET_ID + ": secret '" + secretId + "' " + e.getMessage());
    }
    String user = Optional.ofNullable(r.optional(REDIS_USER)).or(secret::username).orElse(null);
    redis.secretCredentials(user, secret.password());
  }

  /** An ARN names the secret's region (it may differ from the function's); a plain name is read in AWS_REGION. */
  private static String secretRegion(Reader r, String secretId) {
    String[] arn = secretId.split(":");   // arn:<partition>:secretsmanager:<region>:<account>:secret:<name>
    return arn.length > 3 && arn[0].equals("arn") && !arn[3].isEmpty() ? arn[3] : region(r, "secret");
  }

  /** Validates the IAM settings; tokens are signed later, for each new connection. */
  private static void iamCredentials(Reader r, RedisSettings.Builder redis, String host, boolean tls) {
    if (!tls) {
      throw new ConfigurationException(REDIS_AUTH_MODE + "=iam needs TLS (ElastiCache accepts IAM auth tokens only"
          + " over TLS): remove " + REDIS_TLS + "=false");
    }
    String user = r.requiredFor(REDIS_USER, "iam", "the id of the IAM-enabled ElastiCache user");
    if (!AWS_ID.matcher(user).matches()) {
      throw new ConfigurationException(REDIS_USER + " '" + user + "' is not an ElastiCache user id: letters, digits"
          + " and hyphens, starting with a letter");
    }
    String cacheName = r.requiredFor(REDIS_IAM_CACHE_NAME, "iam",
        "the replication group id or serverless cache name the tokens are signed for");
    if (!AWS_ID.matcher(cacheName).matches() || cacheName.length() > 40) {
      throw new ConfigurationException(REDIS_IAM_CACHE_NAME + " '" + cacheName + "' must be a replication group id"
          + " or serverless cache name (1 to 40 letters, digits and hyphens, starting with a letter), not an"
          + " endpoint host");
    }
    boolean serverless = r.bool(REDIS_IAM_SERVERLESS, host.contains(".serverless."));
    String region = region(r, "iam");
    redis.iamCredentials(user, ElastiCacheIamAuthTokens.withDefaultCredentials(user, cacheName, serverless, region));
  }

  private static String region(Reader r, String authMode) {
    String region = r.requiredFor(AWS_REGION, authMode, "the AWS region (Lambda sets it; set it when running"
        + " elsewhere)");
    if (!REGION.matcher(region).matches()) {
      throw new ConfigurationException(AWS_REGION + " must be a region code such as us-east-1, not '" + region + "'");
    }
    return region;
  }

  private static PlanCatalog plans(Reader r) {
    String value = r.optional(RATE_LIMIT_PLANS);
    try {
      if (value == null) {
        return PlanCatalog.bundledDefault();
      }
      if (value.startsWith("{")) {
        return PlanCatalog.parse(value, RATE_LIMIT_PLANS + " (inline JSON)");
      }
      Path file = r.readableFile(RATE_LIMIT_PLANS, value);
      return PlanCatalog.parse(r.fileText(RATE_LIMIT_PLANS, file), RATE_LIMIT_PLANS + " file " + file);
    } catch (PlanDocumentException e) {
      throw new ConfigurationException(e.getMessage(), e);
    }
  }

  private static String keyPrefix(Reader r) {
    String prefix = r.optional(RATE_LIMIT_KEY_PREFIX);
    if (prefix == null) {
      return RateLimiter.DEFAULT_KEY_PREFIX;
    }
    if (!RateLimiter.isValidKeyPrefix(prefix)) {
      throw new ConfigurationException(RATE_LIMIT_KEY_PREFIX + " '" + prefix + "' must be 1 to 64 letters, digits"
          + " or . _ : - (no braces: they would break the per-creator hash tag)");
    }
    return prefix;
  }

  private static FailureMode failureMode(Reader r) {
    String mode = r.choice(RATE_LIMIT_ON_REDIS_FAILURE, "fail-closed", "fail-closed", "fail-open");
    return mode.equals("fail-open") ? FailureMode.FAIL_OPEN : FailureMode.FAIL_CLOSED;
  }

  @Override
  public String toString() {
    return "LimiterConfig{" + redis + ", plans=" + plans.planNames() + ", keyPrefix=" + keyPrefix
        + ", failureMode=" + failureMode + ", idempotencyTtl=" + idempotencyTtl.toSeconds() + "s}";
  }

  /** Typed reads of environment variables, each error naming its variable. */
  private record Reader(Map<String, String> env) {
    String optional(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? null : value.strip();
    }

    String requiredFor(String name, String authMode, String what) {
      String value = optional(name);
      if (value == null) {
        throw new ConfigurationException(name + " is required when " + REDIS_AUTH_MODE + "=" + authMode + ": " + what);
      }
      return value;
    }

    String required(String name) {
      String value = optional(name);
      if (value == null) {
        throw new ConfigurationException(name + " is required but not set");
      }
      return value;
    }

    boolean bool(String name, boolean fallback) {
      String value = optional(name);
      if (value == null) {
        return fallback;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new ConfigurationException(name + " must be true or false, not '" + value + "'");
      };
    }

    long number(String name, long fallback, long min, long max) {
      String value = optional(name);
      if (value == null) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value);
        if (parsed < min || parsed > max) {
          throw new NumberFormatException();
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigurationException(name + " must be a whole number from " + min + " to " + max + ", not '"
            + value + "'");
      }
    }

    String choice(String name, String fallback, String... allowed) {
      String value = optional(name);
      if (value == null) {
        return fallback;
      }
      for (String option : allowed) {
        if (option.equals(value.toLowerCase(Locale.ROOT))) {
          return option;
        }
      }
      throw new ConfigurationException(name + " must be one of " + String.join(", ", allowed) + ", not '" + value
          + "'");
    }

    Path readableFile(String name, String value) {
      Path path = Path.of(value);
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new ConfigurationException(name + " names a file that does not exist or cannot be read: " + value);
      }
      return path;
    }

    String fileText(String name, Path path) {
      try {
        return Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigurationException(name + ": cannot read " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
