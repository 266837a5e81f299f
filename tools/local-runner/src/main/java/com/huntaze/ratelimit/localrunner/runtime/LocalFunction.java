package com.huntaze.ratelimit.localrunner.runtime;

import java.io.PrintStream;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import java.nio.file.Path;
import java.util.Map;

/**
 * A function of the template run locally: one warm execution environment serving one invocation at a
 * time (as one Lambda execution environment does), replaced by a new one when its process died, its
 * init failed or an invocation timed out.
 */
public final class LocalFunction implements AutoCloseable {
  private final FunctionDefinition definition;
  private final Map<String, String> environment;
  private final LambdaRuntimeFiles runtime;
  private final Path taskRoot;
  private final PrintStream log;
  private final String logPrefix;
  private volatile ExecutionEnvironment current;
  private volatile boolean closed;

  LocalFunction(FunctionDefinition definition, Map<String, String> environment, LambdaRuntimeFiles runtime,
      Path taskRoot, PrintStream log, String logPrefix) {
    this.definition = definition;
    this.environment = Map.copyOf(environment);
    this.runtime = runtime;
    this.taskRoot = taskRoot;
    this.log = log;
    this.logPrefix = logPrefix;
  }

  public FunctionDefinition definition() {
    return definition;
  }

  /** Starts the process now, so that its init is done before the first request. */
  public synchronized void warmUp() {
    usableEnvironment();
  }

  public synchronized InvocationResult invoke(byte[] event) {
    return usableEnvironment().invoke(event);
  }

  private ExecutionEnvironment usableEnvironment() {
    if (closed) {
      throw new IllegalStateException(definition.logicalId() + " is shut down");
    }
    ExecutionEnvironment existing = current;
    if (existing != null && existing.isUsable()) {
      return existing;
    }
    if (existing != null) {
      existing.close();
    }
    current = ExecutionEnvironment.start(definition, environment, runtime, taskRoot, log, logPrefix);
    return current;
  }

  /** Not synchronized: stops the process even while an invocation waits for it. */
  @Override
  public void close() {
    closed = true;
    ExecutionEnvironment existing = current;
    if (existing != null) {
      existing.close();
    }
  }
}
