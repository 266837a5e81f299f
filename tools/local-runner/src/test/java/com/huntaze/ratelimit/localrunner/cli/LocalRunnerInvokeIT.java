package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localredis.LocalRedisServer;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code invoke} end to end: a real function process on the real runtime interface client. */
class LocalRunnerInvokeIT {
  private static final Path DIR = Path.of("target/it-invoke").toAbsolutePath();
  private static Path template;

  @BeforeAll
  static void buildFunction() {
    template = TestFunctionPackage.create(DIR);
  }

  @Test
  void runsTheHandlerAsLambdaDoes() throws IOException {
    Run run = invoke(Map.of(), "{\"action\":\"ping\",\"n\":1}", "EchoFunction");

    assertEquals(0, run.exitCode, run.stderr);
    JsonNode output = run.json();
    assertEquals("{\"action\":\"ping\",\"n\":1}", output.get("input").toString());
    assertEquals("hello", output.get("greeting").asText());
    assertEquals("EchoFunction", output.get("functionName").asText());
    assertEquals("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction", output.get("functionArn").asText());
    assertEquals(256, output.get("memoryLimitInMB").asInt());
    long remaining = output.get("remainingTimeInMillis").asLong();
    assertTrue(remaining > 0 && remaining <= 2000, "Timeout: 2 gives the deadline, remaining " + remaining);
    // loaded by the RIC's class loader from the unpacked task root, as in Lambda
    assertEquals("com.amazonaws.services.lambda.runtime.api.client.CustomerClassLoader",
        output.get("classLoader").asText());
    JsonNode env = output.get("env");
    assertEquals(env.get("LAMBDA_TASK_ROOT").asText(), output.get("userDir").asText());
    assertEquals("yes", output.get("testProperty").asText(), "JAVA_TOOL_OPTIONS from the template applies");
    assertEquals("us-east-1", env.get("AWS_REGION").asText());
    assertEquals("$LATEST", env.get("AWS_LAMBDA_FUNCTION_VERSION").asText());
    assertEquals(TestFunctionPackage.HANDLERS + "EchoHandler::handleRequest", env.get("_HANDLER").asText());
    assertEquals(":UTC", env.get("TZ").asText());
    assertFalse(env.has("AWS_ACCESS_KEY_ID"), "no credentials");
    assertFalse(env.has("HOME"), "nothing of the runner's environment");
    // the local redis-server the runner started
    assertEquals("127.0.0.1", env.get("REDIS_HOST").asText());
    assertNotEquals("6379", env.get("REDIS_PORT").asText());
    assertEquals("false", env.get("REDIS_TLS").asText());
    assertEquals("+PONG", output.get("redisPing").asText());
    assertTrue(run.stderr.contains("Redis: local redis-server at 127.0.0.1:" + env.get("REDIS_PORT").asText()),
        run.stderr);
    assertTrue(run.stderr.contains("START RequestId: " + output.get("requestId").asText()), run.stderr);
    assertTrue(run.stderr.contains("REPORT RequestId: " + output.get("requestId").asText()), run.stderr);
    assertTrue(run.stderr.contains("echo handler got {action=ping, n=1}"), "function logs go to stderr");
  }

  @Test
  void overridesEnvVarsFileAndRedisFromTheEnvironmentReachTheFunction() throws IOException {
    Path envVars = DIR.resolve("env.json");
    Files.writeString(envVars, "{\"Parameters\": {\"EXTRA\": \"for all\"}, \"EchoFunction\": {\"GREETING\": \"from file\"}}");

    Run withFile = invoke(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", "6390", "REDIS_PASSWORD", "pw"), "{}",
        "EchoFunction", "--env-vars", envVars.toString(), "--parameter-overrides", "Greeting=no-property");

    assertEquals(0, withFile.exitCode, withFile.stderr);
    JsonNode output = withFile.json();
    assertEquals("from file", output.get("greeting").asText());
    assertEquals("for all", output.get("extra").asText());
    assertFalse(output.hasNonNull("testProperty"), "!If chose AWS::NoValue");
    assertEquals("6390", output.get("env").get("REDIS_PORT").asText());
    assertEquals("pw", output.get("env").get("REDIS_PASSWORD").asText());
    assertEquals("false", output.get("env").get("REDIS_TLS").asText(), "not set: a local server's, not the template's");
    assertTrue(withFile.stderr.contains("Redis: 127.0.0.1:6390 from REDIS_HOST in your environment; assumed"
        + " REDIS_TLS=false, REDIS_AUTH_MODE=none, REDIS_CLUSTER_MODE=false"), withFile.stderr);
    assertFalse(withFile.stderr.contains("local redis-server"), withFile.stderr);
  }

