package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** target/local-runner.jar as a user runs it: java -jar, runtime jars from target/runtime. */
class PackagedJarIT {
  private static final Path DIR = Path.of("target/it-jar").toAbsolutePath();
  private static final Path JAR = Path.of("target/local-runner.jar").toAbsolutePath();
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static Path template;

  @BeforeAll
  static void buildFunction() {
    assertTrue(Files.exists(JAR), "run the package phase first: " + JAR);
    template = TestFunctionPackage.create(DIR);
  }

  @Test
  void invokePrintsOnlyTheResponseOnStdout() throws Exception {
    Path event = DIR.resolve("event.json");
    Files.writeString(event, "{\"hello\":\"jar\"}");
    Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "invoke", "EchoFunction",
        "-e", event.toString(), "--template", template.toString())
        .redirectError(DIR.resolve("invoke.err").toFile())
        .start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), Files.readString(DIR.resolve("invoke.err")));
    JsonNode output = Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"hello\":\"jar\"}", output.get("input").toString());
    assertEquals("hello", output.get("greeting").asText());
  }

  @Test
  void startApiServesUntilStoppedAndLeavesNothingRunning() throws Exception {
    Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "start-api", "--port", "0", "--no-auth",
        "--template", template.toString())
        .redirectError(DIR.resolve("start-api.err").toFile())
        .start();
    try {
      String baseUrl = awaitBaseUrl(process);
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/items/7")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.body().contains("pathParameters={id=7}"), response.body());

      List<ProcessHandle> children = process.toHandle().descendants().toList();
      assertFalse(children.isEmpty(), "the function process and redis-server");
      process.destroy(); // SIGTERM, like Ctrl-C
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      long deadline = System.currentTimeMillis() + 10_000;
      while (children.stream().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "children stopped by the shutdown hook");
    } finally {
      process.destroyForcibly();
    }
  }

  private static String awaitBaseUrl(Process process) throws Exception {
    Pattern running = Pattern.compile("running at (http://\\S+)");
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
      Matcher matcher = running.matcher(line);
      if (matcher.find()) {
        return matcher.group(1);
      }
    }
    throw new AssertionError("start-api ended without serving: " + Files.readString(DIR.resolve("start-api.err")));
  }
}
