package com.huntaze.ratelimit.function.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.function.Telemetry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Telemetry whose EMF documents, exactly as the function would write them to stdout, are kept for
 * assertions. Each one is checked against the Embedded Metric Format specification as it is written
 * (a document CloudWatch would reject fails the test that wrote it): one JSON object without repeated
 * names; {@code _aws} with an integer Timestamp and metric directives, each with a namespace, at most 100
 * metrics whose names are members of the document holding a number or an array of at most 100 numbers
 * and whose units are CloudWatch units, and dimension sets of at most 30 names whose members are strings.
 */
public final class CapturedTelemetry {
  /** CloudWatch's units, as EMF spells them. */
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");

  private final List<String> documents = new ArrayList<>();
  private final Map<String, String> environment;

  public CapturedTelemetry() {
    this(Map.of());
  }

  /** {@code environment}: the process environment the function would see (its Lambda variables). */
  public CapturedTelemetry(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  public Telemetry telemetry() {
    return new Telemetry(this::accept, environment::get, Clock.systemUTC());
  }

  private synchronized void accept(String document) {
    List<String> violations = violations(document);
    if (!violations.isEmpty()) {
      throw new AssertionError("not a valid EMF document: " + String.join("; ", violations) + "\n" + document);
    }
    documents.add(document);
  }

  /** Every EMF document written so far, as written. */
  public synchronized List<String> rawDocuments() {
    return List.copyOf(documents);
  }

  /** Every EMF document written so far, parsed. */
  public synchronized List<JsonNode> documents() {
    List<JsonNode> parsed = new ArrayList<>();
    for (String document : documents) {
      parsed.add(parse(document));
    }
    return parsed;
  }

  /** Names of every metric in every document, sorted. */
  public List<String> metricNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode document : documents()) {
      for (JsonNode directive : document.path("_aws").path("CloudWatchMetrics")) {
        directive.path("Metrics").forEach(metric -> names.add(metric.path("Name").asText()));
      }
    }
    names.sort(null);
    return names;
  }

  /** The metric names of the last document, e.g. [RedisLatency, Allowed]. */
  public List<String> lastMetricNames() {
    List<JsonNode> all = documents();
    JsonNode last = all.get(all.size() - 1);
    List<String> names = new ArrayList<>();
    last.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    return names;
  }

  private static JsonNode parse(String document) {
    try {
      return TestJson.MAPPER.readTree(document);   // strict: a repeated name or trailing content fails
    } catch (IOException e) {
      throw new AssertionError("not one JSON object: " + e.getMessage() + "\n" + document, e);
    }
  }

  /** What makes {@code document} something CloudWatch would not turn into metrics; empty when valid. */
  public static List<String> violations(String document) {
    List<String> violations = new ArrayList<>();
    if (document.contains("\n")) {
      violations.add("a document is one line of the log");
    }
    JsonNode root;
    try {
      root = parse(document);
    } catch (AssertionError e) {
      violations.add(e.getMessage());
      return violations;
    }
    if (!root.isObject()) {
      violations.add("not a JSON object");
      return violations;
    }
    if (!root.has("_aws")) {
      return violations;   // properties only: a log line, not metrics
    }
    JsonNode aws = root.get("_aws");
    if (!aws.path("Timestamp").canConvertToExactIntegral() || aws.path("Timestamp").asLong() <= 0) {
      violations.add("_aws.Timestamp is not a positive integer (epoch milliseconds)");
    }
    JsonNode directives = aws.path("CloudWatchMetrics");
    if (!directives.isArray() || directives.isEmpty()) {
      violations.add("_aws.CloudWatchMetrics is not a non-empty array");
      return violations;
    }
    for (JsonNode directive : directives) {
      String namespace = directive.path("Namespace").asText("");
      if (!directive.path("Namespace").isTextual() || namespace.isEmpty() || namespace.length() > 1024) {
        violations.add("a directive has no Namespace of 1 to 1024 characters");
      }
      JsonNode dimensions = directive.path("Dimensions");
      if (!dimensions.isArray()) {
        violations.add("Dimensions is not an array");
      } else {
        for (JsonNode set : dimensions) {
          if (!set.isArray() || set.size() > 30) {
            violations.add("a dimension set is not an array of at most 30 names: " + set);
            continue;
          }
          Set<String> seen = new HashSet<>();
          for (JsonNode name : set) {
            if (!root.path(name.asText()).isTextual() || root.path(name.asText()).asText().isEmpty()) {
              violations.add("dimension " + name + " has no non-empty string value in the document");
            }
            if (!seen.add(name.asText())) {
              violations.add("dimension " + name + " twice in one set");
            }
          }
        }
      }
      JsonNode metrics = directive.path("Metrics");
      if (!metrics.isArray() || metrics.size() > 100) {
        violations.add("Metrics is not an array of at most 100 metrics");
        continue;
      }
      for (JsonNode metric : metrics) {
        String name = metric.path("Name").asText("");
        if (name.isEmpty() || name.length() > 1024) {
          violations.add("a metric has no Name of 1 to 1024 characters");
        }
        if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
          violations.add("metric " + name + " has unit " + metric.path("Unit") + ", not a CloudWatch unit");
        }
        JsonNode value = root.path(name);
        boolean number = value.isNumber();
        boolean numbers = value.isArray() && !value.isEmpty() && value.size() <= 100;
        if (numbers) {
          for (JsonNode element : value) {
            numbers &= element.isNumber();
          }
        }
        if (!number && !numbers) {
          violations.add("metric " + name + " has no number, nor array of 1 to 100 numbers, in the document");
        }
      }
    }
    return violations;
  }
}
