package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.cli.LocalRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The TypeScript client (clients/typescript) against the real functions over HTTP: its node:test suite
 * runs against the local API (template.yaml's functions on the runtime interface client, a real
 * redis-server), signing with a throw-away credential pair the local API is started with, and against a
 * second local API whose Redis accepts connections and never answers; then its latency figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TypeScriptClientIT {
  private static final Path CLIENT = Project.ROOT.resolve("clients").resolve("typescript");
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final String ACCESS_KEY_ID = "AKIDTYPESCRIPTCLIENTIT";
  /** a new secret every run: nothing to leak, nothing committed */
  private static final String SECRET_ACCESS_KEY = HexFormat.of().formatHex(new SecureRandom().generateSeed(20));
  /** the stalled API's Redis timeout: the client's short timeouts in the tests are well under it */
  private static final int STALLED_REDIS_TIMEOUT_MS = 2000;

  private static NodeProject client;
  private static PrintStream apiLog;
  private static SilentRedis silentRedis;
  private static LocalRunner.RunningApi api;
  private static LocalRunner.RunningApi stalledApi;

  @BeforeAll
  static void start() throws IOException {
    NodeProject.requireNode();
    client = new NodeProject(CLIENT);
    client.installIfNeeded(TARGET.resolve("typescript-client-npm-ci.log"));
    apiLog = new PrintStream(Files.newOutputStream(TARGET.resolve("typescript-client-local-api.log")), true, StandardCharsets.UTF_8);
    silentRedis = SilentRedis.open();
    api = startApi(credentials());
    Map<String, String> stalled = new LinkedHashMap<>(credentials());
    stalled.put("REDIS_HOST", silentRedis.host());
    stalled.put("REDIS_PORT", Integer.toString(silentRedis.port()));
    stalled.put("REDIS_TLS", "false");
    stalled.put("REDIS_AUTH_MODE", "none");
    stalled.put("REDIS_CLUSTER_MODE", "false");
    stalled.put("REDIS_SOCKET_TIMEOUT_MS", Integer.toString(STALLED_REDIS_TIMEOUT_MS));
    stalledApi = startApi(stalled);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {stalledApi, api, silentRedis}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        System.err.println("Cannot stop " + closeable + ": " + e.getMessage());
      }
    }
    if (apiLog != null) {
      apiLog.close();
    }
  }

  @Test
  @Order(1)
  void theClientsTestsPassAgainstTheRealFunctionsOverSignedHttp() {
    int exit = client.run(List.of("npm", "test"), testEnvironment(), TARGET.resolve("typescript-client-tests.log"), 15);

    assertEquals(0, exit, "npm test failed in clients/typescript; output above and in target/typescript-client-tests.log");
  }

  @Test
  @Order(2)
  void theLatencyOfSignedChecksIsMeasured() throws IOException {
    Path log = TARGET.resolve("typescript-client-latency.log");
    int exit = client.run(List.of("npm", "run", "latency"), testEnvironment(), log, 10);

    assertEquals(0, exit, "the latency run failed; output above and in " + log);
    assertTrue(Files.readString(log).contains("signed POST /v1/check"), "the latency run printed its figures");
  }

  private static LocalRunner.RunningApi startApi(Map<String, String> runnerEnvironment) {
    return LocalRunner.startApi(List.of("--port", "0", "--template", Project.TEMPLATE.toString()), apiLog, apiLog,
        runnerEnvironment);
  }

  /** The pair the local API verifies signatures with (AWS_* of its runner environment). */
  private static Map<String, String> credentials() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
  }

  private static Map<String, String> testEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>(credentials());
    environment.put("RATE_LIMIT_TEST_API_URL", api.baseUrl());
    environment.put("RATE_LIMIT_TEST_STALLED_API_URL", stalledApi.baseUrl());
    environment.put("RATE_LIMIT_TEST_STALLED_REDIS_TIMEOUT_MS", Integer.toString(STALLED_REDIS_TIMEOUT_MS));
    environment.put("RATE_LIMIT_TEST_REGION", "us-east-1");
    return environment;
  }

  /** A Redis that accepts every connection and never answers: each command of the functions times out. */
  private static final class SilentRedis implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private SilentRedis(ServerSocket server) {
      this.server = server;
      Thread acceptor = new Thread(this::acceptForever, "silent-redis");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    static SilentRedis open() {
      try {
        return new SilentRedis(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String host() {
      return server.getInetAddress().getHostAddress();
    }

    int port() {
      return server.getLocalPort();
    }

    private void acceptForever() {
      try {
        while (!server.isClosed()) {
          held.add(server.accept()); // kept open, never read from or written to
        }
      } catch (IOException e) {
        // closed: the test is over
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
    }

    @Override
    public String toString() {
      return "silent Redis on port " + port();
    }
  }
}
