package com.huntaze.ratelimit.templatechecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every family of checks in {@link TransformedTemplateIT} can fail: each test breaks one requirement
 * in a copy of template.yaml (never the file itself), transforms the copy and expects the check to
 * name the broken resource.
 */
class TemplateChecksCatchMutationsIT {
  private static ObjectNode original;

  @BeforeAll
  static void load() throws IOException {
    original = TemplateJson.load(RepoRoot.template());
  }

  @BeforeEach
  void samTranslatorInstalled() {
    SamTranslator.require();
  }

  /** The check holds on the template, fails on the mutated copy, and its messages contain every fragment. */
  private static List<String> caught(Consumer<ObjectNode> mutation, Function<CfnTemplate, List<String>> check,
      String... expectedFragments) {
    Map<String, String> parameters = Deployment.secretAuthWithNat().parameters();
    assertEquals(List.of(), check.apply(SamTranslator.projectTemplate(parameters)), "holds on template.yaml");
    ObjectNode copy = original.deepCopy();
    mutation.accept(copy);
    List<String> violations = check.apply(SamTranslator.transform(copy, parameters));
    String all = String.join("\n", violations);
    for (String fragment : expectedFragments) {
      assertTrue(all.contains(fragment), "expected a violation mentioning \"" + fragment + "\", got:\n" + all);
    }
    return violations;
  }

  private static ObjectNode resource(ObjectNode template, String name) {
    return (ObjectNode) template.path("Resources").path(name);
  }

  private static ObjectNode properties(ObjectNode template, String name) {
    return (ObjectNode) resource(template, name).path("Properties");
  }

  private static ObjectNode globalFunction(ObjectNode template) {
    return (ObjectNode) template.path("Globals").path("Function");
  }

  @Test
  void catchesIngressOpenToTheWholeInternet() {
    List<String> violations = caught(t -> {
      properties(t, "FunctionSecurityGroup").putArray("SecurityGroupIngress").addObject()
          .put("IpProtocol", "tcp").put("FromPort", 22).put("ToPort", 22).put("CidrIp", "0.0.0.0/0");
      ObjectNode v6 = ((ObjectNode) t.path("Resources")).putObject("OpenToEveryone");
      v6.put("Type", "AWS::EC2::SecurityGroupIngress");
      v6.putObject("Properties").put("GroupId", "sg-0123456789abcdef0").put("IpProtocol", "-1")
          .put("CidrIpv6", "::/0");
    }, TemplateChecks::ingressFromTheWholeInternet, "FunctionSecurityGroup", "0.0.0.0/0", "OpenToEveryone", "::/0");
    assertEquals(2, violations.size(), String.join("\n", violations));
  }

  @Test
  void catchesTheCachePortOpenedToAnAddressRange() {
    caught(t -> {
      ObjectNode rule = properties(t, "CacheIngressFromFunctions");
      rule.remove("SourceSecurityGroupId");
      rule.put("CidrIp", "10.0.0.0/8");
    }, TemplateChecks::cachePortOpenBeyondTheFunctions, "CacheIngressFromFunctions", "CidrIp");
  }

  @Test
  void catchesMorePortsThanTheCachePortOnTheCacheSecurityGroup() {
    caught(t -> properties(t, "CacheIngressFromFunctions").put("FromPort", 0).put("ToPort", 65535),
        TemplateChecks::cachePortOpenBeyondTheFunctions, "CacheIngressFromFunctions", "65535");
  }

  @Test
  void catchesFunctionEgressToEverything() {
    caught(t -> ((ArrayNode) properties(t, "FunctionSecurityGroup")
            .path("SecurityGroupEgress")).addObject().put("IpProtocol", "-1").put("CidrIp", "0.0.0.0/0"),
        TemplateChecks::cachePortOpenBeyondTheFunctions, "FunctionSecurityGroup has egress beyond");
  }

  @Test
  void catchesAFunctionOutsideTheVpc() {
    caught(t -> globalFunction(t).remove("VpcConfig"),
        TemplateChecks::functionsOutsideTheVpc, "RateCheckFunction has no VpcConfig", "ConnectionTestFunction has no VpcConfig");
  }

  @Test
  void catchesAMissingNatRouteForTheSecondSubnet() {
    caught(t -> ((ObjectNode) t.path("Resources")).remove("FunctionSubnetRouteB"),
        TemplateChecks::natGaps, "function subnet 1");
  }

