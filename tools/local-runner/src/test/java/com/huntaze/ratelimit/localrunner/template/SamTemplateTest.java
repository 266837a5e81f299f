package com.huntaze.ratelimit.localrunner.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamTemplateTest {
  private static final Path ROOT = Path.of("/repo");
  private final SamTemplate template = SamTemplate.parse(resource("sam-template.yaml"), ROOT);

  @Test
  void listsTheFunctionsOnly() {
    assertEquals(List.of("RateCheckFunction", "ConnectionTestFunction", "ApiUrlFunction", "KeyFunction"),
        template.functionIds());
  }

  @Test
  void readsAFunctionWithGlobalsApplied() {
    FunctionDefinition function = template.function("RateCheckFunction", Map.of());

    assertEquals("RateCheckFunction", function.logicalId());
    assertEquals(ROOT.resolve("functions/rate-check/target/rate-check.jar"), function.codeUri());
    assertEquals("com.huntaze.ratelimit.function.ratecheck.RateCheckHandler::handleRequest", function.handler());
    assertEquals("java21", function.runtime());
    assertEquals(10, function.timeoutSeconds());
    assertEquals(1024, function.memorySizeMb());
  }

  @Test
  void functionPropertiesWinOverGlobals() {
    FunctionDefinition function = template.function("ConnectionTestFunction", Map.of());

    assertEquals(30, function.timeoutSeconds());
    assertEquals(512, function.memorySizeMb());
  }

  @Test
  void resolvesTheEnvironmentWithParameterDefaults() {
    Map<String, String> environment = template.function("RateCheckFunction", Map.of()).environment();

    assertEquals("localhost", environment.get("REDIS_HOST"));
    assertEquals("6379", environment.get("REDIS_PORT"));
    assertEquals("true", environment.get("REDIS_TLS"));
    assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", environment.get("JAVA_TOOL_OPTIONS"));
    assertEquals("debug", environment.get("LOG_LEVEL"), "the function's variable wins over Globals");
    assertEquals("relaxed", environment.get("MODE"));
    assertEquals("yes", environment.get("DEV_OR_TEST"));
    assertEquals("no", environment.get("PROD_WITH_PLANS"));
    assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/dev-queue", environment.get("QUEUE_URL"));
    assertEquals("${NotAVariable}", environment.get("LITERAL"));
    assertEquals("dev-rl-1", environment.get("JOINED"));
    assertEquals("true", environment.get("ENABLED"));
  }

  @Test
  void aNoValueVariableIsLeftOut() {
    Map<String, String> environment = template.function("RateCheckFunction", Map.of()).environment();

    assertFalse(environment.containsKey("RATE_LIMIT_PLANS"));
  }

  @Test
  void parameterOverridesWinOverDefaultsAndDriveConditions() {
    Map<String, String> environment = template.function("RateCheckFunction",
        Map.of("PlanDocument", "{\"plans\":[]}", "Stage", "prod", "RedisTls", "false")).environment();

    assertEquals("{\"plans\":[]}", environment.get("RATE_LIMIT_PLANS"));
    assertEquals("strict", environment.get("MODE"));
    assertEquals("no", environment.get("DEV_OR_TEST"));
    assertEquals("yes", environment.get("PROD_WITH_PLANS"));
    assertEquals("false", environment.get("REDIS_TLS"));
    assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/prod-queue", environment.get("QUEUE_URL"));
  }

  @Test
  void anOverrideOutsideAllowedValuesIsRejected() {
    TemplateException error = assertThrows(TemplateException.class,
        () -> template.function("RateCheckFunction", Map.of("RedisTls", "maybe")));

    assertTrue(error.getMessage().contains("RedisTls=maybe"), error.getMessage());
  }

  @Test
  void anOverrideOfAnUnknownParameterIsRejected() {
    TemplateException error = assertThrows(TemplateException.class,
        () -> template.function("RateCheckFunction", Map.of("RedisHost", "x")));

    assertTrue(error.getMessage().contains("no parameter 'RedisHost'"), error.getMessage());
  }

  @Test
  void anUnresolvableVariableIsSetAsideWithAReasonNamingTheFunctionAndTheVariable() {
    FunctionDefinition function = template.function("ApiUrlFunction", Map.of());

    assertFalse(function.environment().containsKey("API_URL"));
    String reason = function.unresolved().get("API_URL");
    assertTrue(reason.startsWith("ApiUrlFunction: environment variable API_URL: Fn::GetAtt"), reason);
  }

  @Test
  void aParameterWithoutDefaultLeavesItsVariableUnresolvedUntilItIsOverridden() {
    String reason = template.function("KeyFunction", Map.of()).unresolved().get("API_KEY");

    assertTrue(reason.contains("KeyFunction: environment variable API_KEY"), reason);
    assertTrue(reason.contains("--parameter-overrides ApiKey="), reason);
    assertEquals("secret", template.function("KeyFunction", Map.of("ApiKey", "secret")).environment().get("API_KEY"));
  }

  @Test
  void anUnknownFunctionIsAClearError() {
    TemplateException error = assertThrows(TemplateException.class,
        () -> template.function("NoSuchFunction", Map.of()));

    assertTrue(error.getMessage().contains("RateCheckFunction"), error.getMessage());
  }

  @Test
  void readsHttpApiEventsOnly() {
    assertEquals(List.of(
            new HttpRoute("POST", "/v1/check", "RateCheckFunction"),
            new HttpRoute("GET", "/v1/limits/{creatorId}", "RateCheckFunction"),
            new HttpRoute("ANY", "/v1/{proxy+}", "RateCheckFunction")),
        template.function("RateCheckFunction", Map.of()).routes());
    assertEquals(List.of(new HttpRoute("ANY", "$default", "ConnectionTestFunction")),
        template.function("ConnectionTestFunction", Map.of()).routes());
    assertEquals("POST /v1/check", new HttpRoute("post", "/v1/check", "F").routeKey());
  }

  @Test
  void routesCanBeReadWithoutResolvingTheRestOfAFunction() {
    assertEquals(List.of(), template.routes("ApiUrlFunction"), "its unresolvable environment is not touched");
    assertEquals(3, template.routes("RateCheckFunction").size());
  }

  @Test
  void readsHandlerAndRuntimeFromGlobalsWhenAFunctionOmitsThem() {
    SamTemplate fromGlobals = SamTemplate.parse("""
        Globals:
          Function: {Runtime: java17, Handler: a.B::handle}
        Resources:
          F:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: f.jar}
        """, ROOT);

    FunctionDefinition function = fromGlobals.function("F", Map.of());
    assertEquals("a.B::handle", function.handler());
    assertEquals("java17", function.runtime());
  }

  private static String resource(String name) {
    try (InputStream in = SamTemplateTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
