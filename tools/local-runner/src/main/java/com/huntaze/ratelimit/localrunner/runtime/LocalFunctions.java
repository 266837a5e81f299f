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
   * @param runnerEnvironment the runner's own environment: only its REDIS_* variables reach the functions,
   *                          and only when it sets REDIS_HOST (else a local redis-server is started)
   * @param prefixLogs        whether to start each forwarded log line with [LogicalId]
   */
  public static LocalFunctions prepare(List<FunctionDefinition> definitions,
      Function<String, Map<String, String>> userVariables,
      Map<String, String> runnerEnvironment, PrintStream log, boolean prefixLogs) {
    return prepare(definitions, userVariables, RedisSource.fromEnvironment(runnerEnvironment), log, prefixLogs);
  }

  /** As above, with the Redis the run uses already chosen. */
  public static LocalFunctions prepare(List<FunctionDefinition> definitions,
      Function<String, Map<String, String>> userVariables, RedisSource redisSource, PrintStream log,
      boolean prefixLogs) {
    LocalFunctions run;
    try {
      run = new LocalFunctions(Files.createTempDirectory("local-runner").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(run.shutdownHook);
    try {
      run.start(definitions, userVariables, redisSource, log, prefixLogs);
      return run;
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /** Holds the lock throughout, so that a Ctrl-C meanwhile waits for it and then stops what it started. */
  private synchronized void start(List<FunctionDefinition> definitions,
      Function<String, Map<String, String>> userVariables, RedisSource redisSource, PrintStream log,
      boolean prefixLogs) {
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
    redis = RedisForLocalRun.choose(redisSource, needsRedis, workDir);
    log.println(redis.description());
    Map<String, String> firstUser = null;
    for (FunctionDefinition definition : definitions) {
      String id = definition.logicalId();
      Map<String, String> environment = functionEnvironment(definition, redis.variables(), userVariables.apply(id));
      functions.put(id, new LocalFunction(definition, environment, runtime, taskRoots.get(id), log,
          prefixLogs ? "[" + id + "] " : ""));
      if (firstUser == null && definition.declares("REDIS_HOST")) {
        firstUser = environment;
      }
    }
    if (firstUser != null && redisSource instanceof RedisSource.Named) {
      RedisForLocalRun.unreachable(firstUser).ifPresent(log::println);
    }
  }

  /**
   * What a function sees besides Lambda's own variables: the template's environment, then the Redis
   * settings of this run (when there are any, they replace every REDIS_* variable of the template: one
   * Redis, described once), then the user's variables for it (the most explicit choice wins).
   */
  static Map<String, String> functionEnvironment(FunctionDefinition definition, Map<String, String> redis,
      Map<String, String> userVariables) {
    boolean replacesRedis = !redis.isEmpty();
    Map<String, String> environment = new LinkedHashMap<>(definition.environment());
    if (replacesRedis) {
      environment.keySet().removeIf(LocalFunctions::isRedisVariable);
    }
    environment.putAll(redis);
    environment.putAll(userVariables);
    definition.unresolved().forEach((name, reason) -> {
      if (!environment.containsKey(name) && !(replacesRedis && isRedisVariable(name))) {
        throw new TemplateException(reason);
      }
    });
    return environment;
  }

  private static boolean isRedisVariable(String name) {
    return name.startsWith("REDIS_");
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
