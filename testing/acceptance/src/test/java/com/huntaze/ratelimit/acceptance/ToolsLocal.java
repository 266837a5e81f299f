package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a {@code tools/local ...} command line from the repository root as a user types it, on the built jars. */
final class ToolsLocal {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolsLocal() {
  }

  /** What one command line printed: its exit code, one JSON answer per stdout line, its log. */
  record Run(int exitCode, List<JsonNode> answers, String stderr) {
    int status(int index) {
      return answers.get(index).path("statusCode").asInt();
    }

    JsonNode body(int index) throws IOException {
      return JSON.readTree(answers.get(index).path("body").asText());
    }
  }

  /** {@code commandLine} split at spaces; no REDIS_* of this JVM's environment, plus {@code environment}. */
  static Run run(String commandLine, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(commandLine.split(" "))))
        .directory(Project.ROOT.toFile());
    builder.environment().put("LOCAL_SKIP_BUILD", "1"); // the reactor has just built the jars
    builder.environment().keySet().removeIf(name -> name.startsWith("REDIS_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try {
        process.getErrorStream().transferTo(stderr);
      } catch (IOException e) {
        // the process ended
      }
    });
    drain.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), commandLine);
    drain.join();
    List<JsonNode> answers = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isBlank()) {
        answers.add(JSON.readTree(line));
      }
    }
    return new Run(process.exitValue(), answers, stderr.toString(StandardCharsets.UTF_8));
  }
}
