package com.huntaze.ratelimit.templatechecks;

import static com.huntaze.ratelimit.templatechecks.TemplateChecks.ELASTICACHE_CONNECT;
import static com.huntaze.ratelimit.templatechecks.TemplateChecks.GET_SECRET_VALUE;
import static com.huntaze.ratelimit.templatechecks.TemplateChecks.SAM_DEFAULT_MANAGED_POLICIES;
import static com.huntaze.ratelimit.templatechecks.TemplateChecks.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml through the SAM transform (as `sam deploy` would submit it to CloudFormation), for
 * several sets of parameter values, against what the README's Deployment section says the stack creates.
 */
class TransformedTemplateIT {
  static final Set<String> DOCUMENTED_ROUTES = Set.of(
      "POST /v1/check", "POST /v1/settle", "POST /v1/release", "GET /v1/limits/{creatorId}",
      "DELETE /v1/limits/{creatorId}", "PUT /v1/overrides/{creatorId}", "GET /v1/overrides/{creatorId}",
      "DELETE /v1/overrides/{creatorId}", "PUT /v1/usage/{creatorId}", "ANY /v1/{proxy+}", "GET /test-redis");

  @BeforeEach
  void samTranslatorInstalled() {
    SamTranslator.require();
  }

  static Stream<Deployment> deployments() {
    return Stream.of(Deployment.secretAuthWithNat(), Deployment.secretAuthWithEndpoint(), Deployment.iamAuthWithoutNat(),
        Deployment.noAuthClusterMode());
  }

  static void assertHolds(List<String> violations) {
    assertEquals(List.of(), violations, () -> "violations:\n  " + String.join("\n  ", violations));
  }

