package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertEquals(List.of("events/check.json"), cli.eventFiles());
    assertEquals(1, cli.repeat());
    assertEquals(Optional.of(Path.of("env.json")), cli.envVarsFile());
    assertEquals(Map.of("KeyPrefix", "dev", "RedisTls", "false"), cli.parameterOverrides());
    assertEquals(Path.of("other.yaml"), cli.templateFile());
    assertEquals(Optional.empty(), cli.redisUrl());
  }

  @Test
  void invokeTakesSeveralEventsInOrderARepeatCountAndARedisUrl() {
    CliArguments cli = CliArguments.parse(List.of("invoke", "RateCheckFunction", "-e", "events/check-reserve-model.json",
        "--event", "events/settle.json", "-e", "-", "--repeat", "3", "--redis-url", "redis://127.0.0.1:6390"));

    assertEquals(List.of("events/check-reserve-model.json", "events/settle.json", "-"), cli.eventFiles());
    assertEquals(3, cli.repeat());
    assertEquals("redis://127.0.0.1:6390", cli.redisUrl().orElseThrow().toString());
  }

  @Test
  void startApiDefaultsToAPortNextDevDoesNotTry() {
    CliArguments cli = CliArguments.parse(List.of("start-api"));

    assertEquals("127.0.0.1", cli.host());
    assertEquals(8765, cli.port());
    assertTrue(cli.port() < 3000 || cli.port() > 3100, "next dev tries 3000, 3001, ...");
    assertEquals(Path.of("template.yaml"), cli.templateFile());
    assertEquals(Map.of(), cli.parameterOverrides());
    assertTrue(CliArguments.USAGE.contains("[--port 8765]"), CliArguments.USAGE);
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
  void helpAnywhereIsTheHelpCommand() {
    for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("help"), List.of("invoke", "--help"),
        List.of("start-api", "-h"), List.of("invoke", "RateCheckFunction", "-e", "x.json", "--help"))) {
      assertTrue(CliArguments.parse(args).isHelp(), args.toString());
    }
    assertFalse(CliArguments.parse(List.of("start-api")).isHelp());
  }

  @Test
  void rejectsWhatItCannotUse() {
    for (List<String> args : List.of(List.<String>of(), List.of("deploy"), List.of("invoke"),
        List.of("invoke", "A", "B"), List.of("invoke", "A", "-e"), List.of("start-api", "--port", "x"),
        List.of("start-api", "--port", "70000"), List.of("start-api", "Function"),
        List.of("invoke", "A", "--parameter-overrides", "novalue"), List.of("invoke", "A", "--bogus"),
        List.of("invoke", "A", "--repeat", "0"), List.of("invoke", "A", "--repeat", "many"),
        List.of("invoke", "A", "-e", "-", "-e", "-"), List.of("start-api", "-e", "events/check.json"),
        List.of("start-api", "--repeat", "2"), List.of("invoke", "A", "--redis-url", "http://localhost:6379"))) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CliArguments.parse(args),
          args.toString());
      assertFalse(error.getMessage().isBlank(), args.toString());
    }
  }
}
