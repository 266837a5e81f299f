package com.huntaze.ratelimit.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.it.MotoServer;
import com.huntaze.ratelimit.localrunner.cli.LocalRunner;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The doctor against seeded accounts in a real moto_server: the good setup and one fault at a time, each
 * asserting the finding that names it (id and status) and the exit code. The human table of each run is
 * written to target/doctor-output/ (the README's sample output comes from there).
 */
class DoctorIT {
  private static final Optional<Path> MOTO = MotoServer.find();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MotoServer moto;

  @TempDir
  Path dir;
  private AwsClients aws;
  private SeededAccount account;

  @BeforeAll
  static void start() {
    if (MOTO.isPresent()) {
      moto = MotoServer.start(MOTO.get());
    }
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void seed() {
    Prerequisites.require(MOTO.isPresent(), "the doctor's tests need the AWS API emulator moto_server on PATH"
        + " (pip install 'moto[server]')");
    moto.reset();
    aws = clients(Region.US_EAST_1);
    account = new SeededAccount(aws);
  }

  @AfterEach
  void close() {
    if (aws != null) {
      aws.close();
    }
  }

  private static AwsClients clients(Region region) {
    return new AwsClients(region, StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
        Optional.of(moto.endpoint()));
  }

  /** One doctor run: its exit code, its JSON findings, and its table saved under target/doctor-output/NAME.txt. */
  private record Run(int exitCode, JsonNode json, String table) {
    String status(String id) {
      for (JsonNode f : json.get("findings")) {
        if (f.get("id").asText().equals(id)) {
          return f.get("status").asText();
        }
      }
      return "(no finding " + id + ")";
    }

    List<String> failed() {
      List<String> ids = new ArrayList<>();
      json.get("findings").forEach(f -> {
        if ("fail".equals(f.get("status").asText())) {
          ids.add(f.get("id").asText() + ": " + f.get("message").asText());
        }
      });
      return ids;
    }
  }

  private Run doctor(String name, String samconfig, String... extra) throws IOException {
    Path file = dir.resolve("samconfig.toml");
    Files.writeString(file, samconfig);
    List<String> args = new ArrayList<>(List.of("--samconfig", file.toString(), "--config-env", "dev",
        "--endpoint-url", moto.endpoint().toString()));
    args.addAll(List.of(extra));
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    int tableCode = Doctor.run(args.toArray(String[]::new), new PrintStream(table, true, StandardCharsets.UTF_8),
        System.err, spec -> clients(spec.region()));
    args.add("--json");
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    int jsonCode = Doctor.run(args.toArray(String[]::new), new PrintStream(json, true, StandardCharsets.UTF_8),
        System.err, spec -> clients(spec.region()));
    assertEquals(tableCode, jsonCode, "the same exit code with and without --json");
    String text = table.toString(StandardCharsets.UTF_8);
    Path out = Path.of("target", "doctor-output");
    Files.createDirectories(out);
    Files.writeString(out.resolve(name + ".txt"), text);
    return new Run(jsonCode, JSON.readTree(json.toString(StandardCharsets.UTF_8)), text);
  }

  private void assertFinding(Run run, String id, String status) {
    assertEquals(status, run.status(id), id + " in\n" + run.table());
  }

  @Test
  void aGoodAccountHasNoFailingFinding() throws IOException {
    account.network().natRoute().securityGroups().cache(true);

    Run run = doctor("good", account.samconfig());

    assertEquals(List.of(), run.failed(), run.table());
    assertEquals(0, run.exitCode());
    assertTrue(run.json().get("ok").asBoolean());
    for (String id : List.of("aws.identity", "cache.exists", "cache.status", "cache.engine", "cache.tls", "cache.auth",
        "cache.multi-az", "cache.subnet-group", "subnets.vpc", "subnets.zones", "subnets.egress",
        "subnets.route-table-associations", "sg.open-world", "sg.cache-port", "params.tls", "params.cluster-mode",
        "params.auth-mode", "params.endpoint", "params.port")) {
      assertFinding(run, id, "pass");
    }
    // moto 5.2.1's DescribeCacheClusters leaves out SecurityGroups: reported as unknown, not guessed
    assertFinding(run, "sg.cache-group", "unknown");
  }

  @Test
  void theCachePortOpenToTheWorldFails() throws IOException {
    account.network().natRoute().securityGroups().openToTheWorld().cache(true);

    Run run = doctor("open-security-group", account.samconfig());

    assertFinding(run, "sg.open-world", "fail");
    assertEquals(1, run.exitCode());
    assertFalse(run.json().get("ok").asBoolean());
    assertTrue(run.table().contains("aws ec2 revoke-security-group-ingress --group-id " + account.cacheGroup), run.table());
  }

  @Test
  void aCacheWithoutTlsFailsWhenSamconfigSaysTls() throws IOException {
    account.network().natRoute().securityGroups().cache(false);

    Run run = doctor("no-tls", account.samconfig("RedisTls=true"));

    assertFinding(run, "params.tls", "fail");
    assertFinding(run, "cache.tls", "warn");
    assertEquals(1, run.exitCode());
  }

  @Test
  void functionSubnetsInAnotherVpcFail() throws IOException {
    account.network().natRoute().securityGroups().cache(true);
    List<String> elsewhere = account.subnetsOfAnotherVpc();

    Run run = doctor("other-vpc", account.samconfig("FunctionSubnetIds=" + String.join(",", elsewhere)));

    assertFinding(run, "subnets.vpc", "fail");
    assertEquals(1, run.exitCode());
  }

  @Test
  void secretAuthWithoutNatOrEndpointFails() throws IOException {
    account.network().securityGroups().cache(true);   // no natRoute(): the subnets use the main table (local only)

    Run run = doctor("no-egress", account.samconfig("RedisAuthMode=secret", "CreateNatGateway=false"));

    assertFinding(run, "subnets.egress", "fail");
    assertEquals(1, run.exitCode());
  }

  @Test
  void aSecretsManagerEndpointIsEnoughWithoutNat() throws IOException {
    account.network().securityGroups().cache(true);
    aws.ec2.createVpcEndpoint(r -> r.vpcId(account.vpcId).vpcEndpointType("Interface")
        .serviceName("com.amazonaws.us-east-1.secretsmanager").subnetIds(account.subnetA, account.subnetB)
        .privateDnsEnabled(true));

    Run run = doctor("endpoint", account.samconfig("RedisAuthMode=secret", "CreateNatGateway=false"));

    assertFinding(run, "subnets.egress", "pass");
  }

  @Test
  void theStacksOwnSecretsManagerEndpointIsEnoughWithoutNat() throws IOException {
    account.network().securityGroups().cache(true);

    Run run = doctor("stack-endpoint", account.samconfig("RedisAuthMode=secret", "CreateNatGateway=false",
        "CreateSecretsManagerEndpoint=true"));

    assertFinding(run, "subnets.egress", "pass");
  }

  @Test
  void aSecondSecretsManagerEndpointInTheVpcIsAWarning() throws IOException {
    account.network().securityGroups().cache(true);
    aws.ec2.createVpcEndpoint(r -> r.vpcId(account.vpcId).vpcEndpointType("Interface")
        .serviceName("com.amazonaws.us-east-1.secretsmanager").subnetIds(account.subnetA, account.subnetB)
        .privateDnsEnabled(true));

    Run run = doctor("second-endpoint", account.samconfig("RedisAuthMode=secret", "CreateNatGateway=false",
        "CreateSecretsManagerEndpoint=true"));

    assertFinding(run, "subnets.egress", "warn");
    assertTrue(run.table().contains("CreateSecretsManagerEndpoint=false"), run.table());
  }

  /** A fail, not a warn: CloudFormation cannot add a second association to a subnet, so the deploy rolls back. */
  @Test
  void anExplicitRouteTableAssociationFailsWhenTheStackCreatesTheNat() throws IOException {
    account.network().natRoute().securityGroups().cache(true);

    Run run = doctor("explicit-association", account.samconfig("CreateNatGateway=true"));

    assertFinding(run, "subnets.route-table-associations", "fail");
    assertTrue(run.table().contains("aws ec2 disassociate-route-table --association-id rtbassoc-"), run.table());
    assertEquals(1, run.exitCode());
  }

  /**
   * The stack's status and outputs. Its alarms' states cannot be tested here: moto 5.2.1 creates no alarm from a
   * stack's template (this stack lists none, a warning) and answers 404 to the protocol this SDK's CloudWatch
   * client speaks.
   */
  @Test
  void afterDeployTheStacksStatusAndOutputsAreChecked() throws IOException {
    account.network().natRoute().securityGroups().cache(true);
    aws.cloudFormation.createStack(r -> r.stackName("rl-dev").templateBody("""
        {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
         "Outputs": {"ApiUrl": {"Value": "https://abc.execute-api.us-east-1.amazonaws.com"}}}"""));

    Run run = doctor("stack", account.samconfig(), "--stack", "rl-dev");

    assertFinding(run, "stack.status", "pass");
    assertFinding(run, "stack.outputs", "warn");   // ApiUrl alone: the template's other outputs are missing
    assertTrue(run.table().contains("ApiUrl=https://abc.execute-api"), run.table());
    assertFinding(run, "stack.alarms", "warn");
    assertFinding(run, "stack.test-redis", "fail");   // ApiUrl answers nothing: no API behind it
  }

  /** The signed GET /test-redis, sent to the real local API (its connection-test function on a real redis-server). */
  @Test
  void afterDeployTheSignedConnectionTestThroughTheStacksApiPasses() throws IOException {
    account.network().natRoute().securityGroups().cache(true);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Path template = Path.of("../../template.yaml").toAbsolutePath().normalize();
    try (LocalRunner.RunningApi api = LocalRunner.startApi(List.of("--port", "0", "--template", template.toString()),
        quiet, quiet, Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"))) {
      // the local API checks the doctor's SigV4 signature against the same pair, as API Gateway would
      aws.cloudFormation.createStack(r -> r.stackName("rl-dev").templateBody("""
          {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
           "Outputs": {"ApiUrl": {"Value": "%s"}}}""".formatted(api.baseUrl())));

      Run run = doctor("stack-test-redis", account.samconfig(), "--stack", "rl-dev");

      assertFinding(run, "stack.test-redis", "pass");
      assertTrue(run.table().contains("PING PONG"), run.table());
    }
  }

  @Test
  void aStackThatIsNotThereFails() throws IOException {
    account.network().natRoute().securityGroups().cache(true);

    Run run = doctor("no-stack", account.samconfig(), "--stack", "rl-missing");

    assertFinding(run, "stack.status", "fail");
    assertEquals(1, run.exitCode());
  }

  @Test
  void aMissingCacheFails() throws IOException {
    account.network().natRoute().securityGroups();

    Run run = doctor("no-cache", account.samconfig("CacheEndpoint=nothing.here.cache.amazonaws.com"));

    assertFinding(run, "cache.exists", "fail");
    assertFinding(run, "params", "skipped");
    assertEquals(1, run.exitCode());
  }
}
