package com.huntaze.ratelimit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * How each Secrets Manager answer becomes a value or a reason, against canned answers from a loopback HTTP
 * server (nothing leaves this machine: endpoint and credentials are set explicitly). moto_server checks the
 * signature itself: SecretsManagerSecretSourceIT.
 */
class SecretsManagerSecretSourceTest {
  private static final String SECRET_ID = "prod/rate-limiter/redis";
  private static final String VALUE = "s3cr3t-T0ken_for-redis";
  private static final Supplier<AwsCredentialsIdentity> CREDENTIALS =
      () -> AwsBasicCredentials.create("AKIDTEST", "test-secret");

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> sessionTokens = new CopyOnWriteArrayList<>();
  /** The next answers, in order; the last one is repeated. */
  private final Deque<String[]> answers = new ArrayDeque<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      sessionTokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")));
      if (hang) {
        awaitRelease();
      }
      String[] answer;
      synchronized (answers) {
        answer = answers.size() > 1 ? answers.poll() : answers.peek();
      }
      byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      if (answer.length > 2) {
        exchange.getResponseHeaders().add("X-Amzn-ErrorType", answer[2]);
      }
      exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SecretsManagerSecretSource source(Supplier<AwsCredentialsIdentity> credentials) {
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    return new SecretsManagerSecretSource(credentials,
        new SecretsManagerEndpoint(Map.of("aws.endpointUrlSecretsManager", endpoint)::get, name -> null));
  }

  private void answer(int status, String body, String... errorType) {
    String[] answer = errorType.length == 0 ? new String[] {Integer.toString(status), body}
        : new String[] {Integer.toString(status), body, errorType[0]};
    synchronized (answers) {
      answers.add(answer);
    }
  }

  private UnreadableSecretException fails() {
    return assertThrows(UnreadableSecretException.class,
        () -> source(CREDENTIALS).secretString("us-east-1", SECRET_ID));
  }

  @Test
  void returnsTheSecretString() {
    answer(200, "{\"ARN\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:x\", \"Name\": \"" + SECRET_ID
        + "\", \"SecretString\": \"" + VALUE + "\"}");

    assertEquals(VALUE, source(CREDENTIALS).secretString("us-east-1", SECRET_ID));
    assertEquals(List.of("secretsmanager.GetSecretValue {\"SecretId\":\"" + SECRET_ID + "\"}"), requests);
  }

  @Test
  void theCallIsSignedForSecretsManagerInTheSecretsRegionWithTheSessionToken() {
    answer(200, "{\"SecretString\": \"" + VALUE + "\"}");

    source(() -> AwsSessionCredentials.create("ASIATEST", "test-secret", "session-token/+="))
        .secretString("eu-west-3", SECRET_ID);

    String authorization = authorizations.get(0);
    assertTrue(authorization.matches("AWS4-HMAC-SHA256 Credential=ASIATEST/\\d{8}/eu-west-3/secretsmanager/"
        + "aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;"
        + "x-amz-target, Signature=[0-9a-f]{64}"), authorization);
    assertEquals(List.of("session-token/+="), sessionTokens);
  }

  @Test
  void aBinarySecretIsRefused() {
    answer(200, "{\"Name\": \"" + SECRET_ID + "\", \"SecretBinary\": \"AAECAw==\"}");

    assertTrue(fails().getMessage().contains("binary"));
  }

  @Test
  void aMissingSecretSaysSo() {
    answer(400, "{\"__type\": \"ResourceNotFoundException\", \"message\": \"Secrets Manager can't find the"
        + " specified secret.\"}");

    UnreadableSecretException e = fails();

    assertTrue(e.getMessage().contains("no such secret in region us-east-1"), e.getMessage());
  }

