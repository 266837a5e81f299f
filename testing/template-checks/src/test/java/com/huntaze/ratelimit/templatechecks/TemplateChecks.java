package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the README's Deployment section says the stack creates (network, IAM, auth, SnapStart, alarms,
 * outputs) and never holds (secrets in the environment), checked on the transformed template.
 * Each check returns its violations, one sentence naming the resource; an empty list means it holds.
 */
final class TemplateChecks {
  static final String FUNCTION_SECURITY_GROUP = "FunctionSecurityGroup";
  static final String CACHE_SECURITY_GROUP_PARAMETER = "CacheSecurityGroupId";
  static final String CACHE_PORT_PARAMETER = "CachePort";
  static final String RATE_CHECK_FUNCTION = "RateCheckFunction";
  static final String METRICS_NAMESPACE = "AiRateLimiter";
  /** The dimension set the rate-check function emits its metrics with (function-support Telemetry). */
  static final String METRICS_FUNCTION_DIMENSION = "rate-check";

  /** The managed policies SAM attaches to a function with VpcConfig and Tracing: Active. */
  static final Set<String> SAM_DEFAULT_MANAGED_POLICIES = Set.of(
      "service-role/AWSLambdaBasicExecutionRole",
      "service-role/AWSLambdaVPCAccessExecutionRole",
      "AWSXrayWriteOnlyAccess");
  static final String GET_SECRET_VALUE = "secretsmanager:GetSecretValue";
  static final String ELASTICACHE_CONNECT = "elasticache:Connect";

