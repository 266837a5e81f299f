package com.huntaze.ratelimit.templatechecks;

import static com.huntaze.ratelimit.templatechecks.TemplateChecks.FUNCTION_SECURITY_GROUP;
import static com.huntaze.ratelimit.templatechecks.TemplateChecks.getAtt;
import static com.huntaze.ratelimit.templatechecks.TemplateChecks.ref;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Secrets Manager interface endpoint that lets RedisAuthMode secret work without NAT: in the
 * function subnets with private DNS, behind a security group of its own that admits HTTPS from the
 * functions' group and nothing else, and ready before the functions are created (they read the secret at
 * init, which SnapStart runs while the stack publishes their versions).
 */
final class EndpointChecks {
  static final String READINESS = "NetworkReady";

  private EndpointChecks() {
  }

  static Map<String, JsonNode> endpoints(CfnTemplate t) {
    return t.resources("AWS::EC2::VPCEndpoint");
  }

  /** The security groups of the template's VPC endpoints, as their Ref / GetAtt GroupId values. */
  static List<JsonNode> endpointSecurityGroups(CfnTemplate t) {
    List<JsonNode> groups = new ArrayList<>();
    for (JsonNode endpoint : endpoints(t).values()) {
      for (JsonNode group : endpoint.path("Properties").path("SecurityGroupIds")) {
        String name = groupName(group);
        if (name != null) {
          groups.add(ref(name));
          groups.add(getAtt(name, "GroupId"));
        }
      }
    }
    return groups;
  }

  /** The template resource a security group value names, or null. */
  private static String groupName(JsonNode value) {
    if (value.has("Ref")) {
      return value.path("Ref").asText();
    }
    JsonNode getAtt = value.path("Fn::GetAtt");
    return getAtt.path(1).asText().equals("GroupId") ? getAtt.path(0).asText() : null;
  }