  @Test
  void accessDeniedNamesThePermissionToGrant() {
    answer(400, "{\"__type\": \"AccessDeniedException\", \"Message\": \"User: arn:aws:sts::123456789012:"
        + "assumed-role/rate-check/fn is not authorized to perform: secretsmanager:GetSecretValue\"}");

    UnreadableSecretException e = fails();

    assertTrue(e.getMessage().startsWith("access denied"), e.getMessage());
    assertTrue(e.getMessage().contains("secretsmanager:GetSecretValue"), e.getMessage());
    assertTrue(e.getMessage().contains("assumed-role/rate-check"), "AWS's own explanation is kept: "
        + e.getMessage());
  }

  @Test
  void aKmsFailureNamesKmsDecrypt() {
    answer(400, "{\"__type\": \"DecryptionFailure\", \"Message\": \"Access to KMS is not allowed\"}");

    UnreadableSecretException e = fails();

    assertTrue(e.getMessage().contains("kms:Decrypt"), e.getMessage());
  }

  @Test
  void anotherServiceErrorKeepsItsCode() {
    answer(400, "{\"__type\": \"InvalidRequestException\", \"Message\": \"You can't perform this operation on"
        + " the secret because it was marked for deletion.\"}");

    UnreadableSecretException e = fails();

    assertTrue(e.getMessage().startsWith("InvalidRequestException: "), e.getMessage());
    assertTrue(e.getMessage().contains("marked for deletion"), e.getMessage());
  }

  @Test
  void serverErrorsAndThrottlingAreTriedAgainUpToThreeAttempts() {
    answer(503, "<html>busy</html>");
    answer(400, "{\"__type\": \"ThrottlingException\", \"message\": \"Rate exceeded\"}");
    answer(200, "{\"SecretString\": \"" + VALUE + "\"}");
    assertEquals(VALUE, source(CREDENTIALS).secretString("us-east-1", SECRET_ID));
    assertEquals(3, requests.size());

    requests.clear();
    answers.clear();
    answer(500, "{\"__type\": \"InternalServiceError\", \"message\": \"An error occurred on the server side.\"}");
    assertEquals("InternalServiceError: An error occurred on the server side.", fails().getMessage());
    assertEquals(3, requests.size());
  }

  @Test
  void aClientErrorIsNotTriedAgain() {
    answer(400, "{\"__type\": \"InvalidParameterException\", \"message\": \"bad id\"}");

    fails();

    assertEquals(1, requests.size());
  }

  @Test
  void anUnreachableEndpointSaysTheServiceCannotBeCalled() {
    answer(200, "{}");
    server.stop(0);   // nothing listens on the port any more

    UnreadableSecretException e = fails();

    assertTrue(e.getMessage().startsWith("cannot call AWS Secrets Manager: cannot connect to http://127.0.0.1:"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(3 attempts)"), e.getMessage());
    assertFalse(e.getMessage().contains(VALUE));
  }

  @Test
  void missingCredentialsSayWhereTheyComeFromWithoutTheSdksText() {
    answer(200, "{\"SecretString\": \"" + VALUE + "\"}");

    UnreadableSecretException e = assertThrows(UnreadableSecretException.class, () -> source(() -> {
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    }).secretString("us-east-1", SECRET_ID));

    assertTrue(e.getMessage().startsWith("cannot call AWS Secrets Manager: no AWS credentials"), e.getMessage());
    assertFalse(e.getMessage().contains("providers"), e.getMessage());
    assertTrue(requests.isEmpty(), "nothing is sent unsigned");
  }

  @Test
  void anEndpointThatNeverAnswersFailsWithinTheCallTimeout() {
    answer(200, "{\"SecretString\": \"" + VALUE + "\"}");
    hang = true;
    long start = System.nanoTime();

    UnreadableSecretException e = fails();

    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.getMessage().startsWith("cannot call AWS Secrets Manager: no answer from http://127.0.0.1:"),
        e.getMessage());
    assertTrue(tookMs >= 2_900 && tookMs < 7_000, "6 s at most, after a 3 s read timeout: " + tookMs + " ms");
  }
}
