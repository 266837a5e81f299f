package com.huntaze.ratelimit.templatechecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every check of {@link OperationsIT} fails on a copy of template.yaml broken in the way it guards against. */
class OperationsCatchMutationsIT {
  private static ObjectNode original;

  @BeforeAll
  static void load() {
    original = TemplateJson.load(RepoRoot.template());
  }

  @BeforeEach
  void samTranslatorInstalled() {
    SamTranslator.require();
  }

  /** Holds on template.yaml, fails on the mutated copy with messages containing every fragment. */
  private static void caught(Map<String, String> parameters, Consumer<ObjectNode> mutation,
      Function<CfnTemplate, List<String>> check, String... fragments) {
    assertEquals(List.of(), check.apply(SamTranslator.projectTemplate(parameters)), "holds on template.yaml");
    ObjectNode copy = original.deepCopy();
    mutation.accept(copy);
    String all = String.join("\n", check.apply(SamTranslator.transform(copy, parameters)));
    for (String fragment : fragments) {
      assertTrue(all.contains(fragment), "expected a violation mentioning \"" + fragment + "\", got:\n" + all);
    }
  }

  private static void caught(Consumer<ObjectNode> mutation, Function<CfnTemplate, List<String>> check, String... fragments) {
    caught(Deployment.secretAuthWithEndpoint().parameters(), mutation, check, fragments);
  }

  private static ObjectNode resource(ObjectNode template, String name) {
    return (ObjectNode) template.path("Resources").path(name);
  }

  private static ObjectNode properties(ObjectNode template, String name) {
    return (ObjectNode) resource(template, name).path("Properties");
  }

  private static void editDashboard(ObjectNode template, String from, String to) {
    ObjectNode body = (ObjectNode) properties(template, "Dashboard").path("DashboardBody");
    String text = body.path("Fn::Sub").asText();
    assertTrue(text.contains(from), from);
    body.put("Fn::Sub", text.replace(from, to));
  }

  private static List<String> dashboard(CfnTemplate t) {
    return DashboardChecks.dashboardGaps(t, EmittedTelemetry.read());
  }

  @Test
  void catchesADashboardMetricTheFunctionsDoNotEmit() {
    caught(t -> editDashboard(t, "MetricName=\\\"Allowed\\\"", "MetricName=\\\"Allows\\\""),
        OperationsCatchMutationsIT::dashboard, "emit no metric Allows", "does not show AiRateLimiter Allowed per plan");
  }

  @Test
  void catchesADashboardDimensionTheFunctionsDoNotEmit() {
    caught(t -> editDashboard(t, "\"RedisLatency\", \"Function\", \"rate-check\", {\"stat\": \"p99\"",
            "\"RedisLatency\", \"FunctionName\", \"rate-check\", {\"stat\": \"p99\""),
        OperationsCatchMutationsIT::dashboard, "emit dimension sets", "RedisLatency");
  }

  @Test
  void catchesRedisErrorsByAFieldNoDocumentHolds() {
    caught(t -> editDashboard(t, "by redisErrorKind", "by errorType"),
        OperationsCatchMutationsIT::dashboard, "reads field errorType", "log RedisErrors by redisErrorKind");
  }

  @Test
  void catchesAnAlarmThatFiresOnOneMinute() {
    caught(t -> properties(t, "RateCheckDurationAlarm").put("EvaluationPeriods", 1).remove("DatapointsToAlarm"),
        AlarmChecks::alarmsThatPageOnAStrayFailure, "RateCheckDurationAlarm alarms on 1 of 1 periods");
  }

  @Test
  void catchesAnAlarmOnACountOfErrorsAboveZero() {
    caught(t -> {
      ObjectNode alarm = properties(t, "ConnectionTestErrorsAlarm");
      alarm.remove("Metrics");
      alarm.put("Namespace", "AWS/Lambda").put("MetricName", "Errors").put("Statistic", "Sum").put("Period", 60)
          .put("Threshold", 0);
      alarm.putArray("Dimensions").addObject().put("Name", "FunctionName")
          .set("Value", TemplateChecks.ref("ConnectionTestFunction"));
    }, AlarmChecks::alarmsThatPageOnAStrayFailure, "ConnectionTestErrorsAlarm alarms on a count of failures");
  }

  @Test
  void catchesACanaryNotRolledBackOnHandled500sOrApi5xx() {
    caught(t -> {
      ArrayNode alarms = (ArrayNode) properties(t, "RateCheckFunction").path("DeploymentPreference").path("Alarms");
      for (int i = alarms.size() - 1; i >= 0; i--) {
        String alarm = alarms.get(i).toString();
        if (alarm.contains("InternalErrors") || alarm.contains("api-5xx")) {
          alarms.remove(i);
        }
      }
    }, AlarmChecks::rollbackGaps, "handled 500 answers", "HttpApi 5xx");
  }

  @Test
  void catchesAFunctionLoggingToLambdasOwnLogGroup() {
    caught(t -> ((ObjectNode) properties(t, "ConnectionTestFunction")).remove("LoggingConfig"),
        LogChecks::retentionGaps, "ConnectionTestFunction logs to a log group outside the template");
  }

