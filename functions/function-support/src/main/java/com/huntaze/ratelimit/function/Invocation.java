package com.huntaze.ratelimit.function;

/**
 * What one invocation records: its Lambda request id, its JSON log line and its metrics document
 * (started on first use, so an invocation that measures nothing writes no document).
 */
public final class Invocation {
  private final String function;
  private final String requestId;
  private final Telemetry telemetry;
  private final InvocationLog log;
  private Telemetry.Metrics metrics;

  Invocation(String function, String requestId, Telemetry telemetry) {
    this.function = function;
    this.requestId = requestId;
    this.telemetry = telemetry;
    this.log = new InvocationLog(function, requestId);
  }

  /** The Lambda request id: the {@code instance} of a problem answer and the {@code requestId} of the log line. */
  public String requestId() {
    return requestId;
  }

  public InvocationLog log() {
    return log;
  }

  public Telemetry.Metrics metrics() {
    if (metrics == null) {
      metrics = telemetry.start(function);
    }
    return metrics;
  }

  void flushMetrics() {
    if (metrics != null) {
      metrics.flush();
    }
  }
}
