package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Embedded Metric Format document of an invocation's {@link Telemetry.Metrics}: {@code _aws} with the
 * timestamp and one metric directive (namespace, dimension sets, metric names and units), then the dimension
 * values, the properties and each metric's value (an array when it was put more than once).
 */
final class EmfDocument {
  private static final JsonFactory JSON = new JsonFactory();

  enum Unit {
    COUNT("Count"), MILLISECONDS("Milliseconds");

    private final String text;

    Unit(String text) {
      this.text = text;
    }
  }

  /** One metric of a document: its unit (the first one it was put with) and values in order. */
  static final class Metric {
    private final Unit unit;
    final List<Double> values = new ArrayList<>(1);

    Metric(Unit unit) {
      this.unit = unit;
    }
  }

  private final long timestamp;
  private final String function;
  private final String plan;
  private final Map<String, Metric> metrics;

  /** {@code plan} null: the metrics are per function only. */
  EmfDocument(long timestamp, String function, String plan, Map<String, Metric> metrics) {
    this.timestamp = timestamp;
    this.function = function;
    this.plan = plan;
    this.metrics = metrics;
  }

  /** The document of one batch of the metrics (name to values), with these properties. */
  String write(Map<String, List<Double>> batch, Map<String, Object> properties) {
    StringWriter text = new StringWriter(512);
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      if (!batch.isEmpty()) {
        writeDirective(json, batch);
      }
      json.writeStringField("Function", function);
      if (plan != null) {
        json.writeStringField("Plan", plan);
      }
      for (Map.Entry<String, Object> property : properties.entrySet()) {
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

  private void writeDirective(JsonGenerator json, Map<String, List<Double>> batch) throws IOException {
    json.writeObjectFieldStart("_aws");
    json.writeNumberField("Timestamp", timestamp);
    json.writeArrayFieldStart("CloudWatchMetrics");
    json.writeStartObject();
    json.writeStringField("Namespace", Telemetry.NAMESPACE);
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
