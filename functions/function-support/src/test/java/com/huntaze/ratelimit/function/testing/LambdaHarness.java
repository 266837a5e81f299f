package com.huntaze.ratelimit.function.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.function.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Drives a handler the way the Lambda Java runtime does: events are read from the files in events/, and
 * answers written back, with the serializer the runtime interface client picks for the type (its
 * Lambda-event serializers for the event types it knows, else its Jackson factory), from the same
 * aws-lambda-java-serialization version the runtime interface client uses.
 */
public final class LambdaHarness {
  private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = serializerFor(APIGatewayV2HTTPEvent.class);
  private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES =
      serializerFor(APIGatewayV2HTTPResponse.class);

  private LambdaHarness() {
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

  /** The answer as the runtime would send it back to API Gateway. */
  public static String wireJson(APIGatewayV2HTTPResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RESPONSES.toJson(response, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  public static JsonNode body(APIGatewayV2HTTPResponse response) {
    try {
      return Json.MAPPER.readTree(response.getBody());
    } catch (IOException e) {
      throw new UncheckedIOException("body is not JSON: " + response.getBody(), e);
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
