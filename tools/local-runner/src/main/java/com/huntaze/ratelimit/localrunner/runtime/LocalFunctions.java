package com.huntaze.ratelimit.localrunner.runtime;

import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Everything one local run needs for its functions: their unzipped task roots, the Lambda runtime files,
 * the Redis they use and one {@link LocalFunction} each. Closing it, or the JVM ending (Ctrl-C), stops the
 * processes and Redis and deletes the temp files.
 */
public final class LocalFunctions implements AutoCloseable {
  private final Path workDir;
  private final Thread shutdownHook = new Thread(this::close, "local-runner-cleanup");
  private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  private RedisForLocalRun redis;
  private boolean closed;

  private LocalFunctions(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * @param userVariables     the variables the user sets for a function (an --env-vars file), by logical id
   * @param runnerEnvironment the runner's own environment: only its REDIS_* variables reach the functions
   * @param prefixLogs        whether to start each forwarded log line with [LogicalId]
   */
  public static LocalFunctions prepare(List<FunctionDefinition> definitions,
      Function<String, Map<String, String>> userVariables,
      Map<String, String> runnerEnvironment, PrintStream log, boolean prefixLogs) {
    LocalFunctions run;
    try {
      run = new LocalFunctions(Files.createTempDirectory("local-runner").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(run.shutdownHook);
    try {
      run.start(definitions, userVariables, runnerEnvironment, log, prefixLogs);
      return run;
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /** Holds the lock throughout, so that a Ctrl-C meanwhile waits for it and then stops what it started. */
  private synchronized void start(List<FunctionDefinition> definitions,
      Function<String, Map<String, String>> userVariables,
      Map<String, String> runnerEnvironment, PrintStream log, boolean prefixLogs) {
    if (closed) {
      throw new IllegalStateException("Shutting down");
    }
    Map<String, Path> taskRoots = new LinkedHashMap<>();
    for (FunctionDefinition definition : definitions) {
      taskRoots.put(definition.logicalId(), TaskRoot.prepare(definition.logicalId(), definition.codeUri(),
          workDir.resolve("task-" + definition.logicalId())));
    }
    LambdaRuntimeFiles runtime = LambdaRuntimeFiles.locate(workDir);
    boolean needsRedis = definitions.stream().anyMatch(d -> d.declares("REDIS_HOST"));
    redis = RedisForLocalRun.choose(runnerEnvironment, needsRedis);
    log.println(redis.description());
    for (FunctionDefinition definition : definitions) {
      String id = definition.logicalId();
      functions.put(id, new LocalFunction(definition,
          functionEnvironment(definition, redis.variables(), userVariables.apply(id)),
          runtime, taskRoots.get(id), log, prefixLogs ? "[" + id + "] " : ""));
    }
  }

  /**
   * What a function sees besides Lambda's own variables: the template's environment, then the Redis
   * settings of this run, then the user's variables for it (the most explicit choice wins).
   */
  static Map<String, String> functionEnvironment(FunctionDefinition definition, Map<String, String> redis,
      Map<String, String> userVariables) {
    Map<String, String> environment = new LinkedHashMap<>(definition.environment());
    environment.putAll(redis);
    environment.putAll(userVariables);
    definition.unresolved().forEach((name, reason) -> {
      if (!environment.containsKey(name)) {
        throw new TemplateException(reason);
      }
    });
    return environment;
  }

  public synchronized LocalFunction get(String logicalId) {
    LocalFunction function = functions.get(logicalId);
    if (function == null) {
      throw new IllegalArgumentException("Not running: " + logicalId);
    }
    return function;
  }

  public synchronized List<LocalFunction> all() {
    return List.copyOf(functions.values());
  }

  /** Stops the function processes and Redis and deletes the temp files; safe to call more than once. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      functions.values().forEach(LocalFunction::close);
      if (redis != null) {
        redis.close();
      }
    }
    deleteRecursively(workDir);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this may be the hook itself
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temp directory (or already gone)
    }
  }
}
