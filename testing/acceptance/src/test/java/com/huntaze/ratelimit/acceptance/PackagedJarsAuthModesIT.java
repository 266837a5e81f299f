package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localredis.Prerequisites;
import com.huntaze.ratelimit.localredis.TlsMaterial;
import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunctions;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jars' AWS code, which minimizeJar could cut and no events/ file reaches: the functions of
 * template.yaml from their CodeUri jars, on the runtime interface client, with REDIS_AUTH_MODE=secret (the
 * password read from Secrets Manager, here moto_server, by the jar's signed GetSecretValue call) and
 * REDIS_AUTH_MODE=iam (a SigV4 token signed for each connection with the jar's signer and default
 * credentials chain, sent to a TLS redis-server whose IAM-style user takes any password: ElastiCache's
 * check of the signature cannot run locally; shared's IamAuthIT checks the token itself).
 */
class PackagedJarsAuthModesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "pkg-secret-pw-7e1d";
  private static final String SECRET = "rate-limiter/packaged-jar-test";
  private static final String IAM_USER = "rate-limiter";
  private static final Optional<Path> MOTO = onPath("moto_server");
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  private static Process moto;
  private static URI motoEndpoint;

  @BeforeAll
  static void startMoto() throws IOException {
    if (MOTO.isPresent()) {
      moto = startMoto(MOTO.get());
      createSecret(SECRET, PASSWORD);
    }
  }

  @AfterAll
  static void stopMoto() throws InterruptedException {
    if (moto != null) {
      moto.destroy();
      if (!moto.waitFor(10, TimeUnit.SECONDS)) {
        moto.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Fake credentials the functions' default chain reads from their environment; never the runner's own. */
  private static Map<String, String> awsVariables() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("AWS_ACCESS_KEY_ID", "AKIDPACKAGEDJARTEST");
    variables.put("AWS_SECRET_ACCESS_KEY", "packaged-jar-test-secret-key");
    variables.put("AWS_EC2_METADATA_DISABLED", "true");
    if (motoEndpoint != null) {
      variables.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", motoEndpoint.toString());
    }
    return variables;
  }

  private static LocalFunctions functions(Map<String, String> redisVariables) {
    SamTemplate template = SamTemplate.read(Project.TEMPLATE);
    List<FunctionDefinition> definitions = Stream.of("RateCheckFunction", "ConnectionTestFunction")
        .map(id -> template.function(id, Map.of())).toList();
    Map<String, String> aws = awsVariables();
    return LocalFunctions.prepare(definitions, id -> aws, redisVariables,
        new PrintStream(LOG, true, StandardCharsets.UTF_8), true);
  }

  private static JsonNode invoke(LocalFunctions functions, String function, String eventFile) throws IOException {
    InvocationResult result = functions.get(function).invoke(Files.readAllBytes(Project.EVENTS.resolve(eventFile)));
    assertFalse(result.functionError(), function + " " + eventFile + ": " + result.payloadText() + "\n" + log());
    return JSON.readTree(result.payloadText());
  }

  private static JsonNode body(JsonNode answer) throws IOException {
    return JSON.readTree(answer.path("body").asText());
  }

  private static String log() {
    return LOG.toString(StandardCharsets.UTF_8);
  }

  // ---- REDIS_AUTH_MODE=secret ------------------------------------------------------------------------

  private static Map<String, String> secretMode(LocalRedisServer server, String secretId) {
    Map<String, String> redis = new LinkedHashMap<>();
    redis.put("REDIS_HOST", server.host());
    redis.put("REDIS_PORT", Integer.toString(server.port()));
    redis.put("REDIS_TLS", "false");
    redis.put("REDIS_CLUSTER_MODE", "false");
    redis.put("REDIS_AUTH_MODE", "secret");
    redis.put("REDIS_AUTH_SECRET_ID", secretId);
    return redis;
  }

  @Test
  void withTheSecretFromSecretsManagerBothFunctionsReachTheirRedis() throws IOException {
    Prerequisites.require(MOTO.isPresent(), "the packaged jars' Secrets Manager test needs moto_server on PATH"
        + " (pip install 'moto[server]')");
    try (LocalRedisServer server = LocalRedisServer.builder().password(PASSWORD).start();
        LocalFunctions functions = functions(secretMode(server, SECRET))) {
      JsonNode check = invoke(functions, "RateCheckFunction", "check-allowed.json");
      assertEquals(200, check.path("statusCode").asInt(), check + "\n" + log());
      assertTrue(body(check).path("allowed").asBoolean(), check.toString());

      JsonNode test = invoke(functions, "ConnectionTestFunction", "test-redis.json");
      assertEquals(200, test.path("statusCode").asInt(), test + "\n" + log());
      assertEquals("secret", body(test).path("connection").path("authMode").asText(), test.toString());
      assertFalse(log().contains(PASSWORD), "the password is never written");
    }
  }

  @Test
  void aMissingSecretIsSecretsManagersNotFoundAnswerInOurWords() throws IOException {
    Prerequisites.require(MOTO.isPresent(), "the packaged jars' Secrets Manager test needs moto_server on PATH"
        + " (pip install 'moto[server]')");
    try (LocalRedisServer server = LocalRedisServer.builder().password(PASSWORD).start();
        LocalFunctions functions = functions(secretMode(server, "rate-limiter/no-such-secret"))) {
      JsonNode test = invoke(functions, "ConnectionTestFunction", "test-redis.json");
      assertEquals(503, test.path("statusCode").asInt(), test.toString());
      assertEquals("configuration", body(test).path("failedStep").asText(), test.toString());
      assertTrue(body(test).path("error").path("message").asText().contains("no such secret in region"),
          test.toString());
    }
  }

  // ---- REDIS_AUTH_MODE=iam ---------------------------------------------------------------------------

  /** The default user's password is one the functions never get: what they did, they did as the IAM user. */
  @Test
  void withIamAuthBothFunctionsSignATokenAndConnectAsTheIamUser() throws IOException {
    Prerequisites.requireTls();
    TlsMaterial tls = TlsMaterial.generate();
    try (LocalRedisServer server = LocalRedisServer.builder().tls(tls).password(PASSWORD)
        .aclUser(IAM_USER + " on nopass ~* &* +@all").start()) {
      Map<String, String> redis = new LinkedHashMap<>();
      redis.put("REDIS_HOST", server.host());
      redis.put("REDIS_PORT", Integer.toString(server.port()));
      redis.put("REDIS_TLS", "true");
      redis.put("REDIS_TLS_CA_FILE", tls.caCert().toString());
      redis.put("REDIS_CLUSTER_MODE", "false");
      redis.put("REDIS_AUTH_MODE", "iam");
      redis.put("REDIS_USER", IAM_USER);
      redis.put("REDIS_IAM_CACHE_NAME", "rl-cache");
      try (LocalFunctions functions = functions(redis)) {
        JsonNode check = invoke(functions, "RateCheckFunction", "check-allowed.json");
        assertEquals(200, check.path("statusCode").asInt(), check + "\n" + log());
        assertTrue(body(check).path("allowed").asBoolean(), check.toString());

        JsonNode test = invoke(functions, "ConnectionTestFunction", "test-redis.json");
        assertEquals(200, test.path("statusCode").asInt(), test + "\n" + log());
        assertEquals("iam", body(test).path("connection").path("authMode").asText(), test.toString());
      }
    }
  }

  // ---- moto_server -----------------------------------------------------------------------------------

  private static Optional<Path> onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** moto_server on a free loopback port, stopped by its own process handle. */
  private static Process startMoto(Path binary) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("moto-server", ".log");
    Process process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    motoEndpoint = URI.create("http://127.0.0.1:" + port);
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited at start: " + Files.readString(log));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) motoEndpoint.resolve("/moto-api/").toURL().openConnection();
        connection.setConnectTimeout(500);
        if (connection.getResponseCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("moto_server not ready within 30 s: " + Files.readString(log));
  }

  /** Secrets Manager's CreateSecret, sent to moto as the AWS JSON protocol does (moto checks no signature). */
  private static void createSecret(String name, String value) {
    try {
      HttpURLConnection connection = (HttpURLConnection) motoEndpoint.toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
      connection.setRequestProperty("X-Amz-Target", "secretsmanager.CreateSecret");
      connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDPACKAGEDJARTEST/20260101/"
          + "us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(JSON.writeValueAsBytes(Map.of("Name", name, "SecretString", value)));
      }
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IllegalStateException("moto_server refused CreateSecret: HTTP " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
