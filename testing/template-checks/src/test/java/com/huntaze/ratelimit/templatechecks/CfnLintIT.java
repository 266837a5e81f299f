package com.huntaze.ratelimit.templatechecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfn-lint (with its SAM transform) finds nothing in template.yaml: no error, no warning. */
class CfnLintIT {
  /** -Dtemplatechecks.cfnLint=/path/to/cfn-lint when it is not on PATH. */
  static final String CFN_LINT = System.getProperty("templatechecks.cfnLint", "cfn-lint");

  private static Boolean installed;

  @BeforeEach
  void cfnLintInstalled() {
    if (installed == null) {
      installed = Processes.succeeds(List.of(CFN_LINT, "--version"), RepoRoot.get());
    }
    Prerequisites.require(installed,
        "cfn-lint (pip install cfn-lint); -Dtemplatechecks.cfnLint=... names another executable");
  }

  /** Run from the project's top folder, as a user would (and so with any .cfnlintrc there). */
  static Processes.Result cfnLint(String template) throws IOException {
    return Processes.run(List.of(CFN_LINT, template), RepoRoot.get(), Map.of(), "", Duration.ofSeconds(120));
  }

  @Test
  void templateHasNoCfnLintErrorOrWarning() throws IOException {
    Processes.Result result = cfnLint("template.yaml");
    assertEquals(0, result.exitCode(), () -> "cfn-lint template.yaml exited " + result.exitCode() + ":\n" + result.output());
    assertEquals("", result.output().strip(), "cfn-lint template.yaml printed findings");
  }

  @Test
  void catchesAnErrorInACopy(@TempDir Path dir) throws IOException {
    ObjectNode copy = TemplateJson.load(RepoRoot.template());
    ((ObjectNode) copy.path("Outputs")).putObject("Broken").set("Value", TemplateChecks.ref("NoSuchResource"));
    Processes.Result result = cfnLint(write(dir, copy).toString());
    assertEquals(2, result.exitCode() & 2, () -> "expected an error (exit code bit 2):\n" + result.output());
    assertTrue(result.output().contains("NoSuchResource"), result.output());
  }

  @Test
  void catchesAWarningInACopy(@TempDir Path dir) throws IOException {
    ObjectNode copy = TemplateJson.load(RepoRoot.template());
    // the Ref in SourceSecurityGroupId already orders the two: W3005
    ((ObjectNode) copy.path("Resources").path("CacheIngressFromFunctions")).put("DependsOn", "FunctionSecurityGroup");
    Processes.Result result = cfnLint(write(dir, copy).toString());
    assertNotEquals(0, result.exitCode(), () -> "a warning must fail the check:\n" + result.output());
    assertTrue(result.output().contains("W3005"), result.output());
  }

  private static Path write(Path dir, ObjectNode template) throws IOException {
    Path file = dir.resolve("template.json");
    Files.writeString(file, TemplateJson.JSON.writeValueAsString(template));
    return file;
  }
}
