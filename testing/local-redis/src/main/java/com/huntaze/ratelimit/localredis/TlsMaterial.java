package com.huntaze.ratelimit.localredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1 / localhost, made with the
 * openssl command line, so TLS tests run against a real TLS redis-server with a real chain of trust.
 */
public final class TlsMaterial {
  private final Path dir;

  private TlsMaterial(Path dir) {
    this.dir = dir;
  }

  public static boolean opensslAvailable() {
    try {
      return run(Path.of("."), List.of("openssl", "version")) == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Generates a fresh CA and a server certificate signed by it, valid for 127.0.0.1 and localhost. */
  public static TlsMaterial generate() {
    return generate("IP:127.0.0.1,DNS:localhost");
  }

  /** As {@link #generate()}, with the certificate valid only for these subject alternative names. */
  public static TlsMaterial generate(String subjectAltNames) {
    try {
      Path dir = Files.createTempDirectory("local-redis-tls");
      Files.writeString(dir.resolve("san.ext"),
          "subjectAltName=" + subjectAltNames + "\nbasicConstraints=CA:FALSE\n", StandardCharsets.UTF_8);
      check(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
          "-subj", "/CN=local-redis test CA", "-keyout", "ca.key", "-out", "ca.crt");
      check(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes",
          "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
      check(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
      return new TlsMaterial(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  public Path serverCert() {
    return dir.resolve("server.crt");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  private static void check(Path dir, String... command) {
    int exit = run(dir, List.of(command));
    if (exit != 0) {
      throw new IllegalStateException("openssl failed (" + exit + "): " + String.join(" ", command));
    }
  }

  private static int run(Path dir, List<String> command) {
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("openssl timed out");
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("openssl not runnable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