  @Test
  void catchesANatResourceCreatedWhenCreateNatGatewayIsFalse() {
    ObjectNode copy = original.deepCopy();
    resource(copy, "NatElasticIp").remove("Condition");
    CfnTemplate t = SamTranslator.transform(copy, Deployment.iamAuthWithoutNat().parameters());
    assertEquals(List.of("NatElasticIp (AWS::EC2::EIP)"), TemplateChecks.natResources(t));
  }

  @Test
  void catchesARouteWithoutIamAuthorization() {
    List<String> violations = caught(t -> {
      ObjectNode open = ((ObjectNode) properties(t, "ConnectionTestFunction").path("Events")).putObject("Open");
      open.put("Type", "HttpApi");
      ObjectNode event = open.putObject("Properties");
      event.set("ApiId", TemplateChecks.ref("HttpApi"));
      event.put("Path", "/open").put("Method", "GET").putObject("Auth").put("Authorizer", "NONE");
    }, TemplateChecks::routesWithoutIamAuthorization, "GET /open");
    assertEquals(1, violations.size(), String.join("\n", violations));
  }

  @Test
  void catchesAnUndocumentedRoute() {
    ObjectNode copy = original.deepCopy();
    ObjectNode extra = ((ObjectNode) properties(copy, "RateCheckFunction").path("Events")).putObject("Admin");
    extra.put("Type", "HttpApi");
    ObjectNode event = extra.putObject("Properties");
    event.set("ApiId", TemplateChecks.ref("HttpApi"));
    event.put("Path", "/v1/admin").put("Method", "POST");
    CfnTemplate t = SamTranslator.transform(copy, Deployment.secretAuthWithNat().parameters());
    assertNotEquals(new TreeSet<>(TransformedTemplateIT.DOCUMENTED_ROUTES), TemplateChecks.routes(t));
    assertTrue(TemplateChecks.routes(t).contains("POST /v1/admin"), TemplateChecks.routes(t).toString());
  }

  /** The resources of a managed policy's one statement. */
  private static ArrayNode grants(ObjectNode template, String policy) {
    return (ArrayNode) properties(template, policy).path("PolicyDocument").path("Statement").path(0).path("Resource");
  }

  private static ObjectNode routeArn(String methodAndPath) {
    ObjectNode sub = TemplateJson.JSON.createObjectNode();
    sub.put("Fn::Sub", "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*/" + methodAndPath);
    return sub;
  }

  @Test
  void catchesAnOperatorRouteGrantedToCallers() {
    caught(t -> grants(t, "CallerInvokePolicy").add(routeArn("DELETE/v1/limits/*")), AccessChecks::routeGrantGaps,
        "CallerInvokePolicy grants route DELETE /v1/limits/{creatorId}, which is not a caller's route",
        "route DELETE /v1/limits/{creatorId} is granted by CallerInvokePolicy and OperatorInvokePolicy");
    caught(t -> grants(t, "CallerInvokePolicy").add(routeArn("DELETE/v1/limits/*")), AccessChecks::callerPolicyGaps,
        "CallerInvokePolicy grants [DELETE/v1/limits/*, GET/v1/limits/*,");
  }

  @Test
  void catchesAnOperatorRouteMovedToTheCallersPolicy() {
    caught(t -> {
      grants(t, "OperatorInvokePolicy").remove(0);   // DELETE/v1/limits/*
      grants(t, "CallerInvokePolicy").add(routeArn("DELETE/v1/limits/*"));
    }, AccessChecks::routeGrantGaps, "CallerInvokePolicy grants route DELETE /v1/limits/{creatorId}");
  }

  @Test
  void catchesAWildcardGrantThatReachesTheOperatorsRoutesAndTheCatchAll() {
    caught(t -> grants(t, "CallerInvokePolicy").removeAll().add(routeArn("*/v1/*")), AccessChecks::routeGrantGaps,
        "CallerInvokePolicy grants route PUT /v1/usage/{creatorId}, which is not a caller's route",
        "CallerInvokePolicy grants GET /v1/no-such-route, which only the catch-all ANY /v1/{proxy+} takes",
        "which is no route of the template");
  }

  @Test
  void catchesAGrantOnAMethodTheRouteDoesNotHave() {
    caught(t -> grants(t, "CallerInvokePolicy").set(0, routeArn("GET/v1/check")), AccessChecks::routeGrantGaps,
        "route POST /v1/check is granted by no policy", "/GET/v1/check, which is no route of the template");
  }

