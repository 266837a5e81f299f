package com.huntaze.ratelimit.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huntaze.ratelimit.localrunner.cli.EnvVarsFile;
import com.huntaze.ratelimit.localrunner.runtime.RedisSource;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README gives for {@code sam local} with Docker: tools/sam-local/env.json in the shape SAM's
 * --env-vars takes, naming only variables the template declares (SAM ignores the others), with the
 * settings of a plain local Redis; and the one-line x86_64 copy of the template.
 */
class SamLocalFilesTest {
  static final Path SAM_ENV = Project.ROOT.resolve("tools/sam-local/env.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theEnvFileHasSamsShapeAndNamesOnlyVariablesEveryFunctionDeclares() throws Exception {
    JsonNode root = JSON.readTree(SAM_ENV.toFile());
    SamTemplate template = SamTemplate.read(Project.TEMPLATE);

    assertTrue(root.isObject() && !root.isEmpty(), root.toString());
    root.fields().forEachRemaining(section -> {
      assertTrue(section.getKey().equals(EnvVarsFile.ALL_FUNCTIONS)
          || template.functionIds().contains(section.getKey()), "a logical id or Parameters: " + section.getKey());
      assertTrue(section.getValue().isObject(), section.getKey());
      section.getValue().fields().forEachRemaining(variable -> {
        assertTrue(variable.getValue().isTextual(), "SAM's values are strings: " + variable);
        for (String function : template.functionIds()) {
          if (section.getKey().equals(EnvVarsFile.ALL_FUNCTIONS) || section.getKey().equals(function)) {
            assertTrue(template.function(function, Map.of()).declares(variable.getKey()),
                function + " declares " + variable.getKey() + ", or SAM would drop it");
          }
        }
      });
    });
  }

  @Test
  void theEnvFileGivesEveryFunctionThePlainLocalRedisSettingsThroughDocker() {
    EnvVarsFile envVars = EnvVarsFile.read(SAM_ENV);
    SamTemplate template = SamTemplate.read(Project.TEMPLATE);

    for (String function : template.functionIds()) {
      Map<String, String> expected = new LinkedHashMap<>(RedisSource.LOCAL_DEFAULTS);
      expected.put("REDIS_HOST", "host.docker.internal");
      assertEquals(expected, envVars.variablesFor(function), function);
    }
  }

  @Test
  void theX8664CopyOfTheTemplateChangesTheArchitectureAndNothingElse(@TempDir Path dir) throws Exception {
    // the command of the README's "sam local with Docker" section, written to a scratch directory
    String command = "sed 's/^    Architectures: \\[arm64\\]$/    Architectures: [x86_64]/' template.yaml > "
        + dir.resolve("template-x86_64.yaml");
    Process sed = new ProcessBuilder("bash", "-c", command).directory(Project.ROOT.toFile())
        .redirectErrorStream(true).start();
    assertTrue(sed.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, sed.exitValue(), new String(sed.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

    String original = Files.readString(Project.TEMPLATE);
    String copy = Files.readString(dir.resolve("template-x86_64.yaml"));
    assertEquals(1, original.split("\n    Architectures: \\[arm64\\]\n", -1).length - 1, "one line to change");
    assertFalse(copy.contains("arm64"), "no arm64 left");
    assertEquals(original.replace("    Architectures: [arm64]\n", "    Architectures: [x86_64]\n"), copy);
  }
}
