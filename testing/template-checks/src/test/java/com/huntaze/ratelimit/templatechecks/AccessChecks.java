package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who may call which route: the callers' and the operators' managed policies each grant execute-api:Invoke
 * on their own routes, and between them every route of the template but the catch-all, each route once.
 */
final class AccessChecks {
  static final String CALLER_POLICY = "CallerInvokePolicy";
  static final String OPERATOR_POLICY = "OperatorInvokePolicy";
  /** The web app's routes as execute-api resource suffixes (METHOD/path, path parameters as *). */
  static final Set<String> CALLER_ROUTES = Set.of("POST/v1/check", "POST/v1/settle", "POST/v1/release",
      "GET/v1/limits/*");
  /** Operators' routes, in the same form. */
  static final Set<String> OPERATOR_ROUTES = Set.of("DELETE/v1/limits/*", "PUT/v1/overrides/*", "GET/v1/overrides/*",
      "DELETE/v1/overrides/*", "PUT/v1/usage/*", "GET/test-redis");
  /** Anything else under /v1 reaches the function, which answers 404 / 405: no policy grants it. */
  static final String CATCH_ALL = "ANY /v1/{proxy+}";
  /** A request only the catch-all route takes, tried with every method. */
  private static final String UNROUTED_PATH = "/v1/no-such-route";
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
  /** Every route's ARN, as the policies write it: any stage of this API, then METHOD/path. */
  private static final String ROUTE_ARN = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*/";
  /** A request's ARN as API Gateway authorizes it (on the default stage). */
  private static final String REQUEST_ARN = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/$default/";

  private AccessChecks() {
  }

  /** The callers' policy allows only execute-api:Invoke, on the callers' routes, all of them; its ARN is an output. */
  static List<String> callerPolicyGaps(CfnTemplate t) {
    return policyGaps(t, CALLER_POLICY, CALLER_ROUTES);
  }

  /** The operators' policy allows only execute-api:Invoke, on the operators' routes, all of them; its ARN is an output. */
  static List<String> operatorPolicyGaps(CfnTemplate t) {
    return policyGaps(t, OPERATOR_POLICY, OPERATOR_ROUTES);
  }

  private static List<String> policyGaps(CfnTemplate t, String name, Set<String> routes) {
    List<String> violations = new ArrayList<>();
    JsonNode policy = t.resources("AWS::IAM::ManagedPolicy").get(name);
    if (policy == null) {
      return List.of("no managed policy " + name);
    }
    Set<String> granted = new TreeSet<>();
    for (JsonNode statement : policy.path("Properties").path("PolicyDocument").path("Statement")) {
      if (!statement.path("Effect").asText().equals("Allow") || !statement.path("Action").asText().equals("execute-api:Invoke")) {
        violations.add(name + " has a statement beyond Allow execute-api:Invoke: " + statement);
      }
      for (JsonNode resource : statement.path("Resource")) {
        String arn = arn(resource);
        if (!arn.startsWith(ROUTE_ARN)) {
          violations.add(name + " grants a resource outside this API's routes: " + resource);
        } else {
          granted.add(arn.substring(ROUTE_ARN.length()));
        }
      }
    }
    if (!granted.equals(new TreeSet<>(routes))) {
      violations.add(name + " grants " + granted + ", not exactly the routes " + new TreeSet<>(routes));
    }
    if (t.outputs().values().stream().noneMatch(o -> o.path("Value").equals(TemplateChecks.ref(name)))) {
      violations.add("no output with the ARN of " + name);
    }
    return violations;
  }

  /**
   * Every route of the template but the catch-all is granted by exactly one of the two policies (a request on
   * it matched against their resources as IAM matches wildcards); the callers' policy grants none of the
   * other routes; no policy grants a request only the catch-all takes; every resource granted is the ARN of a
   * route of the template, by its method and path.
   */
  static List<String> routeGrantGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, List<String>> grants = new LinkedHashMap<>();
    for (String policy : List.of(CALLER_POLICY, OPERATOR_POLICY)) {
      grants.put(policy, resources(t, policy));
    }
    Set<String> routeArns = new TreeSet<>();
    for (String route : TemplateChecks.routes(t)) {
      if (route.equals(CATCH_ALL)) {
        continue;
      }
      routeArns.add(ROUTE_ARN + resourceSuffix(route));
      String request = request(route);
      List<String> holders = grants.keySet().stream()
          .filter(policy -> grants.get(policy).stream().anyMatch(arn -> matches(arn, request))).toList();
      if (holders.size() != 1) {
        violations.add("route " + route + " is granted by " + (holders.isEmpty() ? "no policy" : String.join(" and ", holders))
            + ": exactly one of " + CALLER_POLICY + " and " + OPERATOR_POLICY + " must grant it");
      }
      if (!CALLER_ROUTES.contains(resourceSuffix(route)) && holders.contains(CALLER_POLICY)) {
        violations.add(CALLER_POLICY + " grants route " + route + ", which is not a caller's route");
      }
    }
    for (String method : METHODS) {
      String request = REQUEST_ARN + method + UNROUTED_PATH;
      grants.forEach((policy, arns) -> {
        if (arns.stream().anyMatch(arn -> matches(arn, request))) {
          violations.add(policy + " grants " + method + " " + UNROUTED_PATH + ", which only the catch-all " + CATCH_ALL
              + " takes");
        }
      });
    }
    grants.forEach((policy, arns) -> arns.stream().filter(arn -> !routeArns.contains(arn)).forEach(arn ->
        violations.add(policy + " grants " + arn + ", which is no route of the template (" + ROUTE_ARN
            + "METHOD/path, path parameters as *)")));
    return violations;
  }

  private static List<String> resources(CfnTemplate t, String policy) {
    List<String> arns = new ArrayList<>();
    JsonNode document = t.resources().containsKey(policy)
        ? t.resources().get(policy).path("Properties").path("PolicyDocument") : null;
    if (document != null) {
      for (JsonNode statement : document.path("Statement")) {
        statement.path("Resource").forEach(r -> arns.add(arn(r)));
        if (statement.path("Resource").isTextual()) {
          arns.add(statement.path("Resource").asText());
        }
      }
    }
    return arns;
  }

  private static String arn(JsonNode resource) {
    return resource.isTextual() ? resource.asText() : resource.path("Fn::Sub").asText(resource.toString());
  }

  /** "GET /v1/limits/{creatorId}" as "GET/v1/limits/*". */
  private static String resourceSuffix(String route) {
    String[] methodAndPath = route.split(" ", 2);
    return methodAndPath[0] + methodAndPath[1].replaceAll("\\{[^}]+}", "*");
  }

  /** A request on the route, as API Gateway names it to IAM: "GET /v1/limits/{creatorId}" as ".../GET/v1/limits/creator-123". */
  private static String request(String route) {
    String[] methodAndPath = route.split(" ", 2);
    return REQUEST_ARN + methodAndPath[0] + methodAndPath[1].replaceAll("\\{[^}]+\\+}", "a/b")
        .replaceAll("\\{[^}]+}", "creator-123");
  }

  /** IAM's resource matching: * any run of characters (slashes too), ? one character. */
  static boolean matches(String pattern, String arn) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return arn.matches(regex.toString());
  }
}
