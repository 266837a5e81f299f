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
  /**
   * How to authenticate to Redis:
   * <ul>
   *   <li>"none" (default);
   *   <li>"password": the password (AUTH token, or an ACL user's password) from {@link #REDIS_PASSWORD_FILE};
   *   <li>"secret": the password read once, at init, from the AWS Secrets Manager secret
   *       {@link #REDIS_AUTH_SECRET_ID};
   *   <li>"iam": ElastiCache IAM authentication (Redis OSS 7+ / Valkey, TLS required): each new connection
   *       sends a fresh 15-minute token signed with the function's role, as the IAM-enabled user
   *       {@link #REDIS_USER} of the cache {@link #REDIS_IAM_CACHE_NAME}.
   * </ul>
   */
  public static final String REDIS_AUTH_MODE = "REDIS_AUTH_MODE";
  /**
   * ACL user name. Not a secret. "password": optional (empty means the default user); "secret": optional,
   * overrides the secret's "username"; "iam": required, the id of the IAM-enabled ElastiCache user (letters,
   * digits and hyphens, starting with a letter).
   */
  public static final String REDIS_USER = "REDIS_USER";
  /** "password" mode: path of a file holding the password (never the password: no secret in the environment). */
  public static final String REDIS_PASSWORD_FILE = "REDIS_PASSWORD_FILE";
  /**
   * "secret" mode, required: name or ARN of the Secrets Manager secret (never the password itself). Its value
   * is either the password (AUTH token) itself, or JSON {@code {"password": "...", "username": "..."}} with an
   * optional username (the shape of ElastiCache user secrets rotated by Secrets Manager). Read in the
   * secret's own region when an ARN, else in {@link #AWS_REGION}; the role needs secretsmanager:GetSecretValue
   * (and kms:Decrypt for a customer managed key). A local emulator is reached through the SDK's own
   * AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL (or the aws.endpointUrlSecretsManager system property).
   */
  public static final String REDIS_AUTH_SECRET_ID = "REDIS_AUTH_SECRET_ID";
  /**
   * "iam" mode, required: the replication group id, or the serverless cache name (not the endpoint host),
   * that tokens are signed for; the role needs elasticache:Connect on the cache and on the user.
   */
  public static final String REDIS_IAM_CACHE_NAME = "REDIS_IAM_CACHE_NAME";
  /**
   * "iam" mode: "true" when {@link #REDIS_IAM_CACHE_NAME} is a serverless cache (its tokens carry
   * ResourceType=ServerlessCache); default: true when {@link #REDIS_HOST} contains ".serverless.".
   */
  public static final String REDIS_IAM_SERVERLESS = "REDIS_IAM_SERVERLESS";
  /**
   * AWS region (Lambda sets it) of the secret ("secret" mode, named by name) and of the cache ("iam" mode).
   * AWS credentials come from the SDK's default chain (in Lambda, the function's role), never from here.
   */
  public static final String AWS_REGION = "AWS_REGION";
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
