package com.huntaze.ratelimit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.aws.SecretSource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local AWS API emulator {@code moto_server} on a free loopback port, started for a test and stopped by
 * its own process handle. Only loopback: tests point Secrets Manager calls here, never at AWS.
 */
public final class MotoServer implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 30_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SDK_PROPERTIES = List.of("aws.endpointUrlSecretsManager", "aws.accessKeyId",
      "aws.secretAccessKey", "aws.disableEc2Metadata");

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** {@code moto_server} from PATH, if installed. */
  public static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "moto_server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static MotoServer start(Path binary) {
    try {
      int port = freePort();
      Path log = Files.createTempFile("moto-server", ".log");
      Process process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      MotoServer server = new MotoServer(process, port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Secrets Manager's CreateSecret, sent as the AWS JSON protocol does, unsigned (moto checks signatures only
   * after {@link #requireSignatures()}); the answer holds the secret's ARN and Name.
   */
  public JsonNode createSecret(Map<String, String> request) {
    try {
      return JSON.readTree(post("secretsmanager", "application/x-amz-json-1.1", "secretsmanager.CreateSecret",
          JSON.writeValueAsString(request)));
    } catch (IOException e) {
      throw new UncheckedIOException("CreateSecret on moto_server", e);
    }
  }

  /** Secrets Manager's PutSecretValue: the secret's new current value (AWSCURRENT), as a rotation leaves it. */
  public void putSecretValue(String secretId, String secretString) {
    try {
      post("secretsmanager", "application/x-amz-json-1.1", "secretsmanager.PutSecretValue",
          JSON.writeValueAsString(Map.of("SecretId", secretId, "SecretString", secretString)));
    } catch (IOException e) {
      throw new UncheckedIOException("PutSecretValue on moto_server", e);
    }
  }

  /**
   * Points this JVM's Secrets Manager calls here, through the SDK's standard endpoint setting (system property
   * aws.endpointUrlSecretsManager), with fake static credentials and no instance metadata fallback (system
   * properties come first in the SDK's credentials chain). Refuses, before any call is made, when the code would
   * still resolve anything but this emulator. Running the answer restores the properties.
   */
  public Runnable pointTheSdkHere(String region) {
    Map<String, String> saved = new HashMap<>();
    for (String name : SDK_PROPERTIES) {
      saved.put(name, System.getProperty(name));
    }
    Runnable restore = () -> saved.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
    System.setProperty("aws.endpointUrlSecretsManager", endpoint().toString());
    System.setProperty("aws.accessKeyId", "AKIDMOTOTEST");
    System.setProperty("aws.secretAccessKey", "moto-fake-secret-key");
    System.setProperty("aws.disableEc2Metadata", "true");
    URI resolved = SecretSource.awsSecretsManagerEndpoint(region);
    if (!resolved.equals(endpoint())) {
      restore.run();
      throw new IllegalStateException("the Secrets Manager endpoint resolves to " + resolved + ", not the local"
          + " emulator " + endpoint() + " (is AWS_IGNORE_CONFIGURED_ENDPOINT_URLS set?); stopping before any call to"
          + " AWS");
    }
    return restore;
  }

  /** An IAM query API call (CreateUser, CreateAccessKey, PutUserPolicy...), unsigned; its XML answer. */
  public String iam(String action, Map<String, String> parameters) {
    StringBuilder form = new StringBuilder("Version=2010-05-08&Action=").append(action);
    parameters.forEach((name, value) -> form.append('&').append(name).append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return post("iam", "application/x-www-form-urlencoded", null, form.toString());
  }

  /** From now on moto checks every request's SigV4 signature and the IAM policies of its access key. */
  public void requireSignatures() {
    try {
      HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/reset-auth").toURL()
          .openConnection();
      try {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        // not a form (HttpURLConnection's default type), which moto would parse and find no count in
        connection.setRequestProperty("Content-Type", "text/plain");
        try (OutputStream out = connection.getOutputStream()) {
          out.write("0".getBytes(StandardCharsets.UTF_8));
        }
        if (connection.getResponseCode() != 200) {
          throw new IllegalStateException("moto_server refused reset-auth: HTTP " + connection.getResponseCode());
        }
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reset-auth on moto_server", e);
    }
  }

  private String post(String service, String contentType, String target, String body) {
    try {
      HttpURLConnection connection = (HttpURLConnection) endpoint().toURL().openConnection();
      try {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        if (target != null) {
          connection.setRequestProperty("X-Amz-Target", target);
        }
        // moto routes by the credential scope's service; this signature is never checked (see requireSignatures)
        connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDMOTOTEST/20260101/"
            + "us-east-1/" + service + "/aws4_request, SignedHeaders=host, Signature=0");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        if (connection.getResponseCode() != 200) {
          throw new IllegalStateException("moto_server refused a " + service + " call: HTTP "
              + connection.getResponseCode());
        }
        try (InputStream in = connection.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a " + service + " call on moto_server", e);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited at start: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      if (answers()) {
        return;
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException("moto_server not ready within " + START_TIMEOUT_MS + " ms: "
        + Files.readString(log, StandardCharsets.UTF_8));
  }

  private boolean answers() {
    try {
      HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;   // not listening yet
    }
  }

  /** Forgets every resource created so far (moto's reset), so that each test seeds its own account. */
  public void reset() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
      try {
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        if (c.getResponseCode() != 200) {
          throw new IllegalStateException("moto_server refused reset: HTTP " + c.getResponseCode());
        }
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the process started here (by its handle, not by name). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
