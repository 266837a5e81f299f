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
    caught(Deployment.secretAuthWithNat().parameters(), mutation, check, fragments);
  }

  private static ObjectNode resource(ObjectNode template, String name) {
    return (ObjectNode) template.path("Resources").path(name);
  }

  private static ObjectNode properties(ObjectNode template, String name) {
    return (ObjectNode) resource(template, name).path("Properties");
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
  void catchesAPlaceholderTopicAcceptedByTheAlarmTopicPattern() {
    String loose = "^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$";
    assertTrue(java.util.regex.Pattern.compile(loose).matcher(OperationsIT.PLACEHOLDER_TOPICS.get(0)).matches(),
        "without the REPLACE-ME exclusion the samconfig placeholder would pass: the test needs the pattern's guard");
    assertFalse(OperationsIT.alarmTopicPattern().matcher(OperationsIT.PLACEHOLDER_TOPICS.get(0)).matches());
  }
}
