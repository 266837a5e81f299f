package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard graphs what the functions emit (names and dimensions read from their code by
 * {@link EmittedTelemetry}) and AWS metrics of the template's own functions and API, and shows what the
 * README promises: per plan allowed / denied / degraded, Redis latency p50 and p99, Redis errors by kind,
 * invalid requests, function errors and duration, API 4xx and 5xx.
 */
final class DashboardChecks {
  static final Set<String> LAMBDA_METRICS = Set.of("Errors", "Duration", "Throttles", "Invocations", "ConcurrentExecutions");
  static final Set<String> API_METRICS = Set.of("4xx", "5xx", "Count", "Latency", "IntegrationLatency");
  static final List<String> REQUIRED = List.of(
      "AiRateLimiter Allowed per plan", "AiRateLimiter Denied per plan", "AiRateLimiter Degraded per plan",
      "AiRateLimiter RedisLatency p50", "AiRateLimiter RedisLatency p99", "log RedisErrors by redisErrorKind",
      "AiRateLimiter InvalidRequests", "AiRateLimiter InternalErrors", "AWS/ApiGateway 4xx", "AWS/ApiGateway 5xx");

  private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");
  private static final Pattern REFERENCE = Pattern.compile("<<([^>]+)>>");
  private static final Pattern SCHEMA = Pattern.compile("\\{([^}]+)}");
  private static final Pattern TERM = Pattern.compile("(\\w+)=\\\\?\"([^\"\\\\]+)\\\\?\"");
  private static final Pattern FIELD_USE = Pattern.compile("(?:ispresent|sum|avg|min|max|count|pct)\\(([A-Za-z]\\w*)");
  private static final Pattern GROUP_BY = Pattern.compile("\\bby ([A-Za-z]\\w*(?:\\s*,\\s*[A-Za-z]\\w*)*)");

  private DashboardChecks() {
  }

  /** The dashboard's body as JSON, each ${X} of its Fn::Sub written as the text {@code <<X>>}. */
  static JsonNode body(JsonNode dashboard) {
    JsonNode body = dashboard.path("Properties").path("DashboardBody");
    String text = body.isTextual() ? body.asText() : body.path("Fn::Sub").asText();
    try {
      return TemplateJson.JSON.readTree(SUB.matcher(text).replaceAll("<<$1>>"));
    } catch (IOException e) {
      throw new UncheckedIOException("the dashboard body is not JSON", e);
    }
  }

  static List<String> dashboardGaps(CfnTemplate t, EmittedTelemetry emitted) {
    List<String> violations = new ArrayList<>();
    Map<String, JsonNode> dashboards = t.resources("AWS::CloudWatch::Dashboard");
    if (dashboards.size() != 1) {
      return List.of("expected one AWS::CloudWatch::Dashboard, found " + dashboards.keySet());
    }
    Set<String> shown = new TreeSet<>();
    for (JsonNode widget : body(dashboards.values().iterator().next()).path("widgets")) {
      JsonNode p = widget.path("properties");
      String title = p.path("title").asText();
      switch (widget.path("type").asText()) {
        case "metric" -> {
          JsonNode previous = null;
          for (JsonNode row : p.path("metrics")) {
            if (row.path(0).has("expression")) {
              searchGaps(title, row.path(0).path("expression").asText(), emitted, shown, violations);
            } else {
              previous = expand(row, previous);
              String stat = row.path(row.size() - 1).path("stat").asText(p.path("stat").asText());
              rowGaps(t, title, previous, stat, emitted, shown, violations);
            }
          }
        }
        case "log" -> logGaps(t, title, p.path("query").asText(), emitted, shown, violations);
        case "alarm" -> p.path("alarms").forEach(a -> {
          String target = reference(a.asText());
          if (target == null || !target.endsWith(".Arn")
              || !t.resources("AWS::CloudWatch::Alarm").containsKey(target.substring(0, target.length() - 4))) {
            violations.add("widget \"" + title + "\" lists " + a + ", not an alarm of the template");
          }
        });
        default -> { }
      }
    }
    for (String required : REQUIRED) {
      if (!shown.contains(required)) {
        violations.add("the dashboard does not show " + required + " (shown: " + shown + ")");
      }
    }
    for (String function : t.resources("AWS::Lambda::Function").keySet()) {
      for (String metric : List.of("Errors", "Duration")) {
        if (!shown.contains("AWS/Lambda " + metric + " " + function)) {
          violations.add("the dashboard does not show AWS/Lambda " + metric + " of " + function);
        }
      }
    }
    return violations;
  }

  /** A row of a metric widget, its "..." taken from the row before, as CloudWatch reads it. */
  private static JsonNode expand(JsonNode row, JsonNode previous) {
    ArrayNode expanded = TemplateJson.JSON.createArrayNode();
    for (int i = 0; i < row.size(); i++) {
      boolean repeat = row.get(i).asText().equals("...") && previous != null;
      expanded.add(repeat ? previous.path(i) : row.get(i));
    }
    return expanded;
  }