  @Test
  void catchesALogGroupWithItsOwnRetentionOrAnotherName() {
    caught(t -> {
      properties(t, "HttpApiAccessLogs").put("RetentionInDays", 30);
      properties(t, "RateCheckLogGroup").putObject("LogGroupName").put("Fn::Sub", "/aws/lambda/rate-check");
    }, LogChecks::retentionGaps, "HttpApiAccessLogs keeps its logs 30", "RateCheckLogGroup is named");
  }

  @Test
  void catchesALogLevelThatWouldDropTheMetrics() {
    caught(t -> ((ObjectNode) t.path("Globals").path("Function").path("LoggingConfig")).put("ApplicationLogLevel", "WARN"),
        LogChecks::levelsThatDropMetrics, "RateCheckFunction filters application logs at \"WARN\"");
  }

  @Test
  void catchesTheEndpointOpenToMoreThanHttpsFromTheFunctions() {
    caught(t -> properties(t, "SecretsManagerEndpointIngress").put("ToPort", 65535),
        EndpointChecks::endpointGaps, "admits more than tcp 443");
    caught(t -> {
      ObjectNode rule = properties(t, "SecretsManagerEndpointIngress");
      rule.remove("SourceSecurityGroupId");
      rule.put("CidrIp", "10.0.0.0/8");
    }, EndpointChecks::endpointGaps, "admits more than tcp 443 from FunctionSecurityGroup");
  }

  @Test
  void catchesAnEndpointWithoutPrivateDnsOrOutsideTheFunctionSubnets() {
    caught(t -> properties(t, "SecretsManagerEndpoint").put("PrivateDnsEnabled", false).put("SubnetIds", "subnet-0aaa1111aaaa1111a"),
        EndpointChecks::endpointGaps, "has no private DNS", "is not in {Ref: VpcId}, {Ref: FunctionSubnetIds}");
  }

  @Test
  void catchesFunctionsThatMayStartBeforeTheEndpoint() {
    caught(t -> ((ObjectNode) resource(t, "NetworkReady").path("Metadata")).remove("SecretsEndpoint"),
        EndpointChecks::endpointGaps, "not among NetworkReady's Refs");
    caught(t -> resource(t, "RateCheckFunction").remove("DependsOn"),
        EndpointChecks::functionsNotWaitingForTheNetwork, "RateCheckFunction does not depend on NetworkReady");
  }

  @Test
  void catchesHttpsToAnyAddressBesideTheEndpoint() {
    caught(t -> ((ArrayNode) properties(t, "FunctionSecurityGroup").path("SecurityGroupEgress")).addObject()
            .put("IpProtocol", "tcp").put("FromPort", 443).put("ToPort", 443).put("CidrIp", "0.0.0.0/0"),
        TemplateChecks::cachePortOpenBeyondTheFunctions, "its endpoint");
  }

  @Test
  void catchesAnEndpointCreatedWhenNotAskedFor() {
    ObjectNode copy = original.deepCopy();
    for (String name : List.of("SecretsManagerEndpoint", "SecretsManagerEndpointSecurityGroup")) {
      resource(copy, name).remove("Condition");
    }
    // the functions' egress and the readiness Refs keep their condition: only the two resources appear
    CfnTemplate t = SamTranslator.transform(copy, Deployment.secretAuthWithNat().parameters());
    assertEquals(List.of("SecretsManagerEndpoint (AWS::EC2::VPCEndpoint)",
        "SecretsManagerEndpointSecurityGroup (AWS::EC2::SecurityGroup)"), EndpointChecks.endpointResources(t));
  }

  @Test
  void catchesAPlaceholderTopicAcceptedByTheAlarmTopicPattern() {
    String loose = "^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$";
    assertTrue(Pattern.compile(loose).matcher(OperationsIT.PLACEHOLDER_TOPICS.get(0)).matches(),
        "without the REPLACE-ME exclusion the samconfig placeholder would pass: the test needs the pattern's guard");
    assertFalse(OperationsIT.alarmTopicPattern().matcher(OperationsIT.PLACEHOLDER_TOPICS.get(0)).matches());
  }

  @Test
  void emittedTelemetryReadsLiteralsConstantsAndTernariesButNotBuiltNames(@TempDir Path dir) throws IOException {
    Path source = dir.resolve("f/src/main/java/Handler.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, """
        final class Handler {
          static final String FUNCTION = "my-function";
          static final String METRIC = "Counted";
          Handler() { new HttpFunction(FUNCTION, routes(), telemetry, log).countingInvalidRequests("Refused"); }
          void record(boolean ok, String limit) {
            metrics.count(METRIC).count(ok ? "Passed" : "Failed").millis("Took", elapsed(1, 2));
            metrics.count("Shadow-" + limit).property("kind", kind()).amount("Units", 3);
            long n = list.stream().count();
          }
        }
        """);
    EmittedTelemetry emitted = EmittedTelemetry.readFrom(dir);
    assertEquals(Set.of("Counted", "Passed", "Failed", "Took", "Units", "Refused"), emitted.metrics());
    assertEquals(Set.of("kind"), emitted.properties());
    assertEquals(Set.of("my-function"), emitted.functions());
  }
}
