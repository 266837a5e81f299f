package com.huntaze.ratelimit.localrunner.runtime;

import com.huntaze.ratelimit.localredis.LocalRedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis the functions use in a local run, as its {@link RedisSource} says: the settings the user
 * named (a password written to a file only the user can read), or a redis-server started here on a free
 * loopback port.
 */
final class RedisForLocalRun implements AutoCloseable {
  private static final int PROBE_TIMEOUT_MILLIS = 1_000;

  private final Map<String, String> variables;
  private final String description;
  private final LocalRedisServer server;

  private RedisForLocalRun(Map<String, String> variables, String description, LocalRedisServer server) {
    this.variables = Map.copyOf(variables);
    this.description = description;
    this.server = server;
  }

  /**
   * @param needed  whether any function to run uses Redis (declares REDIS_HOST)
   * @param workDir the run's own directory, deleted at its end: where a password file goes
   */
  static RedisForLocalRun choose(RedisSource source, boolean needed, Path workDir) {
    if (source instanceof RedisSource.Named named) {
      Map<String, String> variables = new LinkedHashMap<>(named.variables());
      if (named.password().isPresent()) {
        variables.put("REDIS_PASSWORD_FILE", writePrivateFile(workDir.resolve("redis-password"),
            named.password().get()).toString());
      }
      return new RedisForLocalRun(variables, named.description(), null);
    }
    if (!needed) {
      return new RedisForLocalRun(Map.of(), "Redis: none (no function declares REDIS_HOST)", null);
    }
    LocalRedisServer server = LocalRedisServer.startStandalone();
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("REDIS_HOST", server.host());
    variables.putAll(RedisSource.LOCAL_DEFAULTS); // a single standalone server, plain text, no password
    variables.put("REDIS_PORT", Integer.toString(server.port()));
    return new RedisForLocalRun(variables, "Redis: local redis-server at " + server.host() + ":" + server.port()
        + " (started for this run, stopped on exit; other runs can share it with --redis-url redis://"
        + server.host() + ":" + server.port() + ")", server);
  }

  /** The REDIS_* variables that replace the template's; empty: the template's stand. */
  Map<String, String> variables() {
    return variables;
  }

  String description() {
    return description;
  }

  /** A line saying that nothing answers at the functions' Redis address, when nothing does. */
  static Optional<String> unreachable(Map<String, String> functionEnvironment) {
    String host = functionEnvironment.get("REDIS_HOST");
    String port = functionEnvironment.getOrDefault("REDIS_PORT", Integer.toString(RedisUrl.DEFAULT_PORT));
    if (host == null || host.isBlank() || !port.matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, Integer.parseInt(port)), PROBE_TIMEOUT_MILLIS);
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("Redis: the host " + host + " is unknown here; the functions will fail to reach it");
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of("Redis: nothing answers at " + host + ":" + port + " (" + e.getMessage()
          + "); the functions will fail to reach it until it does");
    }
  }

  /** Readable and writable by the user alone, from its creation on (no moment of wider permissions). */
  private static Path writePrivateFile(Path file, String content) {
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the Redis password file in " + file.getParent(), e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
