package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Who may call which route: the operators' managed policy names their routes and nothing else. */
final class AccessChecks {
  static final String OPERATOR_POLICY = "OperatorInvokePolicy";
  /** Operators' routes as execute-api resource suffixes (METHOD/path, path parameters as *). */
  static final Set<String> OPERATOR_ROUTES = Set.of("DELETE/v1/limits/*", "PUT/v1/overrides/*", "GET/v1/overrides/*",
      "DELETE/v1/overrides/*");
  private static final String STAGE_PREFIX = "${HttpApi}/*/";

  private AccessChecks() {
  }

  /** The operators' policy allows only execute-api:Invoke, only on the operators' routes, all of them. */
  static List<String> operatorPolicyGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    JsonNode policy = t.resources("AWS::IAM::ManagedPolicy").get(OPERATOR_POLICY);
    if (policy == null) {
      return List.of("no managed policy " + OPERATOR_POLICY);
    }
    Set<String> granted = new TreeSet<>();
    for (JsonNode statement : policy.path("Properties").path("PolicyDocument").path("Statement")) {
      if (!statement.path("Effect").asText().equals("Allow") || !statement.path("Action").asText().equals("execute-api:Invoke")) {
        violations.add(OPERATOR_POLICY + " has a statement beyond Allow execute-api:Invoke: " + statement);
      }
      for (JsonNode resource : statement.path("Resource")) {
        String arn = resource.path("Fn::Sub").asText();
        int at = arn.indexOf(STAGE_PREFIX);
        if (at < 0) {
          violations.add(OPERATOR_POLICY + " grants a resource outside this API's routes: " + resource);
        } else {
          granted.add(arn.substring(at + STAGE_PREFIX.length()));
        }
      }
    }
    if (!granted.equals(new TreeSet<>(OPERATOR_ROUTES))) {
      violations.add(OPERATOR_POLICY + " grants " + granted + ", not exactly the operators' routes " + new TreeSet<>(OPERATOR_ROUTES));
    }
    if (t.outputs().values().stream().noneMatch(o -> o.path("Value").equals(TemplateChecks.ref(OPERATOR_POLICY)))) {
      violations.add("no output with the ARN of " + OPERATOR_POLICY);
    }
    return violations;
  }
}