  @Test
  void severalEventsRunInOrderOnOneWarmFunctionEachRepeated() throws IOException {
    Path first = Files.writeString(DIR.resolve("first.json"), "{\"step\":1}");
    Path second = Files.writeString(DIR.resolve("second.json"), "{\"step\":2}");

    Run run = run(Map.of(), "", "invoke", "EchoFunction", "-e", first.toString(), "-e", second.toString(),
        "--repeat", "2", "--template", template.toString());

    assertEquals(0, run.exitCode, run.stderr);
    List<JsonNode> answers = run.jsonLines();
    assertEquals(List.of(1, 1, 2, 2), answers.stream().map(a -> a.get("input").get("step").asInt()).toList());
    assertEquals(1, answers.stream().map(a -> a.get("instance").asLong()).distinct().count(), "one warm process");
    assertEquals(1, countOf(run.stderr, "Redis: local redis-server"), "one Redis for all of them");
    assertTrue(run.stderr.contains("Invocation 4/4 (" + second + "): ok"), run.stderr);
  }

  @Test
  void aRedisUrlPasswordReachesAProtectedServerThroughAFileOnlyTheUserCanRead() throws IOException {
    String password = "local-url-pw-" + System.nanoTime();
    try (LocalRedisServer server = LocalRedisServer.builder().aclUser("limiter on >" + password + " ~* +@all")
        .start()) {
      Run run = invoke(Map.of(), "{\"action\":\"ping\"}", "EchoFunction", "--redis-url",
          "redis://limiter:" + password + "@127.0.0.1:" + server.port());

      assertEquals(0, run.exitCode, run.stderr);
      JsonNode output = run.json();
      assertEquals("+PONG", output.get("redisPing").asText());
      assertEquals("password", output.get("env").get("REDIS_AUTH_MODE").asText());
      assertEquals("limiter", output.get("env").get("REDIS_USER").asText());
      assertEquals("rw-------", output.get("passwordFilePermissions").asText());
      assertFalse(output.get("passwordInEnvironment").asBoolean(), "never in an environment variable");
      assertFalse(run.stderr.contains(password), "never in a log line");
      assertTrue(run.stderr.contains("Redis: redis://limiter:****@127.0.0.1:" + server.port() + " from --redis-url"),
          run.stderr);
      assertFalse(Files.exists(Path.of(output.get("env").get("REDIS_PASSWORD_FILE").asText())),
          "deleted when the run ends");
    }
  }

  @Test
  void redisParameterOverridesAreHonouredAndNoLocalServerIsStarted() throws IOException {
    try (LocalRedisServer server = LocalRedisServer.startStandalone()) {
      Run run = invoke(Map.of(), "{\"action\":\"ping\"}", "EchoFunction", "--parameter-overrides",
          "RedisEndpoint=127.0.0.1 RedisPort=" + server.port());

      assertEquals(0, run.exitCode, run.stderr);
      assertEquals("+PONG", run.json().get("redisPing").asText());
      assertEquals(Integer.toString(server.port()), run.json().get("env").get("REDIS_PORT").asText());
      assertTrue(run.stderr.contains("Redis: 127.0.0.1:" + server.port()
          + " from --parameter-overrides RedisEndpoint, RedisPort"), run.stderr);
      assertFalse(run.stderr.contains("local redis-server"), run.stderr);
    }
  }

