package com.huntaze.ratelimit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How each Secrets Manager answer becomes a value or a reason, against canned answers from a loopback HTTP
 * server (the SDK never leaves this machine: endpoint and credentials are set explicitly).
 */
class SecretsManagerSecretSourceTest {
  private static final String SECRET_ID = "prod/rate-limiter/redis";
  private static final String VALUE = "s3cr3t-T0ken_for-redis";

  private HttpServer server;
  private final List<String> requests = new ArrayList<>();
  private int status;
  private String body;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private SecretsManagerSecretSource source() {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new SecretsManagerSecretSource(builder -> builder.endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret"))));
  }

  private void answer(int status, String body) {
    this.status = status;
    this.body = body;
  }

  private UnreadableSecretException fails() {
    return assertThrows(UnreadableSecretException.class, () -> source().secretString("us-east-1", SECRET_ID));
  }

  @Test
  void returnsTheSecretString() {
    answer(200, "{\"ARN\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:x\", \"Name\": \"" + SECRET_ID
        + "\", \"SecretString\": \"" + VALUE + "\"}");

    assertEquals(VALUE, source().secretString("us-east-1", SECRET_ID));
    assertEquals(List.of("secretsmanager.GetSecretValue {\"SecretId\":\"" + SECRET_ID + "\"}"), requests);
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
  void anUnreachableEndpointSaysTheServiceCannotBeCalled() {
    answer(200, "{}");
    server.stop(0);   // nothing listens on the port any more

    UnreadableSecretException e = fails();

    assertTrue(e.getMessage().startsWith("cannot call AWS Secrets Manager"), e.getMessage());
    assertFalse(e.getMessage().contains(VALUE));
  }
}
