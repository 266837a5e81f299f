package com.huntaze.ratelimit.templatechecks;

import static com.huntaze.ratelimit.templatechecks.TemplateChecks.ref;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Logs that expire and never swallow metrics: every function logs to a log group of the template, named
 * /aws/lambda/&lt;its name&gt;, and every log group keeps {@code LogRetentionDays}; JSON logs filtered at
 * INFO or below, never by a parameter, because the EMF documents carry no level and count as INFO.
 */
final class LogChecks {
  static final String RETENTION_PARAMETER = "LogRetentionDays";
  static final int DEFAULT_RETENTION_DAYS = 30;
  /** ApplicationLogLevel values that keep INFO lines, and with them the metrics documents. */
  static final Set<String> LEVELS_KEEPING_METRICS = Set.of("TRACE", "DEBUG", "INFO");

  private LogChecks() {
  }

  /** Function to the name of the AWS::Logs::LogGroup its LoggingConfig names (functions without one left out). */
  static Map<String, String> functionLogGroups(CfnTemplate t) {
    Map<String, String> groups = new LinkedHashMap<>();
    t.resources("AWS::Lambda::Function").forEach((name, function) -> {
      String group = function.path("Properties").path("LoggingConfig").path("LogGroup").path("Ref").asText(null);
      if (group != null && t.resources("AWS::Logs::LogGroup").containsKey(group)) {
        groups.put(name, group);
      }
    });
    return groups;
  }

  static List<String> retentionGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, String> groups = functionLogGroups(t);
    t.resources("AWS::Lambda::Function").forEach((name, function) -> {
      String group = groups.get(name);
      if (group == null) {
        violations.add(name + " logs to a log group outside the template (LoggingConfig "
            + function.path("Properties").path("LoggingConfig") + "): Lambda's own never expires");
        return;
      }
      String functionName = function.path("Properties").path("FunctionName").path("Fn::Sub").asText("");
      JsonNode groupName = t.resources().get(group).path("Properties").path("LogGroupName");
      if (functionName.isEmpty() || !groupName.path("Fn::Sub").asText().equals("/aws/lambda/" + functionName)) {
        violations.add(group + " is named " + groupName + ", not /aws/lambda/<FunctionName of " + name + " "
            + function.path("Properties").path("FunctionName") + ">");
      }
    });
    t.resources("AWS::Logs::LogGroup").forEach((name, group) -> {
      if (!group.path("Properties").path("RetentionInDays").equals(ref(RETENTION_PARAMETER))) {
        violations.add(name + " keeps its logs " + group.path("Properties").path("RetentionInDays")
            + ", not {Ref: " + RETENTION_PARAMETER + "}");
      }
    });
    JsonNode parameter = t.parameterDeclaration(RETENTION_PARAMETER);
    if (parameter.path("Default").asInt(-1) != DEFAULT_RETENTION_DAYS) {
      violations.add("parameter " + RETENTION_PARAMETER + " defaults to " + parameter.path("Default") + ", not "
          + DEFAULT_RETENTION_DAYS);
    }
    return violations;
  }

  /** JSON log format, and an application log level (a literal) that keeps the metrics documents. */
  static List<String> levelsThatDropMetrics(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    t.resources("AWS::Lambda::Function").forEach((name, function) -> {
      JsonNode logging = function.path("Properties").path("LoggingConfig");
      if (!logging.path("LogFormat").asText().equals("JSON")) {
        violations.add(name + " does not log JSON: LogFormat " + logging.path("LogFormat"));
      }
      JsonNode level = logging.path("ApplicationLogLevel");
      if (!level.isMissingNode() && !(level.isTextual() && LEVELS_KEEPING_METRICS.contains(level.asText()))) {
        violations.add(name + " filters application logs at " + level + ": anything above INFO (or a parameter that"
            + " can be set so) drops the EMF metrics documents, which have no level and count as INFO");
      }
    });
    return violations;
  }
}
