package com.huntaze.ratelimit.acceptance;

import com.huntaze.ratelimit.localredis.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An npm package of the repository (clients/typescript) run with the machine's Node.js: its dependencies
 * installed by {@code npm ci} when they are missing or the lockfile changed, its scripts run with their
 * output copied to a log file and to stdout.
 */
final class NodeProject {
  static final int NODE_MAJOR_NEEDED = 20;
  /** SHA-256 of the package-lock.json that node_modules was installed from. */
  private static final String INSTALLED_LOCK = ".installed-package-lock.sha256";
  private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");

  private final Path directory;

  NodeProject(Path directory) {
    this.directory = directory;
  }

  /** Skips (a plain message) when Node.js 20+ with npm is missing; fails instead in CI. */
  static void requireNode() {
    String node = version("node");
    String npm = version("npm");
    Matcher major = NODE_VERSION.matcher(node == null ? "" : node);
    boolean recentNode = major.lookingAt() && Integer.parseInt(major.group(1)) >= NODE_MAJOR_NEEDED;
    Prerequisites.require(recentNode && npm != null, "the TypeScript client's tests need Node.js " + NODE_MAJOR_NEEDED
        + "+ with npm on PATH (found node " + (node == null ? "none" : node) + ", npm " + (npm == null ? "none" : npm) + ")");
  }

  /** npm ci, unless node_modules was installed from this very lockfile. */
  void installIfNeeded(Path log) {
    String lock = sha256(directory.resolve("package-lock.json"));
    Path marker = directory.resolve("node_modules").resolve(INSTALLED_LOCK);
    if (Files.isRegularFile(marker) && read(marker).equals(lock)) {
      System.out.println("clients/typescript: node_modules matches package-lock.json, no npm ci");
      return;
    }
    int exit = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), log, 10);
    if (exit != 0) {
      throw new AssertionError("npm ci failed in " + directory + " (exit " + exit + "); output in " + log);
    }
    try {
      Files.writeString(marker, lock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command in the package's directory; its output goes to {@code log} and to stdout. */
  int run(List<String> command, Map<String, String> environment, Path log, int timeoutMinutes) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    // the default credential chain must find the test pair, not a profile or session of this machine
    for (String name : List.of("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      builder.environment().remove(name);
    }
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(log.getParent());
      Process process = builder.start();
      try (PrintStream file = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
          BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        file.println("$ " + String.join(" ", command) + "   (in " + directory + ")");
        System.out.println("$ " + String.join(" ", command) + "   (in " + directory + ", output also in " + log + ")");
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          file.println(line);
          System.out.println(line);
        }
      }
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutMinutes + " minutes");
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** The first line `<tool> --version` prints, or null when the tool cannot run. */
  private static String version(String tool) {
    try {
      Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? output.lines().findFirst().orElse("") : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