  @Test
  void catchesARouteThatNoPolicyGrants() {
    caught(t -> {
      ObjectNode extra = ((ObjectNode) properties(t, "RateCheckFunction").path("Events")).putObject("Admin");
      extra.put("Type", "HttpApi");
      ObjectNode event = extra.putObject("Properties");
      event.set("ApiId", TemplateChecks.ref("HttpApi"));
      event.put("Path", "/v1/admin/{creatorId}").put("Method", "POST");
    }, AccessChecks::routeGrantGaps, "route POST /v1/admin/{creatorId} is granted by no policy");
    List<String> violations = caught(t -> grants(t, "OperatorInvokePolicy").remove(grants(t, "OperatorInvokePolicy")
        .size() - 1), AccessChecks::routeGrantGaps, "route GET /test-redis is granted by no policy");
    assertEquals(1, violations.size(), String.join("\n", violations));
  }

  @Test
  void catchesAMissingCallerPolicyOutput() {
    caught(t -> ((ObjectNode) t.path("Outputs")).remove("CallerInvokePolicyArn"), AccessChecks::callerPolicyGaps,
        "no output with the ARN of CallerInvokePolicy");
  }

  @Test
  void catchesAFunctionWithoutSnapStart() {
    caught(t -> globalFunction(t).remove("SnapStart"),
        TemplateChecks::snapStartGaps, "RateCheckFunction has no SnapStart", "ConnectionTestFunction has no SnapStart");
  }

  @Test
  void catchesSecretsInEnvironmentVariables() {
    caught(t -> ((ObjectNode) globalFunction(t).path("Environment").path("Variables"))
            .put("REDIS_PASSWORD", "hunter2")
            .put("REDIS_AUTH", "{{resolve:secretsmanager:ai-rate-limiter/dev/redis-auth}}")
            .put("CACHE_KEY", "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTA="),
        TemplateChecks::secretsInEnvironment,
        "REDIS_PASSWORD is named like a secret", "REDIS_AUTH resolves a secret", "CACHE_KEY holds a literal");
  }

  @Test
  void catchesAWildcardResourceInAFunctionPolicy() {
    caught(t -> {
      // Policies[0] is !If [UseSecret, {Statement: [...]}, !Ref AWS::NoValue]
      ObjectNode statement = (ObjectNode) properties(t, "RateCheckFunction").path("Policies").path(0)
          .path("Fn::If").path(1).path("Statement").path(0);
      statement.put("Resource", "*");
    }, TemplateChecks::iamBeyondLeastPrivilege, "RateCheckFunctionRole allows", "wildcard resource \"*\"");
  }

  @Test
  void catchesAnExtraManagedPolicyOnAFunctionRole() {
    caught(t -> ((ArrayNode) properties(t, "ConnectionTestFunction").path("Policies"))
            .add("arn:aws:iam::aws:policy/AmazonElastiCacheFullAccess"),
        TemplateChecks::iamBeyondLeastPrivilege, "ConnectionTestFunctionRole", "AmazonElastiCacheFullAccess");
  }

  @Test
  void catchesADurationAlarmOnTheAverageInsteadOfP99() {
    caught(t -> properties(t, "RateCheckDurationAlarm").put("Statistic", "Average").remove("ExtendedStatistic"),
        TemplateChecks::alarmGaps, "p99 duration");
  }

  @Test
  void catchesARedisErrorsAlarmOnADimensionTheFunctionDoesNotEmit() {
    // Metrics[1] is the RedisErrors count the alarm's rate divides by the invocations
    caught(t -> ((ObjectNode) properties(t, "RateCheckRedisErrorsAlarm").path("Metrics").path(1).path("MetricStat")
            .path("Metric").path("Dimensions").path(0)).put("Value", "RateCheckFunction"),
        TemplateChecks::alarmGaps, "RedisErrors");
  }

  @Test
  void catchesAnAllAtOnceDeploymentOfTheRateCheckFunction() {
    caught(t -> ((ObjectNode) properties(t, "RateCheckFunction").path("DeploymentPreference")).put("Type", "AllAtOnce"),
        TemplateChecks::alarmGaps, "RateCheckFunctionDeploymentGroup deploys with CodeDeployDefault.LambdaAllAtOnce");
  }

  @Test
  void catchesAMissingSecurityGroupOutput() {
    caught(t -> ((ObjectNode) t.path("Outputs")).remove("FunctionSecurityGroupId"),
        TemplateChecks::outputGaps, "no output with the id of FunctionSecurityGroup");
  }
}
