package com.huntaze.ratelimit.config;

import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every environment variable the functions read, declared once: name, type, default, bounds and a
 * one-line doc. {@link LimiterConfig} reads them through the typed methods here, so every error names
 * its variable; the README's settings table and template.yaml are checked against this table.
 */
public enum Setting {
  REDIS_HOST(Type.TEXT, null, Source.TEMPLATE, "primary endpoint, or configuration endpoint in cluster mode (required)"),
  REDIS_PORT(RedisSettings.DEFAULT_PORT, 1, 65_535, Source.TEMPLATE, "the cache's port"),
  REDIS_TLS(Type.BOOLEAN, "true", Source.TEMPLATE, "TLS in transit"),
  REDIS_TLS_CA_FILE(Type.PATH, null, Source.OPTIONAL, "PEM bundle of CAs to trust instead of the JVM trust store"),
  REDIS_TLS_VERIFY_HOSTNAME(Type.BOOLEAN, "true", Source.OPTIONAL, "check the certificate's host name"),
  REDIS_AUTH_MODE(List.of("none", "password", "secret", "iam"), Source.TEMPLATE,
      "none; secret (from Secrets Manager: at init, again when Redis refuses it); iam (a fresh token per"
          + " connection); password (a file)"),
  REDIS_AUTH_SECRET_ID(Type.TEXT, null, Source.TEMPLATE,
      "secret: name or ARN of the secret holding the token, or JSON {\"password\", \"username\"?}"),
  REDIS_USER(Type.TEXT, null, Source.TEMPLATE, "the ACL / RBAC user (iam: required, the IAM-enabled user id)"),
  REDIS_IAM_CACHE_NAME(Type.TEXT, null, Source.TEMPLATE, "iam: replication group id or serverless cache name"),
  REDIS_IAM_SERVERLESS(Type.BOOLEAN, null, Source.OPTIONAL,
      "iam: the cache is serverless (default: the host contains .serverless.)"),
  REDIS_PASSWORD_FILE(Type.PATH, null, Source.OPTIONAL, "password: the file holding the password (never the password)"),
  REDIS_CLUSTER_MODE(Type.BOOLEAN, "false", Source.TEMPLATE, "cluster mode enabled"),
  REDIS_CONNECT_TIMEOUT_MS(RedisSettings.DEFAULT_CONNECT_TIMEOUT.toMillis(), 1, 60_000, Source.OPTIONAL,
      "connect timeout, milliseconds"),
  REDIS_SOCKET_TIMEOUT_MS(RedisSettings.DEFAULT_SOCKET_TIMEOUT.toMillis(), 1, 60_000, Source.OPTIONAL,
      "socket (read) timeout, milliseconds"),
  REDIS_POOL_SIZE(RedisSettings.DEFAULT_POOL_SIZE, 1, 256, Source.OPTIONAL,
      "most Redis connections open at once, per node in cluster mode: a Lambda environment serves one request"
          + " at a time and so uses one; raise it for a JVM that checks from many threads"),
  RATE_LIMIT_KEY_PREFIX(Type.TEXT, RateLimiter.DEFAULT_KEY_PREFIX, Source.TEMPLATE,
      "prefix of every key: letters, digits, . _ : -"),
  RATE_LIMIT_PLANS(Type.TEXT, null, Source.TEMPLATE, "the plan document, inline JSON or a file path (default: bundled)"),
  RATE_LIMIT_ON_REDIS_FAILURE(List.of("fail-closed", "fail-open"), Source.TEMPLATE,
      "what a check answers when Redis cannot be reached"),
  RATE_LIMIT_ENFORCE(Type.BOOLEAN, "true", Source.TEMPLATE,
      "false: dual-run, every check is allowed while the real decision is computed, reported and counted"),
  RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS(RateLimiter.DEFAULT_IDEMPOTENCY_TTL.toSeconds(), 1, 86_400, Source.OPTIONAL,
      "how long an allowed decision is replayed for a repeated request id (and a settled one's settlement)"),
  RATE_LIMIT_RESERVATION_TTL_SECONDS(RateLimiter.DEFAULT_RESERVATION_TTL.toSeconds(), 1, 86_400, Source.OPTIONAL,
      "how long a reservation can be settled; after that it stays charged at its estimate"),
  AWS_REGION(Type.TEXT, null, Source.LAMBDA, "region of the secret (by name) and of the cache (iam)");

