package com.huntaze.ratelimit.templatechecks;

import static com.huntaze.ratelimit.templatechecks.TemplateChecks.ref;
import static com.huntaze.ratelimit.templatechecks.TransformedTemplateIT.assertHolds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stack's operations (issue 11): dashboard, alarms, rollback, log retention and level, the endpoint, samconfig. */
class OperationsIT {
  static final List<String> PLACEHOLDER_TOPICS = List.of("arn:aws:sns:us-east-1:123456789012:REPLACE-ME",
      "REPLACE-ME", "arn:aws:sns:us-east-1:123456789012:alarms-REPLACE-ME-prod", "arn:aws:sns:REPLACE-ME");

  @BeforeEach
  void samTranslatorInstalled() {
    SamTranslator.require();
  }

  static List<Deployment> deployments() {
    return TransformedTemplateIT.deployments().toList();
  }

  @Test
  void theFunctionsTelemetryIsReadFromTheirCode() {
    EmittedTelemetry emitted = EmittedTelemetry.read();
    assertTrue(emitted.metrics().containsAll(Set.of("Allowed", "Denied", "WouldDeny", "Degraded", "DegradedDenied",
        "RedisLatency", "RedisErrors", "InvalidRequests", "InternalErrors", "RedisPingLatency", "ConnectionTestFailed")),
        emitted.metrics().toString());
    assertFalse(emitted.metrics().stream().anyMatch(m -> m.startsWith("ShadowDenied")), "built names are left out");
    assertEquals(Set.of("rate-check", "connection-test"), emitted.functions());
    assertTrue(emitted.properties().contains("redisErrorKind"), emitted.properties().toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void theDashboardGraphsWhatTheFunctionsEmitAndEverythingTheReadmePromises(Deployment deployment) {
    assertHolds(DashboardChecks.dashboardGaps(deployment.template(), EmittedTelemetry.read()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void everyAlarmNeedsSeveralBreachingPeriodsAndAlarmsOnRatesOfFailures(Deployment deployment) {
    CfnTemplate t = deployment.template();
    assertTrue(t.resources("AWS::CloudWatch::Alarm").size() >= 7, t.resources("AWS::CloudWatch::Alarm").keySet().toString());
    assertHolds(AlarmChecks.alarmsThatPageOnAStrayFailure(t));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void theCanaryIsRolledBackOnHandled500sAndApi5xx(Deployment deployment) {
    assertHolds(AlarmChecks.rollbackGaps(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void everyFunctionLogsToItsOwnLogGroupKeptForLogRetentionDays(Deployment deployment) {
    CfnTemplate t = deployment.template();
    assertEquals(t.resources("AWS::Lambda::Function").keySet(), LogChecks.functionLogGroups(t).keySet());
    assertHolds(LogChecks.retentionGaps(t));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void noLogLevelCanDropTheMetricsDocuments(Deployment deployment) {
    CfnTemplate t = deployment.template();
    assertHolds(LogChecks.levelsThatDropMetrics(t));
    assertTrue(t.parameterDeclaration("LogLevel").isMissingNode(), "LogLevel set nothing the functions read");
  }

  @Test
  void theSecretsManagerEndpointAdmitsOnlyHttpsFromTheFunctionsAndIsReadyBeforeThem() {
    CfnTemplate t = Deployment.secretAuthWithEndpoint().template();
    assertHolds(EndpointChecks.endpointGaps(t));
    assertHolds(TemplateChecks.cachePortOpenBeyondTheFunctions(t));
    assertEquals(List.of(), TemplateChecks.natResources(t), "the endpoint needs no NAT");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void noEndpointUnlessAskedFor(Deployment deployment) {
    if (!"true".equals(deployment.parameters().get("CreateSecretsManagerEndpoint"))) {
      assertEquals(List.of(), EndpointChecks.endpointResources(deployment.template()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void theFunctionsWaitForTheRouteTheyReadTheirSecretThrough(Deployment deployment) {
    CfnTemplate t = deployment.template();
    assertHolds(EndpointChecks.functionsNotWaitingForTheNetwork(t));
    if (t.condition("CreateNat")) {
      assertTrue(EndpointChecks.readinessRefs(t).contains(ref("FunctionDefaultRoute")), EndpointChecks.readinessRefs(t).toString());
    }
  }

  @Test
  void theAlarmTopicIsOptionalAndNeverAPlaceholder() {
    Pattern allowed = alarmTopicPattern();
    for (String placeholder : PLACEHOLDER_TOPICS) {
      assertFalse(allowed.matcher(placeholder).matches(), "CloudFormation would accept " + placeholder);
    }
    for (String accepted : List.of("", "arn:aws:sns:us-east-1:210987654321:ai-rate-limiter-alarms",
        "arn:aws-cn:sns:cn-north-1:210987654321:Alarms_Prod", "arn:aws-us-gov:sns:us-gov-west-1:210987654321:a")) {
      assertTrue(allowed.matcher(accepted).matches(), "CloudFormation would refuse " + accepted);
    }
    assertEquals("", TemplateJson.load(RepoRoot.template()).path("Parameters").path("AlarmTopicArn").path("Default").asText("x"));
  }

  /** The AllowedPattern as CloudFormation applies it: Java's regex engine, the whole value. */
  static Pattern alarmTopicPattern() {
    JsonNode parameter = TemplateJson.load(RepoRoot.template()).path("Parameters").path("AlarmTopicArn");
    assertTrue(parameter.has("AllowedPattern"), "AlarmTopicArn has no AllowedPattern: " + parameter);
    return Pattern.compile(parameter.path("AllowedPattern").asText());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  void samconfigEnvironmentsParseAndNeedNoNat(String environment) {
    Samconfig.require();
    Map<String, Map<String, String>> environments =
        Samconfig.deployParameters(Samconfig.read(RepoRoot.get().resolve("samconfig.toml")));
    Map<String, String> parameters = environments.get(environment);
    assertTrue(parameters != null, "samconfig.toml has no [" + environment + ".deploy.parameters]: " + environments.keySet());
    JsonNode declared = TemplateJson.load(RepoRoot.template()).path("Parameters");
    parameters.keySet().forEach(name -> assertTrue(declared.has(name), environment + " sets " + name + ", not a template parameter"));
    assertEquals("false", parameters.get("CreateNatGateway"), environment + " creates a NAT gateway");
    String auth = parameters.getOrDefault("RedisAuthMode", declared.path("RedisAuthMode").path("Default").asText());
    assertTrue(auth.equals("iam") || auth.equals("none") || "true".equals(parameters.get("CreateSecretsManagerEndpoint")),
        environment + ": RedisAuthMode " + auth + " without the Secrets Manager endpoint needs NAT");
    String topic = parameters.getOrDefault("AlarmTopicArn", "");
    assertTrue(alarmTopicPattern().matcher(topic).matches(), environment + ": AlarmTopicArn " + topic + " would be refused");

    CfnTemplate t = SamTranslator.projectTemplate(parameters);
    assertEquals(List.of(), TemplateChecks.natResources(t), environment + " still creates");
    assertHolds(TemplateChecks.cachePortOpenBeyondTheFunctions(t));
    if (auth.equals("secret")) {
      assertHolds(EndpointChecks.endpointGaps(t));
    }
  }
}
