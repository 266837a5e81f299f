package com.huntaze.ratelimit.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.plan.FailureMode;
import com.huntaze.ratelimit.aws.ElastiCacheIamAuthTokens;
import com.huntaze.ratelimit.aws.SecretSource;
import com.huntaze.ratelimit.aws.UnreadableSecretException;
import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanDocumentException;
import com.huntaze.ratelimit.jedis.RedisCredentials;
import com.huntaze.ratelimit.jedis.RedisSettings;
import com.huntaze.ratelimit.jedis.RenewableLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LimiterConfigTest {
  private static final String AWS_REGION = Setting.AWS_REGION.name();
  private static final String RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS = Setting.RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS.name();
  private static final String RATE_LIMIT_KEY_PREFIX = Setting.RATE_LIMIT_KEY_PREFIX.name();
  private static final String RATE_LIMIT_ON_REDIS_FAILURE = Setting.RATE_LIMIT_ON_REDIS_FAILURE.name();
  private static final String RATE_LIMIT_PLANS = Setting.RATE_LIMIT_PLANS.name();
  private static final String REDIS_AUTH_MODE = Setting.REDIS_AUTH_MODE.name();
  private static final String REDIS_AUTH_SECRET_ID = Setting.REDIS_AUTH_SECRET_ID.name();
  private static final String REDIS_CLUSTER_MODE = Setting.REDIS_CLUSTER_MODE.name();
  private static final String REDIS_CONNECT_TIMEOUT_MS = Setting.REDIS_CONNECT_TIMEOUT_MS.name();
  private static final String REDIS_HOST = Setting.REDIS_HOST.name();
  private static final String REDIS_IAM_CACHE_NAME = Setting.REDIS_IAM_CACHE_NAME.name();
  private static final String REDIS_IAM_SERVERLESS = Setting.REDIS_IAM_SERVERLESS.name();
  private static final String REDIS_PASSWORD_FILE = Setting.REDIS_PASSWORD_FILE.name();
  private static final String REDIS_POOL_SIZE = Setting.REDIS_POOL_SIZE.name();
  private static final String REDIS_PORT = Setting.REDIS_PORT.name();
  private static final String REDIS_SOCKET_TIMEOUT_MS = Setting.REDIS_SOCKET_TIMEOUT_MS.name();
  private static final String REDIS_TLS = Setting.REDIS_TLS.name();
  private static final String REDIS_TLS_CA_FILE = Setting.REDIS_TLS_CA_FILE.name();
  private static final String REDIS_TLS_VERIFY_HOSTNAME = Setting.REDIS_TLS_VERIFY_HOSTNAME.name();
  private static final String REDIS_USER = Setting.REDIS_USER.name();
  private static final String HOST = "master.rl-cache.abc123.use1.cache.amazonaws.com";
  private static final String PASSWORD = "s3cr3t-T0ken_for-redis";

  private static final String SOLO_PLANS = "{\"plans\": {\"solo\": {\"limits\": [{\"name\": \"rpm\","
      + " \"unit\": \"requests\", \"limit\": 7, \"window\": \"1m\", \"algorithm\": \"sliding-window\"}]}}}";
  private static final String BAD_ALGORITHM_PLANS = "{\"plans\": {\"solo\": {\"limits\": [{\"name\": \"rpm\","
      + " \"unit\": \"requests\", \"limit\": 7, \"window\": \"1m\", \"algorithm\": \"sliding\"}]}}}";

  @TempDir
  Path dir;

  // --- defaults ----------------------------------------------------------------------------------

  @Test
  void onlyRedisHostGivesTheDocumentedDefaults() {
    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST));
    RedisSettings redis = config.redis();

    assertAll(
        () -> assertEquals(HOST, redis.host()),
        () -> assertEquals(6379, redis.port()),
        () -> assertTrue(redis.tls(), "TLS on by default"),
        () -> assertTrue(redis.verifyHostname(), "host name verification on by default"),
        () -> assertEquals(Optional.empty(), redis.tlsCaFile()),
        () -> assertEquals("none", redis.authMode()),
        () -> assertEquals(Optional.empty(), fixedPassword(redis)),
        () -> assertEquals(Optional.empty(), redis.user()),
        () -> assertFalse(redis.clusterMode(), "standalone by default"),
        () -> assertEquals(Duration.ofMillis(1000), redis.connectTimeout()),
        () -> assertEquals(Duration.ofMillis(500), redis.socketTimeout()),
        () -> assertEquals(2, redis.poolSize(), "a small pool: Lambda serves one request at a time"),
        () -> assertEquals("rl", config.keyPrefix()),
        () -> assertEquals(FailureMode.FAIL_CLOSED, config.failureMode()),
        () -> assertEquals(Duration.ofSeconds(300), config.idempotencyTtl()),
        () -> assertEquals(List.of("free", "pro", "enterprise"), List.copyOf(config.plans().planNames())));
  }

  @Test
  void blankOptionalVariablesCountAsUnset() {
    Map<String, String> env = new HashMap<>();
    env.put(REDIS_HOST, HOST);
    env.put(REDIS_PORT, "");
    env.put(REDIS_TLS, "  ");
    env.put(RATE_LIMIT_KEY_PREFIX, "");
    env.put(RATE_LIMIT_PLANS, " ");

    LimiterConfig config = LimiterConfig.fromEnvironment(env);

    assertEquals(6379, config.redis().port());
    assertTrue(config.redis().tls());
    assertEquals("rl", config.keyPrefix());
    assertEquals(List.of("free", "pro", "enterprise"), List.copyOf(config.plans().planNames()));
  }

  @Test
  void readsEveryValidSetting() {
    Map<String, String> env = new HashMap<>();
    env.put(REDIS_HOST, " " + HOST + " ");
    env.put(REDIS_PORT, "6380");
    env.put(REDIS_TLS, "FALSE");
    env.put(REDIS_TLS_VERIFY_HOSTNAME, "false");
    env.put(REDIS_CLUSTER_MODE, "True");
    env.put(REDIS_CONNECT_TIMEOUT_MS, "2500");
    env.put(REDIS_SOCKET_TIMEOUT_MS, "60000");
    env.put(REDIS_POOL_SIZE, " 16 ");
    env.put(RATE_LIMIT_KEY_PREFIX, "app:rl.v2_x-1");
    env.put(RATE_LIMIT_ON_REDIS_FAILURE, "fail-open");
    env.put(RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS, "86400");

    LimiterConfig config = LimiterConfig.fromEnvironment(env);
    RedisSettings redis = config.redis();

    assertAll(
        () -> assertEquals(HOST, redis.host(), "surrounding whitespace is stripped"),
        () -> assertEquals(6380, redis.port()),
        () -> assertFalse(redis.tls()),
        () -> assertFalse(redis.verifyHostname()),
        () -> assertTrue(redis.clusterMode()),
        () -> assertEquals(Duration.ofMillis(2500), redis.connectTimeout()),
        () -> assertEquals(Duration.ofMillis(60_000), redis.socketTimeout()),
        () -> assertEquals(16, redis.poolSize()),
        () -> assertEquals("app:rl.v2_x-1", config.keyPrefix()),
        () -> assertEquals(FailureMode.FAIL_OPEN, config.failureMode()),
        () -> assertEquals(Duration.ofDays(1), config.idempotencyTtl()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fail-open", "FAIL-OPEN", "Fail-Open"})
  void failOpenIsReadFromRateLimitOnRedisFailure(String value) {
    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, RATE_LIMIT_ON_REDIS_FAILURE, value));

    assertEquals(FailureMode.FAIL_OPEN, config.failureMode());
  }

  @Test
  void failClosedCanBeSetExplicitly() {
    LimiterConfig config = LimiterConfig.fromEnvironment(
        Map.of(REDIS_HOST, HOST, RATE_LIMIT_ON_REDIS_FAILURE, "fail-closed"));

    assertEquals(FailureMode.FAIL_CLOSED, config.failureMode());
  }

  // --- missing and bad values ----------------------------------------------------------------------

  @Test
  void missingRedisHostIsRejectedNamingRedisHost() {
    ConfigurationException e = fails(Map.of());

    assertMessage(e, "REDIS_HOST", "required");
  }

  @Test
  void blankRedisHostIsRejectedNamingRedisHost() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, "   ", REDIS_PORT, "6379"));

    assertMessage(e, "REDIS_HOST", "required");
  }

  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource({
      "REDIS_PORT, 0",
      "REDIS_PORT, 70000",
      "REDIS_PORT, 65536",
      "REDIS_PORT, -1",
      "REDIS_PORT, abc",
      "REDIS_PORT, 6379.0",
      "REDIS_PORT, 99999999999999999999",
      "REDIS_TLS, yes",
      "REDIS_TLS, 1",
      "REDIS_TLS, on",
      "REDIS_TLS_VERIFY_HOSTNAME, no",
      "REDIS_CLUSTER_MODE, enabled",
      "REDIS_AUTH_MODE, token",
      "REDIS_AUTH_MODE, secrets-manager",
      "REDIS_CONNECT_TIMEOUT_MS, 0",
      "REDIS_CONNECT_TIMEOUT_MS, 60001",
      "REDIS_CONNECT_TIMEOUT_MS, 1s",
      "REDIS_SOCKET_TIMEOUT_MS, 0",
      "REDIS_SOCKET_TIMEOUT_MS, -500",
      "REDIS_SOCKET_TIMEOUT_MS, 500ms",
      "REDIS_POOL_SIZE, 0",
      "REDIS_POOL_SIZE, -1",
      "REDIS_POOL_SIZE, 257",
      "REDIS_POOL_SIZE, 2.5",
      "REDIS_POOL_SIZE, two",
      "REDIS_POOL_SIZE, 0x10",
      "REDIS_POOL_SIZE, 99999999999999999999",
      "RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS, 0",
      "RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS, 86401",
      "RATE_LIMIT_IDEMPOTENCY_TTL_SECONDS, 5m",
      "RATE_LIMIT_ON_REDIS_FAILURE, open",
      "RATE_LIMIT_ON_REDIS_FAILURE, fail_open",
      "RATE_LIMIT_KEY_PREFIX, {rl}",
      "RATE_LIMIT_KEY_PREFIX, rl{creator}",
      "RATE_LIMIT_KEY_PREFIX, rl}",
      "RATE_LIMIT_KEY_PREFIX, rl prefix",
      "RATE_LIMIT_KEY_PREFIX, rl*",
  })
  void badValueIsRejectedNamingTheVariableAndTheValue(String variable, String value) {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, variable, value));

    assertMessage(e, variable, "'" + value + "'");
  }

  @Test
  void keyPrefixLongerThan64CharactersIsRejected() {
    String prefix = "p".repeat(65);

    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, RATE_LIMIT_KEY_PREFIX, prefix));

    assertMessage(e, "RATE_LIMIT_KEY_PREFIX", "1 to 64");
  }

  @Test
  void keyPrefixWithBraceIsRejectedExplainingTheHashTag() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, RATE_LIMIT_KEY_PREFIX, "{rl"));

    assertMessage(e, "RATE_LIMIT_KEY_PREFIX", "'{rl'", "braces");
  }

  @Test
  void numberRejectionStatesTheAllowedRange() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_PORT, "70000"));

    assertMessage(e, "REDIS_PORT", "1 to 65535", "'70000'");
  }

  @ParameterizedTest(name = "REDIS_POOL_SIZE={0} is accepted")
  @ValueSource(strings = {"1", "2", "16", "256", "0016"})
  void poolSizeIsReadWithinItsBounds(String value) {
    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_POOL_SIZE, value));

    assertEquals(Integer.parseInt(value), config.redis().poolSize());
    assertTrue(config.toString().contains("poolSize=" + Integer.parseInt(value)), config.toString());
  }

  @Test
  void poolSizeAppliesInClusterModeToo() {
    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_CLUSTER_MODE, "true",
        REDIS_POOL_SIZE, "8"));

    assertTrue(config.redis().clusterMode());
    assertEquals(8, config.redis().poolSize());
  }

  @Test
  void blankPoolSizeKeepsTheDefault() {
    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_POOL_SIZE, "  "));

    assertEquals(RedisSettings.DEFAULT_POOL_SIZE, config.redis().poolSize());
  }

  @Test
  void poolSizeRejectionStatesTheAllowedRange() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_POOL_SIZE, "300"));

    assertMessage(e, "REDIS_POOL_SIZE", "1 to 256", "'300'");
  }

  @Test
  void poolSizeIsDeclaredAsAnOptionalNumberDefaultingToTheSettingsDefault() {
    assertEquals(Setting.Type.NUMBER, Setting.REDIS_POOL_SIZE.type());
    assertEquals(Setting.Source.OPTIONAL, Setting.REDIS_POOL_SIZE.source());
    assertEquals(Integer.toString(RedisSettings.DEFAULT_POOL_SIZE), Setting.REDIS_POOL_SIZE.defaultValue());
  }

  @Test
  void authModeRejectionListsTheChoices() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "token"));

    assertMessage(e, "REDIS_AUTH_MODE", "none, password, secret, iam", "'token'");
  }

  // --- password auth -------------------------------------------------------------------------------

  @Test
  void passwordModeWithoutPasswordFileIsRejected() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password"));

    assertMessage(e, "REDIS_PASSWORD_FILE", "REDIS_AUTH_MODE=password");
  }

  @Test
  void passwordModeWithMissingPasswordFileIsRejected() {
    String missing = dir.resolve("no-such-password").toString();

    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password",
        REDIS_PASSWORD_FILE, missing));

    assertMessage(e, "REDIS_PASSWORD_FILE", missing, "does not exist");
  }

  @Test
  void passwordFileThatIsADirectoryIsRejected() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password",
        REDIS_PASSWORD_FILE, dir.toString()));

    assertMessage(e, "REDIS_PASSWORD_FILE", dir.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "  \t\n"})
  void passwordModeWithEmptyPasswordFileIsRejected(String content) throws IOException {
    Path file = write("password", content);

    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password",
        REDIS_PASSWORD_FILE, file.toString()));

    assertMessage(e, "REDIS_PASSWORD_FILE", "empty", file.toString());
  }

  @Test
  void passwordFileGivesCredentialsWithUser() throws IOException {
    Path file = write("password", PASSWORD + "\n");

    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password",
        REDIS_PASSWORD_FILE, file.toString(), REDIS_USER, "rate-limiter"));

    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()), "trailing newline stripped");
    assertEquals(Optional.of("rate-limiter"), config.redis().user());
    assertEquals("password", config.redis().authMode());
  }

  @Test
  void passwordFileWithoutUserAuthenticatesAsTheDefaultUser() throws IOException {
    Path file = write("password", PASSWORD);

    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password",
        REDIS_PASSWORD_FILE, file.toString()));

    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()));
    assertEquals(Optional.empty(), config.redis().user());
  }

  @Test
  void passwordFileIsIgnoredWhenAuthModeIsNone() throws IOException {
    Path file = write("password", PASSWORD);

    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_PASSWORD_FILE,
        file.toString(), REDIS_USER, "rate-limiter"));

    assertEquals("none", config.redis().authMode());
    assertEquals(Optional.empty(), fixedPassword(config.redis()));
  }

  @Test
  void toStringNeverShowsThePassword() throws IOException {
    Path file = write("password", PASSWORD + "\n");

    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "password",
        REDIS_PASSWORD_FILE, file.toString(), REDIS_USER, "rate-limiter"));

    String settings = config.redis().toString();
    String whole = config.toString();
    assertFalse(settings.contains(PASSWORD), settings);
    assertFalse(whole.contains(PASSWORD), whole);
    assertFalse(config.redis().withPoolSize(3).toString().contains(PASSWORD));
    assertTrue(settings.contains("auth=password"), settings);
    assertTrue(settings.contains("rate-limiter"), settings);
    assertTrue(whole.contains(HOST), whole);
  }

  // --- password from AWS Secrets Manager ---------------------------------------------------------

  private static final String SECRET_NAME = "prod/rate-limiter/redis";
  private static final String SECRET_ARN =
      "arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/rate-limiter/redis-AbCdEf";

  /** A fake Secrets Manager: one secret (its value can change, as in a rotation), every read recorded. */
  private static final class FakeSecrets implements SecretSource {
    final List<String> reads = new ArrayList<>();
    private final String id;
    private String value;

    FakeSecrets(String id, String value) {
      this.id = id;
      this.value = value;
    }

    @Override
    public String secretString(String region, String secretId) {
      reads.add(region + " " + secretId);
      if (!secretId.equals(id)) {
        throw new UnreadableSecretException("no such secret in region " + region);
      }
      return value;
    }
  }

  private static Map<String, String> secretEnv(String secretId) {
    Map<String, String> env = new HashMap<>();
    env.put(REDIS_HOST, HOST);
    env.put(REDIS_AUTH_MODE, "secret");
    env.put(REDIS_AUTH_SECRET_ID, secretId);
    env.put(AWS_REGION, "us-east-1");
    return env;
  }

  private static ConfigurationException fails(Map<String, String> env, SecretSource secrets) {
    return assertThrows(ConfigurationException.class, () -> LimiterConfig.fromEnvironment(env, secrets),
        () -> "expected the environment to be rejected: " + env);
  }

  @Test
  void plainSecretIsTheTokenOfTheDefaultUser() {
    FakeSecrets secrets = new FakeSecrets(SECRET_NAME, PASSWORD + "\n");

    LimiterConfig config = LimiterConfig.fromEnvironment(secretEnv(SECRET_NAME), secrets);

    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()), "surrounding whitespace stripped");
    assertEquals(Optional.empty(), config.redis().user());
    assertEquals("secret", config.redis().authMode());
    assertEquals(List.of("us-east-1 " + SECRET_NAME), secrets.reads, "read once, in AWS_REGION");
  }

  @Test
  void jsonSecretGivesPasswordAndUsername() {
    FakeSecrets secrets = new FakeSecrets(SECRET_NAME,
        "{\"username\": \"rate-limiter\", \"password\": \"" + PASSWORD + "\", \"engine\": \"redis\"}");

    LimiterConfig config = LimiterConfig.fromEnvironment(secretEnv(SECRET_NAME), secrets);

    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()));
    assertEquals(Optional.of("rate-limiter"), config.redis().user());
  }

  @Test
  void jsonSecretWithoutUsernameAuthenticatesAsTheDefaultUser() {
    LimiterConfig config = LimiterConfig.fromEnvironment(secretEnv(SECRET_NAME),
        new FakeSecrets(SECRET_NAME, "{\"password\": \"" + PASSWORD + "\"}"));

    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()));
    assertEquals(Optional.empty(), config.redis().user());
  }

  @Test
  void redisUserOverridesTheSecretsUsername() {
    Map<String, String> env = secretEnv(SECRET_NAME);
    env.put(REDIS_USER, "other-user");

    LimiterConfig config = LimiterConfig.fromEnvironment(env,
        new FakeSecrets(SECRET_NAME, "{\"username\": \"rate-limiter\", \"password\": \"" + PASSWORD + "\"}"));

    assertEquals(Optional.of("other-user"), config.redis().user());
  }

  @Test
  void redisUserSetsTheUserOfAPlainSecret() {
    Map<String, String> env = secretEnv(SECRET_NAME);
    env.put(REDIS_USER, "rate-limiter");

    LimiterConfig config = LimiterConfig.fromEnvironment(env, new FakeSecrets(SECRET_NAME, PASSWORD));

    assertEquals(Optional.of("rate-limiter"), config.redis().user());
    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()));
  }

  @Test
  void secretArnIsReadInItsOwnRegionWithoutAwsRegion() {
    Map<String, String> env = secretEnv(SECRET_ARN);
    env.remove(AWS_REGION);
    FakeSecrets secrets = new FakeSecrets(SECRET_ARN, PASSWORD);

    LimiterConfig config = LimiterConfig.fromEnvironment(env, secrets);

    assertEquals(Optional.of(PASSWORD), fixedPassword(config.redis()));
    assertEquals(List.of("eu-west-3 " + SECRET_ARN), secrets.reads);
  }

  private static RenewableLogin renewableLogin(LimiterConfig config) {
    return assertInstanceOf(RedisCredentials.Secret.class, config.redis().credentials()).login();
  }

  @Test
  void aRefusedPasswordReadsTheSameSecretAgainInTheSameRegionForTheSameUser() {
    Map<String, String> env = secretEnv(SECRET_ARN);
    env.remove(AWS_REGION);
    env.put(REDIS_USER, "other-user");
    FakeSecrets secrets = new FakeSecrets(SECRET_ARN, PASSWORD);
    RenewableLogin login = renewableLogin(LimiterConfig.fromEnvironment(env, secrets));
    secrets.value = "{\"username\": \"rate-limiter\", \"password\": \"rotated-pw-0c1d\"}";

    RenewableLogin.Renewal renewal = login.renewAfterRefusal(login.generation());

    assertTrue(renewal.retry(), renewal.toString());
    assertEquals(new RenewableLogin.Login("other-user", "rotated-pw-0c1d"), login.current(), "REDIS_USER still wins");
    assertEquals(List.of("eu-west-3 " + SECRET_ARN, "eu-west-3 " + SECRET_ARN), secrets.reads);
  }

  @Test
  void aSecretThatBecameMalformedIsNotUsedAndItsValueIsNotShown() {
    FakeSecrets secrets = new FakeSecrets(SECRET_NAME, PASSWORD);
    RenewableLogin login = renewableLogin(LimiterConfig.fromEnvironment(secretEnv(SECRET_NAME), secrets));
    secrets.value = "{\"password\": \"half-written-pw-77aa\"";

    RenewableLogin.Renewal renewal = login.renewAfterRefusal(login.generation());

    assertFalse(renewal.retry());
    assertTrue(renewal.note().contains("REDIS_AUTH_SECRET_ID") && renewal.note().contains("not valid JSON"),
        renewal.note());
    assertFalse(renewal.note().contains("half-written-pw-77aa"), renewal.note());
    assertEquals(PASSWORD, login.current().password(), "the login in use stays");
  }

  @Test
  void secretModeWithoutSecretIdIsRejectedWithoutReadingAnything() {
    Map<String, String> env = secretEnv(SECRET_NAME);
    env.remove(REDIS_AUTH_SECRET_ID);
    FakeSecrets secrets = new FakeSecrets(SECRET_NAME, PASSWORD);

    ConfigurationException e = fails(env, secrets);

    assertMessage(e, "REDIS_AUTH_SECRET_ID", "required", "REDIS_AUTH_MODE=secret", "name or ARN");
    assertEquals(List.of(), secrets.reads);
  }

  @Test
  void secretModeWithoutSecretIdFailsBeforeAnyAwsCallWithTheDefaultSource() {
    // no injected source: the real one would call AWS, so the variable check must come first
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_AUTH_MODE, "secret", AWS_REGION, "us-east-1"));

    assertMessage(e, "REDIS_AUTH_SECRET_ID", "required");
  }

  @Test
  void secretNameWithoutAwsRegionIsRejected() {
    Map<String, String> env = secretEnv(SECRET_NAME);
    env.remove(AWS_REGION);

    ConfigurationException e = fails(env, new FakeSecrets(SECRET_NAME, PASSWORD));

    assertMessage(e, "AWS_REGION", "required", "REDIS_AUTH_MODE=secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {"US-EAST-1", "useast1", "us-east", "https://secretsmanager.us-east-1.amazonaws.com"})
  void badAwsRegionIsRejectedNamingItAndTheValue(String region) {
    Map<String, String> env = secretEnv(SECRET_NAME);
    env.put(AWS_REGION, region);

    ConfigurationException e = fails(env, new FakeSecrets(SECRET_NAME, PASSWORD));

    assertMessage(e, "AWS_REGION", "'" + region + "'", "us-east-1");
  }

  @Test
  void unreadableSecretIsRejectedNamingTheVariableTheSecretAndTheReason() {
    UnreadableSecretException denied = new UnreadableSecretException("access denied; the function's role needs"
        + " secretsmanager:GetSecretValue on this secret");

    ConfigurationException e = fails(secretEnv(SECRET_NAME), (region, id) -> {
      throw denied;
    });

    assertMessage(e, "REDIS_AUTH_SECRET_ID", "'" + SECRET_NAME + "'", "access denied", "GetSecretValue");
    assertEquals(denied, e.getCause());
  }

  @Test
  void missingSecretIsRejectedNamingTheVariableAndTheSecret() {
    ConfigurationException e = fails(secretEnv("no/such/secret"), new FakeSecrets(SECRET_NAME, PASSWORD));

    assertMessage(e, "REDIS_AUTH_SECRET_ID", "'no/such/secret'", "no such secret");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "''                                              | empty",
      "'  \n '                                         | empty",
      "'{\"username\": \"rate-limiter\"}'              | without a password",
      "'{\"password\": \"\"}'                          | without a password",
      "'{\"password\": \"   \"}'                       | without a password",
      "'{\"password\": null}'                          | without a password",
      "'{\"password\": 12345678901234567}'             | \"password\" that is not a string",
      "'{\"password\": \"s3cr3t-T0ken\", \"username\": 7}' | \"username\" that is not a string",
      "'{\"password\": \"s3cr3t-T0ken\"'               | not valid JSON",
      "'{password: \"s3cr3t-T0ken\"}'                  | not valid JSON",
      "'{\"password\": \"s3cr3t-T0ken\"} trailing'     | not valid JSON",
      "'{\"password\": \"s3cr3t-T0ken\"}{}'            | not valid JSON",
  })
  void unusableSecretIsRejectedNamingTheVariableAndTheSecretButNeverTheValue(String value, String problem) {
    ConfigurationException e = fails(secretEnv(SECRET_NAME), new FakeSecrets(SECRET_NAME, value));

    assertMessage(e, "REDIS_AUTH_SECRET_ID", "'" + SECRET_NAME + "'", problem);
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    assertFalse(e.getMessage().contains("12345678901234567"), e.getMessage());
    assertEquals(null, e.getCause(), "no parser exception that could quote the value");
  }

  @Test
  void otherMistakesAreReportedBeforeTheSecretIsRead() {
    Map<String, String> env = secretEnv(SECRET_NAME);
    env.put(RATE_LIMIT_PLANS, BAD_ALGORITHM_PLANS);
    FakeSecrets secrets = new FakeSecrets(SECRET_NAME, PASSWORD);

    assertMessage(fails(env, secrets), "RATE_LIMIT_PLANS");
    assertEquals(List.of(), secrets.reads, "no AWS call for a configuration that fails anyway");
  }

  @Test
  void secretIsNotReadInOtherAuthModes() {
    Map<String, String> env = new HashMap<>(Map.of(REDIS_HOST, HOST, REDIS_AUTH_SECRET_ID, SECRET_NAME));
    FakeSecrets secrets = new FakeSecrets(SECRET_NAME, PASSWORD);

    LimiterConfig config = LimiterConfig.fromEnvironment(env, secrets);

    assertEquals("none", config.redis().authMode());
    assertEquals(List.of(), secrets.reads);
  }

  @Test
  void toStringNeverShowsTheSecretsPassword() {
    LimiterConfig config = LimiterConfig.fromEnvironment(secretEnv(SECRET_NAME),
        new FakeSecrets(SECRET_NAME, "{\"username\": \"rate-limiter\", \"password\": \"" + PASSWORD + "\"}"));

    String text = config.toString();
    assertFalse(text.contains(PASSWORD), text);
    assertFalse(config.redis().withPoolSize(3).toString().contains(PASSWORD));
    assertTrue(text.contains("auth=secret as rate-limiter"), text);
  }

  // --- ElastiCache IAM auth ----------------------------------------------------------------------

  private static Map<String, String> iamEnv() {
    Map<String, String> env = new HashMap<>();
    env.put(REDIS_HOST, HOST);
    env.put(REDIS_AUTH_MODE, "iam");
    env.put(REDIS_USER, "rate-limiter");
    env.put(REDIS_IAM_CACHE_NAME, "rl-cache");
    env.put(AWS_REGION, "us-east-1");
    return env;
  }

  @Test
  void iamModeGivesATokenSupplierForTheUserAndCache() {
    LimiterConfig config = LimiterConfig.fromEnvironment(iamEnv(), new FakeSecrets(SECRET_NAME, PASSWORD));
    RedisSettings redis = config.redis();

    ElastiCacheIamAuthTokens tokens = assertInstanceOf(ElastiCacheIamAuthTokens.class,
        tokenSupplier(redis).orElseThrow());
    assertAll(
        () -> assertEquals("iam", redis.authMode()),
        () -> assertEquals(Optional.of("rate-limiter"), redis.user()),
        () -> assertEquals(Optional.empty(), fixedPassword(redis), "no fixed password: one token per connection"),
        () -> assertEquals("rate-limiter", tokens.userId()),
        () -> assertEquals("rl-cache", tokens.cacheName()),
        () -> assertEquals("us-east-1", tokens.region()),
        () -> assertFalse(tokens.serverless()),
        () -> assertTrue(redis.toString().contains("auth=iam as rate-limiter"), redis.toString()),
        () -> assertEquals("iam", redis.withPoolSize(3).authMode()));
  }

  @Test
  void serverlessIsDetectedFromTheHostAndCanBeSetExplicitly() {
    Map<String, String> env = iamEnv();
    env.put(REDIS_HOST, "rl-cache-abc123.serverless.use1.cache.amazonaws.com");
    assertTrue(tokens(env).serverless());

    env.put(REDIS_IAM_SERVERLESS, "false");
    assertFalse(tokens(env).serverless());

    env.put(REDIS_HOST, HOST);
    env.put(REDIS_IAM_SERVERLESS, "true");
    assertTrue(tokens(env).serverless());
  }

  private static ElastiCacheIamAuthTokens tokens(Map<String, String> env) {
    return (ElastiCacheIamAuthTokens) tokenSupplier(LimiterConfig.fromEnvironment(env).redis()).orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"REDIS_USER", "REDIS_IAM_CACHE_NAME", "AWS_REGION"})
  void iamModeRequires(String variable) {
    Map<String, String> env = iamEnv();
    env.remove(variable);

    ConfigurationException e = fails(env);

    assertMessage(e, variable, "required", "REDIS_AUTH_MODE=iam");
  }

  @Test
  void iamServerlessMustBeTrueOrFalse() {
    Map<String, String> env = iamEnv();
    env.put(REDIS_IAM_SERVERLESS, "yes");

    assertMessage(fails(env), "REDIS_IAM_SERVERLESS", "true or false", "'yes'");
  }

  @Test
  void iamModeWithoutTlsIsRejected() {
    Map<String, String> env = iamEnv();
    env.put(REDIS_TLS, "false");

    ConfigurationException e = fails(env);

    assertMessage(e, "REDIS_AUTH_MODE=iam", "TLS", "REDIS_TLS=false");
  }

  @ParameterizedTest
  @ValueSource(strings = {"master.rl-cache.abc123.use1.cache.amazonaws.com", "rl_cache", "1cache", "rl cache",
      "a123456789012345678901234567890123456789x"})
  void iamCacheNameThatIsNotAnIdIsRejected(String name) {
    Map<String, String> env = iamEnv();
    env.put(REDIS_IAM_CACHE_NAME, name);

    ConfigurationException e = fails(env);

    assertMessage(e, "REDIS_IAM_CACHE_NAME", "'" + name + "'", "not an endpoint host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rate limiter", "user&Action=other", "-limiter", "limiter@app"})
  void iamUserThatIsNotAnElastiCacheUserIdIsRejected(String user) {
    Map<String, String> env = iamEnv();
    env.put(REDIS_USER, user);

    ConfigurationException e = fails(env);

    assertMessage(e, "REDIS_USER", "'" + user + "'", "ElastiCache user id");
  }

  // --- plans -------------------------------------------------------------------------------------

  @Test
  void inlineJsonPlansAreParsed() {
    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, SOLO_PLANS));

    assertEquals(List.of("solo"), List.copyOf(config.plans().planNames()));
    Limit rpm = config.plans().plan("solo").orElseThrow().limits().get(0);
    assertEquals(7, rpm.limit());
    assertEquals(Algorithm.SLIDING_WINDOW, rpm.algorithm());
  }

  @Test
  void inlineJsonPlansMayStartWithWhitespace() {
    LimiterConfig config = LimiterConfig.fromEnvironment(
        Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, "\n  " + SOLO_PLANS + "\n"));

    assertEquals(List.of("solo"), List.copyOf(config.plans().planNames()));
  }

  @Test
  void plansFilePathIsRead() throws IOException {
    Path file = write("plans.json", SOLO_PLANS);

    LimiterConfig config = LimiterConfig.fromEnvironment(
        Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, file.toString()));

    assertEquals(List.of("solo"), List.copyOf(config.plans().planNames()));
    assertEquals(7, config.plans().plan("solo").orElseThrow().limits().get(0).limit());
  }

  @Test
  void badInlinePlansAreRejectedNamingTheVariablePlanLimitAndField() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, BAD_ALGORITHM_PLANS));

    assertMessage(e, "RATE_LIMIT_PLANS", "inline", "plan 'solo'", "limit 'rpm'", "field 'algorithm'", "'sliding'");
    assertInstanceOf(PlanDocumentException.class, e.getCause());
  }

  @Test
  void inlinePlansThatAreNotJsonAreRejectedNamingTheVariable() {
    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, "{\"plans\": {\"solo\": "));

    assertMessage(e, "RATE_LIMIT_PLANS", "not valid JSON");
  }

  @Test
  void badPlansFileIsRejectedNamingTheVariableFilePlanAndField() throws IOException {
    Path file = write("plans.json", BAD_ALGORITHM_PLANS);

    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, file.toString()));

    assertMessage(e, "RATE_LIMIT_PLANS", file.toString(), "plan 'solo'", "limit 'rpm'", "field 'algorithm'");
  }

  @Test
  void missingPlansFileIsRejectedNamingTheVariableAndPath() {
    String missing = dir.resolve("missing-plans.json").toString();

    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, RATE_LIMIT_PLANS, missing));

    assertMessage(e, "RATE_LIMIT_PLANS", missing, "does not exist");
  }

  // --- TLS CA file -------------------------------------------------------------------------------

  @Test
  void missingTlsCaFileIsRejectedNamingTheVariableAndPath() {
    String missing = dir.resolve("ca.pem").toString();

    ConfigurationException e = fails(Map.of(REDIS_HOST, HOST, REDIS_TLS_CA_FILE, missing));

    assertMessage(e, "REDIS_TLS_CA_FILE", missing, "does not exist");
  }

  @Test
  void existingTlsCaFileIsKept() throws IOException {
    Path ca = write("ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

    LimiterConfig config = LimiterConfig.fromEnvironment(Map.of(REDIS_HOST, HOST, REDIS_TLS_CA_FILE, ca.toString()));

    assertEquals(Optional.of(ca), config.redis().tlsCaFile());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static ConfigurationException fails(Map<String, String> env) {
    return assertThrows(ConfigurationException.class, () -> LimiterConfig.fromEnvironment(env),
        () -> "expected the environment to be rejected: " + env);
  }

  private static void assertMessage(Throwable e, String... parts) {
    String message = e.getMessage();
    for (String part : parts) {
      assertTrue(message != null && message.contains(part),
          () -> "message should contain [" + part + "] but was: " + message);
    }
  }

  private static Optional<String> fixedPassword(RedisSettings redis) {
    if (redis.credentials() instanceof RedisCredentials.Password fixed) {
      return Optional.of(fixed.password());
    }
    return redis.credentials() instanceof RedisCredentials.Secret secret
        ? Optional.of(secret.login().current().password()) : Optional.empty();
  }

  private static Optional<Supplier<String>> tokenSupplier(RedisSettings redis) {
    return redis.credentials() instanceof RedisCredentials.Iam iam ? Optional.of(iam.tokens()) : Optional.empty();
  }
}
