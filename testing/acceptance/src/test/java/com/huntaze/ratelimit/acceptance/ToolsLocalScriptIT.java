package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/local itself, in a copy of the repository whose ./mvnw replays a real Maven run's output (so the
 * test takes seconds, not a build): progress on stderr while it builds, stdout left to the command, no
 * build when nothing changed, a failed build's last lines and exit 2. The runner is the real packaged jar.
 */
class ToolsLocalScriptIT {
  private static final Path RUNNER_JAR = Project.ROOT.resolve("tools/local-runner/target/local-runner.jar");
  /** Lines as `./mvnw -B -DskipTests -pl ... -am package` prints them (shortened). */
  private static final String MAVEN_OUTPUT = """
      [INFO] Scanning for projects...
      [INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/maven/plugins/x.pom
      [INFO] ---------------< com.huntaze.ratelimit:ai-rate-limiter >----------------
      [INFO] Building AI usage rate limiter (Lambda + ElastiCache) 1.0.0-SNAPSHOT [1/3]
      [INFO] ------------------< com.huntaze.ratelimit:rate-check >------------------
      [INFO] Building rate-check function 1.0.0-SNAPSHOT                        [2/3]
      [INFO] Downloading from central: https://repo.maven.apache.org/maven2/redis/clients/jedis/x.jar
      [INFO] Downloaded from central: https://repo.maven.apache.org/maven2/redis/clients/jedis/x.jar
      [INFO] Building jar: /repo/functions/rate-check/target/rate-check.jar
      [INFO] -----------------< com.huntaze.ratelimit:local-runner >-----------------
      [INFO] Building local-runner: Docker-free sam local invoke / start-api 1.0.0-SNAPSHOT [3/3]
      [INFO] BUILD SUCCESS
      """;

  @TempDir
  Path repo;

  @BeforeEach
  void copyTheScriptBesideAReplayingMaven() throws IOException {
    assertTrue(Files.exists(RUNNER_JAR), "package tools/local-runner first: " + RUNNER_JAR);
    Files.createDirectories(repo.resolve("tools"));
    executable(Files.copy(Project.ROOT.resolve("tools/local"), repo.resolve("tools/local")));
    Files.writeString(repo.resolve("maven-output.txt"), MAVEN_OUTPUT);
    executable(Files.writeString(repo.resolve("mvnw"), """
        #!/usr/bin/env bash
        echo "$*" >> mvnw.calls
        cat maven-output.txt
        if [[ -f fail ]]; then echo "[ERROR] COMPILATION ERROR: Rate.java:[3,1] class, interface expected"; exit 1; fi
        mkdir -p functions/rate-check/target functions/connection-test/target tools/local-runner/target
        touch functions/rate-check/target/rate-check.jar functions/connection-test/target/connection-test.jar
        cp "$RUNNER_JAR" tools/local-runner/target/local-runner.jar
        """));
    Files.createDirectories(repo.resolve("shared/src"));
    Files.writeString(repo.resolve("shared/src/Limiter.java"), "class Limiter {}");
  }

  private record Run(int exitCode, String stdout, String stderr) {
  }

  private Run local(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(repo.resolve("tools/local").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Project.ROOT.toFile())
        .redirectError(repo.resolve("stderr.txt").toFile());
    builder.environment().put("RUNNER_JAR", RUNNER_JAR.toString());
    builder.environment().remove("LOCAL_SKIP_BUILD");
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "tools/local " + String.join(" ", args));
    return new Run(process.exitValue(), stdout, Files.readString(repo.resolve("stderr.txt")));
  }

  private List<String> mavenCalls() throws IOException {
    Path calls = repo.resolve("mvnw.calls");
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  @Test
  void theFirstRunSaysWhatItBuildsAndShowsEachModuleOnStderr() throws Exception {
    Run run = local("--help");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().startsWith("Usage:\n  tools/local invoke"), "stdout is the command's alone: " + run.stdout());
    assertFalse(run.stdout().contains("[2/3]") || run.stdout().contains("building"), run.stdout());
    assertEquals(List.of("-B -DskipTests -pl functions/rate-check,functions/connection-test,tools/local-runner -am"
        + " package"), mavenCalls());
    assertTrue(run.stderr().startsWith("tools/local: building rate-check, connection-test and the local runner with"
        + " ./mvnw (the first build downloads Maven and the dependencies: a minute or two)\n"), run.stderr());
    assertTrue(run.stderr().contains(")\n" + """
                downloading dependencies...
          [1/3] ai-rate-limiter
          [2/3] rate-check
                downloading dependencies...
          [3/3] local-runner
        tools/local: built in"""), "one line per module, a note once per module that downloads:\n" + run.stderr());
  }

  @Test
  void nothingChangedMeansNoBuildAndAChangedSourceMeansOne() throws Exception {
    local("--help");
    Run unchanged = local("start-api", "--bogus");

    assertEquals(2, unchanged.exitCode(), "the runner's own answer");
    assertTrue(unchanged.stderr().startsWith("Unexpected argument '--bogus'"), unchanged.stderr());
    assertEquals(1, mavenCalls().size(), "no build when no source is newer than the jars");

    Instant earlier = Instant.now().minus(1, ChronoUnit.HOURS);
    for (String jar : List.of("functions/rate-check/target/rate-check.jar",
        "functions/connection-test/target/connection-test.jar", "tools/local-runner/target/local-runner.jar")) {
      Files.setLastModifiedTime(repo.resolve(jar), FileTime.from(earlier));
    }
    Run changed = local("start-api", "--bogus");

    assertEquals(2, mavenCalls().size(), "a source newer than the jars: built again");
    assertTrue(changed.stderr().startsWith("tools/local: building rate-check, connection-test and the local runner"
        + " with ./mvnw (a source changed since the last build)"), changed.stderr());
  }

  @Test
  void helpAndNoArgumentsNeedNoBuildOnceTheRunnerExists() throws Exception {
    local("--help");
    Files.setLastModifiedTime(repo.resolve("tools/local-runner/target/local-runner.jar"),
        FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));

    Run help = local("invoke", "--help");
    Run bare = local();

    assertEquals(0, help.exitCode());
    assertTrue(help.stdout().startsWith("Usage:"), help.stdout());
    assertEquals(2, bare.exitCode());
    assertEquals("", bare.stdout());
    assertTrue(bare.stderr().startsWith("Usage:"), bare.stderr());
    assertEquals(1, mavenCalls().size());
  }

  @Test
  void aFailedBuildShowsItsLastLinesAndExits2() throws Exception {
    Files.writeString(repo.resolve("fail"), "");

    Run run = local("invoke", "RateCheckFunction", "-e", "events/check-allowed.json");

    assertEquals(2, run.exitCode());
    assertEquals("", run.stdout());
    assertTrue(run.stderr().contains("tools/local: the build failed; its last lines (the whole log: "), run.stderr());
    assertTrue(run.stderr().contains("[ERROR] COMPILATION ERROR: Rate.java:[3,1]"), run.stderr());
  }

  private static Path executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
