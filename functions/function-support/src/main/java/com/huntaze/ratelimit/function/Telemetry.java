package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
 * <p>The document is written here with Jackson's streaming generator, in the shape the EMF library
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
  private static final JsonFactory JSON = new JsonFactory();

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

  private enum Unit {
    COUNT("Count"), MILLISECONDS("Milliseconds");

    private final String text;

    Unit(String text) {
      this.text = text;
    }
  }

  /** One metric of a document: its unit (the first one it was put with) and values in order. */
  private static final class Metric {
    private final Unit unit;
    private final List<Double> values = new ArrayList<>(1);

    private Metric(Unit unit) {
      this.unit = unit;
    }
  }

  /** The metrics of one invocation; {@link #flush()} once at the end. */
  public static final class Metrics {
    private final Telemetry telemetry;
    private final String function;
    private final long timestamp;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
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
      return put(name, 1, Unit.COUNT);
    }

    /** An amount of something (tokens, micro-dollars, leases), summed or averaged by CloudWatch. */
    public Metrics amount(String name, long value) {
      return put(name, value, Unit.COUNT);
    }

    public Metrics millis(String name, double value) {
      return put(name, value, Unit.MILLISECONDS);
    }

    /** A value CloudWatch cannot store (NaN, infinite) is left out: a metric never fails an invocation. */
    private Metrics put(String name, double value, Unit unit) {
      if (Double.isFinite(value)) {
        Metric metric = metrics.get(name);
        if (metric == null) {
          metric = new Metric(unit);
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
      List<Map<String, List<Double>>> batches = batches();
      if (batches.isEmpty()) {
        telemetry.documents.accept(document(Map.of(), allProperties));
      }
      for (Map<String, List<Double>> batch : batches) {
        telemetry.documents.accept(document(batch, allProperties));
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

    private String document(Map<String, List<Double>> batch, Map<String, Object> allProperties) {
      StringWriter text = new StringWriter(512);
      try (JsonGenerator json = JSON.createGenerator(text)) {
        json.writeStartObject();
        if (!batch.isEmpty()) {
          json.writeObjectFieldStart("_aws");
          json.writeNumberField("Timestamp", timestamp);
          json.writeArrayFieldStart("CloudWatchMetrics");
          json.writeStartObject();
          json.writeStringField("Namespace", NAMESPACE);
          json.writeArrayFieldStart("Metrics");
          for (String name : batch.keySet()) {
            json.writeStartObject();
            json.writeStringField("Name", name);
            json.writeStringField("Unit", metrics.get(name).unit.text);
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("Dimensions");
          json.writeStartArray();
          json.writeString("Function");
          json.writeEndArray();
          if (plan != null) {
            json.writeStartArray();
            json.writeString("Function");
            json.writeString("Plan");
            json.writeEndArray();
          }
          json.writeEndArray();
          json.writeEndObject();
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeStringField("Function", function);
        if (plan != null) {
          json.writeStringField("Plan", plan);
        }
        for (Map.Entry<String, Object> property : allProperties.entrySet()) {
          String name = property.getKey();
          if (!isMember(name)) {   // a dimension or a metric of the same name wins, as in the EMF library
            json.writeFieldName(name);
            writeValue(json, property.getValue());
          }
        }
        for (Map.Entry<String, List<Double>> metric : batch.entrySet()) {
          List<Double> values = metric.getValue();
          if (values.size() == 1) {
            json.writeNumberField(metric.getKey(), values.get(0));
          } else {
            json.writeArrayFieldStart(metric.getKey());
            for (double value : values) {
              json.writeNumber(value);
            }
            json.writeEndArray();
          }
        }
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException("writing to a string cannot fail", e);
      }
      return text.toString();
    }

    private boolean isMember(String name) {
      return name.equals("_aws") || name.equals("Function") || (plan != null && name.equals("Plan"))
          || metrics.containsKey(name);
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
      if (value == null) {
        json.writeNull();
      } else if (value instanceof Boolean b) {
        json.writeBoolean(b);
      } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        json.writeNumber(((Number) value).longValue());
      } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
        json.writeNumber(n.doubleValue());
      } else {
        json.writeString(String.valueOf(value));
      }
    }
  }
}
