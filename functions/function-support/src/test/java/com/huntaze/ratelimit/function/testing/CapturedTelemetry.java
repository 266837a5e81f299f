package com.huntaze.ratelimit.function.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.function.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/** Telemetry whose EMF documents, serialized by the EMF library itself, are kept for assertions. */
public final class CapturedTelemetry implements ISink, Environment {
  private final List<String> documents = new ArrayList<>();

  public Telemetry telemetry() {
    return new Telemetry(() -> new MetricsLogger(this));
  }

  /** Every EMF document written so far, as written. */
  public synchronized List<String> rawDocuments() {
    return List.copyOf(documents);
  }

  /** Every EMF document written so far, parsed. */
  public synchronized List<JsonNode> documents() {
    List<JsonNode> parsed = new ArrayList<>();
    for (String document : documents) {
      try {
        parsed.add(Json.MAPPER.readTree(document));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return parsed;
  }

  /** Names of every metric in every document, sorted (EMF does not keep the order they were put in). */
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

  @Override
  public synchronized void accept(MetricsContext context) {
    try {
      documents.addAll(context.serialize());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean probe() {
    return true;
  }

  @Override
  public String getName() {
    return "test";
  }

  @Override
  public String getType() {
    return "test";
  }

  @Override
  public String getLogGroupName() {
    return "test";
  }

  @Override
  public void configureContext(MetricsContext context) {
  }

  @Override
  public ISink getSink() {
    return this;
  }
}
