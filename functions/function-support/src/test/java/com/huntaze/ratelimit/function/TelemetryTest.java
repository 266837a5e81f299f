package com.huntaze.ratelimit.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.testing.CapturedTelemetry;
import com.huntaze.ratelimit.function.testing.TestJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * The EMF documents Telemetry writes itself: the same documents the EMF library (aws-embedded-metrics, a
 * test dependency only, as the reference) writes for the same calls, valid EMF, within CloudWatch's limits.
 */
class TelemetryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123Z");
  private final List<String> written = new ArrayList<>();

  private Telemetry telemetry(Map<String, String> environment) {
    return new Telemetry(written::add, environment::get, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private JsonNode only() {
    assertEquals(1, written.size(), written.toString());
    return parse(written.get(0));
  }

  private static JsonNode parse(String document) {
    try {
      return TestJson.MAPPER.readTree(document);
    } catch (IOException e) {
      throw new AssertionError(document, e);
    }
  }

  // ---- the same documents as the EMF library ---------------------------------------------------------

  /** The calls of one invocation, made on ours and on the library's logger alike. */
  private interface Calls {
    void on(Telemetry.Metrics ours, MetricsLogger library);
  }

  private void sameAsTheLibrary(String function, Calls calls) {
    Telemetry.Metrics ours = telemetry(Map.of()).start(function);
    LibraryCapture capture = new LibraryCapture();
    MetricsLogger library = new MetricsLogger(capture);
    library.setNamespace(Telemetry.NAMESPACE);
    library.setDimensions(DimensionSet.of("Function", function));
    calls.on(ours, library);
    ours.flush();
    library.flush();
    assertEquals(capture.documents.size(), written.size(), "documents: ours " + written + ", library's "
        + capture.documents);
    for (int i = 0; i < written.size(); i++) {
      assertEquals(comparable(capture.documents.get(i)), comparable(written.get(i)),
          "ours: " + written.get(i) + "\nlibrary's: " + capture.documents.get(i));
      assertEquals(List.of(), CapturedTelemetry.violations(written.get(i)));
    }
  }

  /** The document without its timestamp and with its metric definitions by name (the library hashes them). */
  private static JsonNode comparable(String document) {
    ObjectNode root = (ObjectNode) parse(document);
    if (root.has("_aws")) {
      ObjectNode aws = (ObjectNode) root.get("_aws");
      assertTrue(aws.get("Timestamp").isIntegralNumber(), document);
      aws.remove("Timestamp");
      for (JsonNode directive : aws.get("CloudWatchMetrics")) {
        ArrayNode metrics = (ArrayNode) directive.get("Metrics");
        List<JsonNode> sorted = StreamSupport.stream(metrics.spliterator(), false)
            .sorted(Comparator.comparing(m -> m.get("Name").asText())).toList();
        metrics.removeAll().addAll(sorted);
      }
    }
    return root;
  }

  @Test
  void aCountAndALatencyWithTheFunctionDimensionAreTheLibrarysDocument() {
    sameAsTheLibrary("connection-test", (ours, library) -> {
      ours.count("ConnectionTestSucceeded").millis("RedisPingLatency", 0.731);
      library.putMetric("ConnectionTestSucceeded", 1, Unit.COUNT);
      library.putMetric("RedisPingLatency", 0.731, Unit.MILLISECONDS);
    });
    JsonNode document = only();
    assertEquals(1, document.get("ConnectionTestSucceeded").asInt());
    assertEquals("[[\"Function\"]]", document.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
  }

  @Test
  void perPlanMetricsRepeatedMetricsAndPropertiesAreTheLibrarysDocument() {
    sameAsTheLibrary("rate-check", (ours, library) -> {
      ours.millis("RedisLatency", 1.25).plan("pro").count("Allowed").count("ShadowDenied-requests-per-hour")
          .count("ShadowDenied-requests-per-hour").amount("ReservedTokens", 5200).amount("ReservedMicroUsd", 43000)
          .property("redisErrorKind", "TIMEOUT").property("attempts", 2).property("retried", true);
      library.putMetric("RedisLatency", 1.25, Unit.MILLISECONDS);
      library.setDimensions(DimensionSet.of("Function", "rate-check"),
          DimensionSet.of("Function", "rate-check", "Plan", "pro"));
      library.putMetric("Allowed", 1, Unit.COUNT);
      library.putMetric("ShadowDenied-requests-per-hour", 1, Unit.COUNT);
      library.putMetric("ShadowDenied-requests-per-hour", 1, Unit.COUNT);
      library.putMetric("ReservedTokens", 5200, Unit.COUNT);
      library.putMetric("ReservedMicroUsd", 43000, Unit.COUNT);
      library.putProperty("redisErrorKind", "TIMEOUT");
      library.putProperty("attempts", 2);
      library.putProperty("retried", true);
    });
    JsonNode document = only();
    assertEquals(Telemetry.NAMESPACE, document.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    assertEquals("[[\"Function\"],[\"Function\",\"Plan\"]]", document.at("/_aws/CloudWatchMetrics/0/Dimensions")
        .toString());
    assertEquals("rate-check", document.get("Function").asText());
    assertEquals("pro", document.get("Plan").asText());
    assertEquals("[1.0,1.0]", document.get("ShadowDenied-requests-per-hour").toString());
    assertEquals(NOW.toEpochMilli(), document.at("/_aws/Timestamp").asLong());
  }

  @Test
  void propertiesWithoutMetricsAreTheLibrarysDocumentWithoutAws() {
    sameAsTheLibrary("connection-test", (ours, library) -> {
      ours.property("failedStep", "ping");
      library.putProperty("failedStep", "ping");
    });
    assertFalse(only().has("_aws"));
  }

  @Test
  void textThatNeedsEscapingIsTheLibrarysDocument() {
    sameAsTheLibrary("rate-check", (ours, library) -> {
      ours.count("Errors").property("error", "a \"quoted\"\nline\\ with \u00e9 and \u0001");
      library.putMetric("Errors", 1, Unit.COUNT);
      library.putProperty("error", "a \"quoted\"\nline\\ with \u00e9 and \u0001");
    });
    assertEquals("a \"quoted\"\nline\\ with \u00e9 and \u0001", only().get("error").asText());
    assertFalse(written.get(0).contains("\n"), "one line");
  }

  // ---- Lambda's properties ---------------------------------------------------------------------------

  @Test
  void theLambdaPropertiesOfTheLibrarysLambdaEnvironmentAreWritten() {
    Telemetry telemetry = telemetry(Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java21",
        "AWS_LAMBDA_FUNCTION_VERSION", "7", "AWS_LAMBDA_LOG_STREAM_NAME", "2026/03/01/[7]abc",
        "_X_AMZN_TRACE_ID", "Root=1-67a0c8f2-1f2e3d4c5b6a79880a1b2c3d;Parent=53995c3f42cd8ad8;Sampled=1"));
    telemetry.start("rate-check").count("Allowed").flush();
    JsonNode document = only();
    assertEquals("AWS_Lambda_java21", document.get("executionEnvironment").asText());
    assertEquals("7", document.get("functionVersion").asText());
    assertEquals("2026/03/01/[7]abc", document.get("logStreamId").asText());
    assertEquals("Root=1-67a0c8f2-1f2e3d4c5b6a79880a1b2c3d;Parent=53995c3f42cd8ad8;Sampled=1",
        document.get("traceId").asText());
  }

  @Test
  void anUnsampledTraceIsNotWritten() {
    telemetry(Map.of("_X_AMZN_TRACE_ID", "Root=1-67a0c8f2-1f2e3d4c5b6a79880a1b2c3d;Sampled=0"))
        .start("rate-check").count("Allowed").flush();
    assertFalse(only().has("traceId"));
  }

  @Test
  void aPropertyNamedLikeADimensionOrAMetricDoesNotRepeatTheName() {
    telemetry(Map.of()).start("rate-check").plan("pro").count("Allowed").property("Plan", "other")
        .property("Allowed", "x").property("Function", "y").flush();
    JsonNode document = only();   // parsing is strict: a repeated name would fail here
    assertEquals("pro", document.get("Plan").asText());
    assertEquals(1.0, document.get("Allowed").asDouble());
    assertEquals("rate-check", document.get("Function").asText());
  }

  // ---- CloudWatch's limits ---------------------------------------------------------------------------

  @Test
  void moreThan100MetricsGoIntoFurtherDocumentsEachValid() {
    Telemetry.Metrics metrics = telemetry(Map.of()).start("rate-check").plan("pro");
    for (int i = 0; i < 150; i++) {
      metrics.count("M" + i);
    }
    metrics.flush();
    assertEquals(2, written.size());
    List<String> names = new ArrayList<>();
    for (String document : written) {
      assertEquals(List.of(), CapturedTelemetry.violations(document));
      parse(document).at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> names.add(m.get("Name").asText()));
      assertEquals("pro", parse(document).get("Plan").asText());
    }
    assertEquals(150, names.size());
    assertEquals(150, names.stream().distinct().count());
  }

  @Test
  void moreThan100ValuesOfOneMetricGoIntoFurtherDocuments() {
    Telemetry.Metrics metrics = telemetry(Map.of()).start("rate-check");
    for (int i = 0; i < 250; i++) {
      metrics.millis("RedisLatency", i);
    }
    metrics.flush();
    assertEquals(3, written.size());
    double sum = 0;
    int count = 0;
    for (String document : written) {
      assertEquals(List.of(), CapturedTelemetry.violations(document));
      for (JsonNode value : parse(document).get("RedisLatency")) {
        sum += value.asDouble();
        count++;
      }
    }
    assertEquals(250, count);
    assertEquals(249 * 250 / 2.0, sum);
  }

  @Test
  void aValueCloudWatchCannotStoreIsLeftOut() {
    telemetry(Map.of()).start("rate-check").millis("RedisLatency", Double.NaN).millis("RedisLatency", 2.5)
        .millis("Other", Double.POSITIVE_INFINITY).flush();
    JsonNode document = only();
    assertEquals(2.5, document.get("RedisLatency").asDouble());
    assertFalse(document.has("Other"));
    assertEquals(List.of(), CapturedTelemetry.violations(written.get(0)));
  }

  // ---- the harness's check catches what CloudWatch would reject -----------------------------------

  @Test
  void theHarnessRefusesDocumentsCloudWatchWouldReject() {
    String valid = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Metrics\":"
        + "[{\"Name\":\"A\",\"Unit\":\"Count\"}],\"Dimensions\":[[\"Function\"]]}]},\"Function\":\"f\",\"A\":1}";
    assertEquals(List.of(), CapturedTelemetry.violations(valid));
    assertViolation(valid.replace(",\"A\":1", ""), "metric A has no number");
    assertViolation(valid.replace("\"A\":1", "\"A\":\"1\""), "metric A has no number");
    assertViolation(valid.replace("\"Count\"", "\"Counts\""), "not a CloudWatch unit");
    assertViolation(valid.replace("\"Function\":\"f\",", ""), "dimension \"Function\" has no non-empty string");
    assertViolation(valid.replace("\"Timestamp\":1", "\"Timestamp\":\"now\""), "Timestamp");
    assertViolation(valid.replace("\"Namespace\":\"N\",", ""), "Namespace");
    assertViolation(valid.replace("\"A\":1}", "\"A\":1,\"A\":2}"), "not one JSON object");
    assertViolation(valid.replace("\"A\":1}", "\"A\":1}\n"), "one line");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      many.append(i == 0 ? "" : ",").append("{\"Name\":\"A\"}");
    }
    assertViolation(valid.replace("{\"Name\":\"A\",\"Unit\":\"Count\"}", many), "at most 100 metrics");
  }

  private static void assertViolation(String document, String fragment) {
    String all = String.join("; ", CapturedTelemetry.violations(document));
    assertTrue(all.contains(fragment), "expected a violation with \"" + fragment + "\", got: " + all);
  }

  @Test
  void theHarnessKeepsOnlyValidDocumentsAndFailsOnOthers() {
    CapturedTelemetry captured = new CapturedTelemetry();
    captured.telemetry().start("rate-check").count("Allowed").flush();
    assertEquals(List.of("Allowed"), captured.metricNames());
    Telemetry.Metrics unnamed = captured.telemetry().start("rate-check").count("");
    assertThrows(AssertionError.class, unnamed::flush);
    Telemetry.Metrics noPlan = captured.telemetry().start("rate-check").plan("").count("Allowed");
    assertThrows(AssertionError.class, noPlan::flush);
    assertEquals(1, captured.rawDocuments().size(), "only the valid document is kept");
  }

  /** The EMF library's own serialization, kept in memory: the reference our documents are compared with. */
  private static final class LibraryCapture implements Environment, ISink {
    private final List<String> documents = new ArrayList<>();

    @Override
    public void accept(MetricsContext context) {
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
}
