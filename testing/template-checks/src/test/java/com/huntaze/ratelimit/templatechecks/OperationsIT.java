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
}
