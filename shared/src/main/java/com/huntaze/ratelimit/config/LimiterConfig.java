package com.huntaze.ratelimit.config;

import static com.huntaze.ratelimit.config.EnvironmentVariables.*;

import com.huntaze.ratelimit.RateLimiter;
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

/**
 * All settings of a function, read from the environment once (at init) and validated there: a missing
 * or invalid value fails start-up with a message naming the variable. Immutable.
 */
public final class LimiterConfig {
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

  public static LimiterConfig fromEnvironment(Map<String, String> env) {
    Reader r = new Reader(env);
    String host = r.required(REDIS_HOST);
    RedisSettings.Builder redis = RedisSettings.builder(host)
        .port((int) r.number(REDIS_PORT, RedisSettings.DEFAULT_PORT, 1, 65_535))
        .tls(r.bool(REDIS_TLS, true))
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
    String authMode = r.choice(REDIS_AUTH_MODE, "none", "none", "password");
    if (authMode.equals("password")) {
      String passwordFile = r.optional(REDIS_PASSWORD_FILE);
      if (passwordFile == null) {
        throw new ConfigurationException(REDIS_PASSWORD_FILE + " is required when " + REDIS_AUTH_MODE
            + "=password: the path of a file holding the password");
      }
      String password = r.fileText(REDIS_PASSWORD_FILE, r.readableFile(REDIS_PASSWORD_FILE, passwordFile)).strip();
      if (password.isEmpty()) {
        throw new ConfigurationException(REDIS_PASSWORD_FILE + " names an empty file: " + passwordFile);
      }
      redis.credentials(r.optional(REDIS_USER), password);
    }

    String prefix = keyPrefix(r);
    return new LimiterConfig(redis.build(), plans(r), prefix, failureMode(r), Duration.ofSeconds(
        r.number(RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS, RateLimiter.DEFAULT_IDEMPOTENCY_TTL.toSeconds(), 1, 86_400)));
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
