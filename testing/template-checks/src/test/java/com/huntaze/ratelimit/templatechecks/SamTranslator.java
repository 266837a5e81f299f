package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SAM transform (aws-sam-translator, the library behind `sam validate` and `sam deploy`), run
 * offline by src/test/resources/transform_template.py in the machine's Python.
 */
final class SamTranslator {
  /** -Dtemplatechecks.python=/path/to/python3 when the Python with samtranslator is not first on PATH. */
  static final String PYTHON = System.getProperty("templatechecks.python", "python3");

  private static final Map<Map<String, String>, CfnTemplate> PROJECT_TEMPLATE = new ConcurrentHashMap<>();
  private static volatile Path script;
  private static volatile Boolean available;

  private SamTranslator() {
  }

  /** Skips (a user's machine) or fails (CI=true) the calling test when Python or samtranslator is missing. */
  static void require() {
    if (available == null) {
      available = Processes.succeeds(List.of(PYTHON, "-c", "import samtranslator"), RepoRoot.get());
    }
    Prerequisites.require(available,
        "Python 3 with the AWS SAM translator (pip install aws-sam-translator, or pip install cfn-lint, "
            + "which brings it); -Dtemplatechecks.python=... names another interpreter");
  }

  /** template.yaml, transformed with these parameter values (cached: the file does not change during a run). */
  static CfnTemplate projectTemplate(Map<String, String> parameters) {
    return PROJECT_TEMPLATE.computeIfAbsent(new TreeMap<>(parameters),
        p -> transform(RepoRoot.template(), p));
  }

  /** A (mutated) template given as a JSON tree, transformed with these parameter values. */
  static CfnTemplate transform(JsonNode template, Map<String, String> parameters) {
    try {
      Path file = Files.createTempFile("template-checks-", ".json");
      try {
        TemplateJson.JSON.writeValue(file.toFile(), template);
        return transform(file, parameters);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CfnTemplate transform(Path template, Map<String, String> parameters) {
    try {
      Processes.Result result = Processes.run(
          List.of(PYTHON, script().toString(), template.toString()),
          RepoRoot.get(),
          Map.of("AWS_DEFAULT_REGION", "us-east-1"),
          TemplateJson.JSON.writeValueAsString(parameters),
          Duration.ofSeconds(60));
      if (result.exitCode() != 0) {
        throw new AssertionError("The SAM transform rejected " + template + " (exit " + result.exitCode()
            + ") with parameters " + parameters + ":\n" + result.output());
      }
      return new CfnTemplate(TemplateJson.JSON.readTree(result.stdout()), parameters);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The script as a file (the test resources may sit inside a jar when run from elsewhere). */
  private static synchronized Path script() throws IOException {
    if (script == null) {
      Path file = Files.createTempFile("transform_template-", ".py");
      file.toFile().deleteOnExit();
      try (InputStream in = SamTranslator.class.getResourceAsStream("/transform_template.py")) {
        if (in == null) {
          throw new IOException("transform_template.py is not on the test classpath");
        }
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      script = file;
    }
    return script;
  }
}
