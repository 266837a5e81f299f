package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.function.testing.CapturedTelemetry;
import com.huntaze.ratelimit.function.testing.LambdaHarness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.config.LimiterConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A handler configured from an environment map, as at init, with its log lines and metrics documents
 * captured; {@link #invoke} runs one invocation as Lambda would.
 */
final class Harness {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final CapturedTelemetry metrics = new CapturedTelemetry();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final ConnectionTestHandler handler;
  private final List<String> bodies = new ArrayList<>();

  Harness(Map<String, String> environment) {
    this(environment, Clock.systemUTC());
  }

  Harness(Map<String, String> environment, Clock clock) {
    handler = new ConnectionTestHandler(environment, metrics.telemetry(), clock, logStream());
  }

  /** A handler given settings already read, through the injecting constructor. */
  Harness(LimiterConfig config) {
    handler = new ConnectionTestHandler(config, metrics.telemetry(), Clock.systemUTC(), logStream());
  }

  private PrintStream logStream() {
    return new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  }

  /** The environment of a plain-text, password-less Redis at host:port, as template.yaml would set it. */
  static Map<String, String> plainEnvironment(String host, int port) {
    Map<String, String> environment = new HashMap<>();
    environment.put("REDIS_HOST", host);
    environment.put("REDIS_PORT", Integer.toString(port));
    environment.put("REDIS_TLS", "false");
    return environment;
  }

  /** One invocation's answer: status, headers, parsed body, how long it took. */
  record Answer(APIGatewayV2HTTPResponse response, JsonNode body, Duration took) {
    int status() {
      return response.getStatusCode();
    }

    String header(String name) {
      return response.getHeaders().get(name);
    }
  }

  Answer invoke(APIGatewayV2HTTPEvent event) {
    long start = System.nanoTime();
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new LambdaHarness.TestContext("ConnectionTestFunction", "req-" + bodies.size()));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertNotNull(response.getBody(), "every answer has a body");
    assertFalse(response.getIsBase64Encoded());
    bodies.add(response.getBody());
    try {
      return new Answer(response, MAPPER.readTree(response.getBody()), took);
    } catch (JsonProcessingException e) {
      throw new AssertionError("body is not JSON: " + response.getBody(), e);
    }
  }

  /** The JSON log lines written so far, parsed. */
  List<JsonNode> logLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logBytes.toString(StandardCharsets.UTF_8).lines().toList()) {
      try {
        lines.add(MAPPER.readTree(line));
      } catch (JsonProcessingException e) {
        throw new AssertionError("log line is not JSON: " + line, e);
      }
    }
    return lines;
  }

  /** The one log line of the last invocation; fails unless there is exactly one per invocation. */
  JsonNode lastLogLine() {
    List<JsonNode> lines = logLines();
    assertEquals(bodies.size(), lines.size(), "one log line per invocation");
    return lines.get(lines.size() - 1);
  }

  /** Everything the function wrote anywhere: bodies, log lines, metrics documents. */
  String everythingWritten() {
    return String.join("\n", bodies) + "\n" + logBytes.toString(StandardCharsets.UTF_8) + "\n"
        + String.join("\n", metrics.rawDocuments());
  }
}