  /** What kind of value a setting holds. */
  public enum Type { TEXT, BOOLEAN, NUMBER, CHOICE, PATH }

  /** Who sets a variable in a deployment. */
  public enum Source {
    /** template.yaml sets it from a stack parameter. */
    TEMPLATE,
    /** nobody by default: its default applies unless an operator adds it. */
    OPTIONAL,
    /** the Lambda runtime. */
    LAMBDA
  }

  private final Type type;
  private final String defaultValue;
  private final long min;
  private final long max;
  private final List<String> choices;
  private final Source source;
  private final String doc;

  Setting(Type type, String defaultValue, Source source, String doc) {
    this(type, defaultValue, 0, 0, List.of(), source, doc);
  }

  Setting(long defaultValue, long min, long max, Source source, String doc) {
    this(Type.NUMBER, Long.toString(defaultValue), min, max, List.of(), source, doc);
  }

  /** A choice; the first is the default. */
  Setting(List<String> choices, Source source, String doc) {
    this(Type.CHOICE, choices.get(0), 0, 0, choices, source, doc);
  }

  Setting(Type type, String defaultValue, long min, long max, List<String> choices, Source source, String doc) {
    this.type = type;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.choices = choices;
    this.source = source;
    this.doc = doc;
  }

  public Type type() {
    return type;
  }

  /** The default as text; null when there is none. */
  public String defaultValue() {
    return defaultValue;
  }

  public Source source() {
    return source;
  }

  public String doc() {
    return doc;
  }

  public List<String> choices() {
    return choices;
  }

  /** The value, stripped; null when unset or blank. */
  String optional(Map<String, String> env) {
    String value = env.get(name());
    return value == null || value.isBlank() ? null : value.strip();
  }

  String required(Map<String, String> env) {
    String value = optional(env);
    if (value == null) {
      throw new ConfigurationException(name() + " is required but not set");
    }
    return value;
  }

  /** Required by one auth mode: the message says which and what the value is. */
  String requiredFor(Map<String, String> env, String authMode, String what) {
    String value = optional(env);
    if (value == null) {
      throw new ConfigurationException(name() + " is required when " + REDIS_AUTH_MODE.name() + "=" + authMode + ": "
          + what);
    }
    return value;
  }

  String text(Map<String, String> env) {
    String value = optional(env);
    return value == null ? defaultValue : value;
  }

  boolean bool(Map<String, String> env, boolean fallback) {
    expect(Type.BOOLEAN);
    String value = optional(env);
    if (value == null) {
      return defaultValue == null ? fallback : Boolean.parseBoolean(defaultValue);
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigurationException(name() + " must be true or false, not '" + value + "'");
    };
  }

  boolean bool(Map<String, String> env) {
    return bool(env, false);
  }

  long number(Map<String, String> env) {
    expect(Type.NUMBER);
    String value = optional(env);
    if (value == null) {
      return Long.parseLong(defaultValue);
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(name() + " must be a whole number from " + min + " to " + max + ", not '"
        + value + "'");
  }

  String choice(Map<String, String> env) {
    expect(Type.CHOICE);
    String value = optional(env);
    if (value == null) {
      return defaultValue;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (choices.contains(lower)) {
      return lower;
    }
    throw new ConfigurationException(name() + " must be one of " + String.join(", ", choices) + ", not '" + value
        + "'");
  }

  /** A file the value names, checked to be readable. */
  Path readableFile(String value) {
    Path path = Path.of(value);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigurationException(name() + " names a file that does not exist or cannot be read: " + value);
    }
    return path;
  }

  String fileText(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException(name() + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private void expect(Type expected) {
    if (type != expected) {
      throw new IllegalStateException(name() + " is a " + type + " setting, not " + expected);
    }
  }
}
