package com.huntaze.ratelimit.function;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * CloudWatch metrics in Embedded Metric Format: one metrics document per invocation, dimensioned by
 * function and, once known, by function and plan, written as one line to stdout, where Lambda's log
 * pipeline turns it into metrics; no network call is made.
 *
 * <p>The document is written by {@link EmfDocument} with Jackson's streaming generator, in the shape the EMF library
 * (aws-embedded-metrics, which this replaced: it loaded much of Jackson databind at start-up) wrote:
 * {@code _aws} with the timestamp and one metric directive (namespace, dimension sets, metric names and
 * units), then the dimension values, the properties (the library's Lambda ones: executionEnvironment,
 * functionVersion, logStreamId, and traceId when sampled) and each metric's value, an array when it was
 * put more than once. CloudWatch's limits are kept: at most 100 metrics per document and 100 values per
 * metric, more go into further documents.
 */
public final class Telemetry {
  public static final String NAMESPACE = "AiRateLimiter";
  static final int MAX_METRICS_PER_DOCUMENT = 100;
  static final int MAX_VALUES_PER_METRIC = 100;

  private final Consumer<String> documents;
  private final UnaryOperator<String> environment;
  private final Clock clock;

  /** Production: documents to stdout, the Lambda properties from the process environment. */
  public Telemetry() {
    this(System.out::println, System::getenv, Clock.systemUTC());
  }

  /**
   * Tests: each document (one JSON text) goes to {@code documents}; {@code environment} stands for the
   * process environment the Lambda properties are read from.
   */
  public Telemetry(Consumer<String> documents, UnaryOperator<String> environment, Clock clock) {
    this.documents = documents;
    this.environment = environment;
    this.clock = clock;
  }

  /** Metrics written nowhere: what a warm-up invocation measures must not reach CloudWatch. */
  public static Telemetry discarding() {
    return new Telemetry(document -> { }, name -> null, Clock.systemUTC());
  }

  /** Starts the metrics of one invocation. */
  public Metrics start(String function) {
    return new Metrics(this, function, clock.millis());
  }

  /** The properties the EMF library's Lambda environment added to every document. */
  private Map<String, String> lambdaProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    putIfSet(properties, "executionEnvironment", environment.apply("AWS_EXECUTION_ENV"));
    putIfSet(properties, "functionVersion", environment.apply("AWS_LAMBDA_FUNCTION_VERSION"));
    putIfSet(properties, "logStreamId", environment.apply("AWS_LAMBDA_LOG_STREAM_NAME"));
    String trace = environment.apply("_X_AMZN_TRACE_ID");
    if (trace != null && trace.contains("Sampled=1")) {
      properties.put("traceId", trace);
    }
    return properties;
  }

  private static void putIfSet(Map<String, String> properties, String name, String value) {
    if (value != null) {
      properties.put(name, value);
    }
  }

  /** The metrics of one invocation; {@link #flush()} once at the end. */
  public static final class Metrics {
    private final Telemetry telemetry;
    private final String function;
    private final long timestamp;
    private final Map<String, EmfDocument.Metric> metrics = new LinkedHashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private String plan;

    private Metrics(Telemetry telemetry, String function, long timestamp) {
      this.telemetry = telemetry;
      this.function = function;
      this.timestamp = timestamp;
    }

    /** From now on the metrics are per plan as well. */
    public Metrics plan(String plan) {
      this.plan = plan;
      return this;
    }

    public Metrics count(String name) {
      return put(name, 1, EmfDocument.Unit.COUNT);
    }

    /** An amount of something (tokens, micro-dollars, leases), summed or averaged by CloudWatch. */
    public Metrics amount(String name, long value) {
      return put(name, value, EmfDocument.Unit.COUNT);
    }

    public Metrics millis(String name, double value) {
      return put(name, value, EmfDocument.Unit.MILLISECONDS);
    }

    /** A value CloudWatch cannot store (NaN, infinite) is left out: a metric never fails an invocation. */
    private Metrics put(String name, double value, EmfDocument.Unit unit) {
      if (Double.isFinite(value)) {
        EmfDocument.Metric metric = metrics.get(name);
        if (metric == null) {
          metric = new EmfDocument.Metric(unit);
          metrics.put(name, metric);
        }
        metric.values.add(value);
      }
      return this;
    }

    public Metrics property(String name, Object value) {
      properties.put(name, value);
      return this;
    }

    /** Writes the document(s): more than one only past CloudWatch's limits per document. */
    public void flush() {
      Map<String, Object> allProperties = new LinkedHashMap<>(telemetry.lambdaProperties());
      allProperties.putAll(properties);
      EmfDocument document = new EmfDocument(timestamp, function, plan, metrics);
      List<Map<String, List<Double>>> batches = batches();
      if (batches.isEmpty()) {
        telemetry.documents.accept(document.write(Map.of(), allProperties));
      }
      for (Map<String, List<Double>> batch : batches) {
        telemetry.documents.accept(document.write(batch, allProperties));
      }
    }

    /** The metrics in batches of at most 100 names, each with at most 100 of its values. */
    private List<Map<String, List<Double>>> batches() {
      List<Map<String, List<Double>>> batches = new ArrayList<>();
      Map<String, Integer> written = new LinkedHashMap<>();
      for (String name : metrics.keySet()) {
        written.put(name, 0);
      }
      while (!written.isEmpty()) {
        Map<String, List<Double>> batch = new LinkedHashMap<>();
        for (var it = written.entrySet().iterator(); it.hasNext() && batch.size() < MAX_METRICS_PER_DOCUMENT; ) {
          Map.Entry<String, Integer> next = it.next();
          List<Double> values = metrics.get(next.getKey()).values;
          int to = Math.min(values.size(), next.getValue() + MAX_VALUES_PER_METRIC);
          batch.put(next.getKey(), values.subList(next.getValue(), to));
          if (to == values.size()) {
            it.remove();
          } else {
            next.setValue(to);
          }
        }
        batches.add(batch);
      }
      return batches;
    }
  }
}
