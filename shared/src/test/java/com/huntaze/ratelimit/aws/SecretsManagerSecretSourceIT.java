package com.huntaze.ratelimit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.it.MotoServer;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The signed GetSecretValue call against moto_server with its IAM checks on: moto recomputes each request's
 * SigV4 signature with botocore (an independent implementation) and applies the access key's IAM policies,
 * so a wrong signature, a missing permission and a missing secret get the answers AWS would give.
 */
class SecretsManagerSecretSourceIT {
  private static final String REGION = "us-east-1";
  private static final String SECRET = "rate-limiter/signed-call-test";
  private static final String VALUE = "signed-call-pw-3f9a";
  private static final Optional<Path> MOTO = MotoServer.find();

  private static MotoServer moto;
  private static AwsCredentialsIdentity reader;
  private static AwsCredentialsIdentity stranger;

  @BeforeAll
  static void start() {
    if (MOTO.isEmpty()) {
      return;   // each test reports the skip (or, in CI, fails)
    }
    moto = MotoServer.start(MOTO.get());
    moto.createSecret(Map.of("Name", SECRET, "SecretString", VALUE));
    reader = user("secret-reader");
    moto.iam("PutUserPolicy", Map.of("UserName", "secret-reader", "PolicyName", "read-secrets",
        "PolicyDocument", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
            + " \"Action\": \"secretsmanager:GetSecretValue\", \"Resource\": \"*\"}]}"));
    stranger = user("no-permissions");
    moto.requireSignatures();
  }

  /** An IAM user and its access key, made while moto still accepts unsigned calls. */
  private static AwsCredentialsIdentity user(String name) {
    moto.iam("CreateUser", Map.of("UserName", name));
    String key = moto.iam("CreateAccessKey", Map.of("UserName", name));
    return AwsBasicCredentials.create(element(key, "AccessKeyId"), element(key, "SecretAccessKey"));
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in moto's answer: " + xml);
    }
    return m.group(1);
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void requireMoto() {
    Prerequisites.require(MOTO.isPresent(), "Secrets Manager tests need the AWS API emulator moto_server on PATH"
        + " (pip install 'moto[server]')");
  }

  private static String read(AwsCredentialsIdentity credentials, String secretId) {
    SecretsManagerEndpoint endpoint = new SecretsManagerEndpoint(
        Map.of("aws.endpointUrlSecretsManager", moto.endpoint().toString())::get, name -> null);
    return new SecretsManagerSecretSource(() -> credentials, endpoint).secretString(REGION, secretId);
  }

  private static String reason(AwsCredentialsIdentity credentials, String secretId) {
    return assertThrows(UnreadableSecretException.class, () -> read(credentials, secretId)).getMessage();
  }

  @Test
  void aCorrectlySignedCallWithThePermissionReadsTheSecret() {
    assertEquals(VALUE, read(reader, SECRET));
  }

  @Test
  void aWrongSecretKeyIsRefusedAsAccessDenied() {
    String reason = reason(AwsBasicCredentials.create(reader.accessKeyId(), "not-the-secret-key"), SECRET);

    assertTrue(reason.startsWith("access denied; the function's role needs secretsmanager:GetSecretValue"), reason);
  }

  @Test
  void aUserWithoutThePermissionIsToldWhichOneToGrant() {
    String reason = reason(stranger, SECRET);

    assertTrue(reason.startsWith("access denied; the function's role needs secretsmanager:GetSecretValue"), reason);
  }

  @Test
  void aMissingSecretIsNotFoundInItsRegion() {
    String reason = reason(reader, "rate-limiter/no-such-secret");

    assertEquals("no such secret in region us-east-1 (check the name or ARN and the region)", reason);
  }
}
