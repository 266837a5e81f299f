package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SAM's --env-vars file: Parameters for every function, a function's own section winning over them. */
class EnvVarsFileTest {
  @TempDir
  Path dir;

  @Test
  void readsSamsEnvVarsFormat() throws IOException {
    EnvVarsFile file = EnvVarsFile.read(write("""
        {"Parameters": {"LOG_LEVEL": "warn", "SHARED": "all"},
         "RateCheckFunction": {"LOG_LEVEL": "debug", "TOKENS": 500, "FLAG": true},
         "OtherFunction": {"LOG_LEVEL": "trace"}}
        """));

    assertEquals(Map.of("LOG_LEVEL", "debug", "SHARED", "all", "TOKENS", "500", "FLAG", "true"),
        file.variablesFor("RateCheckFunction"));
    assertEquals(Map.of("LOG_LEVEL", "warn", "SHARED", "all"), file.variablesFor("ConnectionTestFunction"));
  }

  @Test
  void aSectionThatIsNoObjectIsRejected() throws IOException {
    Path file = write("{\"RateCheckFunction\": \"x\"}");

    TemplateException error = assertThrows(TemplateException.class, () -> EnvVarsFile.read(file));
    assertTrue(error.getMessage().contains("RateCheckFunction"), error.getMessage());
  }

  private Path write(String json) throws IOException {
    Path file = dir.resolve("env.json");
    Files.writeString(file, json);
    return file;
  }
}