  // ---- network ------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void noIngressFromTheWholeInternet(Deployment deployment) {
    assertHolds(TemplateChecks.ingressFromTheWholeInternet(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void cachePortIsOpenOnlyToTheFunctionsSecurityGroup(Deployment deployment) {
    assertHolds(TemplateChecks.cachePortOpenBeyondTheFunctions(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void everyFunctionRunsInTheFunctionSubnetsBehindItsSecurityGroup(Deployment deployment) {
    CfnTemplate t = deployment.template();
    assertEquals(2, t.resources("AWS::Lambda::Function").size(), "functions: " + t.resources("AWS::Lambda::Function").keySet());
    assertHolds(TemplateChecks.functionsOutsideTheVpc(t));
    t.resources("AWS::Lambda::Function").forEach((name, function) -> assertEquals(ref("FunctionSubnetIds"),
        function.path("Properties").path("VpcConfig").path("SubnetIds"), name + " subnets"));
  }

  @Test
  void natGatewayRoutesBothFunctionSubnetsToTheInternetWhenCreated() {
    assertHolds(TemplateChecks.natGaps(Deployment.secretAuthWithNat().template()));
  }

  @Test
  void noNatResourcesWhenTheSubnetsAlreadyRouteOut() {
    assertEquals(List.of(), TemplateChecks.natResources(Deployment.iamAuthWithoutNat().template()),
        "CreateNatGateway=false still creates");
  }

  // ---- API ----------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void everyRouteRequiresIamAuthorization(Deployment deployment) {
    assertHolds(TemplateChecks.routesWithoutIamAuthorization(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void theApiHasExactlyTheDocumentedRoutes(Deployment deployment) {
    assertEquals(new TreeSet<>(DOCUMENTED_ROUTES), TemplateChecks.routes(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void operatorsHaveTheirOwnPolicyForTheirRoutesAlone(Deployment deployment) {
    assertHolds(AccessChecks.operatorPolicyGaps(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void callersHaveTheirOwnPolicyForTheirRoutesAlone(Deployment deployment) {
    assertHolds(AccessChecks.callerPolicyGaps(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void everyRouteButTheCatchAllIsGrantedByExactlyOneOfTheTwoPolicies(Deployment deployment) {
    assertHolds(AccessChecks.routeGrantGaps(deployment.template()));
  }

  // ---- functions ----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void everyFunctionHasSnapStartAPublishedVersionAndALiveAliasTheApiInvokes(Deployment deployment) {
    assertHolds(TemplateChecks.snapStartGaps(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void noSecretInAnyEnvironmentVariable(Deployment deployment) {
    assertHolds(TemplateChecks.secretsInEnvironment(deployment.template()));
  }

  @Test
  void theAuthSecretIsPassedOnlyByItsIdFromAParameter() {
    CfnTemplate t = Deployment.secretAuthWithNat().template();
    for (String function : t.resources("AWS::Lambda::Function").keySet()) {
      Map<String, JsonNode> environment = TemplateChecks.environment(t, function);
      assertEquals(ref("RedisAuthSecretName"), environment.get("REDIS_AUTH_SECRET_ID"), function);
      assertFalse(t.parameterDeclaration("RedisAuthSecretName").path("NoEcho").asBoolean(false));
    }
  }

  @Test
  void noSecretIdWithoutSecretAuthentication() {
    for (Deployment deployment : List.of(Deployment.iamAuthWithoutNat(), Deployment.noAuthClusterMode())) {
      CfnTemplate t = deployment.template();
      for (String function : t.resources("AWS::Lambda::Function").keySet()) {
        assertFalse(TemplateChecks.environment(t, function).containsKey("REDIS_AUTH_SECRET_ID"),
            deployment + ": " + function + " gets REDIS_AUTH_SECRET_ID");
      }
    }
  }

  // ---- IAM ----------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void functionRolesAreLeastPrivilege(Deployment deployment) {
    CfnTemplate t = deployment.template();
    assertHolds(TemplateChecks.iamBeyondLeastPrivilege(t));
    for (String function : t.resources("AWS::Lambda::Function").keySet()) {
      assertEquals(new TreeSet<>(SAM_DEFAULT_MANAGED_POLICIES), TemplateChecks.managedPolicies(t, function),
          function + " managed policies");
    }
  }

  @Test
  void withSecretAuthenticationTheFunctionsMayOnlyReadTheSecret() {
    assertAllowedActions(Deployment.secretAuthWithNat(), Set.of(GET_SECRET_VALUE));
  }

  @Test
  void withIamAuthenticationTheFunctionsMayOnlyConnectToTheCache() {
    CfnTemplate t = assertAllowedActions(Deployment.iamAuthWithoutNat(), Set.of(ELASTICACHE_CONNECT));
    JsonNode role = t.resources().get("RateCheckFunctionRole");
    String statement = role.path("Properties").path("Policies").toString();
    assertTrue(statement.contains(":replicationgroup:${CacheName}") && statement.contains(":user:${RedisUser}"),
        "elasticache:Connect on the replication group and the user: " + statement);
  }

  @Test
  void withoutAuthenticationTheFunctionsHaveNoInlinePolicy() {
    assertAllowedActions(Deployment.noAuthClusterMode(), Set.of());
  }

  private static CfnTemplate assertAllowedActions(Deployment deployment, Set<String> expected) {
    CfnTemplate t = deployment.template();
    for (String function : t.resources("AWS::Lambda::Function").keySet()) {
      assertEquals(new TreeSet<>(expected), TemplateChecks.allowedActions(t, function),
          deployment + ": actions allowed to " + function);
    }
    return t;
  }

  // ---- alarms, deployment, outputs ----------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void alarmsWatchErrorsThrottlesLatency5xxAndRedisAndRollBackACanary(Deployment deployment) {
    assertHolds(TemplateChecks.alarmGaps(deployment.template()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void outputsNameTheApiUrlTheFunctionsTheirAliasesAndTheSecurityGroup(Deployment deployment) {
    assertHolds(TemplateChecks.outputGaps(deployment.template()));
  }
}
