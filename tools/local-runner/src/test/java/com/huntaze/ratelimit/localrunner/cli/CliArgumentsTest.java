package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {

  @Test
  void parsesInvoke() {
    CliArguments cli = CliArguments.parse(List.of("invoke", "RateCheckFunction", "-e", "events/check.json",
        "--env-vars", "env.json", "--parameter-overrides", "KeyPrefix=dev", "ParameterKey=RedisTls,ParameterValue=false",
        "--template", "other.yaml"));

    assertEquals("invoke", cli.command());
    assertEquals(Optional.of("RateCheckFunction"), cli.functionId());
    assertEquals(Optional.of("events/check.json"), cli.eventFile());
    assertEquals(Optional.of(Path.of("env.json")), cli.envVarsFile());
    assertEquals(Map.of("KeyPrefix", "dev", "RedisTls", "false"), cli.parameterOverrides());
    assertEquals(Path.of("other.yaml"), cli.templateFile());
  }

  @Test
  void parsesStartApiWithDefaults() {
    CliArguments cli = CliArguments.parse(List.of("start-api"));

    assertEquals("127.0.0.1", cli.host());
    assertEquals(3000, cli.port());
    assertEquals(Path.of("template.yaml"), cli.templateFile());
    assertEquals(Map.of(), cli.parameterOverrides());
  }

  @Test
  void parsesStartApiOptions() {
    CliArguments cli = CliArguments.parse(List.of("start-api", "--port", "0", "--host", "0.0.0.0",
        "--parameter-overrides", "A=1 B=x=y"));

    assertEquals(0, cli.port());
    assertEquals("0.0.0.0", cli.host());
    assertEquals(Map.of("A", "1", "B", "x=y"), cli.parameterOverrides());
  }

  @Test
  void startApiChecksSignaturesUnlessToldNotTo() {
    assertTrue(CliArguments.parse(List.of("start-api")).signatures().checked());

    CliArguments.Signatures named = CliArguments.parse(List.of("start-api", "--credentials-file", "creds",
        "--profile", "web", "--region", "eu-west-1")).signatures();
    assertEquals(Optional.of(Path.of("creds")), named.credentialsFile());
    assertEquals(Optional.of("web"), named.profile());
    assertEquals(Optional.of("eu-west-1"), named.region());

    assertTrue(!CliArguments.parse(List.of("start-api", "--no-auth")).signatures().checked());
    assertThrows(IllegalArgumentException.class,
        () -> CliArguments.parse(List.of("start-api", "--no-auth", "--credentials-file", "creds")));
  }

  @Test
  void rejectsWhatItCannotUse() {
    for (List<String> args : List.of(List.<String>of(), List.of("deploy"), List.of("invoke"),
        List.of("invoke", "A", "B"), List.of("invoke", "A", "-e"), List.of("start-api", "--port", "x"),
        List.of("start-api", "Function"), List.of("invoke", "A", "--parameter-overrides", "novalue"),
        List.of("invoke", "A", "--bogus"))) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CliArguments.parse(args),
          args.toString());
      assertTrue(!error.getMessage().isBlank(), args.toString());
    }
  }
}
