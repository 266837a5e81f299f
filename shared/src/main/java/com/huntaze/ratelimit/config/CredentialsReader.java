package com.huntaze.ratelimit.config;

import static com.huntaze.ratelimit.config.Setting.AWS_REGION;
import static com.huntaze.ratelimit.config.Setting.REDIS_AUTH_MODE;
import static com.huntaze.ratelimit.config.Setting.REDIS_AUTH_SECRET_ID;
import static com.huntaze.ratelimit.config.Setting.REDIS_IAM_CACHE_NAME;
import static com.huntaze.ratelimit.config.Setting.REDIS_IAM_SERVERLESS;
import static com.huntaze.ratelimit.config.Setting.REDIS_PASSWORD_FILE;
import static com.huntaze.ratelimit.config.Setting.REDIS_TLS;
import static com.huntaze.ratelimit.config.Setting.REDIS_USER;

import com.huntaze.ratelimit.aws.ElastiCacheIamAuthTokens;
import com.huntaze.ratelimit.aws.SecretSource;
import com.huntaze.ratelimit.aws.UnreadableSecretException;
import com.huntaze.ratelimit.jedis.RedisCredentials;
import com.huntaze.ratelimit.jedis.RenewableLogin;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The credentials REDIS_AUTH_MODE asks for. {@link #validate} checks the mode alone, so that every
 * other mistake is reported before {@link #read} may call AWS; errors name the variable, never a secret.
 */
record CredentialsReader(Map<String, String> env, String authMode, RedisSettings redis) {
  /** ElastiCache user ids and cache names: letters, digits and hyphens, starting with a letter. */
  private static final Pattern AWS_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  static CredentialsReader validate(Map<String, String> env, RedisSettings redis) {
    return new CredentialsReader(env, REDIS_AUTH_MODE.choice(env), redis);
  }

  RedisCredentials read(SecretSource secrets) {
    return switch (authMode) {
      case "password" -> new RedisCredentials.Password(REDIS_USER.optional(env), passwordFromFile());
      case "secret" -> fromSecret(secrets);
      case "iam" -> iam();
      default -> RedisCredentials.none();
    };
  }

  private String passwordFromFile() {
    String passwordFile = REDIS_PASSWORD_FILE.requiredFor(env, "password", "the path of a file holding the password");
    String password = REDIS_PASSWORD_FILE.fileText(REDIS_PASSWORD_FILE.readableFile(passwordFile)).strip();
    if (password.isEmpty()) {
      throw new ConfigurationException(REDIS_PASSWORD_FILE + " names an empty file: " + passwordFile);
    }
    return password;
  }

  /**
   * Reads the secret now (at init) and gives the way to read it again after Redis refuses its password (a
   * rotation). Errors, here and on a later read, name the variable and the secret id, never the value.
   */
  private RedisCredentials fromSecret(SecretSource secrets) {
    String secretId = REDIS_AUTH_SECRET_ID.requiredFor(env, "secret",
        "the name or ARN of the AWS Secrets Manager secret holding the password");
    String region = secretRegion(secretId);
    String userOverride = REDIS_USER.optional(env);
    RenewableLogin.Login first = readSecret(secrets, region, secretId, userOverride);
    return new RedisCredentials.Secret(new RenewableLogin(secretId, first,
        () -> readSecret(secrets, region, secretId, userOverride)));
  }

  private static RenewableLogin.Login readSecret(SecretSource secrets, String region, String secretId,
      String userOverride) {
    String secretString;
    try {
      secretString = secrets.secretString(region, secretId);
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
    String user = Optional.ofNullable(userOverride).or(secret::username).orElse(null);
    return new RenewableLogin.Login(user, secret.password());
  }

  /** An ARN names the secret's region (it may differ from the function's); a plain name is read in AWS_REGION. */
  private String secretRegion(String secretId) {
    String[] arn = secretId.split(":");   // arn:<partition>:secretsmanager:<region>:<account>:secret:<name>
    return arn.length > 3 && arn[0].equals("arn") && !arn[3].isEmpty() ? arn[3] : region("secret");
  }

  /** Validates the IAM settings; tokens are signed later, for each new connection. */
  private RedisCredentials iam() {
    if (!redis.tls()) {
      throw new ConfigurationException(REDIS_AUTH_MODE + "=iam needs TLS (ElastiCache accepts IAM auth tokens only"
          + " over TLS): remove " + REDIS_TLS + "=false");
    }
    String user = REDIS_USER.requiredFor(env, "iam", "the id of the IAM-enabled ElastiCache user");
    if (!AWS_ID.matcher(user).matches()) {
      throw new ConfigurationException(REDIS_USER + " '" + user + "' is not an ElastiCache user id: letters, digits"
          + " and hyphens, starting with a letter");
    }
    String cacheName = REDIS_IAM_CACHE_NAME.requiredFor(env, "iam",
        "the replication group id or serverless cache name the tokens are signed for");
    if (!AWS_ID.matcher(cacheName).matches() || cacheName.length() > 40) {
      throw new ConfigurationException(REDIS_IAM_CACHE_NAME + " '" + cacheName + "' must be a replication group id"
          + " or serverless cache name (1 to 40 letters, digits and hyphens, starting with a letter), not an"
          + " endpoint host");
    }
    boolean serverless = REDIS_IAM_SERVERLESS.bool(env, redis.host().contains(".serverless."));
    return new RedisCredentials.Iam(user,
        ElastiCacheIamAuthTokens.withDefaultCredentials(user, cacheName, serverless, region("iam")));
  }

  private String region(String forMode) {
    String region = AWS_REGION.requiredFor(env, forMode, "the AWS region (Lambda sets it; set it when running"
        + " elsewhere)");
    if (!REGION.matcher(region).matches()) {
      throw new ConfigurationException(AWS_REGION + " must be a region code such as us-east-1, not '" + region + "'");
    }
    return region;
  }
}
