package com.huntaze.ratelimit.config;

/** Every environment variable the functions read, in one place (set by template.yaml). */
public final class EnvironmentVariables {
  /** Redis (or Valkey) endpoint host: the primary or configuration endpoint. Required. */
  public static final String REDIS_HOST = "REDIS_HOST";
  /** Port, default 6379. */
  public static final String REDIS_PORT = "REDIS_PORT";
  /** TLS in transit, "true" (default) or "false". */
  public static final String REDIS_TLS = "REDIS_TLS";
  /** Optional PEM file of CA certificates to trust instead of the JVM's defaults. */
  public static final String REDIS_TLS_CA_FILE = "REDIS_TLS_CA_FILE";
  /** Check the server certificate's host name, "true" (default) or "false". */
  public static final String REDIS_TLS_VERIFY_HOSTNAME = "REDIS_TLS_VERIFY_HOSTNAME";
  /** "none" (default) or "password" (AUTH token or ACL user password). */
  public static final String REDIS_AUTH_MODE = "REDIS_AUTH_MODE";
  /** ACL user name for password auth; empty means the default user. Not a secret. */
  public static final String REDIS_USER = "REDIS_USER";
  /** Path of a file holding the password (never the password itself: no secret in the environment). */
  public static final String REDIS_PASSWORD_FILE = "REDIS_PASSWORD_FILE";
  /** Cluster mode enabled, "true" or "false" (default). */
  public static final String REDIS_CLUSTER_MODE = "REDIS_CLUSTER_MODE";
  /** Connect timeout in milliseconds, default 1000. */
  public static final String REDIS_CONNECT_TIMEOUT_MS = "REDIS_CONNECT_TIMEOUT_MS";
  /** Socket (read) timeout in milliseconds, default 500. */
  public static final String REDIS_SOCKET_TIMEOUT_MS = "REDIS_SOCKET_TIMEOUT_MS";
  /** Prefix of every key, default "rl". */
  public static final String RATE_LIMIT_KEY_PREFIX = "RATE_LIMIT_KEY_PREFIX";
  /** Plan document: inline JSON (starts with '{') or a file path; default: the bundled plans. */
  public static final String RATE_LIMIT_PLANS = "RATE_LIMIT_PLANS";
  /** What a check answers when Redis is unreachable: "fail-closed" (default) or "fail-open". */
  public static final String RATE_LIMIT_ON_REDIS_FAILURE = "RATE_LIMIT_ON_REDIS_FAILURE";
  /** How long an allowed decision is replayed for a repeated request id, seconds, default 300. */
  public static final String RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS = "RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS";

  private EnvironmentVariables() {
  }
}