  /** Everything the endpoint needs, when the template creates one; an empty list also when it does not. */
  static List<String> endpointGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, JsonNode> endpoints = endpoints(t);
    if (endpoints.size() != 1) {
      violations.add("expected one AWS::EC2::VPCEndpoint, found " + endpoints.keySet());
      return violations;
    }
    String name = endpoints.keySet().iterator().next();
    JsonNode p = endpoints.get(name).path("Properties");
    if (!p.path("VpcEndpointType").asText().equals("Interface")
        || !p.path("ServiceName").path("Fn::Sub").asText().equals("com.amazonaws.${AWS::Region}.secretsmanager")) {
      violations.add(name + " is not a Secrets Manager interface endpoint: " + p.path("VpcEndpointType") + " "
          + p.path("ServiceName"));
    }
    if (!p.path("PrivateDnsEnabled").asBoolean(false)) {
      violations.add(name + " has no private DNS: the functions call secretsmanager.<region>.amazonaws.com");
    }
    if (!p.path("VpcId").equals(ref("VpcId")) || !p.path("SubnetIds").equals(ref("FunctionSubnetIds"))) {
      violations.add(name + " is not in {Ref: VpcId}, {Ref: FunctionSubnetIds}: " + p.path("VpcId") + " " + p.path("SubnetIds"));
    }
    if (p.path("SecurityGroupIds").size() != 1 || groupName(p.path("SecurityGroupIds").get(0)) == null) {
      violations.add(name + " is not behind exactly one security group of the template: " + p.path("SecurityGroupIds"));
      return violations;
    }
    String group = groupName(p.path("SecurityGroupIds").get(0));
    if (group.equals(FUNCTION_SECURITY_GROUP)) {
      violations.add(name + " shares " + FUNCTION_SECURITY_GROUP + " instead of a group of its own");
    }
    violations.addAll(ingressGaps(t, group));
    JsonNode egress = t.resources().get(group).path("Properties").path("SecurityGroupEgress");
    for (JsonNode rule : egress) {
      if (!rule.path("CidrIp").asText().equals("127.0.0.1/32")) {
        violations.add(group + " allows egress " + rule + " (an endpoint needs none)");
      }
    }
    if (egress.isMissingNode() || egress.isEmpty()) {
      violations.add(group + " declares no egress rule, so it keeps the default allow-all");
    }
    if (!readinessRefs(t).contains(ref(name))) {
      violations.add("the functions may be created before " + name + ": it is not among " + READINESS + "'s Refs");
    }
    return violations;
  }

  /** The endpoint's group admits tcp 443 from the functions' security group, and nothing else. */
  private static List<String> ingressGaps(CfnTemplate t, String group) {
    List<String> violations = new ArrayList<>();
    List<JsonNode> rules = new ArrayList<>();
    t.resources().get(group).path("Properties").path("SecurityGroupIngress").forEach(rules::add);
    t.resources("AWS::EC2::SecurityGroupIngress").values().stream().map(r -> r.path("Properties"))
        .filter(r -> groupName(r.path("GroupId")) != null && groupName(r.path("GroupId")).equals(group))
        .forEach(rules::add);
    if (rules.isEmpty()) {
      violations.add(group + " admits nothing: the functions cannot reach the endpoint");
    }
    for (JsonNode rule : rules) {
      String source = groupName(rule.path("SourceSecurityGroupId"));
      boolean onlyHttps = rule.path("IpProtocol").asText().equals("tcp") && rule.path("FromPort").asText().equals("443")
          && rule.path("ToPort").asText().equals("443");
      boolean fromFunctions = FUNCTION_SECURITY_GROUP.equals(source) && !rule.has("CidrIp") && !rule.has("CidrIpv6")
          && !rule.has("SourcePrefixListId");
      if (!onlyHttps || !fromFunctions) {
        violations.add(group + " admits more than tcp 443 from " + FUNCTION_SECURITY_GROUP + ": " + rule);
      }
    }
    return violations;
  }

  /** What only the endpoint option creates: VPC endpoints, security groups beyond the functions', their rules. */
  static List<String> endpointResources(CfnTemplate t) {
    List<String> found = new ArrayList<>();
    endpoints(t).keySet().forEach(n -> found.add(n + " (AWS::EC2::VPCEndpoint)"));
    t.resources("AWS::EC2::SecurityGroup").keySet().stream().filter(n -> !n.equals(FUNCTION_SECURITY_GROUP))
        .forEach(n -> found.add(n + " (AWS::EC2::SecurityGroup)"));
    t.resources("AWS::EC2::SecurityGroupIngress").forEach((n, r) -> {
      if (!r.path("Properties").path("GroupId").equals(ref(TemplateChecks.CACHE_SECURITY_GROUP_PARAMETER))) {
        found.add(n + " (AWS::EC2::SecurityGroupIngress)");
      }
    });
    return found;
  }

  /** Every function depends on the readiness handle, whose Metadata names what must exist first. */
  static List<JsonNode> readinessRefs(CfnTemplate t) {
    List<JsonNode> refs = new ArrayList<>();
    t.resources().getOrDefault(READINESS, TemplateJson.JSON.createObjectNode()).path("Metadata")
        .forEach(refs::add);
    return refs;
  }

  /** Each function waits for the readiness handle (DependsOn). */
  static List<String> functionsNotWaitingForTheNetwork(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    t.resources("AWS::Lambda::Function").forEach((name, function) -> {
      JsonNode dependsOn = function.path("DependsOn");
      List<String> names = new ArrayList<>();
      if (dependsOn.isTextual()) {
        names.add(dependsOn.asText());
      } else {
        dependsOn.forEach(d -> names.add(d.asText()));
      }
      boolean waits = names.contains(READINESS);
      if (!waits) {
        violations.add(name + " does not depend on " + READINESS + " (DependsOn " + dependsOn + ")");
      }
    });
    return violations;
  }
}
