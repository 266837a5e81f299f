package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.localredis.Prerequisites;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.function.testing.LambdaHarness.Answer;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.RespProxy;
import com.huntaze.ratelimit.localredis.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TLS redis-server with a password, and a CA the test makes: trusted, untrusted, or no TLS at all; and
 * REDIS_TLS against what a port speaks (a TLS port, a plain-text port, a stalled one).
 */
class TlsConnectionTestIT {
  private static final String PASSWORD = "tls-pw-c41f-never-print-me";
  private static final boolean TLS_CAPABLE = Prerequisites.tlsAvailable();

  private static TlsMaterial tls;
  private static LocalRedisServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void startTlsServer() {
    if (TLS_CAPABLE) {   // otherwise each test reports the skip (or, in CI, fails)
      tls = TlsMaterial.generate();
      server = LocalRedisServer.builder().tls(tls).password(PASSWORD).start();
    }
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void requireTls() {
    Prerequisites.requireTls();
  }

  @Test
  void aTrustedCertificateAndTheRightPasswordPass() throws IOException {
    var harness = TestHandlers.on(environment(true));
    Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

    assertEquals(200, answer.status(), answer.body().toString());
    assertTrue(answer.body().path("connection").path("tls").asBoolean());
    assertTrue(answer.body().path("connection").path("verifyHostname").asBoolean());
    assertEquals("password", answer.body().path("connection").path("authMode").asText());
    assertEquals(List.of("ConnectionTestSucceeded", "RedisPingLatency"), harness.metrics().metricNames());
    assertFalse(harness.everythingWritten().contains(PASSWORD));
  }

  @Test
  void aCertificateFromAnUntrustedCaIsATlsFailureWithTheTlsHint() throws IOException {
    Map<String, String> environment = environment(true);
    environment.remove("REDIS_TLS_CA_FILE");   // the JVM's default trust store does not know the test CA
    var harness = TestHandlers.on(environment);
    Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

    assertEquals(503, answer.status());
    assertEquals("ping", answer.body().path("failedStep").asText());
    assertEquals("TLS", answer.body().path("error").path("kind").asText(), answer.body().toString());
    String hint = answer.body().path("error").path("hint").asText();
    assertTrue(hint.contains("REDIS_TLS") && hint.contains("in-transit encryption") && hint.contains("CA bundle"), hint);
    assertEquals("TLS", harness.lastLogLine().path("errorKind").asText());
    assertFalse(harness.everythingWritten().contains(PASSWORD));
  }

  @Test
  void aPlainTextClientOnTheTlsPortIsToldToTurnTlsOn() throws IOException {
    Map<String, String> environment = environment(false);
    environment.put("REDIS_SOCKET_TIMEOUT_MS", "300");
    var harness = TestHandlers.on(environment);
    Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

    // The server's TLS layer resets the connection at the first plain-text bytes: it looks like a broken one.
    assertEquals(503, answer.status());
    assertEquals("ping", answer.body().path("failedStep").asText());
    assertEquals("PLAIN_TEXT_ON_TLS_PORT", answer.body().path("error").path("kind").asText(), answer.body().toString());
    String detail = answer.body().path("detail").asText();
    assertTrue(detail.startsWith("REDIS_TLS is false, but 127.0.0.1:" + server.port() + " speaks TLS"), detail);
    String hint = answer.body().path("error").path("hint").asText();
    assertTrue(hint.contains("RedisTls=true") && !hint.contains("security group rules"), hint);
    assertEquals("PLAIN_TEXT_ON_TLS_PORT", harness.lastLogLine().path("errorKind").asText());
    assertFalse(harness.everythingWritten().contains(PASSWORD));
  }

  @Test
  void aTlsClientOnAPlainTextPortIsToldToTurnTlsOffNotToCheckTheSecurityGroup() throws IOException {
    try (LocalRedisServer plain = LocalRedisServer.builder().password(PASSWORD).start()) {
      Map<String, String> environment = environment(true);
      environment.put("REDIS_PORT", Integer.toString(plain.port()));
      environment.put("REDIS_SOCKET_TIMEOUT_MS", "300");
      var harness = TestHandlers.on(environment);
      Answer answer = harness.invoke(LambdaHarness.event("test-redis.json"));

      // Redis waits for the end of the "command" the ClientHello started: the handshake times out (today's JDKs),
      // as a silent network would; a plain-text PING on the same port then gets a reply (here -NOAUTH).
      assertEquals(503, answer.status());
      assertEquals("ping", answer.body().path("failedStep").asText());
      assertEquals("TLS_ON_PLAIN_TEXT_PORT", answer.body().path("error").path("kind").asText(),
          answer.body().toString());
      String detail = answer.body().path("detail").asText();
      assertTrue(detail.startsWith("REDIS_TLS is true, but 127.0.0.1:" + plain.port() + " answers in plain text"),
          detail);
      String hint = answer.body().path("error").path("hint").asText();
      assertTrue(hint.contains("RedisTls=false") && !hint.contains("security group rules"), hint);
      assertEquals("TLS_ON_PLAIN_TEXT_PORT", harness.lastLogLine().path("errorKind").asText());
      assertFalse(harness.everythingWritten().contains(PASSWORD));
    }
  }

  @Test
  void aTlsClientOnAStalledPortIsStillATimeoutWithTheSecurityGroupHint() throws IOException {
    try (RespProxy stalled = RespProxy.to(server.host(), server.port())) {
      stalled.stall(true);
      Map<String, String> environment = environment(true);
      environment.put("REDIS_PORT", Integer.toString(stalled.port()));
      environment.put("REDIS_SOCKET_TIMEOUT_MS", "300");
      Answer answer = TestHandlers.on(environment).invoke(LambdaHarness.event("test-redis.json"));

      assertEquals(503, answer.status());
      assertEquals("TIMEOUT", answer.body().path("error").path("kind").asText(), answer.body().toString());
      assertTrue(answer.body().path("error").path("hint").asText().contains("security group"));
      // The handshake's timeout (the JDK waits once more as it closes) and the plain-text PING's: three socket
      // timeouts, with slack for a loaded 2-core machine and the JVM's first TLS handshake.
      assertTrue(answer.took().compareTo(Duration.ofMillis(3 * 300 + 1500)) < 0, "took " + answer.took());
    }
  }

  private Map<String, String> environment(boolean tlsOn) throws IOException {
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, PASSWORD);
    Map<String, String> environment = new HashMap<>();
    environment.put("REDIS_HOST", "127.0.0.1");
    environment.put("REDIS_PORT", Integer.toString(server.port()));
    environment.put("REDIS_TLS", Boolean.toString(tlsOn));
    environment.put("REDIS_TLS_CA_FILE", tls.caCert().toString());
    environment.put("REDIS_AUTH_MODE", "password");
    environment.put("REDIS_PASSWORD_FILE", passwordFile.toString());
    return environment;
  }
}
