package com.huntaze.ratelimit.function;

import java.util.function.Supplier;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * CloudWatch metrics in Embedded Metric Format, through the EMF library: one metrics document per
 * invocation, dimensioned by plan. The Lambda environment writes it to stdout, where Lambda's log
 * pipeline turns it into metrics; no network call is made.
 */
public final class Telemetry {
  public static final String NAMESPACE = "AiRateLimiter";

  private final Supplier<MetricsLogger> loggers;

  /** Production: the Lambda environment (stdout), never probed over the network. */
  public Telemetry() {
    this(() -> new MetricsLogger(new LambdaEnvironment()));
  }

  /** Tests: metrics documents go wherever the given loggers send them. */
  public Telemetry(Supplier<MetricsLogger> loggers) {
    this.loggers = loggers;
  }

  /** Starts the metrics of one invocation. */
  public Metrics start(String function) {
    MetricsLogger logger = loggers.get();
    logger.setNamespace(NAMESPACE);
    logger.setDimensions(DimensionSet.of("Function", function));
    return new Metrics(logger, function);
  }

  /** The metrics of one invocation; {@link #flush()} once at the end. */
  public static final class Metrics {
    private final MetricsLogger logger;
    private final String function;

    private Metrics(MetricsLogger logger, String function) {
      this.logger = logger;
      this.function = function;
    }

    /** From now on the metrics are per plan as well. */
    public Metrics plan(String plan) {
      logger.setDimensions(DimensionSet.of("Function", function), DimensionSet.of("Function", function, "Plan", plan));
      return this;
    }

    public Metrics count(String name) {
      logger.putMetric(name, 1, Unit.COUNT);
      return this;
    }

    /** An amount of something (tokens, micro-dollars, leases), summed or averaged by CloudWatch. */
    public Metrics amount(String name, long value) {
      logger.putMetric(name, value, Unit.COUNT);
      return this;
    }

    public Metrics millis(String name, double value) {
      logger.putMetric(name, value, Unit.MILLISECONDS);
      return this;
    }

    public Metrics property(String name, Object value) {
      logger.putProperty(name, value);
      return this;
    }

    public void flush() {
      logger.flush();
    }
  }
}
