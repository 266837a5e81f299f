package com.huntaze.ratelimit.localrunner.runtime;

import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.PseudoParameters;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment: a Runtime API and the function process that polls it. It runs one
 * invocation at a time; after a timeout it is gone (the process is killed), as in Lambda.
 */
final class ExecutionEnvironment implements AutoCloseable {
  /** Lambda gives a function's init phase 10 seconds. */
  private static final long INIT_LIMIT_MILLIS = 10_000;

  private final FunctionDefinition function;
  private final RuntimeApiServer api;
  private final FunctionProcess process;
  private final PrintStream log;
  private final String logPrefix;
  private final long startedNanos = System.nanoTime();
  private boolean initReported;

  private ExecutionEnvironment(FunctionDefinition function, RuntimeApiServer api, FunctionProcess process,
      PrintStream log, String logPrefix) {
    this.function = function;
    this.api = api;
    this.process = process;
    this.log = log;
    this.logPrefix = logPrefix;
  }

  /**
   * Starts the function's process (its init runs right away). {@code functionEnvironment} is what the
   * function sees besides the variables Lambda itself sets.
   */
  static ExecutionEnvironment start(FunctionDefinition function, Map<String, String> functionEnvironment,
      LambdaRuntimeFiles runtime, Path taskRoot, PrintStream log, String logPrefix) {
    RuntimeApiServer api;
    try {
      api = RuntimeApiServer.start(function.logicalId(), function.timeoutSeconds());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Runtime API for " + function.logicalId(), e);
    }
    Map<String, String> environment = new LinkedHashMap<>(functionEnvironment);
    environment.putAll(lambdaVariables(function, api.address(), taskRoot, runtime));
    FunctionProcess process;
    try {
      process = FunctionProcess.start(
          FunctionProcess.command(Path.of(System.getProperty("java.home")), runtime, function.handler(),
              function.memorySizeMb()),
          taskRoot, environment, log, logPrefix);
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    process.onExit().thenAccept(exited -> api.fail(InvocationResult.error("Runtime.ExitError",
        "Runtime exited with error: exit status " + exited.exitValue())));
    return new ExecutionEnvironment(function, api, process, log, logPrefix);
  }

  /** The variables Lambda sets for every function (they win over the function's own). */
  static Map<String, String> lambdaVariables(FunctionDefinition function, String runtimeApi, Path taskRoot,
      LambdaRuntimeFiles runtime) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    variables.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
    variables.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySizeMb()));
    variables.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
    variables.put("AWS_LAMBDA_LOG_STREAM_NAME",
        LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT))
            + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
    variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    variables.put("AWS_REGION", PseudoParameters.REGION);
    variables.put("AWS_DEFAULT_REGION", PseudoParameters.REGION);
    variables.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
    variables.put("_HANDLER", function.handler());
    variables.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    variables.put("LAMBDA_RUNTIME_DIR", runtime.classpath().get(0).getParent().toString());
    variables.put("TZ", ":UTC");
    variables.put("LANG", "en_US.UTF-8");
    variables.put("PATH", "/usr/local/bin:/usr/bin:/bin:/opt/bin");
    return variables;
  }

  /** False once the process died or its init failed: the next invocation needs a new environment. */
  boolean isUsable() {
    return process.isAlive() && !api.failed();
  }

  InvocationResult invoke(byte[] event) {
    String requestId = UUID.randomUUID().toString();
    log.println(logPrefix + "START RequestId: " + requestId + " Version: $LATEST");
    long submitted = System.nanoTime();
    Invocation invocation = new Invocation(requestId, event);
    api.submit(invocation);
    InvocationResult result = await(invocation);
    // like Lambda's Duration, without the init of a cold process
    double millis = (System.nanoTime() - Math.max(submitted, api.firstPoll().getNow(submitted))) / 1e6;
    log.println(logPrefix + "END RequestId: " + requestId);
    log.println(logPrefix + String.format(Locale.ROOT,
        "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB%s",
        requestId, millis, (long) Math.ceil(millis), function.memorySizeMb(), initDuration()));
    return result;
  }

  private InvocationResult await(Invocation invocation) {
    long timeoutMillis = function.timeoutSeconds() * 1000L;
    try {
      // a cold process first runs its init, then asks for the event
      CompletableFuture.anyOf(invocation.deadline(), invocation.result())
          .get(INIT_LIMIT_MILLIS + timeoutMillis, TimeUnit.MILLISECONDS);
      if (invocation.result().isDone()) {
        return invocation.result().join();
      }
      long remaining = invocation.deadline().join() - System.currentTimeMillis();
      return invocation.result().get(Math.max(0, remaining), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close(); // Lambda ends the environment of a timed-out invocation
      return InvocationResult.error("Sandbox.Timedout", String.format(Locale.ROOT,
          "RequestId: %s Error: Task timed out after %.2f seconds", invocation.requestId(),
          (double) function.timeoutSeconds()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      return InvocationResult.error("Runtime.Interrupted", "The local runner was interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** "\tInit Duration: ..." on the first REPORT of this environment, as Lambda reports cold starts. */
  private String initDuration() {
    if (initReported || !api.firstPoll().isDone()) {
      return "";
    }
    initReported = true;
    return String.format(Locale.ROOT, "\tInit Duration: %.2f ms", (api.firstPoll().join() - startedNanos) / 1e6);
  }

  @Override
  public void close() {
    process.close();
    api.close();
  }
}
