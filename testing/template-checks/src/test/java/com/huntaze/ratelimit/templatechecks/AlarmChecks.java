package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alarms that mean something: several evaluation periods, a deliberate TreatMissingData, counts of
 * failures alarmed as a rate of the traffic (never "more than 0"), and the rate-check canary rolled back by
 * the alarms on its handled 500 answers and on the API's 5xx.
 */
final class AlarmChecks {
  /** Metrics that count failures: an alarm on one of them alone pages for a single stray failure. */
  static final Set<String> FAILURE_COUNTS = Set.of("Errors", "Throttles", "5xx", "RedisErrors", "InternalErrors");
  static final String INTERNAL_ERRORS = "InternalErrors";

  private AlarmChecks() {
  }

  /** A metric an alarm watches, with the statistic it is read with. */
  record Watched(String namespace, String name, JsonNode dimensions, String statistic) {
    boolean is(String namespace, String name, String dimension, JsonNode value) {
      return this.namespace.equals(namespace) && this.name.equals(name) && dimensions.size() == 1
          && dimensions.get(0).path("Name").asText().equals(dimension) && dimensions.get(0).path("Value").equals(value);
    }
  }

  /** The metrics of an alarm's properties: its one metric, or every MetricStat of its metric math. */
  static List<Watched> watched(JsonNode alarm) {
    List<Watched> watched = new ArrayList<>();
    if (alarm.has("MetricName")) {
      String statistic = alarm.has("ExtendedStatistic") ? alarm.path("ExtendedStatistic").asText()
          : alarm.path("Statistic").asText();
      watched.add(new Watched(alarm.path("Namespace").asText(), alarm.path("MetricName").asText(),
          alarm.path("Dimensions"), statistic));
    }
    for (JsonNode query : alarm.path("Metrics")) {
      JsonNode stat = query.path("MetricStat");
      if (!stat.isMissingNode()) {
        JsonNode metric = stat.path("Metric");
        watched.add(new Watched(metric.path("Namespace").asText(), metric.path("MetricName").asText(),
            metric.path("Dimensions"), stat.path("Stat").asText()));
      }
    }
    return watched;
  }

  /**
   * Every alarm: at least 3 evaluation periods and 2 breaching datapoints, TreatMissingData set, and a
   * failure count only as a share of its traffic (metric math dividing by a metric it also watches).
   */
  static List<String> alarmsThatPageOnAStrayFailure(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    t.resources("AWS::CloudWatch::Alarm").forEach((name, alarm) -> {
      JsonNode p = alarm.path("Properties");
      int periods = p.path("EvaluationPeriods").asInt(0);
      int datapoints = p.path("DatapointsToAlarm").asInt(periods);
      if (periods < 3 || datapoints < 2) {
        violations.add(name + " alarms on " + datapoints + " of " + periods + " periods, not several");
      }
      if (!p.has("TreatMissingData")) {
        violations.add(name + " leaves TreatMissingData to its default");
      }
      List<Watched> watched = watched(p);
      boolean countsFailures = watched.stream().anyMatch(w -> FAILURE_COUNTS.contains(w.name()));
      if (countsFailures && !isRate(p)) {
        violations.add(name + " alarms on a count of failures, not on their rate: " + watched);
      }
    });
    return violations;
  }

  /** Metric math returning one expression that divides by a metric (or expression) of the alarm. */
  private static boolean isRate(JsonNode alarm) {
    List<String> ids = new ArrayList<>();
    String returned = null;
    for (JsonNode query : alarm.path("Metrics")) {
      ids.add(query.path("Id").asText());
      if (query.path("ReturnData").asBoolean(true)) {
        returned = query.path("Expression").asText(null);
      }
    }
    if (returned == null) {
      return false;
    }
    String expression = returned;
    return ids.stream().anyMatch(id -> expression.matches(".*/\\s*" + id + "\\b.*"));
  }

  /**
   * The rate-check deployment group lists an alarm on its InternalErrors (namespace AiRateLimiter,
   * Function=rate-check) and one on the API's 5xx.
   */
  static List<String> rollbackGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    List<JsonNode> listed = rollbackAlarms(t, TemplateChecks.RATE_CHECK_FUNCTION, violations);
    JsonNode rateCheck = JsonNodeFactory.instance.textNode(TemplateChecks.METRICS_FUNCTION_DIMENSION);
    if (listed.stream().noneMatch(a -> watched(a).stream().anyMatch(w ->
        w.is(TemplateChecks.METRICS_NAMESPACE, INTERNAL_ERRORS, "Function", rateCheck)))) {
      violations.add("the rate-check deployment is not rolled back on its handled 500 answers (no alarm on "
          + TemplateChecks.METRICS_NAMESPACE + " " + INTERNAL_ERRORS + ", Function=rate-check, among its alarms)");
    }
    for (String api : t.resources("AWS::ApiGatewayV2::Api").keySet()) {
      if (listed.stream().noneMatch(a -> watched(a).stream().anyMatch(w ->
          w.is("AWS/ApiGateway", "5xx", "ApiId", TemplateChecks.ref(api))))) {
        violations.add("the rate-check deployment is not rolled back on " + api + " 5xx (no alarm on it among its alarms)");
      }
    }
    return violations;
  }

  /** The properties of the alarms a function's CodeDeploy deployment group lists. */
  static List<JsonNode> rollbackAlarms(CfnTemplate t, String function, List<String> violations) {
    List<JsonNode> alarms = new ArrayList<>();
    String alias = TemplateChecks.aliasOf(t, function);
    JsonNode group = alias == null ? null : t.resources().get(t.resources().get(alias).path("UpdatePolicy")
        .path("CodeDeployLambdaAliasUpdate").path("DeploymentGroupName").path("Ref").asText());
    if (group == null) {
      violations.add(function + " has no CodeDeploy deployment group");
      return alarms;
    }
    for (JsonNode listed : group.path("Properties").path("AlarmConfiguration").path("Alarms")) {
      String alarm = alarmNamed(t, listed.path("Name"));
      if (alarm == null) {
        violations.add(function + "'s deployment group lists " + listed + ", not an alarm of the template");
      } else {
        alarms.add(t.resources().get(alarm).path("Properties"));
      }
    }
    return alarms;
  }

  /** The alarm resource a name stands for: a Ref to it, or the same value as its AlarmName; else null. */
  static String alarmNamed(CfnTemplate t, JsonNode name) {
    Map<String, JsonNode> alarms = t.resources("AWS::CloudWatch::Alarm");
    String ref = name.path("Ref").asText(null);
    if (ref != null) {
      return alarms.containsKey(ref) ? ref : null;
    }
    for (Map.Entry<String, JsonNode> alarm : alarms.entrySet()) {
      if (alarm.getValue().path("Properties").path("AlarmName").equals(name)) {
        return alarm.getKey();
      }
    }
    return null;
  }
}
