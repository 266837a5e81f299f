package com.huntaze.ratelimit.localrunner.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The function's JVM: {@code java -cp <runtime jars> AWSLambda <Handler>} started in the task root with
 * nothing but the function's environment (no variables of the runner's own, so no AWS credentials),
 * its output forwarded line by line to the runner's log.
 */
final class FunctionProcess implements AutoCloseable {
  private final Process process;
  private final List<Thread> logForwarders;

  private FunctionProcess(Process process, List<Thread> logForwarders) {
    this.process = process;
    this.logForwarders = List.copyOf(logForwarders);
  }

  static FunctionProcess start(List<String> command, Path workingDirectory, Map<String, String> environment,
      PrintStream log, String logPrefix) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command.get(0), e);
    }
    return new FunctionProcess(process, List.of(
        forward(process.getInputStream(), log, logPrefix),
        forward(process.getErrorStream(), log, logPrefix)));
  }

  /**
   * The command line Lambda's Java runtime uses: heap, metaspace and code cache sized from the
   * function's memory (85% / 10% / 5%), serial GC.
   */
  static List<String> command(Path javaHome, LambdaRuntimeFiles runtime, String handler, int memorySizeMb) {
    long memoryKb = memorySizeMb * 1024L;
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.add("-XX:MaxHeapSize=" + Math.round(memoryKb * 0.85) + "k");
    command.add("-XX:MaxMetaspaceSize=" + Math.round(memoryKb * 0.10) + "k");
    command.add("-XX:ReservedCodeCacheSize=" + Math.round(memoryKb * 0.05) + "k");
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-D" + LambdaRuntimeFiles.JNI_PROPERTY + "=" + runtime.jniLibrary());
    command.add("-classpath");
    command.add(runtime.classpathString());
    command.add(LambdaRuntimeFiles.MAIN_CLASS);
    command.add(handler);
    return command;
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      for (Thread forwarder : logForwarders) {
        forwarder.join(1000); // print what the process wrote last, e.g. why its init failed
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread forward(InputStream output, PrintStream log, String prefix) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          log.println(prefix + line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "function-log");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