  private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head",
      "patch", "trace", "x-amazon-apigateway-any-method");
  private static final Pattern SECRET_LOOKING = Pattern.compile("[A-Za-z0-9+/=_-]{21,}");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private TemplateChecks() {
  }

  // ---- network ------------------------------------------------------------------------------------

  /** No ingress rule anywhere admits 0.0.0.0/0 or ::/0. */
  static List<String> ingressFromTheWholeInternet(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    t.resources("AWS::EC2::SecurityGroup").forEach((name, group) -> {
      for (JsonNode rule : group.path("Properties").path("SecurityGroupIngress")) {
        openToTheInternet(rule).ifPresent(cidr -> violations.add(
            name + " (AWS::EC2::SecurityGroup) admits ingress from " + cidr + ": " + rule));
      }
    });
    t.resources("AWS::EC2::SecurityGroupIngress").forEach((name, rule) ->
        openToTheInternet(rule.path("Properties")).ifPresent(cidr -> violations.add(
            name + " (AWS::EC2::SecurityGroupIngress) admits ingress from " + cidr)));
    return violations;
  }

  private static Optional<String> openToTheInternet(JsonNode rule) {
    String v4 = rule.path("CidrIp").asText("");
    String v6 = rule.path("CidrIpv6").asText("");
    if (v4.equals("0.0.0.0/0")) {
      return Optional.of(v4);
    }
    if (v6.equals("::/0") || v6.equals("0:0:0:0:0:0:0:0/0")) {
      return Optional.of(v6);
    }
    return Optional.empty();
  }

  /**
   * The cache's security group admits the cache port from the functions' security group only; the
   * functions' group admits nothing and reaches out only to the cache port and, with RedisAuthMode secret
   * alone, HTTPS for Secrets Manager: to the stack's endpoint when there is one, else to any address.
   */
  static List<String> cachePortOpenBeyondTheFunctions(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    JsonNode cachePort = ref(CACHE_PORT_PARAMETER);
    int rulesOnCache = 0;
    for (Map.Entry<String, JsonNode> e : t.resources("AWS::EC2::SecurityGroupIngress").entrySet()) {
      JsonNode rule = e.getValue().path("Properties");
      if (!rule.path("GroupId").equals(ref(CACHE_SECURITY_GROUP_PARAMETER))) {
        continue;
      }
      rulesOnCache++;
      if (!isFunctionSecurityGroup(rule.path("SourceSecurityGroupId"))) {
        violations.add(e.getKey() + " opens the cache's security group to something other than "
            + FUNCTION_SECURITY_GROUP + ": " + rule);
      }
      for (String source : List.of("CidrIp", "CidrIpv6", "SourcePrefixListId", "SourceSecurityGroupName")) {
        if (rule.has(source)) {
          violations.add(e.getKey() + " opens the cache's security group to " + source + " " + rule.get(source));
        }
      }
      if (!rule.path("FromPort").equals(cachePort) || !rule.path("ToPort").equals(cachePort)
          || !rule.path("IpProtocol").asText().equals("tcp")) {
        violations.add(e.getKey() + " opens more than tcp {Ref: CachePort} on the cache's security group: "
            + "IpProtocol " + rule.path("IpProtocol") + ", FromPort " + rule.path("FromPort")
            + ", ToPort " + rule.path("ToPort"));
      }
    }
    if (rulesOnCache == 0) {
      violations.add("no AWS::EC2::SecurityGroupIngress on {Ref: " + CACHE_SECURITY_GROUP_PARAMETER
          + "}: the functions cannot reach the cache");
    }

    JsonNode group = t.resources().get(FUNCTION_SECURITY_GROUP);
    if (group == null || !group.path("Type").asText().equals("AWS::EC2::SecurityGroup")) {
      violations.add("no AWS::EC2::SecurityGroup " + FUNCTION_SECURITY_GROUP);
      return violations;
    }
    if (!group.path("Properties").path("SecurityGroupIngress").isMissingNode()
        && !group.path("Properties").path("SecurityGroupIngress").isEmpty()) {
      violations.add(FUNCTION_SECURITY_GROUP + " has ingress rules: "
          + group.path("Properties").path("SecurityGroupIngress"));
    }
    for (String type : List.of("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")) {
      t.resources(type).forEach((name, rule) -> {
        if (isFunctionSecurityGroup(rule.path("Properties").path("GroupId"))) {
          violations.add(name + " (" + type + ") adds a rule to " + FUNCTION_SECURITY_GROUP);
        }
      });
    }
    JsonNode egress = group.path("Properties").path("SecurityGroupEgress");
    boolean cacheRule = false;
    boolean httpsRule = false;
    boolean secret = "secret".equals(t.parameter("RedisAuthMode"));
    List<JsonNode> endpointGroups = EndpointChecks.endpointSecurityGroups(t);
    if (egress.isMissingNode()) {
      violations.add(FUNCTION_SECURITY_GROUP + " declares no SecurityGroupEgress, so it allows all egress");
    }
    for (JsonNode rule : egress) {
      boolean tcp = rule.path("IpProtocol").asText().equals("tcp");
      boolean https = tcp && rule.path("FromPort").asText().equals("443") && rule.path("ToPort").asText().equals("443");
      if (tcp && rule.path("FromPort").equals(cachePort) && rule.path("ToPort").equals(cachePort)
          && rule.path("DestinationSecurityGroupId").equals(ref(CACHE_SECURITY_GROUP_PARAMETER))
          && !rule.has("CidrIp") && !rule.has("CidrIpv6") && !rule.has("DestinationPrefixListId")) {
        cacheRule = true;
      } else if (https && secret && endpointGroups.isEmpty() && rule.path("CidrIp").asText().equals("0.0.0.0/0")) {
        httpsRule = true;
      } else if (https && secret && endpointGroups.contains(rule.path("DestinationSecurityGroupId"))
          && !rule.has("CidrIp") && !rule.has("CidrIpv6") && !rule.has("DestinationPrefixListId")) {
        httpsRule = true;
      } else {
        violations.add(FUNCTION_SECURITY_GROUP + " has egress beyond the cache port and HTTPS for Secrets Manager"
            + " (RedisAuthMode " + t.parameter("RedisAuthMode") + (endpointGroups.isEmpty() ? "" : ", its endpoint")
            + "): " + rule);
      }
    }
    if (!cacheRule) {
      violations.add(FUNCTION_SECURITY_GROUP + " has no egress rule to {Ref: CachePort} on {Ref: "
          + CACHE_SECURITY_GROUP_PARAMETER + "}");
    }
    if (secret && !httpsRule) {
      violations.add(FUNCTION_SECURITY_GROUP + " has no HTTPS (443) egress for Secrets Manager");
    }
    return violations;
  }

  private static boolean isFunctionSecurityGroup(JsonNode value) {
    return value.equals(ref(FUNCTION_SECURITY_GROUP)) || value.equals(getAtt(FUNCTION_SECURITY_GROUP, "GroupId"));
  }

  /** Every function runs in subnets of the VPC behind the functions' security group alone. */
  static List<String> functionsOutsideTheVpc(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    JsonNode onlyFunctionGroup = JsonNodeFactory.instance.arrayNode().add(ref(FUNCTION_SECURITY_GROUP));
    t.resources("AWS::Lambda::Function").forEach((name, function) -> {
      JsonNode vpc = function.path("Properties").path("VpcConfig");
      if (vpc.isMissingNode()) {
        violations.add(name + " has no VpcConfig: it runs outside the cache's VPC");
        return;
      }
      JsonNode subnets = vpc.path("SubnetIds");
      if (subnets.isMissingNode() || subnets.isNull() || (subnets.isArray() && subnets.isEmpty())) {
        violations.add(name + " has VpcConfig without SubnetIds");
      }
      if (!vpc.path("SecurityGroupIds").equals(onlyFunctionGroup)) {
        violations.add(name + " VpcConfig.SecurityGroupIds is " + vpc.path("SecurityGroupIds")
            + ", not [{Ref: " + FUNCTION_SECURITY_GROUP + "}]");
      }
    });
    return violations;
  }

  /** NAT gateway, its address, a route table sending 0.0.0.0/0 through it, both function subnets on it. */
  static List<String> natGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, JsonNode> eips = t.resources("AWS::EC2::EIP");
    Map<String, JsonNode> nats = t.resources("AWS::EC2::NatGateway");
    Map<String, JsonNode> tables = t.resources("AWS::EC2::RouteTable");
    if (eips.size() != 1 || nats.size() != 1 || tables.size() != 1) {
      violations.add("expected one AWS::EC2::EIP, NatGateway and RouteTable, found " + eips.keySet() + ", "
          + nats.keySet() + ", " + tables.keySet());
      return violations;
    }
    String eip = eips.keySet().iterator().next();
    String nat = nats.keySet().iterator().next();
    String table = tables.keySet().iterator().next();
    JsonNode natProperties = nats.get(nat).path("Properties");
    if (!natProperties.path("SubnetId").equals(ref("NatPublicSubnetId"))) {
      violations.add(nat + " is not in {Ref: NatPublicSubnetId}: " + natProperties.path("SubnetId"));
    }
    if (!natProperties.path("AllocationId").equals(getAtt(eip, "AllocationId"))) {
      violations.add(nat + " does not use the address of " + eip);
    }
    if (!eips.get(eip).path("Properties").path("Domain").asText().equals("vpc")) {
      violations.add(eip + " is not a VPC address (Domain: vpc)");
    }
    if (!tables.get(table).path("Properties").path("VpcId").equals(ref("VpcId"))) {
      violations.add(table + " is not in {Ref: VpcId}");
    }
    boolean defaultRoute = t.resources("AWS::EC2::Route").values().stream().map(r -> r.path("Properties"))
        .anyMatch(r -> r.path("RouteTableId").equals(ref(table))
            && r.path("DestinationCidrBlock").asText().equals("0.0.0.0/0")
            && r.path("NatGatewayId").equals(ref(nat)));
    if (!defaultRoute) {
      violations.add("no AWS::EC2::Route 0.0.0.0/0 through " + nat + " in " + table);
    }
    for (int subnet = 0; subnet < 2; subnet++) {
      int index = subnet;
      boolean associated = t.resources("AWS::EC2::SubnetRouteTableAssociation").values().stream()
          .map(r -> r.path("Properties"))
          .anyMatch(r -> r.path("RouteTableId").equals(ref(table))
              && isSelect(r.path("SubnetId"), index, ref("FunctionSubnetIds")));
      if (!associated) {
        violations.add("function subnet " + index + " ({Fn::Select: [" + index + ", {Ref: FunctionSubnetIds}]}) "
            + "is not associated with " + table);
      }
    }
    return violations;
  }

  /** Resources that only the NAT option should create. */
  static List<String> natResources(CfnTemplate t) {
    List<String> found = new ArrayList<>();
    for (String type : List.of("AWS::EC2::EIP", "AWS::EC2::NatGateway", "AWS::EC2::RouteTable",
        "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation")) {
      t.resources(type).keySet().forEach(name -> found.add(name + " (" + type + ")"));
    }
    return found;
  }

  private static boolean isSelect(JsonNode value, int index, JsonNode list) {
    JsonNode select = value.path("Fn::Select");
    return select.size() == 2 && select.get(0).asText().equals(Integer.toString(index)) && select.get(1).equals(list);
  }

  // ---- API ----------------------------------------------------------------------------------------

  /** Every route of every HTTP API requires SigV4 (AWS_IAM) authorization. */
  static List<String> routesWithoutIamAuthorization(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    ArrayNode iamOnly = JsonNodeFactory.instance.arrayNode();
    iamOnly.addObject().putArray("AWS_IAM");
    t.resources("AWS::ApiGatewayV2::Api").forEach((name, api) -> {
      JsonNode properties = api.path("Properties");
      if (properties.has("Target") || properties.has("RouteKey")) {
        violations.add(name + " is a quick-create API: its default route has no authorization");
      }
      JsonNode body = properties.path("Body");
      JsonNode scheme = body.path("components").path("securitySchemes").path("AWS_IAM");
      if (!scheme.path("x-amazon-apigateway-authtype").asText().equals("awsSigv4")) {
        violations.add(name + " security scheme AWS_IAM is not SigV4: " + scheme);
      }
      body.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
        if (OPERATIONS.contains(op.getKey()) && !op.getValue().path("security").equals(iamOnly)) {
          violations.add(name + " route " + routeKey(op.getKey(), path.getKey()) + " has security "
              + op.getValue().path("security") + ", not [{\"AWS_IAM\": []}]");
        }
      }));
    });
    t.resources("AWS::ApiGatewayV2::Route").forEach((name, route) -> {
      if (!route.path("Properties").path("AuthorizationType").asText().equals("AWS_IAM")) {
        violations.add(name + " (AWS::ApiGatewayV2::Route " + route.path("Properties").path("RouteKey")
            + ") has AuthorizationType " + route.path("Properties").path("AuthorizationType"));
      }
    });
    return violations;
  }

  /** "METHOD /path" of every route of every HTTP API. */
  static Set<String> routes(CfnTemplate t) {
    Set<String> routes = new TreeSet<>();
    t.resources("AWS::ApiGatewayV2::Api").values().forEach(api ->
        api.path("Properties").path("Body").path("paths").fields().forEachRemaining(path ->
            path.getValue().fieldNames().forEachRemaining(op -> {
              if (OPERATIONS.contains(op)) {
                routes.add(routeKey(op, path.getKey()));
              }
            })));
    t.resources("AWS::ApiGatewayV2::Route").values()
        .forEach(route -> routes.add(route.path("Properties").path("RouteKey").asText()));
    return routes;
  }

  private static String routeKey(String operation, String path) {
    String method = operation.equals("x-amazon-apigateway-any-method") ? "ANY" : operation.toUpperCase(Locale.ROOT);
    return method + " " + path;
  }

  // ---- functions ----------------------------------------------------------------------------------

  /**
   * SnapStart on published versions, a version and a "live" alias for every function, and the API
   * invokes the alias (SnapStart never serves $LATEST).
   */
  static List<String> snapStartGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, JsonNode> functions = t.resources("AWS::Lambda::Function");
    Map<String, JsonNode> aliases = t.resources("AWS::Lambda::Alias");
    functions.forEach((name, function) -> {
      if (!function.path("Properties").path("SnapStart").path("ApplyOn").asText().equals("PublishedVersions")) {
        violations.add(name + " has no SnapStart ApplyOn: PublishedVersions");
      }
      Set<String> versions = new TreeSet<>();
      t.resources("AWS::Lambda::Version").forEach((v, version) -> {
        if (version.path("Properties").path("FunctionName").equals(ref(name))) {
          versions.add(v);
        }
      });
      if (versions.isEmpty()) {
        violations.add(name + " has no AWS::Lambda::Version");
      }
      boolean live = aliases.values().stream().map(a -> a.path("Properties"))
          .anyMatch(a -> a.path("FunctionName").equals(ref(name)) && a.path("Name").asText().equals("live")
              && versions.stream().anyMatch(v -> a.path("FunctionVersion").equals(getAtt(v, "Version"))));
      if (!live) {
        violations.add(name + " has no alias \"live\" on a published version");
      }
    });
    t.resources("AWS::ApiGatewayV2::Api").forEach((api, resource) ->
        resource.path("Properties").path("Body").path("paths").fields().forEachRemaining(path ->
            path.getValue().fields().forEachRemaining(op -> {
              for (String target : subVariables(op.getValue().path("x-amazon-apigateway-integration").path("uri"))) {
                String resourceName = target.split("\\.")[0];
                if (functions.containsKey(resourceName)) {
                  violations.add(api + " route " + routeKey(op.getKey(), path.getKey()) + " invokes " + target
                      + " ($LATEST, never restored from a SnapStart snapshot), not its alias");
                }
              }
            })));
    return violations;
  }

  /** No secret in any function's environment: names, literal values, dynamic references, NoEcho parameters. */
  static List<String> secretsInEnvironment(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    t.resources("AWS::Lambda::Function").forEach((name, function) ->
        function.path("Properties").path("Environment").path("Variables").fields().forEachRemaining(v -> {
          String variable = v.getKey().toUpperCase(Locale.ROOT);
          if (variable.contains("PASSWORD") || variable.contains("TOKEN")
              || (variable.contains("SECRET") && !variable.matches(".*SECRET_(ID|ARN|NAME)$"))) {
            violations.add(name + " environment variable " + v.getKey() + " is named like a secret");
          }
          List<String> literals = new ArrayList<>();
          List<String> refs = new ArrayList<>();
          collect(v.getValue(), literals, refs);
          for (String literal : literals) {
            if (literal.contains("{{resolve:secretsmanager:") || literal.contains("{{resolve:ssm-secure:")) {
              violations.add(name + " environment variable " + v.getKey()
                  + " resolves a secret into plain text: " + literal);
            } else if (looksLikeASecret(literal)) {
              violations.add(name + " environment variable " + v.getKey() + " holds a literal that looks like a secret");
            }
          }
          for (String parameter : refs) {
            if (t.parameterDeclaration(parameter).path("NoEcho").asBoolean(false)) {
              violations.add(name + " environment variable " + v.getKey() + " holds NoEcho parameter " + parameter);
            }
          }
        }));
    return violations;
  }

  private static boolean looksLikeASecret(String literal) {
    if (literal.startsWith("arn:")) {
      return false;
    }
    Matcher m = SECRET_LOOKING.matcher(literal);
    while (m.find()) {
      String run = m.group();
      if (run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter)) {
        return true;
      }
    }
    return false;
  }

  /** Literal strings (Sub templates included) and Ref targets inside a value. */
  private static void collect(JsonNode value, List<String> literals, List<String> refs) {
    if (value.isTextual()) {
      literals.add(value.asText());
    } else if (value.isObject()) {
      value.fields().forEachRemaining(f -> {
        if (f.getKey().equals("Ref")) {
          refs.add(f.getValue().asText());
        } else if (!f.getKey().equals("Fn::GetAtt") && !f.getKey().equals("Condition")) {
          collect(f.getValue(), literals, refs);
        }
      });
    } else if (value.isArray()) {
      value.forEach(e -> collect(e, literals, refs));
    }
  }

  /** Variable name to value, for one function (secret-mode checks). */
  static Map<String, JsonNode> environment(CfnTemplate t, String function) {
    Map<String, JsonNode> environment = new LinkedHashMap<>();
    t.resources().get(function).path("Properties").path("Environment").path("Variables").fields()
        .forEachRemaining(v -> environment.put(v.getKey(), v.getValue()));
    return environment;
  }

  // ---- IAM ----------------------------------------------------------------------------------------

  /**
   * The function roles: managed policies only SAM's defaults; inline statements only GetSecretValue on
   * the one secret and elasticache:Connect on the cache and its user; no wildcard resource; no policy
   * attached from elsewhere.
   */
  static List<String> iamBeyondLeastPrivilege(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, String> roles = functionRoles(t, violations);
    roles.forEach((function, roleName) -> {
      JsonNode role = t.resources().get(roleName).path("Properties");
      for (JsonNode arn : role.path("ManagedPolicyArns")) {
        String policy = managedPolicyName(arn);
        if (!SAM_DEFAULT_MANAGED_POLICIES.contains(policy)) {
          violations.add(roleName + " (role of " + function + ") has managed policy " + arn);
        }
      }
      for (JsonNode policy : role.path("Policies")) {
        for (JsonNode statement : statements(policy.path("PolicyDocument"))) {
          violations.addAll(statementViolations(roleName, statement));
        }
      }
    });
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      t.resources(type).forEach((name, policy) -> {
        for (JsonNode role : policy.path("Properties").path("Roles")) {
          if (roles.containsValue(role.path("Ref").asText())) {
            violations.add(name + " (" + type + ") adds permissions to function role " + role.path("Ref").asText());
          }
        }
      });
    }
    return violations;
  }

  private static List<String> statementViolations(String role, JsonNode statement) {
    List<String> violations = new ArrayList<>();
    if (!statement.path("Effect").asText().equals("Allow")) {
      return violations;
    }
    if (statement.has("NotAction") || statement.has("NotResource")) {
      violations.add(role + " has a NotAction / NotResource statement: " + statement);
    }
    List<JsonNode> resources = list(statement.path("Resource"));
    for (JsonNode resource : resources) {
      String arn = resource.isTextual() ? resource.asText() : resource.path("Fn::Sub").asText(resource.toString());
      if (arn.contains("*")) {
        violations.add(role + " allows " + statement.path("Action") + " on a wildcard resource " + resource);
      }
    }
    for (JsonNode action : list(statement.path("Action"))) {
      String name = action.asText();
      if (name.equals(GET_SECRET_VALUE)) {
        for (JsonNode resource : resources) {
          if (!resource.path("Fn::Sub").asText().matches("arn:\\$\\{AWS::Partition}:secretsmanager:\\$\\{AWS::Region}:"
              + "\\$\\{AWS::AccountId}:secret:\\$\\{[A-Za-z0-9]+}-\\?{6}")) {
            violations.add(role + " allows " + name + " on " + resource + ", not the one secret named by a parameter");
          }
        }
      } else if (name.equals(ELASTICACHE_CONNECT)) {
        for (JsonNode resource : resources) {
          if (!resource.path("Fn::Sub").asText().matches("arn:\\$\\{AWS::Partition}:elasticache:\\$\\{AWS::Region}:"
              + "\\$\\{AWS::AccountId}:(replicationgroup|user):\\$\\{[A-Za-z0-9]+}")) {
            violations.add(role + " allows " + name + " on " + resource + ", not the cache's replication group or user");
          }
        }
      } else {
        violations.add(role + " allows " + name + " (only " + GET_SECRET_VALUE + " and " + ELASTICACHE_CONNECT
            + " are needed)");
      }
    }
    return violations;
  }

  /** Function name to the name of its AWS::IAM::Role in the template. */
  static Map<String, String> functionRoles(CfnTemplate t, List<String> violations) {
    Map<String, String> roles = new LinkedHashMap<>();
    t.resources("AWS::Lambda::Function").forEach((name, function) -> {
      JsonNode role = function.path("Properties").path("Role").path("Fn::GetAtt");
      String roleName = role.path(0).asText();
      if (role.path(1).asText().equals("Arn") && t.resources("AWS::IAM::Role").containsKey(roleName)) {
        roles.put(name, roleName);
      } else {
        violations.add(name + " uses a role from outside the template (" + function.path("Properties").path("Role")
            + "); its permissions cannot be checked");
      }
    });
    return roles;
  }

  /** The actions a function's role allows (inline policies). */
  static Set<String> allowedActions(CfnTemplate t, String function) {
    Set<String> actions = new TreeSet<>();
    String role = functionRoles(t, new ArrayList<>()).get(function);
    for (JsonNode policy : t.resources().get(role).path("Properties").path("Policies")) {
      for (JsonNode statement : statements(policy.path("PolicyDocument"))) {
        if (statement.path("Effect").asText().equals("Allow")) {
          list(statement.path("Action")).forEach(a -> actions.add(a.asText()));
        }
      }
    }
    return actions;
  }

  /** The managed policies of a function's role, as "service-role/AWSLambdaBasicExecutionRole" etc. */
  static Set<String> managedPolicies(CfnTemplate t, String function) {
    Set<String> policies = new TreeSet<>();
    String role = functionRoles(t, new ArrayList<>()).get(function);
    t.resources().get(role).path("Properties").path("ManagedPolicyArns")
        .forEach(arn -> policies.add(managedPolicyName(arn)));
    return policies;
  }

  private static String managedPolicyName(JsonNode arn) {
    String text = arn.isTextual() ? arn.asText() : arn.path("Fn::Sub").asText(arn.toString());
    int at = text.indexOf(":policy/");
    return at < 0 ? text : text.substring(at + ":policy/".length());
  }

  private static List<JsonNode> statements(JsonNode document) {
    return list(document.path("Statement"));
  }

  private static List<JsonNode> list(JsonNode node) {
    List<JsonNode> list = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(list::add);
    } else if (!node.isMissingNode()) {
      list.add(node);
    }
    return list;
  }

  // ---- alarms and deployment ---------------------------------------------------------------------

  /**
   * Errors of every function; throttles and p99 duration of the rate-check function; 5xx of every
   * HTTP API; the limiter's RedisErrors metric; the rate-check function deployed gradually and rolled
   * back by alarms.
   */
  static List<String> alarmGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    Map<String, JsonNode> alarms = t.resources("AWS::CloudWatch::Alarm");
    t.resources("AWS::Lambda::Function").keySet().forEach(function ->
        requireAlarm(alarms, "AWS/Lambda", "Errors", "FunctionName", ref(function), null,
            function + " errors", violations));
    requireAlarm(alarms, "AWS/Lambda", "Throttles", "FunctionName", ref(RATE_CHECK_FUNCTION), null,
        RATE_CHECK_FUNCTION + " throttles", violations);
    requireAlarm(alarms, "AWS/Lambda", "Duration", "FunctionName", ref(RATE_CHECK_FUNCTION), "p99",
        RATE_CHECK_FUNCTION + " p99 duration (ExtendedStatistic p99)", violations);
    t.resources("AWS::ApiGatewayV2::Api").keySet().forEach(api ->
        requireAlarm(alarms, "AWS/ApiGateway", "5xx", "ApiId", ref(api), null, api + " 5xx", violations));
    requireAlarm(alarms, METRICS_NAMESPACE, "RedisErrors", "Function",
        JsonNodeFactory.instance.textNode(METRICS_FUNCTION_DIMENSION), null,
        "the limiter's RedisErrors (namespace " + METRICS_NAMESPACE + ", dimension Function="
            + METRICS_FUNCTION_DIMENSION + ", as the function emits it)", violations);

    String alias = aliasOf(t, RATE_CHECK_FUNCTION);
    if (alias == null) {
      violations.add(RATE_CHECK_FUNCTION + " has no alias for CodeDeploy to shift");
      return violations;
    }
    JsonNode groupRef = t.resources().get(alias).path("UpdatePolicy").path("CodeDeployLambdaAliasUpdate")
        .path("DeploymentGroupName");
    JsonNode group = t.resources().get(groupRef.path("Ref").asText());
    if (group == null || !group.path("Type").asText().equals("AWS::CodeDeploy::DeploymentGroup")) {
      violations.add(alias + " is not deployed through a CodeDeploy deployment group");
      return violations;
    }
    String groupName = groupRef.path("Ref").asText();
    JsonNode properties = group.path("Properties");
    String config = substitute(properties.path("DeploymentConfigName"));
    if (!config.matches("CodeDeployDefault\\.Lambda(Canary|Linear)\\w+")) {
      violations.add(groupName + " deploys with " + config + ", not a canary or linear configuration");
    }
    JsonNode alarmConfiguration = properties.path("AlarmConfiguration");
    if (!alarmConfiguration.path("Enabled").asBoolean(false) || alarmConfiguration.path("Alarms").isEmpty()) {
      violations.add(groupName + " lists no alarms");
    }
    for (JsonNode alarm : alarmConfiguration.path("Alarms")) {
      if (AlarmChecks.alarmNamed(t, alarm.path("Name")) == null) {
        violations.add(groupName + " lists " + alarm + ", not an alarm of the template");
      }
    }
    JsonNode rollback = properties.path("AutoRollbackConfiguration");
    boolean rollsBackOnAlarm = rollback.path("Enabled").asBoolean(false)
        && list(rollback.path("Events")).stream().anyMatch(e -> e.asText().equals("DEPLOYMENT_STOP_ON_ALARM"));
    if (!rollsBackOnAlarm) {
      violations.add(groupName + " does not roll back when an alarm fires: " + rollback);
    }
    return violations;
  }

  private static void requireAlarm(Map<String, JsonNode> alarms, String namespace, String metric, String dimension,
      JsonNode dimensionValue, String extendedStatistic, String what, List<String> violations) {
    boolean found = alarms.values().stream().map(a -> a.path("Properties")).anyMatch(a ->
        AlarmChecks.watched(a).stream().anyMatch(w -> w.is(namespace, metric, dimension, dimensionValue)
            && (extendedStatistic == null || w.statistic().equals(extendedStatistic))));
    if (!found) {
      violations.add("no alarm on " + what + " (" + namespace + " " + metric + ", " + dimension + " "
          + dimensionValue + ")");
    }
  }

  /** The name of the function's "live" alias resource, or null. */
  static String aliasOf(CfnTemplate t, String function) {
    for (Map.Entry<String, JsonNode> alias : t.resources("AWS::Lambda::Alias").entrySet()) {
      JsonNode properties = alias.getValue().path("Properties");
      if (properties.path("FunctionName").equals(ref(function)) && properties.path("Name").asText().equals("live")) {
        return alias.getKey();
      }
    }
    return null;
  }

  // ---- outputs ------------------------------------------------------------------------------------

  /** The API URL, each function's ARN and alias, the functions' security group. */
  static List<String> outputGaps(CfnTemplate t) {
    List<String> violations = new ArrayList<>();
    List<JsonNode> values = t.outputs().values().stream().map(o -> o.path("Value")).toList();
    t.resources("AWS::ApiGatewayV2::Api").keySet().forEach(api -> {
      boolean url = values.stream().anyMatch(v -> v.path("Fn::Sub").asText().startsWith("https://${" + api + "}.execute-api."));
      if (!url) {
        violations.add("no output with the URL of " + api);
      }
    });
    t.resources("AWS::Lambda::Function").keySet().forEach(function -> {
      if (!values.contains(getAtt(function, "Arn"))) {
        violations.add("no output with the ARN of " + function);
      }
      String alias = aliasOf(t, function);
      if (alias == null || !values.contains(ref(alias))) {
        violations.add("no output with the alias of " + function);
      }
    });
    if (values.stream().noneMatch(TemplateChecks::isFunctionSecurityGroup)) {
      violations.add("no output with the id of " + FUNCTION_SECURITY_GROUP);
    }
    return violations;
  }

  // ---- helpers ------------------------------------------------------------------------------------

  static ObjectNode ref(String name) {
    ObjectNode ref = JsonNodeFactory.instance.objectNode();
    ref.put("Ref", name);
    return ref;
  }

  static ObjectNode getAtt(String resource, String attribute) {
    ObjectNode getAtt = JsonNodeFactory.instance.objectNode();
    getAtt.putArray("Fn::GetAtt").add(resource).add(attribute);
    return getAtt;
  }

  /** Fn::Sub variables (resource names and Resource.Attribute) in a value, pseudo parameters left out. */
  private static List<String> subVariables(JsonNode value) {
    List<String> variables = new ArrayList<>();
    JsonNode sub = value.path("Fn::Sub");
    String template = sub.isArray() ? sub.path(0).asText() : sub.asText();
    Matcher m = SUB_VARIABLE.matcher(template);
    while (m.find()) {
      if (!m.group(1).startsWith("AWS::")) {
        variables.add(m.group(1));
      }
    }
    return variables;
  }

  /** A literal, or an Fn::Sub whose variables are all given literally in its second argument. */
  private static String substitute(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    JsonNode sub = value.path("Fn::Sub");
    if (sub.isArray()) {
      String text = sub.path(0).asText();
      for (Iterator<Map.Entry<String, JsonNode>> it = sub.path(1).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> variable = it.next();
        text = text.replace("${" + variable.getKey() + "}", variable.getValue().asText());
      }
      return text;
    }
    return value.toString();
  }
}
