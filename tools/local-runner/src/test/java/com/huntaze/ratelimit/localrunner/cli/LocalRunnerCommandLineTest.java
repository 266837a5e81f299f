package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line answers before any function starts: help, usage errors, a port in use. */
class LocalRunnerCommandLineTest {

  private record Run(int exitCode, String stdout, String stderr) {
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = LocalRunner.run(List.of(args), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndExits0() {
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {"invoke", "--help"}, {"start-api", "-h"}}) {
      Run run = run(args);
      assertEquals(0, run.exitCode(), String.join(" ", args));
      assertEquals(CliArguments.USAGE + "\n", run.stdout(), String.join(" ", args));
      assertEquals("", run.stderr());
    }
  }

  @Test
  void noArgumentsOrABadOneExit2WithTheUsageOnStderr() {
    for (String[] args : new String[][] {{}, {"deploy"}, {"invoke", "A", "--bogus"}}) {
      Run run = run(args);
      assertEquals(2, run.exitCode(), String.join(" ", args));
      assertEquals("", run.stdout());
      assertTrue(run.stderr().contains(CliArguments.USAGE), run.stderr());
    }
  }

  @Test
  void aPortInUseIsOneLineNamingPortAndExits2(@TempDir Path dir) throws IOException {
    Path template = TestFunctionPackage.create(dir);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Run run = run("start-api", "--port", Integer.toString(taken.getLocalPort()), "--template", template.toString());

      assertEquals(2, run.exitCode(), run.stderr());
      assertEquals("Cannot serve on 127.0.0.1:" + taken.getLocalPort() + ": the port is in use (another tools/local"
          + " start-api? next dev?); choose another port with --port, e.g. --port " + (taken.getLocalPort() + 1),
          run.stderr().strip());
      assertFalse(run.stderr().contains("Exception"), run.stderr());
      assertFalse(run.stderr().contains("Redis:"), "found before Redis or a function started");
    }
  }
}
