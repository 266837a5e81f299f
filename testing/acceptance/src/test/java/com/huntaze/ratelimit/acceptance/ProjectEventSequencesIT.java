package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.cli.LocalRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The event table's rows that depend on an earlier call, run with the exact commands the README gives
 * (tools/local from the repository root, the packaged jars, a real redis-server): each command is one
 * run, so its events share one warm function and one Redis.
 */
class ProjectEventSequencesIT {
  private static final String INVOKE = "tools/local invoke RateCheckFunction ";

  private static ToolsLocal.Run run(String commandLine) throws Exception {
    ToolsLocal.Run run = ToolsLocal.run(commandLine, Map.of());
    assertEquals(0, run.exitCode(), commandLine + "\n" + run.stderr());
    return run;
  }

  @Test
  void aRetriedRequestIdIsReplayed() throws Exception {
    ToolsLocal.Run run = run(INVOKE + "-e events/check-with-request-id.json --repeat 2");

    assertEquals(2, run.answers().size());
    assertEquals(false, run.body(0).path("replayed").asBoolean());
    assertEquals(true, run.body(1).path("replayed").asBoolean());
    assertEquals(run.body(0).path("limits").toString(), run.body(1).path("limits").toString(), "nothing charged");
  }

  @Test
  void theFreeBurstIsDeniedOnTheEleventhCall() throws Exception {
    ToolsLocal.Run run = run(INVOKE + "-e events/check-free-burst.json --repeat 11");

    for (int i = 0; i < 10; i++) {
      assertEquals(200, run.status(i), "call " + (i + 1));
    }
    assertEquals(429, run.status(10));
    assertTrue(run.answers().get(10).path("headers").path("Retry-After").asInt() >= 1, run.answers().get(10).toString());
    assertEquals("requests-per-minute", run.body(10).path("deniedBy").asText());
  }

  @Test
  void aSettleAfterItsReservationAdjustsOnceAndIsReplayedAfter() throws Exception {
    ToolsLocal.Run run = run(INVOKE + "-e events/check-reserve-model.json -e events/settle.json -e events/settle.json");

    assertEquals(4000, run.body(0).path("maxOutputTokens").asInt());
    assertEquals(200, run.status(1));
    assertTrue(run.body(1).toString().contains("\"result\":\"adjusted\""), run.body(1).toString());
    assertTrue(run.body(1).toString().contains("\"applied\":-3700"), run.body(1).toString());
    assertEquals(true, run.body(2).path("replayed").asBoolean(), run.body(2).toString());
  }

  @Test
  void aReleaseFreesTheLeaseOrSaysTheSettleDid() throws Exception {
    ToolsLocal.Run released = run(INVOKE + "-e events/check-reserve-model.json -e events/release.json");
    ToolsLocal.Run afterSettle = run(INVOKE + "-e events/check-reserve-model.json -e events/settle.json"
        + " -e events/release.json");

    assertTrue(released.body(1).toString().contains("\"result\":\"released\""), released.body(1).toString());
    assertTrue(afterSettle.body(2).toString().contains("\"result\":\"freed-by-settle\""),
        afterSettle.body(2).toString());
  }

  @Test
  void aSecondGenerationIsDeniedWhileTheFreePlansLeaseIsHeld() throws Exception {
    ToolsLocal.Run run = run(INVOKE + "-e events/check-reserve-free.json -e events/check-concurrency-denied.json");

    assertEquals(200, run.status(0));
    assertEquals(429, run.status(1));
    assertEquals("generations-in-flight", run.body(1).path("deniedBy").asText());
  }

  @Test
  void anOverrideIsReadAfterItIsPutAndGoneAfterItIsDeleted() throws Exception {
    // the event's expiry must stay within a year of the day the suite runs: a copy with a nearer one
    Path put = Project.ROOT.resolve("testing/acceptance/target/overrides-put.json");
    Files.createDirectories(put.getParent());
    Files.writeString(put, Files.readString(Project.EVENTS.resolve("overrides-put.json")).replace(
        "2027-01-31T00:00:00Z", Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString()));

    ToolsLocal.Run run = run(INVOKE + "-e " + Project.ROOT.relativize(put) + " -e events/overrides-get.json"
        + " -e events/overrides-delete.json -e events/overrides-get.json");

    assertEquals(200, run.status(0), run.answers().get(0).toString());
    assertEquals(200, run.status(1));
    assertEquals("campaign", run.body(1).path("reason").asText());
    assertEquals(true, run.body(2).path("removed").asBoolean());
    assertEquals(404, run.status(3));
  }

  @Test
  void invokeRunsShareTheRedisStartApiPrints() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (LocalRunner.RunningApi api = LocalRunner.startApi(List.of("--port", "0", "--no-auth", "--template",
        Project.TEMPLATE.toString()), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8), Map.of())) {
      Matcher printed = Pattern.compile("--redis-url (redis://\\S+)\\)").matcher(log.toString(StandardCharsets.UTF_8));
      assertTrue(printed.find(), log.toString(StandardCharsets.UTF_8));
      String shared = " --redis-url " + printed.group(1);

      ToolsLocal.Run first = run(INVOKE + "-e events/check-with-request-id.json" + shared);
      ToolsLocal.Run second = run(INVOKE + "-e events/check-with-request-id.json" + shared);
      HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(api.baseUrl() + "/v1/limits/creator-123?tier=pro")).build(), HttpResponse.BodyHandlers.ofString());

      assertEquals(false, first.body(0).path("replayed").asBoolean());
      assertEquals(true, second.body(0).path("replayed").asBoolean(), "the second run sees the first one's Redis");
      assertTrue(second.stderr().contains("from --redis-url") && !second.stderr().contains("local redis-server"),
          second.stderr());
      assertTrue(status.body().contains("\"remaining\":59"), "start-api sees the invoke runs' check: " + status.body());
    }
  }
}
