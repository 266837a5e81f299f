package com.huntaze.ratelimit.doctor;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code moto_server} on a free loopback port, stopped by its own process handle: the pattern of shared's
 * test MotoServer (which lives in shared's test sources, so it is not on this module's class path).
 */
final class MotoServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "moto_server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static MotoServer start(Path binary) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path log = Files.createTempFile("moto-server", ".log");
      Process process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      MotoServer server = new MotoServer(process, port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Forgets every resource (POST /moto-api/reset), so each test seeds its own account. */
  void reset() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
      try {
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write(new byte[0]);
        }
        if (c.getResponseCode() != 200) {
          throw new IllegalStateException("moto_server refused reset: HTTP " + c.getResponseCode());
        }
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reset on moto_server", e);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited at start: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        try {
          if (c.getResponseCode() == 200) {
            return;
          }
        } finally {
          c.disconnect();
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
    close();
    throw new IllegalStateException("moto_server not ready within 30 s: " + Files.readString(log, StandardCharsets.UTF_8));
  }

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
}
