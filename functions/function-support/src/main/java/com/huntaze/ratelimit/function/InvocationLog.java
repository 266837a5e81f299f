package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/**
 * One structured JSON line per invocation: route, plan, decision, latency, Redis latency, error kind,
 * request id. Never a secret: callers put only the fields below.
 */
public final class InvocationLog {
  private final ObjectNode line = Json.object();
  private final long startNanos = System.nanoTime();

  public InvocationLog(String function, String requestId) {
    line.put("timestamp", Instant.now().toString());
    line.put("level", "INFO");
    line.put("function", function);
    line.put("requestId", requestId);
  }

  public InvocationLog put(String field, String value) {
    if (value != null) {
      line.put(field, value);
    }
    return this;
  }

  public InvocationLog put(String field, long value) {
    line.put(field, value);
    return this;
  }

  public InvocationLog put(String field, boolean value) {
    line.put(field, value);
    return this;
  }

  public InvocationLog put(String field, double value) {
    line.put(field, value);
    return this;
  }

  public InvocationLog level(String level) {
    line.put("level", level);
    return this;
  }

  public double elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }

  /** Writes the line (with the total latency) to the function's log. */
  public void emit(PrintStream out) {
    line.put("latencyMs", Math.round(elapsedMillis() * 1000) / 1000.0);
    out.println(Json.write(line));
  }
}
