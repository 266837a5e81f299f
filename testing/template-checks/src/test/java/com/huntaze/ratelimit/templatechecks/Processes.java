package com.huntaze.ratelimit.templatechecks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion (bounded in time), with its output and error output kept apart. */
final class Processes {
  private Processes() {
  }

  record Result(int exitCode, String stdout, String stderr) {
    /** Both streams, for a failure message. */
    String output() {
      return stdout + (stderr.isEmpty() ? "" : (stdout.isEmpty() ? "" : "\n") + stderr);
    }
  }

  static Result run(List<String> command, Path workingDirectory, Map<String, String> environment, String stdin,
      Duration timeout) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the command did not read its input: its exit code and output say why
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** True when the command starts and exits 0 (a tool is installed). */
  static boolean succeeds(List<String> command, Path workingDirectory) {
    try {
      return run(command, workingDirectory, Map.of(), "", Duration.ofSeconds(30)).exitCode() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