  private static void rowGaps(CfnTemplate t, String title, JsonNode row, String stat, EmittedTelemetry emitted,
      Set<String> shown, List<String> violations) {
    String namespace = row.path(0).asText();
    String metric = row.path(1).asText();
    Map<String, String> dimensions = new LinkedHashMap<>();
    for (int i = 2; i + 1 < row.size() && row.get(i).isTextual(); i += 2) {
      dimensions.put(row.get(i).asText(), row.get(i + 1).asText());
    }
    String where = "widget \"" + title + "\" graphs " + namespace + " " + metric + " " + dimensions;
    switch (namespace) {
      case EmittedTelemetry.NAMESPACE -> {
        emittedGaps(where, metric, dimensions, emitted, violations);
        shown.add(namespace + " " + metric);
        shown.add(namespace + " " + metric + " " + stat);
      }
      case "AWS/Lambda" -> {
        String function = reference(dimensions.getOrDefault("FunctionName", ""));
        if (!LAMBDA_METRICS.contains(metric) || dimensions.size() != 1 || function == null
            || !t.resources("AWS::Lambda::Function").containsKey(function)) {
          violations.add(where + ": not a Lambda metric of a function of the template");
        }
        shown.add(namespace + " " + metric + " " + function);
      }
      case "AWS/ApiGateway" -> {
        String api = reference(dimensions.getOrDefault("ApiId", ""));
        if (!API_METRICS.contains(metric) || dimensions.size() != 1 || api == null
            || !t.resources("AWS::ApiGatewayV2::Api").containsKey(api)) {
          violations.add(where + ": not an HTTP API metric of the template's API");
        }
        shown.add(namespace + " " + metric);
      }
      default -> violations.add(where + ": a namespace nothing in the stack publishes to");
    }
  }

  /** SEARCH('{Namespace,Dim,...} Dim="v" MetricName="M"', ...): the same rules as a row, per plan when Plan is a dimension. */
  private static void searchGaps(String title, String expression, EmittedTelemetry emitted, Set<String> shown,
      List<String> violations) {
    if (!expression.contains("SEARCH(")) {
      return;   // arithmetic on other rows' ids
    }
    Matcher schema = SCHEMA.matcher(expression);
    if (!schema.find()) {
      violations.add("widget \"" + title + "\" searches without a schema: " + expression);
      return;
    }
    List<String> parts = List.of(schema.group(1).split("\\s*,\\s*"));
    Map<String, String> terms = new LinkedHashMap<>();
    Matcher term = TERM.matcher(expression);
    while (term.find()) {
      terms.put(term.group(1), term.group(2));
    }
    String metric = terms.remove("MetricName");
    String where = "widget \"" + title + "\" searches " + expression;
    if (!parts.get(0).equals(EmittedTelemetry.NAMESPACE) || metric == null) {
      violations.add(where + ": not one metric of namespace " + EmittedTelemetry.NAMESPACE);
      return;
    }
    Set<String> dimensions = new TreeSet<>(parts.subList(1, parts.size()));
    Map<String, String> values = new LinkedHashMap<>();
    dimensions.forEach(d -> values.put(d, terms.getOrDefault(d, "*")));
    emittedGaps(where, metric, values, emitted, violations);
    shown.add(EmittedTelemetry.NAMESPACE + " " + metric + (dimensions.contains("Plan") ? " per plan" : ""));
  }

  private static void emittedGaps(String where, String metric, Map<String, String> dimensions,
      EmittedTelemetry emitted, List<String> violations) {
    if (!emitted.metrics().contains(metric)) {
      violations.add(where + ": the functions emit no metric " + metric + " (they emit " + emitted.metrics() + ")");
    }
    if (!EmittedTelemetry.DIMENSION_SETS.contains(dimensions.keySet())) {
      violations.add(where + ": the functions emit dimension sets " + EmittedTelemetry.DIMENSION_SETS + " only");
    }
    String function = dimensions.get("Function");
    if (function != null && !function.equals("*") && !emitted.functions().contains(function)) {
      violations.add(where + ": no function is named " + function + " in its metrics (" + emitted.functions() + ")");
    }
  }

  /** SOURCE a function's log group; every field it reads is a metric or a property the functions write. */
  private static void logGaps(CfnTemplate t, String title, String query, EmittedTelemetry emitted, Set<String> shown,
      List<String> violations) {
    Matcher source = Pattern.compile("SOURCE '([^']*)'").matcher(query);
    List<String> functionGroups = LogChecks.functionLogGroups(t).values().stream().toList();
    if (!source.find() || !functionGroups.contains(reference(source.group(1)))) {
      violations.add("widget \"" + title + "\" queries no function log group of the template: " + query);
    }
    List<String> fields = new ArrayList<>();
    Matcher use = FIELD_USE.matcher(query);
    while (use.find()) {
      fields.add(use.group(1));
    }
    Matcher by = GROUP_BY.matcher(query);
    List<String> groups = new ArrayList<>();
    while (by.find()) {
      for (String f : by.group(1).split("\\s*,\\s*")) {
        groups.add(f);
      }
    }
    fields.addAll(groups);
    for (String field : fields) {
      if (!emitted.metrics().contains(field) && !emitted.properties().contains(field)) {
        violations.add("widget \"" + title + "\" reads field " + field + ", which no metrics document holds");
      }
    }
    fields.stream().filter(emitted.metrics()::contains).forEach(metric ->
        groups.forEach(group -> shown.add("log " + metric + " by " + group)));
  }

  /** X for a value {@code <<X>>} (an Fn::Sub variable), else null. */
  private static String reference(String value) {
    Matcher m = REFERENCE.matcher(value);
    return m.matches() ? m.group(1) : null;
  }
}
