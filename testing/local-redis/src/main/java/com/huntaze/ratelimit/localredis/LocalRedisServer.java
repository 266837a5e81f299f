package com.huntaze.ratelimit.localredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free loopback port, started for a test or a local run and stopped
 * by its own handle. Persistence is off ({@code --save '' --appendonly no}).
 */
public final class LocalRedisServer implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 15_000;

  private final Builder settings;
  private final Path workDir;
  private final int port;
  private Process process;

  private LocalRedisServer(Builder settings, Path workDir, int port) {
    this.settings = settings;
    this.workDir = workDir;
    this.port = port;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A plain standalone server with no auth. */
  public static LocalRedisServer startStandalone() {
    return builder().start();
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public boolean tls() {
    return settings.tls != null;
  }

  public Path logFile() {
    return workDir.resolve("redis.log");
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the process (SIGTERM, then SIGKILL), keeping the port for {@link #restart()}. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the server again on the same port, empty (no persistence). */
  public void restart() {
    stop();
    launch();
  }

  @Override
  public void close() {
    stop();
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(settings.binary.path().toString());
    command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--daemonize", "no", "--dir", workDir.toString(), "--protected-mode", "no"));
    if (settings.tls != null) {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
          "--tls-cert-file", settings.tls.serverCert().toString(),
          "--tls-key-file", settings.tls.serverKey().toString(),
          "--tls-ca-cert-file", settings.tls.caCert().toString(),
          "--tls-auth-clients", "no"));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    if (settings.password != null) {
      command.addAll(List.of("--requirepass", settings.password));
    }
    for (String user : settings.aclUsers) {
      command.add("--user");
      command.addAll(List.of(user.split(" ")));
    }
    if (settings.cluster) {
      command.addAll(List.of("--cluster-enabled", "yes",
          "--cluster-config-file", workDir.resolve("nodes.conf").toString(),
          "--cluster-node-timeout", "5000"));
    }
    command.addAll(settings.extraArgs);
    try {
      Files.deleteIfExists(workDir.resolve("nodes.conf"));
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(logFile().toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command.get(0), e);
    }
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      String log = readLog();
      if (log.contains("Ready to accept connections")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited at start: " + log);
      }
      sleep(20);
    }
    stop();
    throw new IllegalStateException("redis-server not ready within " + START_TIMEOUT_MS + " ms: " + readLog());
  }

  private String readLog() {
    try {
      return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Options of one server; {@link #start()} launches it. */
  public static final class Builder {
    private RedisBinary binary;
    private TlsMaterial tls;
    private String password;
    private final List<String> aclUsers = new ArrayList<>();
    private boolean cluster;
    private final List<String> extraArgs = new ArrayList<>();

    private Builder() {
    }

    /** Which redis-server to run; default {@link RedisBinary#find()}. */
    public Builder binary(RedisBinary binary) {
      this.binary = binary;
      return this;
    }

    /** Serve TLS only, with this CA-signed certificate. */
    public Builder tls(TlsMaterial material) {
      this.tls = material;
      return this;
    }

    /** Password of the default user ({@code requirepass}). */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** An ACL rule set as in redis.conf, e.g. {@code "limiter on >secret ~rl:* +evalsha"}. */
    public Builder aclUser(String rules) {
      aclUsers.add(rules);
      return this;
    }

    public Builder clusterEnabled() {
      this.cluster = true;
      return this;
    }

    public Builder arg(String... args) {
      extraArgs.addAll(List.of(args));
      return this;
    }

    public LocalRedisServer start() {
      if (binary == null) {
        binary = RedisBinary.find();
      }
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        Path dir;
        try {
          dir = Files.createTempDirectory("local-redis");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        LocalRedisServer server = new LocalRedisServer(this, dir, freePort());
        try {
          server.launch();
          return server;
        } catch (IllegalStateException e) {
          last = e; // most likely the free port was taken meanwhile: try another
        }
      }
      throw last;
    }
  }
}
