package com.huntaze.ratelimit.function.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.Telemetry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Drives a handler the way the Lambda Java runtime does: events are read from the files in events/, and
 * answers written back, with the serializer the runtime interface client picks for the type (its
 * Lambda-event serializers for the event types it knows, else its Jackson factory), from the same
 * aws-lambda-java-serialization version the runtime interface client uses. The handler is made with
 * the harness's telemetry and log, so its log lines and metrics documents are captured.
 */
public final class LambdaHarness<H extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> {
  private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = serializerFor(APIGatewayV2HTTPEvent.class);
  private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES =
      serializerFor(APIGatewayV2HTTPResponse.class);
  /** Writes event files as ASCII, so that any body text (even an unpaired surrogate) survives as an escape. */
  private static final ObjectMapper EVENT_WRITER = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private final String functionName;
  private final CapturedTelemetry metrics = new CapturedTelemetry();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final H handler;
  private final List<String> bodies = new ArrayList<>();

  /** {@code handlerFactory} makes the handler from the telemetry and the log stream it must use. */
  public LambdaHarness(String functionName, BiFunction<Telemetry, PrintStream, H> handlerFactory) {
    this.functionName = functionName;
    this.handler = handlerFactory.apply(metrics.telemetry(), new PrintStream(logBytes, true, StandardCharsets.UTF_8));
  }

  public H handler() {
    return handler;
  }

  public CapturedTelemetry metrics() {
    return metrics;
  }

  /** One invocation's answer: status, headers, parsed body, the answer as sent back, how long it took. */
  public record Answer(APIGatewayV2HTTPResponse response, JsonNode body, String wire, Duration took) {
    public int status() {
      return response.getStatusCode();
    }

    public String header(String name) {
      return response.getHeaders().get(name);
    }
  }

  public Answer invoke(String eventFile) {
    return invoke(event(eventFile));
  }

  /** One invocation, request id {@code req-N} for the N-th invocation of this harness (from 0). */
  public Answer invoke(APIGatewayV2HTTPEvent event) {
    long start = System.nanoTime();
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext(functionName,
        "req-" + bodies.size()));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertNotNull(response.getBody(), "every answer has a body");
    assertFalse(response.getIsBase64Encoded());
    bodies.add(response.getBody());
    return new Answer(response, body(response), wireJson(response), took);
  }

  /** The JSON log lines written so far, parsed. */
  public List<JsonNode> logLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logBytes.toString(StandardCharsets.UTF_8).lines().toList()) {
      try {
        lines.add(TestJson.MAPPER.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("log line is not JSON: " + line, e);
      }
    }
    return lines;
  }

  /** The one log line of the last invocation; fails unless there is exactly one per invocation. */
  public JsonNode lastLogLine() {
    List<JsonNode> lines = logLines();
    assertEquals(bodies.size(), lines.size(), "one log line per invocation");
    return lines.get(lines.size() - 1);
  }

  /** Everything the function wrote anywhere: bodies, log lines, metrics documents. */
  public String everythingWritten() {
    return String.join("\n", bodies) + "\n" + logBytes.toString(StandardCharsets.UTF_8) + "\n"
        + String.join("\n", metrics.rawDocuments());
  }

  /** The runtime interface client's choice (EventHandlerLoader.getSerializer). */
  private static <T> PojoSerializer<T> serializerFor(Class<T> type) {
    if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
      return LambdaEventSerializers.serializerFor(type, LambdaHarness.class.getClassLoader());
    }
    return JacksonFactory.getInstance().getSerializer(type);
  }

  /** The project's events/ folder, found from any module's working directory. */
  public static Path eventsDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("events")) && Files.exists(dir.resolve("template.yaml"))) {
        return dir.resolve("events");
      }
    }
    throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
  }

  public static APIGatewayV2HTTPEvent event(String fileName) {
    try (InputStream in = Files.newInputStream(eventsDir().resolve(fileName))) {
      return EVENTS.fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An event given as JSON text (such as {@code {}} for a direct invocation), deserialized as the runtime does. */
  public static APIGatewayV2HTTPEvent eventFromJson(String json) {
    return EVENTS.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** An event file with another body, deserialized from JSON as the runtime would receive it. */
  public static APIGatewayV2HTTPEvent eventWithBody(String fileName, String body, boolean base64Encoded) {
    try {
      ObjectNode event = (ObjectNode) TestJson.MAPPER.readTree(eventsDir().resolve(fileName).toFile());
      event.put("body", body).put("isBase64Encoded", base64Encoded);
      return EVENTS.fromJson(new ByteArrayInputStream(EVENT_WRITER.writeValueAsBytes(event)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The answer as the runtime would send it back to API Gateway. */
  public static String wireJson(APIGatewayV2HTTPResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RESPONSES.toJson(response, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  public static JsonNode body(APIGatewayV2HTTPResponse response) {
    try {
      return TestJson.MAPPER.readTree(response.getBody());
    } catch (IOException e) {
      throw new AssertionError("body is not JSON: " + response.getBody(), e);
    }
  }

  public static Context context(String functionName) {
    return new TestContext(functionName, UUID.randomUUID().toString());
  }

  /** A Lambda context as the runtime fills it for one invocation. */
  public record TestContext(String functionName, String requestId) implements Context {
    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
      return "2026/11/26/[$LATEST]test";
    }

    @Override
    public String getFunctionName() {
      return functionName;
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 10_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.print(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
