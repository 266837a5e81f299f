package com.huntaze.ratelimit.function.connectiontest;

import com.huntaze.ratelimit.function.testing.LambdaHarness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The deployment package as Lambda runs it: the handler string from template.yaml resolved in a class
 * loader holding only target/connection-test.jar, the event deserialized by Lambda's serializer with that
 * jar as the function's class loader (which needs joda-time inside the jar), the no-argument constructor.
 */
class PackagedHandlerIT {
  private static final Path JAR = Path.of("target/connection-test.jar");
  private static final String HANDLER = "com.huntaze.ratelimit.function.connectiontest.ConnectionTestHandler";
  private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";

  @Test
  void theShadedJarAnswersAnEventFileOnItsOwn() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "package first: " + JAR.toAbsolutePath());
    try (URLClassLoader function = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Object event = deserialize(function.loadClass(EVENT), function);

      Class<?> handlerClass = function.loadClass(HANDLER);
      Object handler = handlerClass.getConstructor().newInstance();
      Method handleRequest = handlerClass.getMethod("handleRequest", function.loadClass(EVENT),
          function.loadClass("com.amazonaws.services.lambda.runtime.Context"));
      Object response = handleRequest.invoke(handler, event, null);

      int status = (Integer) response.getClass().getMethod("getStatusCode").invoke(response);
      String body = (String) response.getClass().getMethod("getBody").invoke(response);
      assertNotNull(body);
      if (System.getenv("REDIS_HOST") == null) {
        // No Redis configured for this JVM: the diagnostic reports that instead of failing at init.
        assertEquals(503, status, body);
        assertTrue(body.contains("\"failedStep\":\"configuration\""), body);
      } else {
        assertTrue(status == 200 || status == 503, body);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object deserialize(Class<?> eventClass, ClassLoader function) throws Exception {
    PojoSerializer serializer = LambdaEventSerializers.serializerFor((Class) eventClass, function);
    try (InputStream in = Files.newInputStream(LambdaHarness.eventsDir().resolve("test-redis.json"))) {
      return serializer.fromJson(in);
    }
  }
}