  @Test
  void aNamedRedisThatDoesNotAnswerIsOneLineNotAStackTrace() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    Run run = invoke(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(freePort)), "{}",
        "EchoFunction");

    assertEquals(0, run.exitCode, run.stderr);
    assertEquals(1, countOf(run.stderr, "Redis: nothing answers at 127.0.0.1:" + freePort), run.stderr);
    assertFalse(run.stderr.contains("\tat "), run.stderr);
  }

  @Test
  void twoWaysOfNamingRedisAreAClearUsageError() {
    Run run = invoke(Map.of(), "{}", "EchoFunction", "--redis-url", "redis://127.0.0.1:6390",
        "--parameter-overrides", "RedisEndpoint=127.0.0.1");

    assertEquals(2, run.exitCode);
    assertEquals("Redis is named twice, by --redis-url and by --parameter-overrides RedisEndpoint: keep one",
        run.stderr.strip());
  }

  @Test
  void aFunctionErrorPrintsTheErrorAndExits1() throws IOException {
    Run run = invoke(Map.of(), "{\"action\":\"fail\"}", "EchoFunction");

    assertEquals(1, run.exitCode, run.stderr);
    assertEquals("boom", run.json().get("errorMessage").asText());
    assertEquals("java.lang.IllegalStateException", run.json().get("errorType").asText());
  }

  @Test
  void anInitErrorPrintsTheErrorAndExits1() throws IOException {
    Run run = invoke(Map.of(), "{}", "BrokenInitFunction");

    assertEquals(1, run.exitCode, run.stderr);
    assertEquals("java.lang.ExceptionInInitializerError", run.json().get("errorType").asText());
    assertTrue(run.stderr.contains("cannot initialise on purpose"), run.stderr);
  }

  @Test
  void aTimeoutKillsTheFunctionAndExits1() throws IOException {
    long start = System.nanoTime();
    Run run = invoke(Map.of(), "{\"action\":\"sleep\",\"millis\":30000}", "EchoFunction");

    assertEquals(1, run.exitCode, run.stderr);
    assertEquals("Sandbox.Timedout", run.json().get("errorType").asText());
    assertTrue(run.json().get("errorMessage").asText().endsWith("Task timed out after 2.00 seconds"));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 15_000, "did not wait for the handler");
  }

  @Test
  void aLargeResponseComesBackWhole() throws IOException {
    Run run = invoke(Map.of(), "{\"action\":\"big\"}", "EchoFunction");

    assertEquals(0, run.exitCode, run.stderr);
    assertEquals(100_000, run.json().get("big").asText().length());
  }

  @Test
  void setupProblemsExit2WithAMessage() {
    Run unknown = invoke(Map.of(), "{}", "NoSuchFunction");
    assertEquals(2, unknown.exitCode);
    assertTrue(unknown.stderr.contains("No function 'NoSuchFunction'"), unknown.stderr);

    Run notJson = invoke(Map.of(), "not json", "EchoFunction");
    assertEquals(2, notJson.exitCode);
    assertTrue(notJson.stderr.contains("is not JSON"), notJson.stderr);
  }

  /** Runs {@code invoke <function> -e - --template ...} with the event on stdin. */
  private static Run invoke(Map<String, String> runnerEnvironment, String event, String function, String... more) {
    List<String> args = new ArrayList<>(List.of("invoke", function, "-e", "-", "--template", template.toString()));
    args.addAll(List.of(more));
    return run(runnerEnvironment, event, args.toArray(String[]::new));
  }

  private static Run run(Map<String, String> runnerEnvironment, String stdin, String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exitCode = LocalRunner.run(List.of(arguments), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
          stdout, stderr, runnerEnvironment);
    }
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static int countOf(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private record Run(int exitCode, String stdout, String stderr) {
    JsonNode json() throws IOException {
      return Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    }

    List<JsonNode> jsonLines() throws IOException {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        lines.add(Json.parse(line.getBytes(StandardCharsets.UTF_8)));
      }
      return lines;
    }
  }
}
